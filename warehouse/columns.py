"""The dbt project's vars (the one place settings live), and the source columns they name."""

from pathlib import Path

import yaml

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"


def project_vars() -> dict:
    return yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())["vars"]


SOURCE_COLUMNS = tuple(column["name"] for column in project_vars()["source_columns"])
