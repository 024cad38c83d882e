"""What every section module shares: blocks with their id and title typed once, the settings the
prose mentions (read from reporting.report_settings), and the words and captions built from them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from reports.page import Chart, Column, Note, Table, is_missing
from reports.warehouse_reader import Unavailable, WarehouseReader

# the attributes the report breaks groups down by (reporting.box_plot_observations unpivots the same two)
BREAKDOWN_ATTRIBUTES = ("gender", "ethnicity")

SETTINGS_COLUMNS = ["setting_key", "setting_value", "numeric_value"]
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve")


@dataclass(frozen=True)
class Block:
    """One table, chart or note of a section: its id and title, and how it is drawn."""

    id: str
    title: str

    def table(self, frame: pd.DataFrame, columns: list[Column], caption: str = "") -> Table:
        return Table.from_frame(self.id, self.title, frame, columns, caption)

    def chart(self, spec: dict, caption: str = "") -> Chart:
        return Chart(self.id, self.title, spec, caption)

    def note(self, reason: object) -> Note:
        return Note(self.id, self.title, f"not available: {reason}")

    def draw(self, make: Callable[[Block], object]):
        """make(self), or a note saying why the block cannot be drawn."""
        try:
            return make(self)
        except Unavailable as exc:
            return self.note(exc)


class ReportSettings:
    """The vars, seed weights and drawing limits the prose mentions, as the build wrote them.

    A warehouse without reporting.report_settings (empty, or built before the reporting layer)
    gives no values: the prose then names the setting instead of its value.
    """

    def __init__(self, rows: pd.DataFrame):
        self._text = dict(zip(rows["setting_key"], rows["setting_value"], strict=True))
        self._number = dict(zip(rows["setting_key"], rows["numeric_value"], strict=True))

    @classmethod
    def read(cls, reader: WarehouseReader) -> ReportSettings:
        try:
            rows = reader.select("reporting.report_settings", SETTINGS_COLUMNS, order_by=("setting_key",))
        except Unavailable:
            rows = pd.DataFrame(columns=SETTINGS_COLUMNS)
        return cls(rows)

    def number(self, key: str) -> float | None:
        value = self._number.get(key)
        return None if value is None or is_missing(value) else float(value)

    def integer(self, key: str) -> int | None:
        value = self.number(key)
        return None if value is None else int(value)

    def phrase(self, key: str, fmt: Callable[[float], str]) -> str:
        """The setting's value as the prose writes it, or the setting's name when it is not here."""
        value = self.number(key)
        return key if value is None else fmt(value)

    def text(self, key: str) -> str:
        """A text setting's value, or the setting's name when it is not here."""
        return self._text.get(key, key)

    def elements(self, name: str) -> list[str]:
        """The elements of a list var (name[1], name[2], ...) as text, in order."""
        found, position = [], 1
        while f"{name}[{position}]" in self._text:
            found.append(self._text[f"{name}[{position}]"])
            position += 1
        return found

    def element_numbers(self, name: str) -> list[float]:
        count = len(self.elements(name))
        return [self.number(f"{name}[{position}]") for position in range(1, count + 1)]


# --- words for numbers ------------------------------------------------------------------------

def ordinal(value: float) -> str:
    number = int(value) if float(value).is_integer() else value
    if not isinstance(number, int):
        return f"{number:g}th"
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def share(value: float) -> str:
    """0.95 -> '95%'."""
    return f"{round(value * 100, 6):g}%"


def plain(value: float) -> str:
    return f"{value:g}"


def whole(value: float) -> str:
    return f"{int(value):,}"


def count_word(value: float) -> str:
    number = int(value)
    return NUMBER_WORDS[number] if 0 <= number < len(NUMBER_WORDS) else f"{number:,}"


def millions(value: float) -> str:
    """5000000 -> '5M'; under a million, the number with separators."""
    return f"{value / 1e6:g}M" if abs(value) >= 1e6 else f"{value:,.0f}"


def series(words: list[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def four_fifths_verdict(value: str) -> str:
    """A four_fifths_verdict for people: 'not comparable' for not_comparable, the others as the warehouse has them."""
    return "not comparable" if value == "not_comparable" else str(value)


# --- captions ---------------------------------------------------------------------------------

def sample_caption(settings: ReportSettings, shown: int, total: int) -> str:
    if shown >= total:
        return f"All {total:,} points drawn."
    limit = settings.phrase("max_points_per_panel", whole)
    seed = settings.phrase("sample_seed", whole)
    return (f"Drawn: a seeded sample of {shown:,} of {total:,} points (at most {limit} per panel, "
            f"seed {seed}); the statistics above use every row.")


def panel_sample_caption(settings: ReportSettings, points: pd.DataFrame, panel: str | None = None) -> str:
    """points carry panel_total, the rows of their panel before sampling."""
    totals = points.groupby(panel)["panel_total"].first() if panel else points["panel_total"].iloc[:1]
    return sample_caption(settings, len(points), int(totals.sum()))


def box_caption(settings: ReportSettings) -> str:
    return (f"Boxes span the quartiles with the median marked; whiskers reach the furthest value within "
            f"{settings.phrase('box_whisker_iqr', plain)} IQR; dots are outliers (at most "
            f"{settings.phrase('max_outliers_per_box', whole)} per box, a seeded sample above that).")


# --- box plots --------------------------------------------------------------------------------

BOX_COLUMNS = ["panel", "group_value", "n", "q1", "median", "q3", "whisker_low", "whisker_high"]


def box_frames(reader: WarehouseReader, measure: str, attribute: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The boxes and drawn outliers of one box plot (reporting.box_plot_boxes / box_plot_outliers)."""
    where = {"measure": measure, "attribute": attribute}
    stats = reader.select("reporting.box_plot_boxes", BOX_COLUMNS, where=where, order_by=("panel", "group_value"))
    outliers = reader.select("reporting.box_plot_outliers", ["panel", "group_value", "value"], where=where,
                             order_by=("panel", "group_value", "value"))
    return stats, outliers
