"""Headline: the audit's headline, read from a warehouse: per outcome, the attributes that fail the four-fifths
rule conclusively (lowest and highest group, the ratio and its interval), the inconclusive ones and
why, the significant gaps to the reference group, and the drift since the previous build.

`make build` prints these lines at its end and the report shows them at its top: the same text.
"""

from __future__ import annotations

import pandas as pd

from reports.page import Section
from reports.sections.common import ReportSettings, plain, share, whole
from reports.warehouse_reader import Unavailable, WarehouseReader

SUMMARY_COLUMNS = ["outcome", "attribute", "n_small_groups", "min_rate_group", "min_high_success_rate",
                   "max_rate_group", "max_high_success_rate", "disparate_impact_ratio", "disparate_impact_ci_low",
                   "disparate_impact_ci_high", "four_fifths_verdict"]
GAP_COLUMNS = ["outcome", "attribute", "group_value", "comparator_group", "rate_difference", "p_value_holm"]
DRIFT_COLUMNS = ["outcome", "attribute", "baseline_build_number", "baseline_four_fifths_verdict",
                 "four_fifths_verdict", "verdict_flipped", "disparate_impact_change_beyond_intervals",
                 "disparate_impact_change"]
NO_SUMMARY = "This warehouse has no fairness summary: its fairness step did not run."
# a line names at most this many attributes or gaps, then says how many more and where they are
LISTED = 3


def listed(items: list[str], table: str) -> str:
    shown = ", ".join(items[:LISTED])
    more = len(items) - LISTED
    return shown + (f" and {more} more ({table})" if more > 0 else "")


def conclusive_fail(row, settings: ReportSettings) -> str:
    return (f"{row.attribute} ({row.min_rate_group} {row.min_high_success_rate:.1%} against {row.max_rate_group} "
            f"{row.max_high_success_rate:.1%} high success, ratio {row.disparate_impact_ratio:.2f}, "
            f"{settings.phrase('rate_interval_confidence', share)} interval {row.disparate_impact_ci_low:.2f}"
            f"-{row.disparate_impact_ci_high:.2f})")


def why_inconclusive(row, settings: ReportSettings) -> str:
    if row.n_small_groups > 0:
        return (f"{row.attribute} ({int(row.n_small_groups)} groups under "
                f"{settings.phrase('min_group_size', whole)} artists)")
    if pd.isna(row.disparate_impact_ci_high):
        return f"{row.attribute} ({row.min_rate_group} has no high-success artist: no interval)"
    return (f"{row.attribute} (ratio {row.disparate_impact_ratio:.2f}, interval up to "
            f"{row.disparate_impact_ci_high:.2f})")


def verdict_line(outcome: str, rows: pd.DataFrame, settings: ReportSettings) -> str:
    threshold = settings.phrase("four_fifths_threshold", plain)
    verdicts = list(rows.itertuples())
    fails = [conclusive_fail(row, settings) for row in verdicts if row.four_fifths_verdict == "conclusive_fail"]
    unsure = [why_inconclusive(row, settings) for row in verdicts if row.four_fifths_verdict == "inconclusive"]
    said = (f"fail the four-fifths rule (ratio under {threshold}) conclusively: "
            f"{listed(fails, 'fairness.fairness_summary')}" if fails
            else f"no attribute fails the four-fifths rule (ratio under {threshold}) conclusively")
    if unsure:
        said += f"; {len(unsure)} inconclusive: {listed(unsure, 'fairness.fairness_summary')}"
    return f"{outcome}: {said}."


def gaps_line(outcome: str, gaps: pd.DataFrame, settings: ReportSettings) -> str:
    level = settings.phrase("significance_level", plain)
    if gaps.empty:
        return f"{outcome}: no gap to a reference group is significant (Holm-adjusted p < {level})."
    items = [f"{row.attribute} {row.group_value} {100 * row.rate_difference:+.1f} points against "
             f"{row.comparator_group}" for row in gaps.itertuples()]
    return (f"{outcome}: {len(items)} significant gaps to the reference group (Holm-adjusted p < {level}): "
            f"{listed(items, 'fairness.group_comparisons')}.")


def drift_line(drift: pd.DataFrame) -> str | None:
    flipped = drift["verdict_flipped"].fillna(False).astype(bool)
    moved = drift.assign(flipped=flipped)[flipped | drift["disparate_impact_change_beyond_intervals"].fillna(False)
                                          .astype(bool)]
    # verdicts that flipped first: they are what a reader acts on
    moved = moved.sort_values(["flipped", "outcome", "attribute"], ascending=[False, True, True])
    if moved.empty:
        return None
    items = [f"{row.outcome} {row.attribute} {row.baseline_four_fifths_verdict} -> {row.four_fifths_verdict}"
             if row.flipped else f"{row.outcome} {row.attribute} ratio {row.disparate_impact_change:+.2f}"
             for row in moved.itertuples()]
    build = int(moved["baseline_build_number"].iloc[0])
    return f"drift since build {build}: {listed(items, 'history.fairness_changes')}."


def headline_lines(reader: WarehouseReader, settings: ReportSettings) -> list[str]:
    """The headline's lines; none when the warehouse has no fairness summary."""
    try:
        summary = reader.select("fairness.fairness_summary", SUMMARY_COLUMNS, order_by=("outcome", "attribute"))
        gaps = reader.frame(
            f"select {', '.join(GAP_COLUMNS)} from fairness.group_comparisons "
            "where comparator = 'reference' and significant order by outcome, p_value_holm, attribute, group_value")
    except Unavailable:
        return []
    lines = []
    for outcome, rows in summary.groupby("outcome", sort=True):
        lines.append(verdict_line(outcome, rows, settings))
        lines.append(gaps_line(outcome, gaps[gaps["outcome"] == outcome], settings))
    try:
        drift = reader.select("history.fairness_changes", DRIFT_COLUMNS, where={"baseline": "previous"},
                              order_by=("outcome", "attribute"))
    except Unavailable:
        return lines
    return lines + [line for line in [drift_line(drift)] if line]


def headline(reader: WarehouseReader, settings: ReportSettings) -> Section:
    return Section("headline", "Headline", headline_lines(reader, settings) or [NO_SUMMARY])
