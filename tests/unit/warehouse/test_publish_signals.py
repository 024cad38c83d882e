"""A stop signal during the publish cannot split the warehouse from its page, and its message is true."""

from __future__ import annotations

import os
import signal

import duckdb
import pytest

from warehouse.build import publish_report
from warehouse.errors import BuildError
from warehouse.publish.atomic import staged_build
from warehouse.publish.report_page import PendingReport


def _write_warehouse(path, value: int) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema audit")
        con.execute(f"create table audit.load_reconciliation as select {value} as build")


def _build_of(path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("select build from audit.load_reconciliation").fetchone()[0]


def test_sigint_while_publishing_is_taken_after_the_page_and_says_so(tmp_path):
    published = tmp_path / "dei.duckdb"
    page = tmp_path / "index.html"
    moved = []

    def page_after_a_sigint():
        os.kill(os.getpid(), signal.SIGINT)
        page.write_text("build 1")
        moved.append(True)

    with pytest.raises(BuildError) as stopped:
        with staged_build(published, after_publish=page_after_a_sigint) as staging_db:
            _write_warehouse(staging_db, 1)

    assert moved == [True]
    assert _build_of(published) == 1
    assert str(stopped.value).startswith(f"build stopped by SIGINT after it had published {published}")


def test_sigint_before_the_publish_leaves_the_warehouse_as_it_was(tmp_path):
    published = tmp_path / "dei.duckdb"
    _write_warehouse(published, 0)

    with pytest.raises(BuildError, match="^build stopped by SIGINT; the published warehouse was left as it was$"):
        with staged_build(published) as staging_db:
            _write_warehouse(staging_db, 1)
            os.kill(os.getpid(), signal.SIGINT)

    assert _build_of(published) == 0


def test_a_page_that_cannot_be_moved_after_the_publish_is_said_truthfully(tmp_path):
    published = tmp_path / "dei.duckdb"
    report = PendingReport(tmp_path / "report")
    report.page.parent.mkdir()
    rendered = tmp_path / "report" / ".index.html.tmp"
    rendered.write_text("page")
    report._rendered = rendered
    report.page.mkdir()
    (report.page / "keep").write_text("x")

    with pytest.raises(BuildError) as failed:
        with staged_build(published, after_publish=lambda: publish_report(report, published)) as staging_db:
            _write_warehouse(staging_db, 1)

    assert _build_of(published) == 1
    assert str(failed.value).startswith(f"the new warehouse was published at {published}, but its report could "
                                        f"not be moved to {report.page}")


def test_a_folder_where_the_page_belongs_stops_the_build_before_the_publish(tmp_path):
    report = PendingReport(tmp_path / "report")
    report.page.mkdir(parents=True)

    with pytest.raises(BuildError, match="is a folder, not a file"):
        report.render(tmp_path / "never-read.duckdb", tmp_path / "dei.duckdb")
