"""`make build`: load the input CSV, run the dbt project into a private file, publish it atomically.

    python -m warehouse.build [--data FILE] [--db FILE] [--feature-sets a,b] [--vars JSON] [--report-dir DIR]

Exit status 0 on success; 2 with one line on stderr when the input or the build is unusable (the
published warehouse is then left exactly as it was).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

from reports.render import render_report
from warehouse.columns import DBT_PROJECT_DIR, project_vars
from warehouse.errors import BuildError
from warehouse.ingest import check_artists_loaded, check_input_file, load_raw_artists
from warehouse.publish import staged_build

REPO_ROOT = DBT_PROJECT_DIR.parent
DEFAULT_DATA = REPO_ROOT / "warehouse" / "data" / "music_industry_dei_data.csv"
DEFAULT_DB = REPO_ROOT / "warehouse" / "dei.duckdb"
DEFAULT_REPORT_DIR = REPO_ROOT / "reports" / "out"


@dataclass(frozen=True)
class BuildOptions:
    data: Path
    db: Path
    dbt_vars: dict
    report_dir: Path = DEFAULT_REPORT_DIR


@dataclass(frozen=True)
class BuildSummary:
    db: Path
    source_file: str
    rows_read: int
    artists_loaded: int
    rows_quarantined: int
    report: Path | None = None

    def line(self) -> str:
        return (
            f"built {self.db} and {self.report} from {self.source_file}: {self.rows_read} rows read, "
            f"{self.artists_loaded} artists loaded, {self.rows_quarantined} rows quarantined"
        )


def dbt_vars(feature_sets: str | None, extra_vars: str | None) -> dict:
    try:
        overrides = json.loads(extra_vars) if extra_vars else {}
    except json.JSONDecodeError as exc:
        raise BuildError(f"--vars is not valid JSON ({exc.msg}): {extra_vars}") from None
    if not isinstance(overrides, dict):
        raise BuildError(f"--vars must be a JSON object, got: {extra_vars}")
    if feature_sets:
        overrides["train_feature_sets"] = [name.strip() for name in feature_sets.split(",") if name.strip()]
    check_feature_sets({**project_vars(), **overrides})
    return overrides


def check_feature_sets(variables: dict) -> None:
    known = variables["feature_sets"]
    unknown = [name for name in variables["train_feature_sets"] if name not in known]
    if unknown:
        raise BuildError(f"unknown feature set(s) {', '.join(unknown)} (defined: {', '.join(known)})")


def dbt_target_dir(db_path: Path) -> Path:
    """dbt's target and log folder for builds of one published file: a hidden folder beside it.

    Builds of one file take turns (the publish lock), so they can share a folder and keep dbt's
    partial-parse cache; builds of different files run side by side in folders of their own, and
    a warehouse in a temporary folder takes its dbt files with it when the folder goes.
    """
    return db_path.parent / f".dbt-{db_path.name}"


def failed_nodes(target_dir: Path) -> list[str]:
    results_path = target_dir / "run_results.json"
    if not results_path.exists():
        return []
    results = json.loads(results_path.read_text()).get("results", [])
    # unique_id is resource.project.name, plus a hash for generic tests: the name is the readable part
    return [r["unique_id"].split(".")[2] for r in results if r.get("status") in {"error", "fail"}]


def run_dbt(command: list[str], db_path: Path, published: Path, variables: dict) -> None:
    """Run dbt once against db_path; raise BuildError on failure.

    dbt runs as a child process so that its DuckDB connection is closed (and checkpointed) when
    it exits, before the file is renamed into place.
    """
    dbt = Path(sys.executable).with_name("dbt")
    target_dir = dbt_target_dir(published)
    args = [
        str(dbt), *command,
        "--project-dir", str(DBT_PROJECT_DIR),
        "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(target_dir),
        "--log-path", str(target_dir / "logs"),
        "--vars", json.dumps(variables),
    ]
    env = {**os.environ, "DEI_DB_PATH": str(db_path)}
    if subprocess.run(args, env=env, check=False).returncode != 0:
        names = ", ".join(failed_nodes(target_dir)) or "see dbt's lines above"
        raise BuildError(f"dbt {command[0]} failed ({names}); the published warehouse was left as it was")


def read_summary(db_path: Path, published: Path) -> BuildSummary:
    with duckdb.connect(str(db_path), read_only=True) as con:
        source_file, rows_read, loaded, quarantined = con.execute(
            "select source_file, rows_read, artists_loaded, rows_quarantined from audit.load_reconciliation"
        ).fetchall()[0]
    return BuildSummary(published, source_file, rows_read, loaded, quarantined)


def build(options: BuildOptions) -> BuildSummary:
    check_input_file(options.data)
    with staged_build(options.db) as staging_db:
        with duckdb.connect(str(staging_db)) as con:
            load_raw_artists(con, options.data)
        run_dbt(["build"], staging_db, options.db, options.dbt_vars)
        check_artists_loaded(staging_db, options.data)
        summary = read_summary(staging_db, options.db)
        # from the file about to be published, under the build lock, so that the page and the
        # warehouse always come from the same build; a report that cannot be written stops the publish
        try:
            report = render_report(staging_db, options.report_dir)
        except (OSError, duckdb.Error) as exc:
            raise BuildError(
                f"the report could not be written ({exc}); the published warehouse was left as it was"
            ) from None
    return replace(summary, report=report)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m warehouse.build", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="input CSV (default: the embedded workshop data)")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB,
                        help="published DuckDB file (default: warehouse/dei.duckdb)")
    parser.add_argument("--feature-sets", default="",
                        help="comma-separated model feature sets to train (default: all)")
    parser.add_argument("--vars", default="", help="JSON object of dbt vars to override")
    parser.add_argument("--report-dir", type=Path, default=DEFAULT_REPORT_DIR,
                        help="folder for the HTML report, index.html (default: reports/out)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        options = BuildOptions(
            data=args.data.expanduser().resolve(),
            db=args.db.expanduser().resolve(),
            dbt_vars=dbt_vars(args.feature_sets, args.vars),
            report_dir=args.report_dir.expanduser().resolve(),
        )
        summary = build(options)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(summary.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
