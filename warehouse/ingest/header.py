"""Which header of an input file feeds each column the build reads, and why a header cannot be artists.

A header feeds a column when var column_map names it for that column (exactly as written), or else
when the two are equal once folded: case ignored, and spaces, hyphens and underscores alike
(`Monthly Listeners`, `monthly-listeners` and `MONTHLY_LISTENERS` all feed monthly_listeners).
raw.source_header stores each header's result as normalized_name, and raw.artists picks every
column by it, CSV and Parquet alike.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from warehouse.settings.derived import input_columns
from warehouse.settings.project import project_vars

# the workshop's 14 columns: what the synthetic data and the tests write
SOURCE_COLUMNS = tuple(column["name"] for column in project_vars()["source_columns"])
# how each format says that its columns name none of the required ones
NO_REQUIRED_COLUMN = {
    "csv": "input file is not an artists CSV: its first line names",
    "parquet": "input file is not an artists table: its columns include",
}
SEPARATORS = re.compile(r"[\s_-]+")
SHOWN_HEADERS = 20


def folded_name(header: str) -> str:
    return SEPARATORS.sub("_", header.strip().casefold())


@dataclass(frozen=True)
class InputColumns:
    """The columns a build reads from its input, each {name, type}; the names of var source_columns among
    them (the ones every artists file has); and var column_map."""

    columns: tuple[Mapping, ...]
    required: tuple[str, ...]
    column_map: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, settings: Mapping) -> InputColumns:
        required = tuple(column["name"] for column in settings["source_columns"])
        return cls(tuple(input_columns(settings)), required, dict(settings["column_map"]))

    @property
    def names(self) -> list[str]:
        return [column["name"] for column in self.columns]


class HeaderProblem(ValueError):
    """Why a header cannot be read as artists; the caller adds the file's path."""


def header_columns(headers: Sequence[str], columns: InputColumns, source_format: str) -> list[str | None]:
    """Per header, the column it feeds, or its folded name when it feeds none (None where that
    folded name is a column another header feeds); HeaderProblem when a column has no header or two."""
    fed = dict(_mapped_headers(headers, columns))
    missing = []
    for column in columns.names:
        if column in fed.values():
            continue
        matches = [index for index, header in enumerate(headers) if folded_name(header) == column and index not in fed]
        if len(matches) > 1:
            first, second = (headers[index] for index in matches[:2])
            raise HeaderProblem(f"input file has headers {first!r} and {second!r}, which both read as {column}: "
                                f"rename one, or name the one to use in var column_map")
        if matches:
            fed[matches[0]] = column
        else:
            missing.append(column)
    if missing:
        unused = [header for index, header in enumerate(headers) if index not in fed]
        raise HeaderProblem(_missing_columns(missing, headers, unused, columns, source_format))
    return [fed.get(index) or _unfed_name(header, columns) for index, header in enumerate(headers)]


def _mapped_headers(headers: Sequence[str], columns: InputColumns) -> list[tuple[int, str]]:
    mapped = []
    for column, header in columns.column_map.items():
        if header not in headers:
            raise HeaderProblem(f"var column_map maps {column} to {header!r}, which is not a header of the input "
                                f"(headers found: {_shown(headers)})")
        mapped.append((list(headers).index(header), column))
    return mapped


def _unfed_name(header: str, columns: InputColumns) -> str | None:
    name = folded_name(header)
    return None if name in columns.names else name


def _missing_columns(missing: list[str], headers: Sequence[str], unused: list[str], columns: InputColumns,
                     source_format: str) -> str:
    required = columns.required
    if all(column in missing for column in required):
        return (f"{NO_REQUIRED_COLUMN[source_format]} none of the {len(required)} required columns "
                f"({', '.join(required)})")
    return (f"input file lacks required column(s) {', '.join(missing)} "
            f"({'; '.join(_nearest(column, unused) for column in missing)}; headers found: {_shown(headers)})")


def _nearest(column: str, headers: Sequence[str]) -> str:
    """The header feeding no column whose folded name is closest to the column's name."""
    folded = {folded_name(header): header for header in reversed(headers)}
    near = difflib.get_close_matches(column, list(folded), n=1, cutoff=0.6)
    return f"nearest to {column}: {folded[near[0]]!r}" if near else f"no header is near {column}"


def _shown(headers: Sequence[str]) -> str:
    shown = ", ".join(repr(header) for header in headers[:SHOWN_HEADERS])
    return shown + (f" and {len(headers) - SHOWN_HEADERS} more" if len(headers) > SHOWN_HEADERS else "")
