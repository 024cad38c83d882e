"""The HTML report of a built warehouse: its numbers are the warehouse's, it references nothing outside
the page, it says why a section is empty instead of failing, and it stays small at 100,000 artists.
The renderer on files that are no warehouse: tests/unit/reports/test_report_render.py."""

from __future__ import annotations

import html
import json
import re
import shutil

import altair as alt
import duckdb
import pytest

from tests import notebook_reference as nb
from tests.report_page import body_rows, parse_page, spec_values
from warehouse.dbt_runner import run_dbt
from warehouse.publish.report_page import render_report
from warehouse.settings.resolve import dbt_vars, resolve_settings

MAX_PAGE_BYTES = 5 * 1024 * 1024


@pytest.fixture(scope="module")
def workshop_page(workshop_report):
    return parse_page(workshop_report)


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
        assert float(row[3]["value"]) == parity
        assert row[5]["text"].split(" ")[0] == ("—" if impact is None else f"{impact:.3f}")


def test_a_disparate_impact_that_rests_on_a_small_group_says_so(workshop_page, warehouse):
    rows = warehouse.execute(
        "select summary.outcome, summary.attribute, summary.min_rate_group, groups.n, groups.small_group "
        "from fairness.fairness_summary as summary inner join fairness.group_outcomes as groups "
        "on summary.outcome = groups.outcome and summary.attribute = groups.attribute "
        "and summary.min_rate_group = groups.group_value").fetchall()
    lowest = {(outcome, attribute): (group, n, small) for outcome, attribute, group, n, small in rows}
    shown = {(row[0]["text"], row[1]["text"]): row[5]["text"] for row in body_rows(workshop_page, "fairness-summary")}
    assert any(small for _, _, small in lowest.values()) and any(not small for _, _, small in lowest.values())
    for key, (group, n, small) in lowest.items():
        assert shown[key].endswith(f"(rests on {group}: {n} artist{'' if n == 1 else 's'})") == small, shown[key]


def test_conditional_parity_table_has_each_controls_measures_per_attribute(workshop_page, workshop_report,
                                                                           warehouse):
    summary = warehouse.execute(
        "select outcome, attribute, control_attribute, cdd_group, conditional_demographic_disparity, "
        "differential_fairness_epsilon from fairness.conditional_parity_summary").fetchall()
    controls = [value for (value,) in warehouse.execute(
        "select setting_value from reporting.report_settings where setting_name = 'fairness_controls' "
        "order by item_position").fetchall()]
    expected = {(outcome, attribute, control): (group, cdd, epsilon)
                for outcome, attribute, control, group, cdd, epsilon in summary}
    rows = body_rows(workshop_page, "conditional-parity")
    assert sorted((row[0]["text"], row[1]["text"]) for row in rows) == sorted({key[:2] for key in expected})
    assert controls == ["label_type", "genre"]
    for row in rows:
        for position, control in enumerate(controls):
            cdd, epsilon = row[3 + 2 * position]["value"], row[4 + 2 * position]["value"]
            found = expected.get((row[0]["text"], row[1]["text"], control))
            if found is None:  # the attribute is the control: no pair
                assert (cdd, epsilon) == (None, None) and row[1]["text"] == control
            else:
                assert row[2]["text"] == found[0]
                assert (float(cdd), float(epsilon)) == found[1:]
    assert "(smoothed differential fairness, concentration 1)" in workshop_report.read_text(encoding="utf-8")


def test_group_rate_chart_carries_the_warehouse_intervals(workshop_page, warehouse):
    spec = json.loads(workshop_page.specs["group-rates-monthly_listeners-spec"])
    drawn = {(row["attribute"], row["group_value"]): (row["high_success_rate"], row["rate_ci_low"], row["rate_ci_high"])
             for values in spec_values(spec) for row in values}
    expected = warehouse.execute(
        "select attribute, group_value, high_success_rate, rate_ci_low, rate_ci_high "
        "from fairness.group_outcomes where outcome = 'monthly_listeners'"
    ).fetchall()
    assert drawn == {(a, g): (rate, low, high) for a, g, rate, low, high in expected}


def test_gap_chart_carries_the_warehouse_intervals(workshop_page, warehouse):
    spec = json.loads(workshop_page.specs["rate-gaps-monthly_listeners-spec"])
    drawn = {(row["attribute"], row["group_value"]): (row["rate_difference"], row["rate_difference_ci_low"],
                                                     row["rate_difference_ci_high"], row["finding"])
             for values in spec_values(spec) for row in values}
    expected = warehouse.execute(
        "select attribute, group_value, rate_difference, rate_difference_ci_low, rate_difference_ci_high, "
        "case when significant then 'significant' when not significant then 'not significant' else 'not tested' end "
        "from fairness.group_comparisons where outcome = 'monthly_listeners' and comparator = 'reference'"
    ).fetchall()
    assert drawn == {(a, g): (d, low, high, finding) for a, g, d, low, high, finding in expected}


