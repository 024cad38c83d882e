"""Bidirectional controls in the warehouse's text, removed before the page shows it.

An artist name is data: a right-to-left override (U+202E) or isolate in it would reorder the text
after it on the page (a name, then its neighbours, shown backwards: "Trojan Source" for a
report). HTML escaping leaves these characters as they are, so every string the report reads is
stripped of them; the warehouse keeps the text as written.
"""

from __future__ import annotations

import pandas as pd

# embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069), the left-to-right,
# right-to-left and Arabic letter marks
BIDI_CONTROLS = "".join(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]))
REMOVE_BIDI_CONTROLS = str.maketrans("", "", BIDI_CONTROLS)


def neutral_text(value):
    """value without bidirectional controls if it is text; any other value as it is."""
    if isinstance(value, str):
        return value.translate(REMOVE_BIDI_CONTROLS)
    return value


def neutral_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """frame with its text neutral: the text columns, and the text in object columns (DuckDB gives
    a text column whose values are all null as one); numbers pass untouched."""
    for column in frame.columns:
        series = frame[column]
        if isinstance(series.dtype, pd.StringDtype):
            frame[column] = series.str.translate(REMOVE_BIDI_CONTROLS)
        elif series.dtype == object:
            # not Series.map, which would infer a text column and make its nulls NaN
            frame[column] = pd.Series([neutral_text(value) for value in series], index=series.index, dtype=object)
    return frame
