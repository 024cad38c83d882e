"""Fairness, second layer: is each gap real or chance? The four-fifths verdict under uncertainty per
attribute, and each group's gap to its reference group with its interval (fairness.group_comparisons)."""

from __future__ import annotations

import pandas as pd

from reports import fairness_charts
from reports.page import Column, as_int, decimals, number
from reports.sections.common import Block, ReportSettings, four_fifths_verdict, plain, series, share
from reports.warehouse_reader import Unavailable, WarehouseReader

VERDICT_COLUMNS = ["outcome", "attribute", "disparate_impact_ratio", "disparate_impact_ci_low",
                   "disparate_impact_ci_high", "four_fifths_verdict", "groups_outside_parity_band",
                   "significant_groups", "n_groups"]
GAP_COLUMNS = ["outcome", "attribute", "group_value", "comparator_group", "n", "rate_difference",
               "rate_difference_ci_low", "rate_difference_ci_high", "p_value_holm", "significant"]
VERDICTS = Block("fairness-verdicts", "Four-fifths verdict, parity band and significant gaps")
GAPS = Block("rate-gaps", "Gaps to the reference group")


def gap_block(outcome: str) -> Block:
    return Block(f"rate-gaps-{outcome}", f"Gap to the reference group: {outcome}")


def reading_guide(settings: ReportSettings) -> str:
    confidence = settings.phrase("rate_interval_confidence", share)
    return (
        f"A gap is the group's high-success rate minus its reference group's, with a {confidence} Newcombe "
        "interval: an interval that spans 0 is no evidence of a difference, however large the gap. Each gap's "
        "p-value is adjusted for the attribute's many groups (Holm); a gap is significant when the adjusted "
        f"p-value is below {settings.phrase('significance_level', plain)}. The four-fifths verdict is a "
        f"conclusive fail only when even the upper end of the disparate impact's {confidence} Katz interval is "
        f"below {settings.phrase('four_fifths_threshold', plain)}; a group is outside the parity band when its "
        f"disparity ratio is below {settings.phrase('parity_tolerance', plain)} or above its inverse."
    )


def verdicts_table(reader: WarehouseReader, block: Block, settings: ReportSettings):
    reader.require("fairness.fairness_summary", VERDICT_COLUMNS)
    verdicts = reader.select("fairness.fairness_summary", VERDICT_COLUMNS, order_by=("outcome", "attribute"))
    confidence = settings.phrase("rate_interval_confidence", share)
    return block.table(verdicts, [
        Column("outcome", "Outcome"), Column("attribute", "Attribute"),
        number("disparate_impact_ratio", "Disparate impact", decimals(3)),
        number("disparate_impact_ci_low", f"{confidence} low", decimals(3)),
        number("disparate_impact_ci_high", f"{confidence} high", decimals(3)),
        Column("four_fifths_verdict", "Four-fifths verdict", four_fifths_verdict),
        number("n_groups", "Groups", as_int),
        number("groups_outside_parity_band", "Outside parity band", as_int),
        number("significant_groups", "Significant gaps", as_int),
    ], not_comparable_caption(verdicts))


def not_comparable_caption(verdicts: pd.DataFrame) -> str:
    """Why some attributes have no ratio and no verdict ('' when every attribute's groups are compared)."""
    attributes = list(dict.fromkeys(verdicts.loc[verdicts["four_fifths_verdict"] == "not_comparable", "attribute"]))
    if not attributes:
        return ""
    return (f"Not comparable: {series(attributes)} {'has' if len(attributes) == 1 else 'have'} fewer than two "
            "groups with a value, so no group is compared with another (no disparate impact, no parity band).")


def gap_chart(gaps: pd.DataFrame, outcome: str, settings: ReportSettings):
    confidence = settings.phrase("rate_interval_confidence", share)
    return gap_block(outcome).chart(
        fairness_charts.gap_forest(gaps[gaps["outcome"] == outcome], outcome, f"{confidence} Newcombe interval"),
        f"Dots are each group's gap to its attribute's reference group, bars its {confidence} interval; red "
        "gaps are significant after Holm's adjustment. Hover a dot for the adjusted p-value.")


def gap_blocks(reader: WarehouseReader, settings: ReportSettings) -> list:
    blocks = [VERDICTS.draw(lambda block: verdicts_table(reader, block, settings))]
    try:
        reader.require("fairness.group_comparisons", GAP_COLUMNS)
    except Unavailable as exc:
        return [*blocks, GAPS.note(exc)]
    gaps = reader.select("fairness.group_comparisons", GAP_COLUMNS, where={"comparator": "reference"},
                         order_by=("outcome", "attribute", "group_value"))
    return [*blocks, *(gap_chart(gaps, outcome, settings) for outcome in sorted(gaps["outcome"].unique()))]

