"""Disclosure: per outcome and protected attribute, how many artists left it undisclosed and whether
their high-success rate differs from the disclosed artists' (fairness.attribute_disclosure), one table."""

from __future__ import annotations

from reports.page import Column, Note, as_int, general, number, percent, yes_no
from reports.sections.common import Block, ReportSettings, share
from reports.warehouse_reader import WarehouseReader

DISCLOSURE_COLUMNS = ["outcome", "attribute", "n", "undisclosed_n", "disclosure_rate", "undisclosed_rate",
                      "disclosed_rate", "rate_difference", "rate_difference_ci_low", "rate_difference_ci_high",
                      "p_value", "disclosure_warning"]
DISCLOSURE = Block("attribute-disclosure", "Undisclosed demographics: who did not say, and how they fare")


def caption(settings: ReportSettings, any_undisclosed: bool) -> str:
    label = settings.text("undisclosed_label")
    if not any_undisclosed:
        return f"Every artist disclosed every protected attribute: no group {label}."
    return (
        f"Artists who left an attribute blank or declined to give it form the group {label}: counted in every "
        "breakdown, never the reference group, and left out of the disparate-impact ratio and the four-fifths "
        "verdict, which compare the groups that disclosed. Difference: the undisclosed artists' high-success rate "
        "minus the disclosed artists' (Newcombe's interval, pooled z test); a clear difference means "
        "non-disclosure tracks success, and the rates of the disclosed groups describe a selected population. "
        f"Warning: more than {settings.phrase('disclosure_warning_share', share)} of the artists undisclosed.")


def disclosure_table(reader: WarehouseReader, settings: ReportSettings, block: Block):
    reader.require("fairness.attribute_disclosure", DISCLOSURE_COLUMNS)
    rows = reader.select("fairness.attribute_disclosure", DISCLOSURE_COLUMNS, order_by=("outcome", "attribute"))
    any_undisclosed = bool((rows["undisclosed_n"] > 0).any())
    if not any_undisclosed:
        return Note(block.id, block.title, caption(settings, any_undisclosed), kind="note")
    columns = [Column("outcome", "Outcome"), Column("attribute", "Attribute"),
               number("undisclosed_n", "Undisclosed", as_int), Column("disclosure_rate", "Disclosed share", percent),
               Column("undisclosed_rate", "Rate, undisclosed", percent),
               Column("disclosed_rate", "Rate, disclosed", percent),
               Column("rate_difference", "Difference", percent),
               Column("rate_difference_ci_low", "Low", percent), Column("rate_difference_ci_high", "High", percent),
               Column("p_value", "p", general), Column("disclosure_warning", "Warning", yes_no)]
    return block.table(rows, columns, caption(settings, any_undisclosed))


def disclosure(reader: WarehouseReader, settings: ReportSettings):
    return DISCLOSURE.draw(lambda block: disclosure_table(reader, settings, block))
