"""Every build remembers the ones before it: one chain of builds over one warehouse path.

Build 1 goes over a warehouse made before the history existed (the workshop build with its history
tables dropped), from a file whose name holds quotes and SQL; build 2 builds the same file again;
build 3 a copy in which three high-success women are recorded as men (a planted change); build 4 a
file whose every line is quarantined, which fails. Each published file is read right after its
build, so the history is checked against what each build published, not against itself.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.metadata
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from tests.hostile_files import run_build_process, sha256
from tests.non_finite import non_finite_values
from tests.parity import SQL_RTOL
from tests.report_page import body_rows, parse_page, spec_values
from warehouse.build import DEFAULT_DATA
from warehouse.build_history.export import export_history
from warehouse.dbt_runner import dbt_target_dir
from warehouse.settings.project import DBT_PROJECT_DIR, project_vars

pytestmark = pytest.mark.slow

NO_MODELS = ["--vars", json.dumps({"train_feature_sets": []})]
HOSTILE_NAME = """catalogue it's "x"; drop table audit.build_runs; --.csv"""
PLANTED_WOMEN = 3
KEY = ["outcome", "attribute"]
DRIFT_TESTS = ("no_change_since_previous_build_fairness_changes_verdict_flipped",
               "no_change_since_previous_build_fairness_changes_disparate_impact_dropped_beyond_tolerance")


@dataclass
class Build:
    code: int
    stdout: str
    stderr: str
    summary: pd.DataFrame | None = None
    groups: pd.DataFrame | None = None
    run_results: dict | None = None
    file_hash: str | None = None


def _frame(db: Path, sql: str, params: list | None = None) -> pd.DataFrame:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).df()


def _build(data: Path, db: Path) -> Build:
    result = run_build_process(data, db, *NO_MODELS)
    build = Build(result.returncode, result.stdout, result.stderr)
    if result.returncode == 0:
        build.summary = _frame(db, "select * from fairness.fairness_summary order by outcome, attribute")
        build.groups = _frame(db, "select * from fairness.group_outcomes order by outcome, attribute, group_value")
        build.run_results = json.loads((dbt_target_dir(db) / "run_results.json").read_text())
    build.file_hash = sha256(db)
    return build


