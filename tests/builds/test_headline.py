"""The audit's headline (reports/headline.py): `make build`'s last lines and the top of the report,
read from the warehouse's own verdicts, gaps and drift."""

from __future__ import annotations

import html
import re

import duckdb
import pytest

from reports.sections.common import ReportSettings
from reports.sections.headline import headline_lines
from reports.warehouse_reader import WarehouseReader
from warehouse.build import read_summary


def lines_of(db) -> list[str]:
    reader = WarehouseReader(duckdb.connect(str(db), read_only=True))
    try:
        return headline_lines(reader, ReportSettings.read(reader))
    finally:
        reader.close()


@pytest.mark.parametrize("outcome", ["monthly_listeners", "total_streams"])
def test_the_headline_counts_the_warehouses_inconclusive_verdicts_and_significant_gaps(workshop_db, warehouse,
                                                                                      outcome):
    verdicts, gaps = [line for line in lines_of(workshop_db) if line.startswith(f"{outcome}: ")]
    inconclusive = warehouse.execute("select count(*) from fairness.fairness_summary where outcome = ? "
                                     "and four_fifths_verdict = 'inconclusive'", [outcome]).fetchone()[0]
    significant = warehouse.execute("select count(*) from fairness.group_comparisons where outcome = ? "
                                    "and comparator = 'reference' and significant", [outcome]).fetchone()[0]
    assert f"; {inconclusive} inconclusive: " in verdicts
    assert re.search(rf": {significant} significant gaps to the reference group", gaps)
    [(attribute, group, reference, difference)] = warehouse.execute(
        "select attribute, group_value, comparator_group, rate_difference from fairness.group_comparisons "
        "where outcome = ? and comparator = 'reference' and significant order by p_value_holm limit 1",
        [outcome]).fetchall()
    assert f"(Holm-adjusted p < 0.05): {attribute} {group} {100 * difference:+.1f} points against {reference}" in gaps


def test_a_conclusive_fail_names_its_lowest_and_highest_group_and_the_interval(planted_db):
    with duckdb.connect(str(planted_db), read_only=True) as con:
        fails = con.execute(
            "select outcome, attribute, min_rate_group, min_high_success_rate, max_rate_group, max_high_success_rate, "
            "disparate_impact_ratio, disparate_impact_ci_low, disparate_impact_ci_high from fairness.fairness_summary "
            "where four_fifths_verdict = 'conclusive_fail' order by outcome, attribute").fetchall()
    assert fails
    text = "\n".join(lines_of(planted_db))
    outcome, attribute, low_group, low, high_group, high, ratio, ci_low, ci_high = fails[0]
    assert (f"{outcome}: fail the four-fifths rule (ratio under 0.8) conclusively: {attribute} ({low_group} "
            f"{low:.1%} against {high_group} {high:.1%} high success, ratio {ratio:.2f}, 95% interval "
            f"{ci_low:.2f}-{ci_high:.2f})") in text


def test_the_report_opens_with_the_lines_the_build_printed(workshop_db, workshop_report, workshop_csv):
    summary = read_summary(workshop_db, workshop_db, workshop_csv)
    page = html.unescape(workshop_report.read_text(encoding="utf-8"))
    top = page[page.index('<section id="headline">'):page.index('<section id="overview">')]
    assert summary.headline and all(f"<p>{line}</p>" in top for line in summary.headline)
