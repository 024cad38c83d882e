"""Catalogue scale, small and fast: caps set low make a few hundred synthetic artists a 'sampled' build.

Every table is written, every artist is scored and placed, the sampled flags say so, no NaN
appears; and a build stopped in the middle of its model fits leaves no worker behind.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.hostile_files import REPO_ROOT, BuildProcess
from tests.non_finite import non_finite_values
from warehouse.dbt_runner import dbt_target_dir
from warehouse.processes import processes_with_environment
from warehouse.publish.atomic import staging_file
from warehouse.synthetic import generate_artists, write_csv
from warehouse.verify import expected_relations

pytestmark = pytest.mark.slow

CAPS = {"ml_max_training_rows": 50, "ml_sampled_cv_rows": 30, "ml_max_cluster_rows": 80}


@pytest.fixture(scope="module")
def sampled_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sampled")
    data = write_csv(generate_artists(400, seed=3), folder / "artists.csv")
    db = folder / "dei.duckdb"
    result = subprocess.run(
        [sys.executable, "-m", "warehouse.build", "--data", str(data), "--db", str(db),
         "--report-dir", str(folder / "report"), "--vars", json.dumps(CAPS)],
        cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        yield db, con, result.stdout


def test_every_table_is_written(sampled_build):
    db, con, _ = sampled_build
    relations = {schema + "." + name for schema, name in con.execute(
        "select schema_name, table_name from duckdb_tables() union all "
        "select schema_name, view_name from duckdb_views() where not internal").fetchall()}
    assert expected_relations(dbt_target_dir(db) / "manifest.json") <= relations


def test_every_artist_is_scored_by_every_model_and_placed_in_a_cluster(sampled_build):
    _, con, _ = sampled_build
    scored = con.execute(
        "select feature_set, model_name, count(*), count(distinct artist_id), count(cv_fold) "
        "from ml.model_predictions group by all").fetchall()
    assert len(scored) == 10
    assert {(rows, artists, folds) for _, _, rows, artists, folds in scored} == {(400, 400, 30)}
    assert con.execute("select count(*), count(cluster), count(pc1) from ml.artist_clusters").fetchone() == (
        400, 400, 400)


def test_the_sample_is_data_in_the_metrics_and_the_step_log(sampled_build):
    _, con, _ = sampled_build
    metrics = con.execute(
        "select distinct n_train, n_test, fit_rows, cv_rows, scored_rows, sampled from ml.model_metrics").fetchall()
    assert metrics == [(280, 120, 50, 30, 400, True)]
    assert con.execute(
        "select step, fit_rows, cv_rows, n_rows, sampled, count(*) from ml.model_step_log group by all order by step"
    ).fetchall() == [("clusters", 80, None, 400, True, 1), ("elbow", 80, None, 400, True, 9),
                     ("regression", 50, 30, 400, True, 10)]


def test_the_report_says_what_was_sampled(sampled_build):
    db, _, _ = sampled_build
    page = (db.parent / "report" / "index.html").read_text()
    assert ("seeded sample of 50 of the 280 training rows (var ml_max_training_rows = 50) and cross-validated "
            "on 30 of those (var ml_sampled_cv_rows = 30)") in page


def test_long_steps_print_progress(sampled_build):
    _, _, stdout = sampled_build
    lines = [line for line in stdout.splitlines() if line.startswith("progress: ")]
    assert "progress: model_fits notebook, on a sample of 50 training rows: 48 of 48 fits done" in "\n".join(lines)
    assert any(line.startswith("progress: cluster_elbow on 80 artists: 9 of 9 values of k done") for line in lines)


def test_a_sampled_build_holds_no_nan_or_infinity(sampled_build):
    _, con, _ = sampled_build
    assert non_finite_values(con) == {}


def _workers(published: Path) -> list[int]:
    return processes_with_environment("DEI_DB_PATH", str(staging_file(published)))


def _wait_for_workers(published: Path, build: BuildProcess, timeout: float = 300) -> list[int]:
    """The build's processes once dbt has forked its model workers (dbt and at least two more)."""
    deadline = time.monotonic() + timeout
    while len(found := _workers(published)) < 3:
        assert build.process.poll() is None and time.monotonic() < deadline, "the model workers never started"
        time.sleep(0.2)
    return found


@pytest.fixture(scope="module")
def slow_fits_input(tmp_path_factory) -> Path:
    """Enough artists for the forests to take a while on two forked workers."""
    folder = tmp_path_factory.mktemp("slow_fits")
    return write_csv(generate_artists(20000, seed=5), folder / "artists.csv")


def _gone_within(pids: list[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while (alive := [pid for pid in pids if Path(f"/proc/{pid}").exists()]) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_stopped_build_ends_its_model_workers(tmp_path, slow_fits_input, stop):
    db = tmp_path / "dei.duckdb"
    build = BuildProcess(slow_fits_input, db, "--feature-sets", "notebook", "--vars", '{"ml_parallel_min_rows": 0}')
    processes = _wait_for_workers(db, build)

    build.process.send_signal(stop)
    code, err = build.finish(timeout=60)

    assert code == 2
    assert err.splitlines() == [f"error: build stopped by {stop.name}; the published warehouse was left as it was"]
    assert _gone_within(processes, 5) == []


def test_workers_die_with_dbt(tmp_path, slow_fits_input):
    """dbt killed outright (the OOM killer): its workers go with it, and the build says so in one line."""
    db = tmp_path / "dei.duckdb"
    build = BuildProcess(slow_fits_input, db, "--feature-sets", "notebook", "--vars", '{"ml_parallel_min_rows": 0}')
    processes = _wait_for_workers(db, build)
    dbt = min(processes)

    os.kill(dbt, signal.SIGKILL)
    code, err = build.finish(timeout=60)

    assert code == 2
    [line] = err.splitlines()
    assert line.startswith("error: dbt build ")
    assert _gone_within(processes, 5) == []