def test_verdict_table_equals_the_warehouse(workshop_page, warehouse):
    expected = warehouse.execute(
        "select outcome, attribute, four_fifths_verdict, groups_outside_parity_band, significant_groups "
        "from fairness.fairness_summary order by outcome, attribute"
    ).fetchall()
    rows = body_rows(workshop_page, "fairness-verdicts")
    assert [(row[0]["text"], row[1]["text"], row[5]["text"], int(row[7]["value"]), int(row[8]["value"]))
            for row in rows] == expected


def test_model_fairness_charts_carry_the_warehouse_numbers(workshop_page, warehouse):
    groups = json.loads(workshop_page.specs["model-fairness-groups-spec"])
    drawn = {(row["model"], row["attribute"], row["group_value"], row["measure"][:3]): (row["value"], row["ci_low"])
             for values in spec_values(groups) for row in values}
    expected = warehouse.execute(
        "select feature_set || ': ' || model_name, attribute, group_value, mae, mae_ci_low, mean_error, "
        "mean_error_ci_low from ml.prediction_group_metrics inner join reporting.best_models "
        "using (feature_set, model_name) where attribute in ('gender', 'ethnicity')"
    ).fetchall()
    assert drawn == {**{(m, a, g, "MAE"): (mae, low) for m, a, g, mae, low, _, _ in expected},
                     **{(m, a, g, "Mea"): (error, low) for m, a, g, _, _, error, low in expected}}
    tradeoff = json.loads(workshop_page.specs["model-fairness-tradeoff-spec"])
    points = sorted((row["feature_set"], row["model_name"], row["attribute"], row["r2"],
                     row["equalized_odds_difference"]) for values in spec_values(tradeoff) for row in values)
    assert points == sorted(warehouse.execute(
        "select feature_set, model_name, attribute, r2, equalized_odds_difference "
        "from ml.prediction_fairness_summary where attribute in ('gender', 'ethnicity')").fetchall())
    assert len(points) == 2 * 10


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


# --- 100,000 artists -------------------------------------------------------------------------

COPIES = 2500  # 40 workshop artists x 2,500 = 100,000


@pytest.fixture(scope="module")
def large_report(workshop_db, tmp_path_factory):
    """The workshop warehouse with every per-artist table repeated 2,500 times under new artist ids,
    and the reporting tables (summaries and samples of those tables) built again from them."""
    folder = tmp_path_factory.mktemp("large")
    db = folder / "large.duckdb"
    shutil.copy(workshop_db, db)
    with duckdb.connect(str(db)) as con:
        tables = con.execute(
            "select tables.schema_name, tables.table_name from duckdb_tables() as tables "
            "inner join duckdb_columns() as columns using (database_name, schema_name, table_name) "
            "where columns.column_name = 'artist_id' and tables.schema_name not in ('raw', 'audit', 'reporting')"
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
    run_dbt(["run", "--select", "path:models/reporting"], db, db, dbt_vars(resolve_settings({})))
    return render_report(db, folder / "out")


def test_a_100k_artist_report_stays_under_5_mb(large_report):
    assert large_report.stat().st_size < MAX_PAGE_BYTES


def test_large_scatter_plots_draw_a_documented_sample(large_report, warehouse):
    # the limit the reporting views sample to (reporting.report_drawing_limits)
    max_points_per_panel = warehouse.execute(
        "select numeric_value from reporting.report_settings where setting_key = 'max_points_per_panel'"
    ).fetchone()[0]
    assert max_points_per_panel == 2000
    page = parse_page(large_report)
    for chart in ("quality-vs-visibility", "pca-clusters", "actual-vs-predicted", "residuals"):
        spec = json.loads(page.specs[f"{chart}-spec"])
        biggest = max(len(values) for values in spec_values(spec))
        assert biggest == max_points_per_panel, chart
    text = large_report.read_text(encoding="utf-8")
    assert f"a seeded sample of {max_points_per_panel:,.0f} of {40 * COPIES:,} points" in text


def test_the_disclosure_block_says_every_artist_disclosed_on_the_workshop_data(workshop_report, warehouse):
    assert warehouse.execute("select max(undisclosed_n) from fairness.attribute_disclosure").fetchone()[0] == 0
    page = html.unescape(workshop_report.read_text(encoding="utf-8"))
    assert ('<p class="note" id="attribute-disclosure"><strong>Undisclosed demographics: who did not say, and how they '
            "fare</strong>: Every artist disclosed every protected attribute: no group Undisclosed.</p>") in page


def test_the_header_names_the_published_file_not_the_builds_private_copy(workshop_db, workshop_report):
    page = workshop_report.read_text(encoding="utf-8")
    assert f"from <code>{workshop_db.name}</code>" in page and workshop_db.name != "warehouse.duckdb"


def test_the_group_tables_name_each_attributes_reference_group(workshop_report, warehouse):
    page = html.unescape(workshop_report.read_text(encoding="utf-8"))
    references = warehouse.execute("select distinct attribute, reference_group from fairness.group_outcomes "
                                   "where outcome = 'monthly_listeners' and attribute in ('ethnicity', 'gender') "
                                   "order by attribute").fetchall()
    named = "; ".join(f"{attribute}: {reference}" for attribute, reference in references)
    assert f"over its attribute's reference group's ({named})." in page
