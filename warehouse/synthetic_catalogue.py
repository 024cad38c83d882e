"""A synthetic artists table shaped as a real catalogue export: its own headers, two attributes and a
measure the workshop never had, undisclosed demographics in several spellings, a few bad values.
As in real data, non-disclosure tracks success: an artist below the median audience leaves an attribute
blank three times as often as one above it.

    python -m warehouse.synthetic --catalogue --rows 20000 --out catalogue.csv

What a build of it needs is CATALOGUE_VARS (the headers fold to the warehouse's names by themselves).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# a region per country of warehouse.synthetic
REGIONS = {"USA": "North America", "Canada": "North America", "UK": "Europe", "Spain": "Europe",
           "Netherlands": "Europe", "Brazil": "Latin America", "Colombia": "Latin America",
           "Puerto Rico": "Latin America", "Nigeria": "Africa", "South Korea": "Asia Pacific",
           "Japan": "Asia Pacific", "New Zealand": "Asia Pacific"}
AGE_BRACKETS = ("18-24", "25-34", "35-44", "45+")
UNDISCLOSED_SPELLINGS = ("", "Prefer not to say", "unknown", " N/A ", "Not stated")
UNDISCLOSED_SHARE = {"gender": 0.10, "ethnicity": 0.15}
# playlist adds that are not a count (negative, fractional, text): quarantined with their reason
BAD_MEASURE_VALUES = ("-3", "12.5", "lots")
BAD_MEASURE_SHARE = 0.001
CATALOGUE_VARS = {
    "extra_attributes": ["region", "age_bracket"],
    "extra_measures": ["playlist_adds"],
    "protected_attributes": ["gender", "ethnicity", "label_type", "genre", "country", "region", "age_bracket"],
    "outcomes": ["monthly_listeners", "total_streams", "playlist_adds"],
}


def catalogue_export(artists: pa.Table, seed: int) -> pa.Table:
    """The artists of warehouse.synthetic, as a catalogue would export them."""
    rng = np.random.default_rng(seed + 1)
    n_rows = artists.num_rows
    columns = {name: artists[name] for name in artists.column_names}
    listeners = artists["monthly_listeners"].to_numpy()
    # half the share above the median audience, one and a half below: the same share overall
    share_scale = np.where(listeners < np.median(listeners), 1.5, 0.5)
    for attribute, share in UNDISCLOSED_SHARE.items():
        columns[attribute] = _undisclosed(rng, columns[attribute].to_numpy(zero_copy_only=False), share * share_scale)
    columns["region"] = pa.array([REGIONS[country] for country in artists["country"].to_pylist()])
    columns["age_bracket"] = pa.array(np.array(AGE_BRACKETS)[rng.integers(0, len(AGE_BRACKETS), n_rows)])
    adds = np.floor(listeners * 0.002 * np.exp(0.5 * rng.standard_normal(n_rows))).astype(np.int64)
    columns["playlist_adds"] = _with_bad_values(rng, adds.astype(str))
    return pa.table({_header(name): column for name, column in columns.items()})


def _header(name: str) -> str:
    """The column as an export spells it: 'Monthly Listeners', 'Artist ID', 'Age Bracket'."""
    return " ".join("ID" if word == "id" else word.capitalize() for word in name.split("_"))


def _undisclosed(rng: np.random.Generator, values: np.ndarray, share: np.ndarray) -> pa.Array:
    hidden = rng.random(len(values)) < share
    spellings = np.array(UNDISCLOSED_SPELLINGS, dtype=object)[rng.integers(0, len(UNDISCLOSED_SPELLINGS), len(values))]
    return pa.array(np.where(hidden, spellings, values.astype(object)), type=pa.string())


def _with_bad_values(rng: np.random.Generator, values: np.ndarray) -> pa.Array:
    bad = rng.random(len(values)) < BAD_MEASURE_SHARE
    replaced = np.array(BAD_MEASURE_VALUES, dtype=object)[rng.integers(0, len(BAD_MEASURE_VALUES), len(values))]
    return pc.cast(pa.array(np.where(bad, replaced, values.astype(object))), pa.string())
