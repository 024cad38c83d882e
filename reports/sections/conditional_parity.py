"""Fairness within strata: per outcome and attribute, the conditional demographic disparity and the
differential-fairness epsilon within each control (fairness.conditional_parity_summary), one table."""

from __future__ import annotations

import pandas as pd

from reports.page import Column, decimals, number
from reports.sections.common import Block, ReportSettings, plain, series
from reports.warehouse_reader import WarehouseReader

SUMMARY_COLUMNS = ["outcome", "attribute", "control_attribute", "cdd_group", "conditional_demographic_disparity",
                   "differential_fairness_epsilon"]
CONDITIONAL = Block("conditional-parity", "Disparity within strata: conditional demographic disparity and epsilon")


def cdd_key(control: str) -> str:
    return f"cdd within {control}"


def epsilon_key(control: str) -> str:
    return f"epsilon within {control}"


def controls_in_order(summary: pd.DataFrame, settings: ReportSettings) -> list[str]:
    """The controls in the order of var fairness_controls (as the table has them without it)."""
    present = list(dict.fromkeys(summary["control_attribute"]))
    configured = [control for control in settings.elements("fairness_controls") if control in present]
    return configured or sorted(present)


def one_row_per_attribute(summary: pd.DataFrame, controls: list[str]) -> pd.DataFrame:
    """outcome x attribute, with the two measures of each control side by side; the smallest group(s)
    the disparity is for (the same unless a control leaves some artists out)."""
    rows = []
    for (outcome, attribute), pairs in summary.groupby(["outcome", "attribute"], sort=True):
        row = {"outcome": outcome, "attribute": attribute, "cdd_group": ", ".join(dict.fromkeys(pairs["cdd_group"]))}
        by_control = pairs.set_index("control_attribute")
        for control in controls:
            present = control in by_control.index
            row[cdd_key(control)] = by_control.at[control, "conditional_demographic_disparity"] if present else None
            row[epsilon_key(control)] = by_control.at[control, "differential_fairness_epsilon"] if present else None
        rows.append(row)
    return pd.DataFrame(rows)


def caption(controls: list[str], settings: ReportSettings) -> str:
    return (
        f"Groups compared within each value of {series(controls)}. CDD: the smallest group's share of the "
        "artists below the threshold minus its share of those above, in each stratum, weighted by the "
        "stratum's artists (AIF360's conditional demographic disparity); above 0 the group misses the threshold "
        "more often than artists like it. Epsilon: the largest log ratio of two groups' smoothed high-success "
        "rates, or of their complements, in any one stratum (smoothed differential fairness, concentration "
        f"{settings.phrase('smoothing_concentration', plain)}); 0 is parity, e^epsilon bounds how many times "
        "likelier one group is than another. — : the attribute shares a column with the control, has fewer than "
        "two groups (nothing to compare), or no stratum holds both outcomes (CDD) or two groups (epsilon); "
        "fairness.conditional_parity has the strata.")


def conditional_parity_table(reader: WarehouseReader, settings: ReportSettings, block: Block):
    reader.require("fairness.conditional_parity_summary", SUMMARY_COLUMNS)
    summary = reader.select("fairness.conditional_parity_summary", SUMMARY_COLUMNS,
                            order_by=("outcome", "attribute", "control_attribute"))
    controls = controls_in_order(summary, settings)
    columns = [Column("outcome", "Outcome"), Column("attribute", "Attribute"), Column("cdd_group", "Smallest group")]
    for control in controls:
        columns += [number(cdd_key(control), f"CDD within {control}", decimals(3)),
                    number(epsilon_key(control), f"Epsilon within {control}", decimals(3))]
    return block.table(one_row_per_attribute(summary, controls), columns, caption(controls, settings))


def conditional_parity(reader: WarehouseReader, settings: ReportSettings):
    return CONDITIONAL.draw(lambda block: conditional_parity_table(reader, settings, block))
