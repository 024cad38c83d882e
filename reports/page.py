"""What the template draws: sections made of tables, charts and notes.

Values are formatted here, once, for people; each numeric cell also keeps the exact warehouse
value (written to a data-value attribute) so that a test or a script can read the page's numbers
back without rounding.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
from markupsafe import Markup

from reports.script_json import script_safe_json


def as_int(value) -> str:
    return f"{int(value):,}"


def decimals(places: int) -> Callable[[object], str]:
    def fmt(value) -> str:
        return f"{float(value):,.{places}f}"
    return fmt


def percent(value) -> str:
    return f"{float(value):.1%}"


def general(value) -> str:
    """Statistics and p-values whose size varies by orders of magnitude."""
    return f"{float(value):.4g}"


def yes_no(value) -> str:
    return "yes" if bool(value) else "no"


def text(value) -> str:
    return str(value)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    fmt: Callable[[object], str] = text
    numeric: bool = False


def number(key: str, label: str, fmt: Callable[[object], str]) -> Column:
    return Column(key, label, fmt, numeric=True)


@dataclass(frozen=True)
class Cell:
    text: str
    value: str | None = None
    numeric: bool = False


def is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def exact(value) -> str:
    """The value as written in the warehouse: repr keeps every digit of a double."""
    if isinstance(value, bool):
        return str(value).lower()
    return repr(value) if isinstance(value, float) else str(value)


def cell(column: Column, value) -> Cell:
    if is_missing(value):
        return Cell("—", None, column.numeric)
    if hasattr(value, "item"):
        value = value.item()
    return Cell(column.fmt(value), exact(value) if column.numeric else None, column.numeric)


@dataclass(frozen=True)
class Table:
    id: str
    title: str
    columns: list[Column]
    rows: list[list[Cell]]
    caption: str = ""
    kind: str = "table"

    @classmethod
    def from_frame(cls, id: str, title: str, frame: pd.DataFrame, columns: list[Column], caption: str = "") -> Table:
        rows = [[cell(column, record[column.key]) for column in columns] for record in frame.to_dict("records")]
        return cls(id, title, columns, rows, caption)


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    spec: dict
    caption: str = ""
    kind: str = "chart"

    @property
    def spec_json(self) -> Markup:
        """The spec for a <script type="application/json"> element: HTML-escaping it would corrupt
        the JSON (a script's text is not entity-decoded), and script_safe_json already keeps every
        character that could end the element out of it."""
        return Markup(script_safe_json(self.spec))


@dataclass(frozen=True)
class Note:
    id: str
    title: str
    reason: str
    # "unavailable": why a block could not be drawn; "note": what a block says instead of a table
    kind: str = "unavailable"


@dataclass
class Section:
    id: str
    title: str
    how_to_read: list[str]
    blocks: list = field(default_factory=list)
    facts: list[tuple[str, Cell]] = field(default_factory=list)

    @property
    def charts(self) -> list[Chart]:
        return [block for block in self.blocks if isinstance(block, Chart)]
