"""Why the gaps: how much of each group's gap to its reference group the controls of var gap_controls
explain (fairness.adjusted_gaps, gap_decomposition), and how much of the inequality of success lies
between an attribute's groups (fairness.inequality_decomposition)."""

from __future__ import annotations

import pandas as pd

from reports import gap_charts
from reports.page import Column, Section, decimals, number, percent
from reports.sections.common import Block, ReportSettings, series, share
from reports.warehouse_reader import Unavailable, WarehouseReader

GROUP_COLUMNS = ["outcome", "attribute", "group_value", "reference_group", "n", "raw_gap", "adjusted_gap",
                 "adjusted_gap_ci_low", "adjusted_gap_ci_high", "adjusted_gap_pct", "share_explained"]
COMPONENT_COLUMNS = ["outcome", "attribute", "group_value", "reference_group", "component", "value",
                     "is_unexplained"]
INEQUALITY_COLUMNS = ["outcome", "attribute", "alpha", "total", "between_group", "between_share"]
DUMBBELLS = Block("adjusted-gaps", "Raw and adjusted gaps")
COMPONENTS = Block("gap-decomposition", "What explains each gap")
INEQUALITY = Block("inequality-between-groups", "Inequality between and within groups")


def controls_phrase(settings: ReportSettings) -> str:
    controls = settings.elements("gap_controls")
    return series(controls) if controls else "the controls of var gap_controls"


def dumbbell_chart(groups: pd.DataFrame, outcome: str, settings: ReportSettings):
    confidence = settings.phrase("rate_interval_confidence", share)
    block = Block(f"adjusted-gaps-{outcome}", f"Raw and adjusted gaps: {outcome}")
    return block.chart(
        gap_charts.gap_dumbbell(groups[groups["outcome"] == outcome], outcome, f"{confidence} HC3 interval"),
        f"The hollow dot is the group's gap to its reference group, the filled dot the gap left between artists "
        f"alike in {controls_phrase(settings)}, with its {confidence} interval. A filled dot near 0 means the "
        "controls explain the gap; one whose interval excludes 0 is a gap the controls do not account for.")


def per_outcome(rows: pd.DataFrame, block: Block, empty: str, chart) -> list:
    """chart(rows, outcome) for each outcome of rows; a note when there are none."""
    if rows.empty:
        return [block.note(empty)]
    return [chart(rows, outcome) for outcome in sorted(rows["outcome"].unique())]


def dumbbell_blocks(reader: WarehouseReader, settings: ReportSettings) -> list:
    try:
        groups = reader.select("reporting.why_gap_groups", GROUP_COLUMNS,
                               order_by=("outcome", "attribute", "group_value"))
    except Unavailable as exc:
        return [DUMBBELLS.note(exc)]
    return per_outcome(groups, DUMBBELLS, "no group is large enough to fit (var min_group_size)",
                       lambda rows, outcome: dumbbell_chart(rows, outcome, settings))


def components_chart(components: pd.DataFrame, outcome: str, settings: ReportSettings):
    block = Block(f"gap-decomposition-{outcome}", f"What explains each gap: {outcome}")
    controls = [control for control in settings.elements("gap_controls") if control in set(components["component"])]
    return block.chart(
        gap_charts.gap_components(components[components["outcome"] == outcome], outcome, controls),
        f"Each bar is a group's gap to its reference group (Oaxaca-Blinder), split into what differences in "
        f"{controls_phrase(settings)} explain and the unexplained rest (grey). A long coloured segment names the "
        "control behind the gap; a long grey one is a gap between artists alike in every control.")


def components_blocks(reader: WarehouseReader, settings: ReportSettings) -> list:
    try:
        components = reader.select("reporting.why_gap_components", COMPONENT_COLUMNS,
                                   order_by=("outcome", "attribute", "group_value", "component"))
    except Unavailable as exc:
        return [COMPONENTS.note(exc)]
    return per_outcome(components, COMPONENTS,
                       "no group is large enough to decompose (var min_group_size)",
                       lambda rows, outcome: components_chart(rows, outcome, settings))


def inequality_table(reader: WarehouseReader, settings: ReportSettings, block: Block):
    reader.require("fairness.inequality_decomposition", INEQUALITY_COLUMNS)
    rows = reader.select("fairness.inequality_decomposition", INEQUALITY_COLUMNS,
                         order_by=("outcome", "attribute", "alpha"))
    return block.table(rows, [
        Column("outcome", "Outcome"), Column("attribute", "Attribute"), number("alpha", "Alpha", decimals(1)),
        number("total", "GE(alpha)", decimals(3)), number("between_group", "Between groups", decimals(3)),
        number("between_share", "Between share", percent),
    ], "GE(alpha) measures how unequal success is over all artists (0 is equal; alpha 0 weighs the bottom, 2 the "
       "top). The between share is the part of it that would remain if every artist had their group's mean: a "
       "small share says success is unequal mostly within each group, not between them.")


def why_the_gaps(reader: WarehouseReader, settings: ReportSettings) -> Section:
    controls = controls_phrase(settings)
    return Section("why-the-gaps", "Why the gaps", [
        f"A gap between groups may come from who the artists are or from where they are. Each group's gap to its "
        f"reference group is measured again between artists alike in {controls} (a regression with those "
        "controls), and split into the part those differences explain and the part they do not (Oaxaca-Blinder).",
        "Gaps are in log points of the outcome: -0.3 is about 26% fewer listeners. An unexplained gap is not proof "
        "of discrimination: it is what these controls leave, and a control that is itself shaped by bias (a label "
        "signing fewer women) hides part of the gap in the explained part.",
    ], [
        *dumbbell_blocks(reader, settings),
        *components_blocks(reader, settings),
        INEQUALITY.draw(lambda block: inequality_table(reader, settings, block)),
    ])
