"""Hostile paths, settings and signals: every failure is one line, nothing is destroyed, nothing is left running.

Each class of case runs the real entry point (`make build` where the case is about make) and
checks the exit status, the one `error:` line, that no traceback is printed, that the previous
warehouse and the input are byte for byte as they were, and that no process of the build is left.
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

from tests.hostile_files import (
    HEADER,
    REPO_ROOT,
    BuildProcess,
    first_artists,
    one_error_line,
    run_build_process,
    sha256,
    staging_leftovers,
    workshop_lines,
    write_lines,
)
from warehouse.build import main as build_main
from warehouse.processes import processes_with_environment
from warehouse.publish.atomic import staging_file

pytestmark = pytest.mark.slow






def _build_processes(published: Path) -> list[int]:
    return processes_with_environment("DEI_DB_PATH", str(staging_file(published)))


# --- data loss: DB= naming a file this project did not build ---------------------------------

def _text_file(folder: Path) -> Path:
    return write_lines(folder / "notes.txt", ["my notes"])


def _empty_file(folder: Path) -> Path:
    path = folder / "empty.duckdb"
    path.write_bytes(b"")
    return path


def _foreign_duckdb(folder: Path) -> Path:
    path = folder / "other.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create table sales as select 1 as amount")
    return path


FOREIGN_FILES = {
    "a text file": (_text_file, "it is not a DuckDB file"),
    "an empty file": (_empty_file, "it is not a DuckDB file"),
    "another project's DuckDB file": (_foreign_duckdb, "it is a DuckDB file without this project's"),
}


@pytest.mark.parametrize("case", FOREIGN_FILES)
def test_db_naming_a_file_this_project_did_not_build_is_refused(tmp_path, case):
    make_file, reason = FOREIGN_FILES[case]
    target = make_file(tmp_path)
    before = sha256(target)

    line = one_error_line(run_build_process(first_artists(tmp_path, 10), target))

    assert line.startswith(f"error: refusing to replace {target}: {reason}")
    assert "--replace-any-file" in line
    assert sha256(target) == before


def test_db_naming_the_input_itself_is_refused(tmp_path):
    data = first_artists(tmp_path, 10)
    before = sha256(data)

    line = one_error_line(run_build_process(data, data))

    assert line.startswith(f"error: refusing to replace {data}: it is not a DuckDB file")
    assert sha256(data) == before


def test_replace_any_file_says_so_explicitly(tmp_path):
    target = _text_file(tmp_path)

    result = run_build_process(first_artists(tmp_path, 10), target, "--replace-any-file")

    assert result.returncode == 0, result.stderr
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.execute("select artists_loaded from audit.load_reconciliation").fetchone() == (10,)


# --- settings are data: vars and make variables ----------------------------------------------

def test_a_var_that_would_reach_sql_stops_the_build_before_dbt(tmp_path, published):
    before = sha256(published)

    line = one_error_line(run_build_process(
        first_artists(tmp_path, 10), published, "--vars", '{"four_fifths_threshold": "0.8 or true"}'))

    assert line == ("error: dbt var four_fifths_threshold must be a number greater than 0 and at most 1, "
                    "got '0.8 or true'")
    assert sha256(published) == before
    assert not (published.parent / f".dbt-{published.name}").exists()


HOSTILE_FOLDER = "it's \"q\" $HOME `touch PWNED` $(touch PWNED2) \n second line"


def test_make_passes_hostile_paths_and_vars_as_they_are(tmp_path):
    """Quotes, `$`, backticks, `$(...)`, spaces and a newline in DATA, DB and REPORT_DIR; a quote and a
    newline in DBT_VARS, and a reference group whose name has a quote: nothing is run or expanded."""
    folder = tmp_path / HOSTILE_FOLDER
    folder.mkdir()
    lines = workshop_lines()
    ivorian = lines[0].split(",")
    ivorian[5] = "Côte d'Ivoire"
    data = write_lines(folder / "in put's.csv", [HEADER, ",".join(ivorian), *lines[1:]])
    db = folder / "ware'house \"x\" $PATH.duckdb"
    report_dir = folder / "report `id`"
    dbt_vars = '{"fairness_reference_groups":\n {"country": "Côte d\'Ivoire"}}'

    result = subprocess.run(
        ["make", "build", f"DATA={data}", f"DB={db}", f"REPORT_DIR={report_dir}", f"DBT_VARS={dbt_vars}"],
        cwd=REPO_ROOT, capture_output=True, text=True, check=False,
    )

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert not list(REPO_ROOT.glob("PWNED*")) and not list(tmp_path.glob("PWNED*"))
    assert (report_dir / "index.html").is_file()
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute(
            "select distinct reference_group from fairness.group_outcomes where attribute = 'country'"
        ).fetchall() == [("Côte d'Ivoire",)]
        assert con.execute("select source_file from audit.load_reconciliation").fetchone() == (data.name,)


# --- numbers at the edge ---------------------------------------------------------------------

def test_counts_at_the_top_of_their_type_build(tmp_path):
    """9223372036854775807 passes validation; every feature of it is computed (in double), none overflows."""
    biggest = "9223372036854775807"
    fields = workshop_lines()[0].split(",")
    for position in (6, 7, 12, 13):  # listeners, streams, spotify and soundcloud followers
        fields[position] = biggest
    data = write_lines(tmp_path / "huge.csv", [HEADER, ",".join(fields), *workshop_lines()[1:]])
    db = tmp_path / "huge.duckdb"

    result = run_build_process(data, db)

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        ratio, streams_per_listener = con.execute(
            "select spotify_soundcloud_ratio, streams_per_listener from features.artist_features "
            "where artist_id = ?", [int(fields[0])]
        ).fetchone()
    assert ratio == pytest.approx(1.0) and streams_per_listener == pytest.approx(1.0)


# --- messages: one line, whatever the path ---------------------------------------------------

def _symlink_loop(folder: Path, name: str) -> Path:
    loop = folder / name
    loop.symlink_to(loop)
    return loop


def test_symlink_loops_in_data_db_and_report_dir_are_one_line(tmp_path, published):
    before = sha256(published)
    data = first_artists(tmp_path, 10)
    cases = [
        ["--data", str(_symlink_loop(tmp_path, "loop.csv")), "--db", str(published)],
        ["--data", str(data), "--db", str(_symlink_loop(tmp_path, "loop.duckdb"))],
        ["--data", str(data), "--db", str(published), "--report-dir", str(_symlink_loop(tmp_path, "loop_dir"))],
    ]
    for arguments in cases:
        result = subprocess.run([sys.executable, "-m", "warehouse.build", *arguments],
                                cwd=REPO_ROOT, capture_output=True, text=True, check=False)
        line = one_error_line(result)
        assert "symbolic links" in line or "loop" in line.lower(), line
    assert sha256(published) == before


def test_a_name_near_the_filesystems_limit_is_one_line(tmp_path):
    db = tmp_path / ("w" * 242 + ".duckdb")

    line = one_error_line(run_build_process(first_artists(tmp_path, 10), db))

    assert line.startswith("error: the warehouse file name is 249 bytes long; a build names its private folder")
    assert not db.exists()


def test_a_file_where_the_private_folder_belongs_is_one_line(tmp_path, published):
    in_the_way = published.parent / f".build-{published.name}"
    in_the_way.write_text("not a folder")
    before = sha256(published)

    line = one_error_line(run_build_process(first_artists(tmp_path, 10), published))

    assert line.startswith(f"error: {in_the_way} is in the way")
    assert in_the_way.read_text() == "not a folder"
    assert sha256(published) == before


def test_a_pipe_given_as_data_is_not_a_regular_file(published):
    result = subprocess.run([sys.executable, "-m", "warehouse.build", "--data", "/dev/stdin", "--db", str(published)],
                            cwd=REPO_ROOT, input="", capture_output=True, text=True, check=False)

    assert one_error_line(result) == "error: input path is not a regular file: /dev/stdin"


FAKE_DBTS = {
    "not executable": (None, "error: dbt cannot be started (Permission denied): "),
    "exits at once, silent": (
        "#!/bin/sh\nexit 3\n",
        "error: dbt build stopped before running any model (exit status 3, and printed no error)"),
    "exits at once with an error": ("#!/bin/sh\necho 'Runtime Error: profile dei_warehouse not found'\nexit 2\n",
                                    "error: dbt build stopped before running any model (exit status 2: "
                                    "Runtime Error: profile dei_warehouse not found)"),
}


@pytest.mark.parametrize("case", FAKE_DBTS)
def test_a_dbt_that_fails_to_start_is_one_line_naming_no_stale_failure(tmp_path, published, monkeypatch, capsys, case):
    """A stale run_results.json naming an old failure must not be read as this build's."""
    script, message = FAKE_DBTS[case]
    stale = published.parent / f".dbt-{published.name}"
    stale.mkdir()
    stale.joinpath("run_results.json").write_text(json.dumps(
        {"results": [{"unique_id": "model.dei_warehouse.old_failure", "status": "error", "message": "old"}]}))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "dbt"
    fake.write_text(script or "not a program")
    fake.chmod(0o755 if script else 0o644)
    monkeypatch.setattr(sys, "executable", str(bin_dir / "python"))
    before = sha256(published)

    code = build_main(["--data", str(first_artists(tmp_path, 10)), "--db", str(published),
                       "--report-dir", str(tmp_path / "report")])

    assert code == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(message)
    assert "old_failure" not in line
    assert sha256(published) == before
    assert staging_leftovers(published) == []


