"""`make build`: load the input (CSV or Parquet), run the dbt project into a private file, publish it atomically.

    python -m warehouse.build [--data FILE] [--db FILE] [--feature-sets a,b] [--vars JSON] [--report-dir DIR]
                              [--fresh-history]

Exit status 0 on success; 2 with one line on stderr when the input or the build is unusable (the
published warehouse is then left exactly as it was).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

from reports.sections.common import ReportSettings
from reports.sections.headline import headline_lines
from reports.warehouse_reader import WarehouseReader
from warehouse.build_history.carry import carry_history
from warehouse.build_history.lineage import BuildLineage, describe_build, finish_build_run, record_lineage
from warehouse.dbt_runner import LEFT_AS_IT_WAS, dbt_target_dir, run_dbt
from warehouse.errors import BuildError
from warehouse.ingest.header import InputColumns
from warehouse.ingest.input_files import InputSource
from warehouse.ingest.load import check_artists_loaded, check_input_file, load_raw_artists
from warehouse.publish.atomic import staged_build
from warehouse.publish.report_page import PendingReport
from warehouse.settings.project import DBT_PROJECT_DIR, project_vars
from warehouse.settings.resolve import dbt_vars, resolve_settings
from warehouse.settings.rules import yes_or_no
from warehouse.timings import StepTimings
from warehouse.verify import check_whole_warehouse

REPO_ROOT = DBT_PROJECT_DIR.parent
DEFAULT_DATA = REPO_ROOT / "warehouse" / "data" / "music_industry_dei_data.csv"
DEFAULT_DB = REPO_ROOT / "warehouse" / "dei.duckdb"
DEFAULT_REPORT_DIR = REPO_ROOT / "reports" / "out"


@dataclass(frozen=True)
class BuildOptions:
    data: Path
    db: Path
    # every setting's value, resolved against its declaration (warehouse/settings/resolve.py)
    settings: dict
    report_dir: Path = DEFAULT_REPORT_DIR
    replace_any_file: bool = False
    fresh_history: bool = False


@dataclass(frozen=True)
class BuildSummary:
    db: Path
    source_file: str
    rows_read: int
    artists_loaded: int
    rows_quarantined: int
    # one line per attribute too few artists disclosed (fairness.attribute_disclosure)
    warnings: tuple[str, ...] = ()
    # the audit's headline (reports/headline.py), as the report's top shows it
    headline: tuple[str, ...] = ()
    report: Path | None = None

    def line(self) -> str:
        return (
            f"built {self.db} and {self.report} from {self.source_file}: {self.rows_read} rows read, "
            f"{self.artists_loaded} artists loaded, {self.rows_quarantined} rows quarantined"
        )


def build_settings(feature_sets: str | None, extra_vars: str | None) -> dict:
    try:
        overrides = json.loads(extra_vars) if extra_vars else {}
    except json.JSONDecodeError as exc:
        raise BuildError(f"--vars is not valid JSON ({exc.msg}): {extra_vars}") from None
    if not isinstance(overrides, dict):
        raise BuildError(f"--vars must be a JSON object, got: {extra_vars}")
    if feature_sets:
        overrides["train_feature_sets"] = [name.strip() for name in feature_sets.split(",") if name.strip()]
    check_feature_sets({**project_vars(), **overrides})
    return resolve_settings(overrides)


def check_feature_sets(variables: dict) -> None:
    """FEATURE_SETS is a make variable, so its message speaks of feature sets rather than a var."""
    known = variables["feature_sets"]
    if not isinstance(known, dict) or not isinstance(variables["train_feature_sets"], list):
        return
    unknown = [name for name in variables["train_feature_sets"] if name not in known]
    if unknown:
        raise BuildError(f"unknown feature set(s) {', '.join(unknown)} (defined: {', '.join(known)})")


def read_summary(db_path: Path, published: Path, data: Path) -> BuildSummary:
    """The counts over every file of the input (a folder of Parquet files has a row per file)."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        files, source_file, rows_read, loaded, quarantined = con.execute(
            "select count(*), min(source_file), sum(rows_read), sum(artists_loaded), sum(rows_quarantined) "
            "from audit.load_reconciliation"
        ).fetchone()
        disclosure = con.execute(
            "select attribute, any_value(disclosure_rate), any_value(disclosure_warning_share) "
            "from fairness.attribute_disclosure where disclosure_warning group by attribute order by attribute"
        ).fetchall()
        reader = WarehouseReader(con)
        headline = tuple(headline_lines(reader, ReportSettings.read(reader)))
    source = source_file if files == 1 else f"{data.name} ({files} files)"
    warnings = tuple(
        f"warning: {attribute}: disclosure rate {rate:.1%}, below {1 - share:.1%} (var disclosure_warning_share "
        f"{share:g}): its undisclosed artists are one group, left out of the ratios (fairness.attribute_disclosure)"
        for attribute, rate, share in disclosure)
    return BuildSummary(published, source, rows_read, loaded, quarantined, warnings, headline)


