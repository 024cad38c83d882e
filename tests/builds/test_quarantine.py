"""Malformed rows are quarantined with their text and a reason; unusable files stop the build."""

import hashlib

import duckdb
import pytest

from warehouse.build import main as build_main
from warehouse.ingest.header import SOURCE_COLUMNS

HEADER = ",".join(SOURCE_COLUMNS)
GOOD = "1,Ana,Female,Latino,Pop,Spain,1000,20000,2,4,Independent,1,500,40"


def write_csv(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def checksum(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def mixed_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mixed")
    csv = write_csv(folder / "mixed.csv", [
        HEADER,
        GOOD,
        "2,Bo,Male,White,Rock,USA,-5,100,1,1,Major,0,1,1",
        "3,Cy,Male,White,Rock,USA,7.5,100,1,1,Major,0,1,1",
        "4,Di,Female,Asian,Pop,Japan,abc,100,1,1,Major,0,1,1",
        "5,  ,Female,Asian,Pop,Japan,10,100,1,1,Major,0,1,1",
        "1,Ana again,Female,Latino,Pop,Spain,1000,20000,2,4,Independent,1,500,40",
        "6,Ed,Male,Black,Jazz,UK,10,100,1,1,Major,0,1,1,extra",
        "7,Fa,Male,Black,Jazz,UK,10",
        '8,"Gi, the ""Great""",Female,Mixed,Soul,UK,10,100,1,1,Major,0,1,1',
        "9,Rosalía,Female,Latino,Flamenco,Spain,10.0,100,1,1,Major,0,1,1",
    ])
    db = folder / "dei.duckdb"
    assert build_main(["--data", str(csv), "--db", str(db), "--feature-sets", "",
                       "--report-dir", str(folder / "report")]) == 0
    with duckdb.connect(str(db), read_only=True) as con:
        yield con


def test_good_rows_become_artists(mixed_build):
    names = dict(mixed_build.execute("select artist_id, artist_name from staging.stg_artists").fetchall())
    assert names == {1: "Ana", 8: 'Gi, the "Great"', 9: "Rosalía"}


def test_bad_rows_are_quarantined_with_text_and_reason(mixed_build):
    rows = mixed_build.execute(
        "select line_number, reason_code, reason_column, original_text "
        "from audit.quarantined_artists order by line_number"
    ).fetchall()
    assert [(line, code, column) for line, code, column, _ in rows] == [
        (3, "negative_number", "monthly_listeners"),
        (4, "fractional_number", "monthly_listeners"),
        (5, "not_a_number", "monthly_listeners"),
        (6, "missing_value", "artist_name"),
        (7, "duplicate_artist_id", "artist_id"),
        (8, "too_many_fields", None),
        (9, "too_few_fields", None),
    ]
    assert rows[0][3] == "2,Bo,Male,White,Rock,USA,-5,100,1,1,Major,0,1,1"


def test_reconciliation_balances(mixed_build):
    assert mixed_build.execute(
        "select rows_read, artists_loaded, rows_quarantined, is_balanced from audit.load_reconciliation"
    ).fetchall() == [(10, 3, 7, True)]


def test_missing_column_stops_build_and_keeps_published_file(tmp_path, capsys, workshop_db):
    published = tmp_path / "dei.duckdb"
    published.write_bytes(workshop_db.read_bytes())
    before = checksum(published)
    csv = write_csv(tmp_path / "no_gender.csv", [HEADER.replace("gender,", ""), GOOD])
    assert build_main(["--data", str(csv), "--db", str(published)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    headers = ", ".join(repr(column) for column in SOURCE_COLUMNS if column != "gender")
    assert err == [f"error: input file lacks required column(s) gender (no header is near gender; headers found: "
                   f"{headers}): {csv}"]
    assert checksum(published) == before