# --- signals and concurrent commands ---------------------------------------------------------

def _wait_for(condition, what: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_the_build_after_a_killed_one_ends_what_it_left_running(tmp_path, published):
    killed = BuildProcess(first_artists(tmp_path, 30), published)
    _wait_for(lambda: _build_processes(published), "dbt to start")
    orphans = _build_processes(published)

    killed.process.send_signal(signal.SIGKILL)
    killed.process.wait(timeout=30)
    result = run_build_process(first_artists(tmp_path, 35), published)

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert [pid for pid in orphans if Path(f"/proc/{pid}").exists()] == []
    assert _build_processes(published) == []
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select artists_loaded from audit.load_reconciliation").fetchone() == (35,)


def test_sighup_stops_the_build_with_one_line_and_leaves_nothing(tmp_path, published):
    before = sha256(published)
    build = BuildProcess(first_artists(tmp_path, 30), published)
    _wait_for(lambda: _build_processes(published), "dbt to start")

    build.process.send_signal(signal.SIGHUP)
    code, err = build.finish(timeout=60)

    assert code == 2
    assert err.splitlines() == ["error: build stopped by SIGHUP; the published warehouse was left as it was"]
    assert sha256(published) == before
    assert staging_leftovers(published) == []
    assert _build_processes(published) == []


def test_a_report_waits_for_the_build_publishing_its_warehouse(tmp_path, published):
    build = BuildProcess(first_artists(tmp_path, 30, "newest.csv"), published)
    _wait_for(lambda: _build_processes(published), "dbt to start")
    report_dir = tmp_path / "report_during_build"

    report = subprocess.run([sys.executable, "-m", "warehouse.report", "--db", str(published),
                             "--out", str(report_dir)], cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    build_code, _ = build.finish(timeout=60)

    assert build_code == 0 and report.returncode == 0, report.stderr
    assert "waiting for another build" in report.stderr
    assert "newest.csv" in (report_dir / "index.html").read_text()


RENAME_ONTO_A_MOUNT_POINT = """
set -e
mount --bind "$PUBLISHED" "$PUBLISHED"
set +e
"$PYTHON" -m warehouse.build --data "$DATA" --db "$PUBLISHED" --report-dir "$REPORT_DIR" \
    > "$OUT.stdout" 2> "$OUT.stderr"
echo $? > "$OUT.status"
"""


def test_a_failed_rename_leaves_the_old_warehouse_and_its_report(tmp_path, published):
    """A container's bind-mounted warehouse file cannot be renamed over (EBUSY)."""
    report_dir = tmp_path / "report"
    assert build_main(["--data", str(first_artists(tmp_path, 20)), "--db", str(published),
                       "--report-dir", str(report_dir)]) == 0
    before, page_before = sha256(published), sha256(report_dir / "index.html")
    out = tmp_path / "bind"
    environment = {**os.environ, "PUBLISHED": str(published), "PYTHON": sys.executable, "OUT": str(out),
                   "DATA": str(first_artists(tmp_path, 30)), "REPORT_DIR": str(report_dir)}

    subprocess.run(["unshare", "--map-root-user", "--mount", "sh", "-c", RENAME_ONTO_A_MOUNT_POINT],
                   env=environment, cwd=REPO_ROOT, check=True)

    assert int(Path(f"{out}.status").read_text()) == 2
    stderr = Path(f"{out}.stderr").read_text()
    assert "Traceback" not in stderr + Path(f"{out}.stdout").read_text()
    assert stderr.splitlines() == [
        f"error: the new warehouse could not be renamed over {published} (Device or resource busy); "
        f"the published warehouse was left as it was"]
    assert sha256(published) == before
    assert sha256(report_dir / "index.html") == page_before
    assert [path.name for path in report_dir.iterdir()] == ["index.html"]
