"""Fairness: the summary per outcome and attribute, each group's high-success rate, and the
disparate-impact ratio as the selection cut moves (fairness.threshold_sweep)."""

from __future__ import annotations

import pandas as pd

from reports import fairness_charts
from reports.page import Column, Section, as_int, decimals, number, percent, yes_no
from reports.sections.common import (
    BREAKDOWN_ATTRIBUTES,
    Block,
    ReportSettings,
    ordinal,
    plain,
    series,
    share,
    whole,
)
from reports.sections.conditional_parity import conditional_parity
from reports.sections.disclosure import disclosure
from reports.sections.fairness_gaps import gap_blocks, reading_guide
from reports.sections.fairness_history import since_last_build
from reports.sections.fairness_summary import SUMMARY, fairness_summary
from reports.warehouse_reader import Unavailable, WarehouseReader

GROUP_COLUMNS = ["outcome", "attribute", "group_value", "n", "population_share", "mean_outcome", "high_success_rate",
                 "rate_ci_low", "rate_ci_high", "representation_ratio", "disparity_ratio", "small_group",
                 "reference_group"]
SWEEP_COLUMNS = ["outcome", "cut", "cut_position", "is_high_success_cut", "attribute", "threshold", "cut_selected_n",
                 "disparate_impact_ratio", "disparate_impact_undefined_reason"]
UNDEFINED_REASONS = {"selects_everybody": "every artist is selected", "selects_nobody": "nobody is selected",
                     "highest_rate_zero": "only artists without a group are selected (some attributes)",
                     "no_group_with_value": "no artist has a group (some attributes)",
                     "fewer_than_two_groups": "fewer than two groups to compare (some attributes)"}
SWEEP = Block("threshold-sweep", "Disparate impact across selection cuts")
GROUP_RATES = Block("group-rates", "Group rates")


def group_rates_block(outcome: str) -> Block:
    return Block(f"group-rates-{outcome}", f"High-success rate by group: {outcome}")


def group_outcomes_block(outcome: str) -> Block:
    return Block(f"group-outcomes-{outcome}", f"Group detail for {' and '.join(BREAKDOWN_ATTRIBUTES)}: {outcome}")


def interval(settings: ReportSettings) -> str:
    """'95%': the confidence of the Wilson intervals (var rate_interval_confidence)."""
    return settings.phrase("rate_interval_confidence", share)


def group_rates_chart(rates: pd.DataFrame, outcome: str, settings: ReportSettings):
    rows = rates[rates["outcome"] == outcome]
    return group_rates_block(outcome).chart(
        fairness_charts.group_rates(rows, outcome, f"{interval(settings)} Wilson interval"),
        f"Dots are each group's high-success rate, bars its {interval(settings)} Wilson interval; grey groups are "
        f"smaller than the minimum group size ({settings.phrase('min_group_size', whole)} artists) and should not "
        "be read on their own.")


def group_outcomes_table(rates: pd.DataFrame, outcome: str, settings: ReportSettings):
    rows = rates[(rates["outcome"] == outcome) & rates["attribute"].isin(BREAKDOWN_ATTRIBUTES)]
    return group_outcomes_block(outcome).table(rows, [
        Column("attribute", "Attribute"), Column("group_value", "Group"), number("n", "Artists", as_int),
        number("population_share", "Population share", percent), number("mean_outcome", "Mean outcome", as_int),
        number("high_success_rate", "High-success rate", decimals(3)),
        number("rate_ci_low", f"{interval(settings)} low", decimals(3)),
        number("rate_ci_high", f"{interval(settings)} high", decimals(3)),
        number("representation_ratio", "Representation ratio", decimals(3)),
        number("disparity_ratio", "Disparity vs reference", decimals(3)),
        Column("small_group", "Small group", yes_no),
    ], references_caption(rows))


