"""The renderer on files that are no built warehouse: its script-safe JSON, a file with no tables,
and a path that is not a DuckDB file."""

from __future__ import annotations

import json
import math

import duckdb
import pytest

from reports.script_json import script_safe_json
from tests.report_page import parse_page
from warehouse.publish.report_page import render_report
from warehouse.report import main as render_main

# --- script-safe JSON ------------------------------------------------------------------------

HOSTILE_VALUES = [
    "</script><script>alert(1)</script>",
    "<!--<script>",
    "<img src=x onerror=alert(1)>",
    "Tom & \"Jerry\" 'quoted'",
    "line\u2028separator\u2029paragraph",
]


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_script_safe_json_reads_back_the_same_value(value):
    assert json.loads(script_safe_json({"name": value})) == {"name": value}


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_script_safe_json_has_no_character_that_can_end_a_script(value):
    text = script_safe_json([value])
    for dangerous in ("<", ">", "&", "\u2028", "\u2029"):
        assert dangerous not in text


def test_script_safe_json_refuses_nan():
    with pytest.raises(ValueError):
        script_safe_json({"x": math.nan})


# --- a file that is no warehouse -----------------------------------------------------------

def test_an_empty_file_renders_every_section_as_a_note(tmp_path):
    db = tmp_path / "empty.duckdb"
    duckdb.connect(str(db)).close()
    page_path = render_report(db, tmp_path / "out")
    page = parse_page(page_path)
    assert page.specs == {}
    assert "audit.load_reconciliation is not in this warehouse" in page.notes["load"]
    html = page_path.read_text(encoding="utf-8")
    for section in ("overview", "features", "fairness", "models", "archetypes", "equity", "limitations"):
        assert f'<section id="{section}">' in html


def test_render_stops_with_one_line_on_a_file_that_is_not_a_warehouse(tmp_path, capsys):
    missing = tmp_path / "missing.duckdb"
    not_duckdb = tmp_path / "notes.duckdb"
    not_duckdb.write_text("not a database\n")
    assert render_main(["--db", str(missing), "--out", str(tmp_path / "out")]) == 2
    assert render_main(["--db", str(not_duckdb), "--out", str(tmp_path / "out")]) == 2
    errors = capsys.readouterr().err.splitlines()
    assert [line.split(":")[0] for line in errors] == ["error", "error"]
    assert "missing.duckdb" in errors[0] and "notes.duckdb" in errors[1]
    assert not (tmp_path / "out").exists()