def build(options: BuildOptions) -> BuildSummary:
    columns = InputColumns.of(options.settings)
    source = check_input_file(options.data, columns)
    report = PendingReport(options.report_dir)
    timings = StepTimings()
    try:
        with staged_build(options.db, options.replace_any_file,
                          after_publish=lambda: publish_report(report, options.db)) as staging_db:
            lineage = prepare_private_file(staging_db, options, source, timings)
            with timings.step("dbt build"):
                run_dbt(["build"], staging_db, options.db, dbt_vars(options.settings))
            finish_build_run(staging_db, lineage.build_id, timings.seconds(), dbt_target_dir(options.db))
            with timings.step("check the built file"):
                check_whole_warehouse(staging_db, dbt_target_dir(options.db))
                check_artists_loaded(staging_db, options.data)
                summary = read_summary(staging_db, options.db, options.data)
            # from the file about to be published, so that the page and the warehouse come from the
            # same build; a report that cannot be written stops the publish
            with timings.step("report"):
                render_the_report(report, staging_db, options.db)
            # the rename and the page's move happen as the block ends
            timings.begin("publish")
    finally:
        report.discard()
    timings.end()
    timings.write(dbt_target_dir(options.db))
    return replace(summary, report=report.page)


def prepare_private_file(staging_db: Path, options: BuildOptions, source: InputSource,
                         timings: StepTimings) -> BuildLineage:
    """Load the input and this build's lineage, then carry the published warehouse's history (under the lock)."""
    try:
        with duckdb.connect(str(staging_db)) as con:
            with timings.step("load"):
                lineage = describe_build(source, options.settings)
                load_raw_artists(con, source, scratch_dir=staging_db.parent, columns=InputColumns.of(options.settings))
                record_lineage(con, lineage)
            with timings.step("carry history"):
                note = carry_history(con, options.db, options.fresh_history)
    except duckdb.Error as exc:
        raise BuildError(f"the build's private file could not be written ({str(exc).splitlines()[0]}); "
                         f"{LEFT_AS_IT_WAS}") from None
    if note:
        print(note, file=sys.stderr, flush=True)
    return lineage


def render_the_report(report: PendingReport, staging_db: Path, published: Path) -> None:
    try:
        report.render(staging_db, published)
    except BuildError as exc:
        raise BuildError(f"{exc}; {LEFT_AS_IT_WAS}") from None
    except (OSError, duckdb.Error) as exc:
        raise BuildError(f"the report could not be written ({exc}); {LEFT_AS_IT_WAS}") from None


def publish_report(report: PendingReport, published: Path) -> None:
    """Move the page into place right after the warehouse; if that fails, say exactly what was published."""
    try:
        report.move_into_place()
    except OSError as exc:
        raise BuildError(
            f"the new warehouse was published at {published}, but its report could not be moved to "
            f"{report.page} ({exc.strerror}), which still describes the previous build: run make report"
        ) from None


def resolved(path: Path, what: str) -> Path:
    try:
        return path.expanduser().resolve()
    except (OSError, RuntimeError) as exc:
        # Python 3.11 raises RuntimeError for a symlink loop, later versions OSError(ELOOP)
        raise BuildError(f"the {what} cannot be resolved ({getattr(exc, 'strerror', None) or exc}): {path}") from None


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m warehouse.build", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="input: a CSV (plain, gzip or zstd), a Parquet file, or a folder or glob pattern "
                             "of Parquet files (default: the embedded workshop data)")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB,
                        help="published DuckDB file (default: warehouse/dei.duckdb)")
    parser.add_argument("--feature-sets", default="",
                        help="comma-separated model feature sets to train (default: var train_feature_sets)")
    parser.add_argument("--vars", default="", help="JSON object of dbt vars to override")
    parser.add_argument("--report-dir", type=Path, default=DEFAULT_REPORT_DIR,
                        help="folder for the HTML report, index.html (default: reports/out)")
    parser.add_argument("--replace-any-file", nargs="?", const="yes", default="no", metavar="yes|no",
                        help="publish over --db even if it is not a warehouse this project built")
    parser.add_argument("--fresh-history", nargs="?", const="yes", default="no", metavar="yes|no",
                        help="start a new build history instead of carrying the published warehouse's")
    args = parser.parse_args(argv)
    args.replace_any_file = yes_or_no(args.replace_any_file, "REPLACE_ANY_FILE (--replace-any-file)")
    args.fresh_history = yes_or_no(args.fresh_history, "FRESH_HISTORY (--fresh-history)")
    return args


def main(argv: list[str] | None = None) -> int:
    try:
        args = parse_args(argv)
        options = BuildOptions(
            # not resolved: /dev/stdin would become /proc/<pid>/fd/pipe:[...], a path that does not exist
            data=args.data.expanduser().absolute(),
            db=resolved(args.db, "warehouse path"),
            settings=build_settings(args.feature_sets, args.vars),
            report_dir=resolved(args.report_dir, "report folder"),
            replace_any_file=args.replace_any_file,
            fresh_history=args.fresh_history,
        )
        summary = build(options)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        # what no check foresaw (a disk that fills while the build writes): still one line
        print(f"error: {exc.strerror or exc} ({exc.filename}); {LEFT_AS_IT_WAS}", file=sys.stderr)
        return 2
    for warning in summary.warnings:
        print(warning, file=sys.stderr)
    print(summary.line())
    for line in summary.headline:
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
