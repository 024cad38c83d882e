"""Overview: where the data came from, when it was built, and the lines that were not artists."""

from __future__ import annotations

import pandas as pd

from reports.page import Cell, Column, Section, as_int, cell, number
from reports.sections.common import Block, ReportSettings, whole
from reports.warehouse_reader import Unavailable, WarehouseReader

LOAD_COLUMNS = ["source_file", "reconciled_at_utc", "rows_read", "artists_loaded", "rows_quarantined"]
LOAD = Block("load", "Load")
QUARANTINE_REASONS = Block("quarantine-reasons", "Quarantine reasons")
QUARANTINED_ROWS = Block("quarantined-rows", "Quarantined rows")


def overview_facts(reader: WarehouseReader) -> list[tuple[str, Cell]]:
    reader.require("audit.load_reconciliation", LOAD_COLUMNS)
    load = reader.select("audit.load_reconciliation", LOAD_COLUMNS, order_by=("source_file",))
    built_at = pd.Timestamp(load["reconciled_at_utc"].iloc[0]).strftime("%Y-%m-%d %H:%M:%S UTC")
    return [
        ("Data source", Cell(", ".join(load["source_file"]))),
        ("Built at", Cell(built_at)),
        ("Rows read", cell(number("rows_read", "", as_int), int(load["rows_read"].sum()))),
        ("Artists loaded", cell(number("artists_loaded", "", as_int), int(load["artists_loaded"].sum()))),
        ("Rows quarantined", cell(number("rows_quarantined", "", as_int), int(load["rows_quarantined"].sum()))),
    ]


def quarantine_reasons(reader: WarehouseReader, block: Block):
    reader.require("audit.load_reconciliation", ["rows_quarantined"])
    reasons = reader.select(
        "reporting.quarantine_reasons",
        ["reason_code", "reason_column", "rows_quarantined", "first_line", "example_message"],
        order_by=("rows_quarantined desc", "reason_code", "reason_column"))
    return block.table(reasons, [
        Column("reason_code", "Reason"), Column("reason_column", "Column"),
        number("rows_quarantined", "Rows", as_int), number("first_line", "First line", as_int),
        Column("example_message", "Example"),
    ])


def quarantined_rows(reader: WarehouseReader, settings: ReportSettings, block: Block):
    reader.require("audit.load_reconciliation", ["rows_quarantined"])
    rows = reader.select(
        "reporting.first_quarantined_lines",
        ["line_number", "reason_code", "reason_column", "offending_value", "original_text"],
        order_by=("line_number",))
    return block.table(rows, [
        number("line_number", "Line", as_int), Column("reason_code", "Reason"), Column("reason_column", "Column"),
        Column("offending_value", "Value"), Column("original_text", "Original line"),
    ], caption=f"The first {settings.phrase('quarantined_lines_shown', whole)} quarantined lines in file order; "
               "audit.quarantined_artists has all of them.")


def overview(reader: WarehouseReader, settings: ReportSettings) -> Section:
    section = Section("overview", "Overview", [
        "Every line of the input file is either an artist (loaded) or a quarantined row with a reason: "
        "rows read = artists loaded + rows quarantined, checked by the build.",
        "A quarantined row is kept with its original text in audit.quarantined_artists; "
        "fix the file and rebuild to load it.",
    ])
    try:
        section.facts = overview_facts(reader)
    except Unavailable as exc:
        section.blocks.append(LOAD.note(exc))
        return section
    section.blocks += [
        QUARANTINE_REASONS.draw(lambda block: quarantine_reasons(reader, block)),
        QUARANTINED_ROWS.draw(lambda block: quarantined_rows(reader, settings, block)),
    ]
    return section

