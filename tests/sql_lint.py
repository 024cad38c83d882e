"""`make lint`'s SQL half: sqlfluff over the dbt models, compiled with the vars a build hands dbt.

sqlfluff's dbt templater passes its `context` config to dbt as vars, but an ini file holds no lists
and sqlfluff re-reads the ini files for each path it lints; so this sets the context on the loaded
config and lints each model's text under its own name (the models folder has no .sqlfluff of its own).

    python -m tests.sql_lint dbt_project/models
"""

import sys
from pathlib import Path

from sqlfluff.core import FluffConfig, Linter
from sqlfluff.core.config import load_config_up_to_path

from warehouse.settings.resolve import dbt_vars, resolve_settings


def lint_config() -> FluffConfig:
    configs = load_config_up_to_path(path=".")
    configs["templater"]["dbt"]["context"] = dbt_vars(resolve_settings({}))
    return FluffConfig(configs=configs)


def main(folders: list[str]) -> int:
    linter = Linter(config=lint_config())
    violations = 0
    for path in sorted(sql for folder in folders for sql in Path(folder).rglob("*.sql")):
        for violation in linter.lint_string(path.read_text(), fname=str(path)).get_violations():
            violations += 1
            print(f"{path}:{violation.line_no}:{violation.line_pos}: {violation.rule_code()} {violation.desc()}")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
