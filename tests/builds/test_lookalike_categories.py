"""Look-alike spellings of one category are one group: a zero-width space, a direction mark, doubled
or no-break spaces and a decomposed accent are normalised away in staging (raw.* keeps the text as
written, the audit counts the values changed), and no bidirectional control in an artist's name
reaches the report."""

from __future__ import annotations

import re
import unicodedata

import duckdb
import pytest
from markupsafe import escape

from tests import small_synthetic
from tests.conftest import build_from_rows

GENDER, GENRE, COUNTRY = 2, 4, 5
NFC_GENRE = unicodedata.normalize("NFC", "Música Urbana")
NFD_GENRE = unicodedata.normalize("NFD", NFC_GENRE)
# each written form of a value and the group it must fall in
LOOKALIKES = {
    GENDER: {"Female\u200b": "Female", "\u200eFemale": "Female", "Female\u00a0": "Female",
             "\ufeffNon-binary": "Non-binary", "Non-\u2060binary": "Non-binary"},
    GENRE: {NFD_GENRE: NFC_GENRE, "Música  Urbana": NFC_GENRE, "Música\tUrbana\u200b": NFC_GENRE},
    COUNTRY: {"South  Korea": "South Korea", "South\u3000Korea": "South Korea", "South \u202eKorea": "South Korea"},
}
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
# a name that shows backwards after its override, unless the report removes the override
REVERSED_NAME = "Evil \u202eeman\u202c \u2067Isolated\u2069 \u200f#"
# a value of invisible characters only is blank: the artist is in the undisclosed group
INVISIBLE_GENDER_LINE = ["9999", "Nobody", "\u200b\u200d", "White", "Pop", "USA", "1", "1", "1", "1",
                         "Major", "0", "1", "1"]
INVISIBLE_GENDER_STAGED = [9999, "Nobody", "Undisclosed", *INVISIBLE_GENDER_LINE[3:]]


def lookalike_rows() -> tuple[list[list], list[list], int]:
    """(the rows as written, the same rows as they should be staged, how many values differ)."""
    clean = small_synthetic.rows()
    for index, row in enumerate(clean):
        if row[GENRE] == "Jazz" and index % 2:
            row[GENRE] = NFC_GENRE
        if row[COUNTRY] == "UK" and index % 2:
            row[COUNTRY] = "South Korea"
    written = [list(row) for row in clean]
    changed = 0
    for column, forms in LOOKALIKES.items():
        for index, row in enumerate(written):
            candidates = [form for form, value in forms.items() if value == row[column]]
            if candidates and index % 3 == 0:
                row[column] = candidates[index // 3 % len(candidates)]
                changed += 1
    for row in written:
        row[1] = f"{REVERSED_NAME} {row[0]}"
    return written, clean, changed


@pytest.fixture(scope="module")
def lookalike_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lookalike")
    written, clean, changed = lookalike_rows()
    _, db = build_from_rows(folder, "lookalike", small_synthetic.HEADER, [*written, INVISIBLE_GENDER_LINE],
                            "--feature-sets", "")
    with duckdb.connect(str(db), read_only=True) as con:
        yield con, written, clean, changed, folder / "report" / "index.html"


def test_the_written_forms_differ_from_their_groups():
    written, clean, changed = lookalike_rows()
    differing = sum(a != b for row, staged in zip(written, clean, strict=True)
                    for a, b in zip(row[2:], staged[2:], strict=True))
    assert differing == changed > 30
    assert {row[GENDER] for row in written} >= set(LOOKALIKES[GENDER])
    assert {row[GENRE] for row in written} >= set(LOOKALIKES[GENRE]) | {NFC_GENRE}
    assert {row[COUNTRY] for row in written} >= set(LOOKALIKES[COUNTRY]) | {"South Korea"}


def test_each_lookalike_is_one_group_in_group_outcomes(lookalike_build):
    con, _, clean, _, _ = lookalike_build
    for attribute, column in (("gender", GENDER), ("genre", GENRE), ("country", COUNTRY)):
        expected = {}
        for row in [*clean, INVISIBLE_GENDER_STAGED]:
            expected[row[column]] = expected.get(row[column], 0) + 1
        groups = dict(con.execute(
            "select group_value, n from fairness.group_outcomes where attribute = ? and outcome = 'monthly_listeners'",
            [attribute]).fetchall())
        assert groups == expected, attribute


def test_no_group_value_keeps_an_invisible_or_decomposed_character(lookalike_build):
    con = lookalike_build[0]
    values = [value for (value,) in con.execute("select distinct group_value from fairness.group_outcomes").fetchall()]
    for value in values:
        if value is None:
            continue
        assert unicodedata.normalize("NFC", value) == value
        assert not any(unicodedata.category(character) == "Cf" for character in value), ascii(value)
        assert re.search(r"\s\s|^\s|\s$|[^\S ]", value) is None, ascii(value)


def test_staging_holds_the_normalised_values(lookalike_build):
    con, written, clean, _, _ = lookalike_build
    staged = {artist_id: (gender, genre, country) for artist_id, gender, genre, country in con.execute(
        "select artist_id, gender, genre, country from staging.stg_artists").fetchall()}
    assert staged == {row[0]: (row[GENDER], row[GENRE], row[COUNTRY]) for row in [*clean, INVISIBLE_GENDER_STAGED]}


def test_raw_keeps_the_text_as_written(lookalike_build):
    con, written, _, _, _ = lookalike_build
    raw = {int(artist_id): (name, gender, genre, country) for artist_id, name, gender, genre, country in con.execute(
        "select artist_id, artist_name, gender, genre, country from raw.artists").fetchall()}
    assert raw == {
        **{row[0]: (row[1], row[GENDER], row[GENRE], row[COUNTRY]) for row in written},
        9999: tuple(INVISIBLE_GENDER_LINE[index] for index in (1, GENDER, GENRE, COUNTRY)),
    }


def test_the_audit_counts_the_values_changed(lookalike_build):
    """changed, and the invisible gender of the artist now loaded in the undisclosed group."""
    con, _, _, changed, _ = lookalike_build
    assert con.execute(
        "select rows_read, artists_loaded, rows_quarantined, categorical_values_normalized "
        "from audit.load_reconciliation"
    ).fetchall() == [(small_synthetic.N_ARTISTS + 1, small_synthetic.N_ARTISTS + 1, 0, changed + 1)]


def test_a_value_of_invisible_characters_only_is_the_undisclosed_group(lookalike_build):
    con = lookalike_build[0]
    assert con.execute("select count(*) from audit.quarantined_artists").fetchone() == (0,)
    assert con.execute("select gender from staging.stg_artists where line_number = ?",
                       [small_synthetic.N_ARTISTS + 2]).fetchall() == [("Undisclosed",)]


def test_the_report_shows_no_bidirectional_control(lookalike_build):
    con, _, _, _, report = lookalike_build
    html = report.read_text(encoding="utf-8")
    for control in BIDI_CONTROLS:
        assert control not in html, ascii(control)
        assert f"\\u{ord(control):04x}" not in html.lower(), ascii(control)
    # the names are still shown, without their controls
    top = [name for (name,) in con.execute(
        "select artist_name from equity.artist_equity_scores order by equity_rank limit 15").fetchall()]
    assert all(name.startswith(REVERSED_NAME) for name in top)
    for name in top:
        assert str(escape(name.translate({ord(control): None for control in BIDI_CONTROLS}))) in html
