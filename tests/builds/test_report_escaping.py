"""Artist names are data: hostile names written into the CSV reach the report escaped, in the HTML
and inside the chart JSON, and no element or script of theirs exists in the page a browser builds."""

from __future__ import annotations

import csv
import json
import re

import duckdb
import pytest
from markupsafe import escape

from tests.browser.test_browser_report import chart_states, visit
from tests.report_page import body_rows, parse_page, spec_values
from warehouse.build import DEFAULT_DATA
from warehouse.build import main as build_main

HOSTILE_NAMES = [
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "Tom & \"Jerry\" 'the quoted'",
    "AT&T <b>bold</b> &amp; &lt;",
    "line\u2028separator\u2029paragraph",
    "<!--<script>alert(2)</script>-->",
    "<svg onload=alert(3)>",
]
# a line that cannot be an artist (negative listeners): its original text goes to the quarantine table
HOSTILE_QUARANTINED = ["999", "<script>alert(4)</script>", "Male", "White", "Pop", "USA", "-1", "1", "1", "1",
                       "Major", "0", "1", "1"]


def hostile_name(index: int) -> str:
    return f"{HOSTILE_NAMES[index % len(HOSTILE_NAMES)]} #{index}"


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    """The workshop file with every artist renamed to a hostile name, built and rendered."""
    folder = tmp_path_factory.mktemp("hostile")
    with DEFAULT_DATA.open(newline="", encoding="utf-8") as source:
        rows = list(csv.reader(source))
    header, artists = rows[0], rows[1:]
    name_column = header.index("artist_name")
    for index, row in enumerate(artists):
        row[name_column] = hostile_name(index)
    data = folder / "hostile.csv"
    with data.open("w", newline="", encoding="utf-8") as target:
        csv.writer(target, lineterminator="\n").writerows([header, *artists, HOSTILE_QUARANTINED])
    db = folder / "dei.duckdb"
    report_dir = folder / "report"
    assert build_main(["--data", str(data), "--db", str(db), "--feature-sets", "notebook",
                       "--report-dir", str(report_dir)]) == 0
    return db, report_dir / "index.html"


@pytest.fixture(scope="module")
def hostile_warehouse(hostile_build):
    with duckdb.connect(str(hostile_build[0]), read_only=True) as con:
        yield con


def test_every_hostile_name_was_loaded_verbatim(hostile_warehouse):
    names = {name for (name,) in hostile_warehouse.execute("select artist_name from staging.stg_artists").fetchall()}
    assert names == {hostile_name(index) for index in range(40)}


def test_no_hostile_markup_survives_in_the_html(hostile_build, hostile_warehouse):
    html = hostile_build[1].read_text(encoding="utf-8")
    for raw in ("<img src=x", "<svg onload", "<script>alert", "</script><script>", "<!--<script>", "<b>bold</b>"):
        assert raw not in html
    top_names = [name for (name,) in hostile_warehouse.execute(
        "select artist_name from equity.artist_equity_scores order by equity_rank limit 15").fetchall()]
    for name in top_names:
        assert str(escape(name)) in html


def test_the_only_scripts_are_the_reports_own(hostile_build):
    html = hostile_build[1].read_text(encoding="utf-8")
    page = parse_page(hostile_build[1])
    opening_tags = re.findall(r"<script\b[^>]*>", html, re.IGNORECASE)
    assert len(opening_tags) == 2 + len(page.specs)
    nonce = re.search(r"'nonce-([^']+)'", html).group(1)
    for tag in opening_tags:
        assert tag == f'<script nonce="{nonce}">' or re.fullmatch(r'<script type="application/json" id="[\w-]+">', tag)


def test_the_top_15_table_shows_the_names_as_text(hostile_build, hostile_warehouse):
    expected = [name for (name,) in hostile_warehouse.execute(
        "select artist_name from equity.artist_equity_scores order by equity_rank limit 15").fetchall()]
    rows = body_rows(parse_page(hostile_build[1]), "top-equity")
    assert [row[1]["text"] for row in rows] == expected


def test_the_chart_json_carries_the_names_unchanged(hostile_build):
    page = parse_page(hostile_build[1])
    raw = page.specs["quality-vs-visibility-spec"]
    for character in ("<", ">", "&", "\u2028", "\u2029"):
        assert character not in raw
    names = {row["artist_name"] for values in spec_values(json.loads(raw)) for row in values}
    assert names == {hostile_name(index) for index in range(40)}


def test_the_quarantined_line_is_shown_as_text(hostile_build):
    rows = body_rows(parse_page(hostile_build[1]), "quarantined-rows")
    assert [row[-1]["text"] for row in rows] == [",".join(HOSTILE_QUARANTINED)]


@pytest.mark.browser
def test_a_browser_runs_no_injected_script_or_element(hostile_build, hostile_warehouse, tmp_path):
    with visit(hostile_build[1], tmp_path / "profile") as seen:
        page = seen.page
        assert seen.dialogs == []
        assert seen.errors == []
        assert seen.blocked == []
        assert page.eval_on_selector_all("img, body svg[onload], b, [onerror], [onload]", "nodes => nodes.length") == 0
        scripts = page.eval_on_selector_all(
            "script", "nodes => nodes.map(node => node.type || (node.nonce ? 'nonce' : 'bare'))")
        assert set(scripts) == {"application/json", "nonce"}
        states = chart_states(page)
        assert [state for state in states if state["rendered"] != "true" or state["drawings"] < 1] == []
        shown = page.eval_on_selector_all("#top-equity tbody tr", "rows => rows.map(row => row.cells[1].textContent)")
    expected = [name for (name,) in hostile_warehouse.execute(
        "select artist_name from equity.artist_equity_scores order by equity_rank limit 15").fetchall()]
    assert shown == expected
