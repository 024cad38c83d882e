"""The README's commands work on a fresh clone: `make build` sets up its own venv and builds."""

import subprocess

import duckdb
import pytest

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fresh_clone(tmp_path_factory):
    clone = tmp_path_factory.mktemp("clone") / "repo"
    subprocess.run(["git", "clone", "--quiet", str(REPO_ROOT), str(clone)], check=True)
    return clone


def test_make_help_lists_every_target(fresh_clone):
    out = subprocess.run(["make", "help"], cwd=fresh_clone, capture_output=True, text=True, check=True).stdout
    for target in ["build", "test", "report", "docs", "bench", "lint", "clean"]:
        assert f"make {target} " in out


def test_make_build_on_a_fresh_clone_publishes_the_workshop_warehouse(fresh_clone):
    run = subprocess.run(["make", "build"], cwd=fresh_clone, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert (fresh_clone / ".venv" / "bin" / "dbt").exists()
    summary = run.stdout.strip().splitlines()[-1]
    assert "40 rows read, 40 artists loaded, 0 rows quarantined" in summary
    with duckdb.connect(str(fresh_clone / "warehouse" / "dei.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from features.artist_features").fetchall() == [(40,)]
