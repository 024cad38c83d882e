"""The fairness summary table: per outcome and attribute, the gap between the lowest and highest
group, the disparate impact (said to rest on a small group when its lowest group is one), the
four-fifths verdict read with its uncertainty, and the tests of independence."""

from __future__ import annotations

import pandas as pd

from reports.page import Column, as_int, decimals, general, number
from reports.sections.common import Block, ReportSettings, four_fifths_verdict, whole
from reports.warehouse_reader import WarehouseReader

SUMMARY_COLUMNS = ["outcome", "attribute", "threshold", "n_groups", "n_small_groups",
                   "statistical_parity_difference", "max_rate_group", "min_rate_group", "disparate_impact_ratio",
                   "four_fifths_verdict", "success_ratio", "chi_square_p_value", "kruskal_p_value"]
GROUP_SIZE_COLUMNS = ["outcome", "attribute", "group_value", "n", "small_group"]
SUMMARY = Block("fairness-summary", "Fairness summary per outcome and attribute")


def groups_text(row) -> str:
    small = int(row.n_small_groups)
    return f"{int(row.n_groups)} ({small} small)" if small else f"{int(row.n_groups)}"


def impact_text(row) -> str:
    """The ratio, said to rest on its lowest group when that group is small (a ratio of 0.000 is then one
    artist without a high-success year, not evidence)."""
    if pd.isna(row.disparate_impact_ratio):
        return "—"
    ratio = f"{row.disparate_impact_ratio:.3f}"
    if row.lowest_small:
        artists = "artist" if row.lowest_n == 1 else "artists"
        return f"{ratio} (rests on {row.min_rate_group}: {int(row.lowest_n)} {artists})"
    return ratio


def summary_rows(reader: WarehouseReader) -> pd.DataFrame:
    reader.require("fairness.fairness_summary", SUMMARY_COLUMNS)
    summary = reader.select("fairness.fairness_summary", SUMMARY_COLUMNS, order_by=("outcome", "attribute"))
    sizes = reader.select("fairness.group_outcomes", GROUP_SIZE_COLUMNS).rename(
        columns={"group_value": "min_rate_group", "n": "lowest_n", "small_group": "lowest_small"})
    rows = summary.merge(sizes, on=["outcome", "attribute", "min_rate_group"], how="left")
    rows["lowest_small"] = rows["lowest_small"].fillna(False).astype(bool)
    return rows.assign(
        groups=[groups_text(row) for row in rows.itertuples()],
        extremes=rows["min_rate_group"].fillna("—") + " / " + rows["max_rate_group"].fillna("—"),
        impact=[impact_text(row) for row in rows.itertuples()],
    )


def caption(rows: pd.DataFrame, settings: ReportSettings) -> str:
    thresholds = "; ".join(f"{outcome} {as_int(threshold)}" for outcome, threshold
                           in rows.groupby("outcome", sort=True)["threshold"].first().items())
    return (f"High success is at or above: {thresholds}. Small groups have fewer than "
            f"{settings.phrase('min_group_size', whole)} artists; a disparate impact that rests on one says so, "
            "and its verdict is then inconclusive rather than a fail. The verdict reads the ratio with its "
            "interval (the next table).")


def fairness_summary(reader: WarehouseReader, settings: ReportSettings, block: Block):
    rows = summary_rows(reader)
    return block.table(rows, [
        Column("outcome", "Outcome"), Column("attribute", "Attribute"), Column("groups", "Groups"),
        number("statistical_parity_difference", "Parity difference", decimals(3)),
        Column("extremes", "Lowest / highest rate"),
        Column("impact", "Disparate impact"),
        Column("four_fifths_verdict", "Four-fifths verdict", four_fifths_verdict),
        number("success_ratio", "Success ratio (max/min mean)", decimals(3)),
        number("chi_square_p_value", "χ² p", general),
        number("kruskal_p_value", "Kruskal-Wallis p", general),
    ], caption(rows, settings))
