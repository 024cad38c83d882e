"""The HTML report: its numbers are the warehouse's, it references nothing outside the page, it says why a
section is empty instead of failing, and it stays small at 100,000 artists."""

from __future__ import annotations

import json
import math
import re
import shutil
from html.parser import HTMLParser

import altair as alt
import duckdb
import pytest

from reports.render import main as render_main
from reports.render import render_report
from reports.script_json import script_safe_json
from reports.sections import MAX_POINTS_PER_PANEL
from tests import notebook_reference as nb

MAX_PAGE_BYTES = 5 * 1024 * 1024


class PageParser(HTMLParser):
    """Collects what the tests read back: table cells, facts, chart specs and every resource reference."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[dict]]] = {}
        self.facts: dict[str, dict] = {}
        self.specs: dict[str, str] = {}
        self.references: list[tuple[str, str, str]] = []
        self.notes: dict[str, str] = {}
        self._table = None
        self._cell = None
        self._script = None
        self._dt = None
        self._fact_label = None
        self._dd = None
        self._note = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("src", "href", "action", "data", "poster", "srcset"):
            if name in attributes:
                self.references.append((tag, name, attributes[name]))
        if tag == "table":
            self._table = self.tables.setdefault(attributes["id"], [])
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag == "td" and self._table is not None:
            self._cell = {"text": "", "value": attributes.get("data-value")}
        elif tag == "script" and attributes.get("type") == "application/json":
            self._script = attributes["id"]
            self.specs[self._script] = ""
        elif tag == "dt":
            self._dt = ""
        elif tag == "dd":
            self._dd = {"text": "", "value": attributes.get("data-value")}
        elif tag == "p" and "unavailable" in (attributes.get("class") or ""):
            self._note = attributes["id"]
            self.notes[self._note] = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag == "td" and self._cell is not None:
            self._table[-1].append(self._cell)
            self._cell = None
        elif tag == "script":
            self._script = None
        elif tag == "dt":
            self._fact_label, self._dt = self._dt.strip(), None
        elif tag == "dd" and self._dd is not None:
            self.facts[self._fact_label] = self._dd
            self._dd = None
        elif tag == "p":
            self._note = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data
        elif self._script is not None:
            self.specs[self._script] += data
        elif self._dd is not None:
            self._dd["text"] += data
        elif self._dt is not None:
            self._dt += data
        if self._note is not None:
            self.notes[self._note] += data


def parse_page(path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def body_rows(parser: PageParser, table_id: str) -> list[list[dict]]:
    return [row for row in parser.tables[table_id] if row]


def spec_values(spec: dict) -> list[list[dict]]:
    """Every inline dataset of a (possibly concatenated or layered) Vega-Lite spec."""
    found = []
    if isinstance(spec, dict):
        data = spec.get("data")
        if isinstance(data, dict) and "values" in data:
            found.append(data["values"])
        for value in spec.values():
            found += spec_values(value)
    elif isinstance(spec, list):
        for item in spec:
            found += spec_values(item)
    return found


@pytest.fixture(scope="module")
def workshop_page(workshop_report):
    return parse_page(workshop_report)


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


# --- the workshop report ---------------------------------------------------------------------

def test_overview_counts_equal_the_load_reconciliation(workshop_page, warehouse):
    rows_read, loaded, quarantined, source_file = warehouse.execute(
        "select rows_read, artists_loaded, rows_quarantined, source_file from audit.load_reconciliation"
    ).fetchone()
    facts = workshop_page.facts
    assert int(facts["Rows read"]["value"]) == rows_read == 40
    assert int(facts["Artists loaded"]["value"]) == loaded
    assert int(facts["Rows quarantined"]["value"]) == quarantined
    assert facts["Data source"]["text"] == source_file


def test_top_15_table_equals_the_warehouse(workshop_page, warehouse):
    expected = warehouse.execute(
        "select equity_rank, artist_name, monthly_listeners, quality_score, visibility_score, equity_score "
        "from equity.artist_equity_scores where equity_rank <= 15 order by equity_rank"
    ).fetchall()
    rows = body_rows(workshop_page, "top-equity")
    assert len(rows) == len(expected) == 15
    for row, (rank, name, listeners, quality, visibility, equity) in zip(rows, expected, strict=True):
        assert int(row[0]["value"]) == rank
        assert row[1]["text"] == name
        assert int(row[7]["value"]) == listeners
        assert float(row[8]["value"]) == quality
        assert float(row[9]["value"]) == visibility
        assert float(row[10]["value"]) == equity
        assert row[10]["text"] == f"{equity:,.3f}"


def test_top_15_table_is_the_notebooks_list(workshop_page, workshop_csv):
    df_engineered = nb.engineer_features(nb.load(workshop_csv))[0]
    notebook_top = nb.top_equity(nb.create_equity_score(df_engineered))
    rows = body_rows(workshop_page, "top-equity")
    assert [row[1]["text"] for row in rows] == list(notebook_top["artist_name"])
    for row, score in zip(rows, notebook_top["equity_score"], strict=True):
        assert float(row[10]["value"]) == pytest.approx(score, rel=1e-9)


def test_fairness_summary_table_equals_the_warehouse(workshop_page, warehouse):
    expected = warehouse.execute(
        "select outcome, attribute, statistical_parity_difference, disparate_impact_ratio "
        "from fairness.fairness_summary order by outcome, attribute"
    ).fetchall()
    rows = body_rows(workshop_page, "fairness-summary")
    assert [(row[0]["text"], row[1]["text"]) for row in rows] == [(o, a) for o, a, _, _ in expected]
    for row, (_, _, parity, impact) in zip(rows, expected, strict=True):
        assert float(row[5]["value"]) == parity
        assert (row[8]["value"] is None and impact is None) or float(row[8]["value"]) == impact


def test_group_rate_chart_carries_the_warehouse_intervals(workshop_page, warehouse):
    spec = json.loads(workshop_page.specs["group-rates-monthly_listeners-spec"])
    drawn = {(row["attribute"], row["group_value"]): (row["high_success_rate"], row["rate_ci_low"], row["rate_ci_high"])
             for values in spec_values(spec) for row in values}
    expected = warehouse.execute(
        "select attribute, group_value, high_success_rate, rate_ci_low, rate_ci_high "
        "from fairness.group_outcomes where outcome = 'monthly_listeners'"
    ).fetchall()
    assert drawn == {(a, g): (rate, low, high) for a, g, rate, low, high in expected}


def test_the_page_references_nothing_outside_itself(workshop_report, workshop_page):
    assert [ref for ref in workshop_page.references if not ref[2].startswith("#")] == []
    html = workshop_report.read_text(encoding="utf-8")
    assert not re.search(r"<link\b", html, re.IGNORECASE)
    assert "default-src 'none'" in html


def test_every_chart_has_a_valid_inline_spec(workshop_page):
    assert len(workshop_page.specs) >= 10
    for spec_id, text in workshop_page.specs.items():
        spec = json.loads(text)
        alt.Root.validate(spec)
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/"), spec_id
        assert spec_values(spec), spec_id
        assert "url" not in json.dumps(spec.get("data", {})), spec_id


def test_workshop_report_has_no_unavailable_section(workshop_page):
    assert workshop_page.notes == {}


# --- missing and empty tables ----------------------------------------------------------------

def test_a_warehouse_without_model_tables_renders_notes(workshop_db, tmp_path):
    db = tmp_path / "no_models.duckdb"
    shutil.copy(workshop_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute("drop schema if exists ml cascade")
        con.execute("delete from equity.artist_equity_scores")
    page = parse_page(render_report(db, tmp_path / "out"))
    assert "table ml.model_metrics is not in this warehouse" in page.notes["models-unavailable"]
    assert "table ml.cluster_elbow is not in this warehouse" in page.notes["elbow"]
    assert "table equity.artist_equity_scores is empty" in page.notes["top-equity"]
    assert "fairness-summary" in page.tables


def test_a_skipped_model_step_is_explained_by_the_step_log(workshop_db, tmp_path):
    db = tmp_path / "skipped.duckdb"
    shutil.copy(workshop_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute("delete from ml.model_metrics")
        con.execute("update ml.model_step_log set status = 'skipped', reason = 'too_few_rows: 3 artists' "
                    "where step = 'regression'")
    page = parse_page(render_report(db, tmp_path / "out"))
    assert page.notes["models-unavailable"].endswith("the regression step was skipped: too_few_rows: 3 artists")
    assert "elbow-spec" in page.specs


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


# --- 100,000 artists -------------------------------------------------------------------------

COPIES = 2500  # 40 workshop artists x 2,500 = 100,000


@pytest.fixture(scope="module")
def large_report(workshop_db, tmp_path_factory):
    """The workshop warehouse with every per-artist table repeated 2,500 times under new artist ids."""
    folder = tmp_path_factory.mktemp("large")
    db = folder / "large.duckdb"
    shutil.copy(workshop_db, db)
    with duckdb.connect(str(db)) as con:
        tables = con.execute(
            "select tables.schema_name, tables.table_name from duckdb_tables() as tables "
            "inner join duckdb_columns() as columns using (database_name, schema_name, table_name) "
            "where columns.column_name = 'artist_id' and tables.schema_name not in ('raw', 'audit')"
        ).fetchall()
        for schema, table in tables:
            relation = f'"{schema}"."{table}"'
            con.execute(f"create temporary table copies as select * from {relation}")
            con.execute(f"delete from {relation}")
            con.execute(
                f"insert into {relation} select copies.* replace (artist_id + copy * 1000 as artist_id) "
                "from copies cross join (select range as copy from range(?)) as numbers",
                [COPIES],
            )
            con.execute("drop table copies")
        artists = con.execute("select count(*) from equity.artist_equity_scores").fetchone()[0]
    assert artists == 40 * COPIES
    return render_report(db, folder / "out")


def test_a_100k_artist_report_stays_under_5_mb(large_report):
    assert large_report.stat().st_size < MAX_PAGE_BYTES


def test_large_scatter_plots_draw_a_documented_sample(large_report):
    page = parse_page(large_report)
    for chart in ("quality-vs-visibility", "pca-clusters", "actual-vs-predicted", "residuals"):
        spec = json.loads(page.specs[f"{chart}-spec"])
        biggest = max(len(values) for values in spec_values(spec))
        assert biggest == MAX_POINTS_PER_PANEL, chart
    text = large_report.read_text(encoding="utf-8")
    assert f"a seeded sample of {MAX_POINTS_PER_PANEL:,} of {40 * COPIES:,} points" in text
