"""Fairness: the summary per outcome and attribute, and each group's high-success rate."""

from __future__ import annotations

import pandas as pd

from reports import charts
from reports.page import Column, Section, as_int, decimals, general, number, percent, yes_no
from reports.sections.common import BREAKDOWN_ATTRIBUTES, Block, ReportSettings, ordinal, plain, share, whole
from reports.sections.fairness_gaps import gap_blocks, reading_guide
from reports.sections.fairness_history import since_last_build
from reports.warehouse_reader import Unavailable, WarehouseReader

SUMMARY_COLUMNS = ["outcome", "attribute", "threshold", "n_groups", "n_small_groups",
                   "statistical_parity_difference", "max_rate_group", "min_rate_group", "disparate_impact_ratio",
                   "passes_four_fifths", "success_ratio", "chi_square_p_value", "kruskal_p_value"]
GROUP_COLUMNS = ["outcome", "attribute", "group_value", "n", "population_share", "mean_outcome", "high_success_rate",
                 "rate_ci_low", "rate_ci_high", "representation_ratio", "disparity_ratio", "small_group"]
SUMMARY = Block("fairness-summary", "Fairness summary per outcome and attribute")
GROUP_RATES = Block("group-rates", "Group rates")


def group_rates_block(outcome: str) -> Block:
    return Block(f"group-rates-{outcome}", f"High-success rate by group: {outcome}")


def group_outcomes_block(outcome: str) -> Block:
    return Block(f"group-outcomes-{outcome}", f"Group detail for {' and '.join(BREAKDOWN_ATTRIBUTES)}: {outcome}")


def interval(settings: ReportSettings) -> str:
    """'95%': the confidence of the Wilson intervals (var rate_interval_confidence)."""
    return settings.phrase("rate_interval_confidence", share)


def fairness_summary(reader: WarehouseReader, block: Block):
    reader.require("fairness.fairness_summary", SUMMARY_COLUMNS)
    summary = reader.select("fairness.fairness_summary", SUMMARY_COLUMNS, order_by=("outcome", "attribute"))
    return block.table(summary, [
        Column("outcome", "Outcome"), Column("attribute", "Attribute"),
        number("threshold", "High-success threshold", as_int), number("n_groups", "Groups", as_int),
        number("n_small_groups", "Small groups", as_int),
        number("statistical_parity_difference", "Statistical parity difference", decimals(3)),
        Column("max_rate_group", "Highest rate"), Column("min_rate_group", "Lowest rate"),
        number("disparate_impact_ratio", "Disparate impact", decimals(3)),
        Column("passes_four_fifths", "Passes 4/5 rule", yes_no),
        number("success_ratio", "Success ratio (max/min mean)", decimals(3)),
        number("chi_square_p_value", "χ² p-value", general),
        number("kruskal_p_value", "Kruskal-Wallis p-value", general),
    ])


def group_rates_chart(rates: pd.DataFrame, outcome: str, settings: ReportSettings):
    rows = rates[rates["outcome"] == outcome]
    return group_rates_block(outcome).chart(
        charts.group_rates(rows, outcome, f"{interval(settings)} Wilson interval"),
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
    ])


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
    section.blocks.append(SUMMARY.draw(lambda block: fairness_summary(reader, block)))
    section.blocks.extend(gap_blocks(reader, settings))
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
