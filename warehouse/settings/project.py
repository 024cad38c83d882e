"""The dbt project's vars: the user-facing defaults and overrides of every setting."""

from pathlib import Path

import yaml

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"


def project_vars() -> dict:
    return yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())["vars"]
