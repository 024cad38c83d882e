"""`make clean` removes what builds wrote, and nothing a user keeps beside it."""

from __future__ import annotations

import duckdb

from warehouse.clean import clean


def test_clean_leaves_a_report_folders_other_files(tmp_path):
    site = tmp_path / "site"
    (site / "photos").mkdir(parents=True)
    (site / "photos" / "band.jpg").write_bytes(b"jpg")
    (site / "team.html").write_text("team")
    (site / "index.html").write_text("report")
    (site / ".index.html.abc.tmp").write_text("half a report")

    clean(tmp_path / "dei.duckdb", site)

    assert sorted(path.relative_to(site).as_posix() for path in site.rglob("*")) == [
        "photos", "photos/band.jpg", "team.html"]


def test_clean_removes_the_warehouse_its_companions_and_an_emptied_report_folder(tmp_path):
    db = tmp_path / "dei.duckdb"
    duckdb.connect(str(db)).close()
    for companion in ("dei.duckdb.lock", "dei.duckdb.wal"):
        (tmp_path / companion).write_text("")
    (tmp_path / ".dbt-dei.duckdb" / "logs").mkdir(parents=True)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "index.html").write_text("report")

    clean(db, tmp_path / "out")

    assert list(tmp_path.iterdir()) == []


def test_clean_keeps_a_db_path_that_is_not_a_duckdb_file(tmp_path):
    data = tmp_path / "artists.csv"
    data.write_text("artist_id\n1\n")

    clean(data, tmp_path / "out")

    assert data.read_text() == "artist_id\n1\n"
