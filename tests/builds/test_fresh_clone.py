"""The README's commands work on a fresh clone: `make build` sets up its own venv and builds."""

import os
import subprocess

import duckdb
import pytest

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow


def run_make(target, cwd):
    """Run make as a user would type it, not as a sub-make of `make test`."""
    env = {key: value for key, value in os.environ.items() if key not in {"MAKEFLAGS", "MAKELEVEL", "MFLAGS"}}
    return subprocess.run(["make", target], cwd=cwd, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def fresh_clone(tmp_path_factory):
    clone = tmp_path_factory.mktemp("clone") / "repo"
    subprocess.run(["git", "clone", "--quiet", str(REPO_ROOT), str(clone)], check=True)
    return clone


def test_make_help_lists_every_target(fresh_clone):
    out = run_make("help", fresh_clone).stdout
    for target in ["build", "test", "report", "docs", "docs-serve", "sql", "bench", "lint", "clean"]:
        assert f"make {target} " in out


def test_make_build_on_a_fresh_clone_publishes_the_workshop_warehouse(fresh_clone):
    run = run_make("build", fresh_clone)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert (fresh_clone / ".venv" / "bin" / "dbt").exists()
    # quiet: make shows no recipe, the install no licence deprecation
    assert "-m warehouse.build" not in run.stdout and "pip install" not in run.stdout
    assert "Deprecat" not in run.stderr, run.stderr[-3000:]
    lines = run.stdout.strip().splitlines()
    [summary] = [line for line in lines if line.startswith("built ")]
    assert "40 rows read, 40 artists loaded, 0 rows quarantined" in summary
    # the audit's headline ends the output: two lines per outcome
    headline = lines[lines.index(summary) + 1:]
    assert [line.split(":")[0].strip() for line in headline] == ["monthly_listeners"] * 2 + ["total_streams"] * 2
    with duckdb.connect(str(fresh_clone / "warehouse" / "dei.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from features.artist_features").fetchall() == [(40,)]