def _pre_history_warehouse(workshop_db: Path, db: Path) -> None:
    """How a warehouse built before this change looks: no audit.build_runs, no history schema."""
    shutil.copyfile(workshop_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute("drop table audit.build_runs")
        con.execute("drop schema history cascade")


def _planted_copy(source: Path, target: Path, women: list[int]) -> Path:
    with source.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if int(row["artist_id"]) in women:
            row["gender"] = "Male"
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return target


def _high_success_women(db: Path) -> list[int]:
    return _frame(db, "select artist_id from fairness.artist_attribute_outcomes where outcome = 'monthly_listeners' "
                      "and attribute = 'gender' and group_value = 'Female' and is_high_success "
                      f"order by artist_id limit {PLANTED_WOMEN}")["artist_id"].tolist()


@pytest.fixture(scope="module")
def chain(tmp_path_factory, workshop_db):
    folder = tmp_path_factory.mktemp("history")
    db = folder / "dei.duckdb"
    _pre_history_warehouse(workshop_db, db)
    catalogue = folder / HOSTILE_NAME
    shutil.copyfile(DEFAULT_DATA, catalogue)
    builds = [_build(catalogue, db), _build(catalogue, db)]
    planted = _planted_copy(catalogue, folder / "planted.csv", _high_success_women(db))
    builds.append(_build(planted, db))
    header = DEFAULT_DATA.read_text(encoding="utf-8").splitlines()[0]
    quarantined = folder / "quarantined.csv"
    quarantined.write_text(header + "\n" + "not,an,artist\n" * 3, encoding="utf-8")
    builds.append(_build(quarantined, db))
    return {"db": db, "builds": builds, "catalogue": catalogue, "planted": planted}


def _changes(db: Path, baseline: str) -> pd.DataFrame:
    return _frame(db, "select * from history.fairness_changes where baseline = ? order by outcome, attribute",
                  [baseline])


def _difference(later: pd.DataFrame, earlier: pd.DataFrame, column: str) -> np.ndarray:
    joined = later.merge(earlier, on=KEY, suffixes=("", "_before"))
    return (joined[column] - joined[f"{column}_before"]).to_numpy(dtype=float, na_value=np.nan)


def _assert_same(actual, expected) -> None:
    np.testing.assert_allclose(np.asarray(actual, dtype=float), np.asarray(expected, dtype=float),
                               rtol=SQL_RTOL, atol=0, equal_nan=True)


# --- lineage ----------------------------------------------------------------------------------

def test_a_warehouse_built_before_the_history_starts_it(chain):
    first = chain["builds"][0]
    assert first.code == 0, first.stderr
    assert "built before warehouses kept a build history: this build starts its history" in first.stderr
    runs = _frame(chain["db"], "select build_number, input_file_name from audit.build_runs order by build_number")
    assert runs["build_number"].tolist() == [1, 2, 3]


def test_each_build_records_its_input_vars_and_software(chain):
    runs = _frame(chain["db"], "select * from audit.build_runs order by build_number")
    catalogue = chain["catalogue"].read_bytes()
    assert runs["input_file_name"].tolist() == [HOSTILE_NAME, HOSTILE_NAME, "planted.csv"]
    assert runs["input_file_bytes"].iloc[0] == len(catalogue)
    assert runs["input_file_sha256"].tolist()[:2] == [hashlib.sha256(catalogue).hexdigest()] * 2
    assert runs["input_file_sha256"].iloc[2] == hashlib.sha256(chain["planted"].read_bytes()).hexdigest()
    assert runs[["rows_read", "artists_loaded", "rows_quarantined"]].values.tolist() == [[40, 40, 0]] * 3
    effective = {**project_vars(), "train_feature_sets": []}
    assert [json.loads(text) for text in runs["dbt_vars_json"]] == [effective] * 3
    assert runs["dbt_vars_sha256"].iloc[0] == hashlib.sha256(runs["dbt_vars_json"].iloc[0].encode()).hexdigest()
    seeds = (DBT_PROJECT_DIR / "seeds" / "equity_weights.csv").read_bytes()
    assert set(runs["seed_weights_sha256"]) == {hashlib.sha256(seeds).hexdigest()}
    assert set(runs["dbt_core_version"]) == {importlib.metadata.version("dbt-core")}
    assert set(runs["duckdb_version"]) == {duckdb.__version__}
    assert set(runs["scikit_learn_version"]) == {importlib.metadata.version("scikit-learn")}
    assert (runs["started_at_utc"].diff().dropna() > pd.Timedelta(0)).all()
    assert (runs["finished_at_utc"] > runs["started_at_utc"]).all()
    assert (runs["started_at_utc"].iloc[1:].to_numpy() > runs["finished_at_utc"].iloc[:-1].to_numpy()).all()
    layers = json.loads(runs["dbt_layer_seconds_json"].iloc[-1])
    assert {"staging", "fairness", "history", "seeds", "tests"} <= set(layers)
    assert runs["dbt_seconds"].iloc[-1] > sum(layers.values()) * 0.5 > 0


# --- two builds of the same file --------------------------------------------------------------

def test_two_builds_of_the_same_file_remember_equal_values(chain):
    history = _frame(chain["db"], "select * from history.fairness_summary_history where build_number <= 2")
    first, second = (rows.drop(columns=["build_id", "build_number"]).reset_index(drop=True)
                     for _, rows in history.groupby("build_number"))
    pd.testing.assert_frame_equal(first, second)
    published = chain["builds"][1].summary[first.columns]
    pd.testing.assert_frame_equal(second.sort_values(KEY).reset_index(drop=True), published, check_dtype=False)


def test_a_rebuild_of_the_same_file_flags_no_change(chain):
    rebuild = chain["builds"][1]
    assert not any(name in rebuild.stdout for name in DRIFT_TESTS)
    statuses = {result["unique_id"].split(".")[2]: result["status"] for result in rebuild.run_results["results"]}
    assert {statuses[name] for name in DRIFT_TESTS} == {"pass"}


# --- the planted change -----------------------------------------------------------------------

def test_the_change_since_the_previous_build_is_the_difference_of_the_two_summaries(chain):
    before, after = chain["builds"][1].summary, chain["builds"][2].summary
    changes = _changes(chain["db"], "previous")
    assert changes[KEY].values.tolist() == after[KEY].values.tolist()
    assert set(changes["baseline_build_number"]) == {2} and set(changes["build_number"]) == {3}
    _assert_same(changes["disparate_impact_change"], _difference(after, before, "disparate_impact_ratio"))
    for column in ("statistical_parity_difference", "min_high_success_rate", "max_high_success_rate"):
        _assert_same(changes[f"{column}_change"], _difference(after, before, column))
    assert changes["disparate_impact_change"].abs().max() > 0.1
    moves = changes.sort_values("disparate_impact_move_rank")["disparate_impact_change"].abs()
    assert moves.dropna().is_monotonic_decreasing
    assert moves.notna().tolist() == sorted(moves.notna().tolist(), reverse=True)


def test_flips_and_drops_are_flagged_exactly_where_the_summaries_differ(chain):
    before, after = chain["builds"][1].summary, chain["builds"][2].summary
    joined = after.merge(before, on=KEY, suffixes=("", "_before"))
    changes = _changes(chain["db"], "previous")
    flipped = joined["four_fifths_verdict"].fillna("-") != joined["four_fifths_verdict_before"].fillna("-")
    assert changes["verdict_flipped"].tolist() == flipped.tolist()
    assert flipped.any()
    dropped = (joined["disparate_impact_ratio_before"] - joined["disparate_impact_ratio"]) > 0.05
    assert changes["disparate_impact_dropped_beyond_tolerance"].fillna(False).tolist() == dropped.tolist()
    assert changes.loc[changes["attribute"] == "gender", "disparate_impact_dropped_beyond_tolerance"].all()
    disjoint = ((joined["disparate_impact_ci_low"] > joined["disparate_impact_ci_high_before"])
                | (joined["disparate_impact_ci_high"] < joined["disparate_impact_ci_low_before"]))
    defined = joined["disparate_impact_ci_low"].notna() & joined["disparate_impact_ci_low_before"].notna()
    found = changes["disparate_impact_change_beyond_intervals"]
    assert found[defined].tolist() == disjoint[defined].tolist() and found[~defined].isna().all()


def test_the_planted_change_warns_in_the_build_output_and_run_results(chain):
    planted = chain["builds"][2]
    assert planted.code == 0, planted.stderr
    for name in DRIFT_TESTS:
        [line] = [line for line in planted.stdout.splitlines() if name in line and " WARN " in line]
        assert "[WARN" in line
    results = {result["unique_id"].split(".")[2]: result for result in planted.run_results["results"]}
    assert [(results[name]["status"], results[name]["failures"] > 0) for name in DRIFT_TESTS] == [("warn", True)] * 2


def test_group_changes_are_the_difference_of_the_two_group_tables(chain):
    before, after = chain["builds"][1].groups, chain["builds"][2].groups
    changes = _frame(chain["db"], "select * from history.group_outcome_changes where baseline = 'previous' "
                                  "order by outcome, attribute, group_value")
    keys = [*KEY, "group_value"]
    joined = after.merge(before, on=keys, how="outer", suffixes=("", "_before"), indicator=True)
    joined = joined.sort_values(keys).reset_index(drop=True)
    assert changes[keys].fillna("-").values.tolist() == joined[keys].fillna("-").values.tolist()
    _assert_same(changes["high_success_rate_change"], joined["high_success_rate"] - joined["high_success_rate_before"])
    _assert_same(changes["disparity_ratio_change"], joined["disparity_ratio"] - joined["disparity_ratio_before"])
    assert changes["in_baseline_build"].tolist() == (joined["_merge"] != "left_only").tolist()


def test_the_change_since_the_first_build_compares_with_build_one(chain):
    first, latest = chain["builds"][0].summary, chain["builds"][2].summary
    changes = _changes(chain["db"], "first")
    assert set(changes["baseline_build_number"]) == {1}
    _assert_same(changes["disparate_impact_change"], _difference(latest, first, "disparate_impact_ratio"))


# --- what does not enter the history ----------------------------------------------------------

def test_a_failed_build_leaves_the_history_unchanged(chain):
    failed, last_published = chain["builds"][3], chain["builds"][2]
    assert failed.code == 2
    [line] = failed.stderr.splitlines()
    assert line.startswith("error: no line of the input file is a valid artist")
    assert failed.file_hash == last_published.file_hash


def test_carried_values_reach_the_next_file_as_data(chain):
    names = _frame(chain["db"], "select input_file_name from audit.build_runs where build_number = 1")
    assert names["input_file_name"].tolist() == [HOSTILE_NAME]
    with duckdb.connect(str(chain["db"]), read_only=True) as con:
        carried = con.execute("select count(*) from duckdb_schemas() where schema_name = 'history_carried'").fetchone()
        assert carried == (0,)
        assert non_finite_values(con) == {}


# --- the report and the export ----------------------------------------------------------------

def test_the_build_ends_with_the_drift_since_the_previous_build(chain):
    planted, unchanged = chain["builds"][2], chain["builds"][1]
    changes = _changes(chain["db"], "previous")
    flipped = changes[changes["verdict_flipped"].fillna(False).astype(bool)]
    [drift] = [line.strip() for line in planted.stdout.splitlines() if line.strip().startswith("drift since build 2:")]
    for row in flipped.itertuples():
        assert f"{row.outcome} {row.attribute} {row.baseline_four_fifths_verdict} -> {row.four_fifths_verdict}" in drift
    assert not flipped.empty
    assert not [line for line in unchanged.stdout.splitlines() if "drift since" in line]


def test_the_report_says_what_changed_since_the_last_build(chain):
    page = parse_page(chain["db"].parent / "dei-report" / "index.html")
    since = page.facts["Since the last build"]["text"]
    assert since.startswith("build 3 (") and "against build 2 (" in since
    assert "monthly_listeners × gender inconclusive → conclusive_fail" in page.facts["Verdicts flipped"]["text"]
    [moved] = _changes(chain["db"], "previous").query("disparate_impact_move_rank == 1").itertuples()
    assert page.facts["Moved most"]["text"] == (
        f"{moved.outcome} × {moved.attribute}: disparate impact {moved.baseline_disparate_impact_ratio:.3f} → "
        f"{moved.disparate_impact_ratio:.3f} ({moved.disparate_impact_change:+.3f})")
    changes = _changes(chain["db"], "previous")
    rows = body_rows(page, "since-last-build")
    shown = {(row[0]["text"], row[1]["text"]): float(row[4]["value"]) for row in rows if row[4]["value"] is not None}
    expected = {(row.outcome, row.attribute): row.disparate_impact_change
                for row in changes.itertuples() if pd.notna(row.disparate_impact_change)}
    assert shown == expected
    [points] = spec_values(json.loads(page.specs["disparate-impact-over-builds-spec"]))
    assert sorted({point["build_number"] for point in points}) == [1, 2, 3]


def test_history_export_writes_every_table_as_parquet(chain, tmp_path):
    written = export_history(chain["db"], tmp_path)
    assert sorted(path.name for path in written) == [
        "audit.build_runs.parquet", "history.fairness_summary_history.parquet",
        "history.group_outcomes_history.parquet", "history.model_metrics_history.parquet"]
    exported = pq.read_table(tmp_path / "history.fairness_summary_history.parquet").to_pandas()
    stored = _frame(chain["db"], "select * from history.fairness_summary_history")
    pd.testing.assert_frame_equal(exported, stored, check_dtype=False)