def references_caption(rows: pd.DataFrame) -> str:
    """'Disparity vs reference: ... (gender: Female; ethnicity: White).'"""
    references = rows.dropna(subset=["reference_group"]).groupby("attribute", sort=False)["reference_group"].first()
    named = "; ".join(f"{attribute}: {group}" for attribute, group in references.items())
    return (f"Disparity vs reference: the group's high-success rate over its attribute's reference group's "
            f"({named}).")


def undefined_cuts(ratios: pd.DataFrame) -> str:
    """'at top_100 and top_1000: every artist is selected': the cuts without a ratio, and why."""
    undefined = ratios.dropna(subset=["disparate_impact_undefined_reason"]).sort_values("cut_position")
    return "; ".join(f"at {series(list(dict.fromkeys(rows['cut'])))}: {UNDEFINED_REASONS.get(reason, reason)}"
                     for reason, rows in undefined.groupby("disparate_impact_undefined_reason", sort=True))


def threshold_sweep_chart(reader: WarehouseReader, settings: ReportSettings, block: Block):
    reader.require("fairness.threshold_sweep", ["cut"])
    ratios = reader.select("reporting.disparate_impact_by_cut", SWEEP_COLUMNS,
                           order_by=("outcome", "cut_position", "attribute"))
    caption = ("Each panel is one outcome (row) and attribute (column): the disparate-impact ratio (lowest over "
               "highest group rate) when 'selected' means at or above the cut: a percentile of the outcome (pN) or "
               "its N-th largest value (top_N, ties at the cut all selected). The dashed line is the four-fifths bound "
               f"({settings.phrase('four_fifths_threshold', plain)}).")
    high_success = list(dict.fromkeys(ratios.loc[ratios["is_high_success_cut"], "cut"]))
    if high_success:
        caption += (f" {high_success[0]} is the high-success threshold of the tables above (the "
                    f"{settings.phrase('high_success_percentile', ordinal)} percentile).")
    gaps = undefined_cuts(ratios)
    if gaps:
        caption += f" No point where the ratio is undefined: {gaps}."
    chart = fairness_charts.disparate_impact_by_cut(ratios, settings.number("four_fifths_threshold"))
    return block.chart(chart, caption)


def fairness(reader: WarehouseReader, settings: ReportSettings) -> Section:
    section = Section("fairness", "Fairness", [
        f"An artist is high-success at or above the {settings.phrase('high_success_percentile', ordinal)} "
        "percentile of the outcome. Statistical parity difference is the highest minus the lowest group rate "
        "(0 = parity); disparate impact is the lowest over the highest rate, and the four-fifths rule flags a "
        f"ratio below {settings.phrase('four_fifths_threshold', plain)}.",
        "The success ratio compares mean outcomes (highest group mean / lowest). Small p-values (χ² on "
        "high success × group, Kruskal-Wallis on the outcome) say the difference is unlikely to be chance; "
        "with few artists per group, wide intervals and large p-values are expected.",
        reading_guide(settings),
    ])
    section.facts, history_blocks = since_last_build(reader, settings)
    section.blocks.extend(history_blocks)
    section.blocks.append(SUMMARY.draw(lambda block: fairness_summary(reader, settings, block)))
    section.blocks.append(disclosure(reader, settings))
    section.blocks.extend(gap_blocks(reader, settings))
    section.blocks.append(conditional_parity(reader, settings))
    section.blocks.append(SWEEP.draw(lambda block: threshold_sweep_chart(reader, settings, block)))
    try:
        reader.require("fairness.group_outcomes", GROUP_COLUMNS)
    except Unavailable as exc:
        section.blocks.append(GROUP_RATES.note(exc))
        return section
    rates = reader.select("fairness.group_outcomes", GROUP_COLUMNS, order_by=("outcome", "attribute", "group_value"))
    for outcome in sorted(rates["outcome"].unique()):
        section.blocks.append(group_rates_chart(rates, outcome, settings))
        section.blocks.append(group_outcomes_table(rates, outcome, settings))
    return section
