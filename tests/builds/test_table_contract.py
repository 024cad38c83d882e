"""The table contract, held by dbt: every published SQL model is public and declares each column's
name and type in an enforced contract, so a change that renames or retypes a column BI tools read
fails the build, naming the column, instead of publishing a different table.

The first tests read dbt's own view of the project (`dbt ls`) and build nothing; the last two rebuild
fairness.fairness_summary in a copy of the workshop warehouse, with the project as it is and with one
of its columns renamed.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from warehouse.dbt_runner import dbt_target_dir
from warehouse.settings.project import DBT_PROJECT_DIR
from warehouse.settings.resolve import dbt_vars, resolve_settings

pytestmark = pytest.mark.slow

DBT = Path(sys.executable).with_name("dbt")
# published models whose columns follow the vars: an enforced contract would fail the build as soon
# as the var changed, so they are public without one (their YAML says why)
VAR_DEPENDENT = {
    "stg_artists": "var source_columns",
    "artist_features": "vars source_columns and fairness_intersections",
    "cluster_profiles": "var cluster_features (a <feature>_mean column each)",
    "pca_components": "var cluster_features (a <feature>_loading column each)",
}
PUBLISHED = ("table", "view")
# the line of fairness_summary.sql that publishes disparate_impact_ratio, and the same line renamed
RATIO_LINE = "        verdicts.disparate_impact_ratio,\n"
RENAMED_LINE = "        verdicts.disparate_impact_ratio as disparate_impact,\n"


def run_dbt(project: Path, folder: Path, db: Path, variables: dict, *command: str) -> subprocess.CompletedProcess:
    """dbt as the build runs it (warehouse/dbt_runner.py), its target and logs in folder."""
    env = {**os.environ, "DEI_DB_PATH": str(db), "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
           "DBT_VERSION_CHECK": "False"}
    return subprocess.run(
        [str(DBT), "--no-use-colors", *command, "--project-dir", str(project), "--profiles-dir", str(project),
         "--target-path", str(folder / "target"), "--log-path", str(folder / "logs"),
         "--vars", json.dumps(variables)],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> dict[str, dict]:
    """Every model as dbt resolves it (dbt_project.yml, the model's YAML, its config() call), by name."""
    folder = tmp_path_factory.mktemp("dbt_ls")
    listed = run_dbt(DBT_PROJECT_DIR, folder, folder / "unused.duckdb", dbt_vars(resolve_settings({})),
                     "--quiet", "ls", "--resource-type", "model", "--output", "json",
                     "--output-keys", "name", "config", "original_file_path")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    nodes = [json.loads(line) for line in listed.stdout.splitlines() if line.startswith("{")]
    return {node["name"]: node for node in nodes}


def is_published_sql(node: dict) -> bool:
    return (node["original_file_path"].endswith(".sql") and node["config"]["materialized"] in PUBLISHED
            and not node["name"].startswith("int_"))


def test_every_published_sql_model_is_public_with_an_enforced_contract(models):
    published = {name: node["config"] for name, node in models.items() if is_published_sql(node)}
    assert len(published) > 50
    wrong = {name: (config["access"], config["contract"]["enforced"]) for name, config in published.items()
             if (config["access"], config["contract"]["enforced"]) != ("public", name not in VAR_DEPENDENT)}
    assert wrong == {}


def test_the_var_dependent_exceptions_are_published_models(models):
    assert {name for name in VAR_DEPENDENT if name in models and is_published_sql(models[name])} == set(VAR_DEPENDENT)


def test_intermediates_and_python_models_are_protected_without_a_contract(models):
    private = {name: node["config"] for name, node in models.items()
               if name.startswith("int_") or node["original_file_path"].endswith(".py")}
    assert {"int_artist_rows_validated", "int_artist_outcome_flags", "model_fits"} <= set(private)
    wrong = {name: (config["access"], config["contract"]["enforced"]) for name, config in private.items()
             if (config["access"], config["contract"]["enforced"]) != ("protected", False)}
    assert wrong == {}


def test_ephemeral_models_have_no_contract(models):
    ephemeral = {name for name, node in models.items() if node["config"]["materialized"] == "ephemeral"}
    assert ephemeral
    assert {name for name in ephemeral if models[name]["config"]["contract"]["enforced"]} == set()


@pytest.fixture()
def rebuild(tmp_path, workshop_db):
    """Rebuild fairness_summary (dbt run) in a copy of the workshop warehouse, from a copy of the dbt
    project edited by the caller, with the vars the workshop build handed dbt; (dbt's result, db)."""
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", "*.duckdb*"))
    db = tmp_path / "dei.duckdb"
    shutil.copyfile(workshop_db, db)
    variables = json.loads((dbt_target_dir(workshop_db) / "run_results.json").read_text())["args"]["vars"]

    def run(edit=lambda sql: sql) -> tuple[subprocess.CompletedProcess, Path]:
        model = project / "models" / "fairness" / "fairness_summary.sql"
        model.write_text(edit(model.read_text()))
        return run_dbt(project, tmp_path, db, variables, "run", "--select", "fairness_summary"), db
    return run


def columns(db: Path) -> list[tuple[str, str]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select column_name, data_type from duckdb_columns() "
                           "where schema_name = 'fairness' and table_name = 'fairness_summary' "
                           "order by column_index").fetchall()


def test_the_model_as_it_is_meets_its_contract(rebuild, workshop_db):
    result, db = rebuild()
    assert result.returncode == 0, result.stdout
    assert columns(db) == columns(workshop_db)
    assert ("disparate_impact_ratio", "DOUBLE") in columns(db)


def test_a_renamed_column_fails_the_build_naming_it(rebuild, workshop_db):
    def rename_the_ratio(sql: str) -> str:
        assert sql.count(RATIO_LINE) == 1, "fairness_summary.sql no longer publishes the ratio on this line"
        return sql.replace(RATIO_LINE, RENAMED_LINE)

    result, db = rebuild(rename_the_ratio)
    assert result.returncode != 0, result.stdout
    assert "enforced contract" in result.stdout
    # dbt's table of mismatches names the column the SQL lost and the one it gained
    assert re.search(r"\|\s*disparate_impact_ratio\s*\|.*missing in definition", result.stdout), result.stdout
    assert re.search(r"\|\s*disparate_impact\s*\|.*missing in contract", result.stdout), result.stdout
    # nothing was replaced: the table keeps its published columns
    assert columns(db) == columns(workshop_db)
