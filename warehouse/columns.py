"""The source columns every input file must carry, read from the dbt project's vars."""

from pathlib import Path

import yaml

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"


def _source_columns() -> tuple[str, ...]:
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())
    return tuple(column["name"] for column in project["vars"]["source_columns"])


SOURCE_COLUMNS = _source_columns()
