"""Seeded synthetic artists with the workshop's 14 columns, for benchmarks at any size.

    python -m warehouse.synthetic --rows 100000 [--seed 42] [--format csv|csv.gz|parquet] [--catalogue] --out F.csv

The value sets are the workshop file's (its genders, ethnicities, genres, countries and label
types). Counts are heavy-tailed like a real catalogue: monthly listeners are lognormal, rise with
years active and a major label, and carry planted group differences (women, independent artists
and every ethnicity but White get fewer listeners on average) so that the fairness tables have
something to find; streams, followers and awards follow listeners. A small share of names holds a
comma or quotes and some are accented, so the loader's quoting and UTF-8 paths are exercised.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from warehouse.ingest.header import SOURCE_COLUMNS
from warehouse.synthetic_catalogue import CATALOGUE_VARS, catalogue_export

# (value, share of artists, effect on log monthly listeners); shares sum to 1
GENDERS = (("Female", 0.45, -0.35), ("Male", 0.55, 0.0))
ETHNICITIES = (
    ("White", 0.40, 0.0), ("Black", 0.22, -0.15), ("Latino", 0.16, -0.2),
    ("Asian", 0.12, -0.3), ("Mixed", 0.06, -0.25), ("Middle Eastern", 0.04, -0.45),
)
LABEL_TYPES = (("Major", 0.35, 1.2), ("Independent", 0.65, 0.0))
GENRES = (
    ("Pop", 0.18, 0.4), ("Hip-Hop", 0.15, 0.3), ("R&B", 0.12, 0.1), ("Alternative", 0.10, 0.0),
    ("Indie Rock", 0.08, -0.2), ("Indie Pop", 0.07, -0.1), ("Electronic", 0.07, -0.1),
    ("Country", 0.06, 0.0), ("Reggaeton", 0.05, 0.3), ("Afrobeats", 0.04, 0.1),
    ("K-Pop", 0.04, 0.3), ("Flamenco Pop", 0.02, -0.1), ("Experimental", 0.02, -0.5),
)
COUNTRIES = (
    ("USA", 0.44, 0.2), ("UK", 0.12, 0.1), ("Canada", 0.06, 0.0), ("Brazil", 0.06, 0.0),
    ("Nigeria", 0.05, -0.2), ("South Korea", 0.05, 0.0), ("Japan", 0.05, -0.1),
    ("Spain", 0.04, 0.0), ("Colombia", 0.04, 0.0), ("Puerto Rico", 0.04, 0.1),
    ("Netherlands", 0.03, -0.1), ("New Zealand", 0.02, -0.1),
)
FIRST_NAMES = (
    "Ana", "Ben", "Chloé", "Dayo", "Eun-ji", "Femi", "Gabriel", "Hana", "Ibrahim", "Jade", "Kofi",
    "Lucía", "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sade", "Taro", "Uma", "Valentina",
    "Wei", "Ximena", "Yara", "Zeynep", "Lil", "DJ", "MC", "Young",
)
LAST_NAMES = (
    "Adeyemi", "Bianchi", "Cruz", "Dubois", "Evans", "Fernández", "Garcia", "Haddad", "Ito",
    "Johnson", "Kim", "López", "Mensah", "Nakamura", "Okafor", "Park", "Quispe", "Rossi", "Silva",
    "Takahashi", "Usman", "Vargas", "Williams", "Xu", "Yilmaz", "Zhang", "Moon", "Wave", "Nova",
)
# names that need CSV quoting: a comma, or a quote doubled inside a quoted field
QUOTED_NAME_SHARE = 0.02

MAX_MONTHLY_LISTENERS = 150_000_000
BASE_LOG_LISTENERS = np.log(60_000)
LISTENER_SPREAD = 1.6


def _draw_category(rng: np.random.Generator, n_rows: int, levels) -> tuple[np.ndarray, np.ndarray]:
    """Codes into `levels` drawn with the levels' shares, and each row's effect on log listeners."""
    shares = np.array([share for _, share, _ in levels])
    effects = np.array([effect for _, _, effect in levels])
    codes = rng.choice(len(levels), size=n_rows, p=shares / shares.sum()).astype(np.int8)
    return codes, effects[codes]


def _dictionary_column(codes: np.ndarray, levels) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(codes, pa.array([value for value, _, _ in levels]))


def _name_pool() -> list[str]:
    """Every first-last pair three ways: plain, with a comma, and with a quoted nickname."""
    pairs = [(first, last) for first in FIRST_NAMES for last in LAST_NAMES]
    partners = [LAST_NAMES[(i * 7 + 3) % len(LAST_NAMES)] for i in range(len(pairs))]
    plain = [f"{first} {last}" for first, last in pairs]
    with_comma = [f"{first} {last}, {partner}" for (first, last), partner in zip(pairs, partners, strict=True)]
    nicknamed = [f'{first} "{partner}" {last}' for (first, last), partner in zip(pairs, partners, strict=True)]
    return plain + with_comma + nicknamed


def _artist_names(rng: np.random.Generator, n_rows: int) -> pa.DictionaryArray:
    pool = _name_pool()
    n_pairs = len(pool) // 3
    pair = rng.integers(0, n_pairs, n_rows)
    style = rng.random(n_rows)
    variant = np.where(style < QUOTED_NAME_SHARE / 2, 1, np.where(style < QUOTED_NAME_SHARE, 2, 0))
    return pa.DictionaryArray.from_arrays((variant * n_pairs + pair).astype(np.int32), pa.array(pool))


def _counts(values: np.ndarray, lower: int = 0, upper: int | None = None) -> np.ndarray:
    return np.clip(np.rint(values), lower, upper).astype(np.int64)


def generate_artists(n_rows: int, seed: int = 42) -> pa.Table:
    """n_rows artists as an Arrow table with the 14 source columns, identical for the same seed."""
    if n_rows < 1:
        raise ValueError(f"n_rows must be at least 1, got {n_rows}")
    rng = np.random.default_rng(seed)
    gender, gender_effect = _draw_category(rng, n_rows, GENDERS)
    ethnicity, ethnicity_effect = _draw_category(rng, n_rows, ETHNICITIES)
    genre, genre_effect = _draw_category(rng, n_rows, GENRES)
    country, country_effect = _draw_category(rng, n_rows, COUNTRIES)
    label_type, label_effect = _draw_category(rng, n_rows, LABEL_TYPES)

    # never 0: the notebook divides by years_active and its models cannot take infinity
    years_active = np.clip(np.rint(rng.lognormal(np.log(7), 0.6, n_rows)), 1, 45).astype(np.int64)
    talent = rng.standard_normal(n_rows)
    log_listeners = (
        BASE_LOG_LISTENERS + 0.6 * np.log(years_active)
        + gender_effect + ethnicity_effect + genre_effect + country_effect + label_effect
        + LISTENER_SPREAD * talent
    )
    # at least 1: pd.cut's first bin is (0, 5M], so 0 listeners would have no success tier
    monthly_listeners = _counts(np.exp(log_listeners), lower=1, upper=MAX_MONTHLY_LISTENERS)
    listeners_millions = monthly_listeners / 1e6
    streams_per_listener = np.exp(np.log(120) + 0.5 * np.log(years_active) + 0.5 * rng.standard_normal(n_rows))
    award_rate = 0.4 * listeners_millions ** 0.6 * years_active / 10 * np.exp(label_effect / 2)
    independent_boost = np.where(label_type == 1, 0.8, 0.0)

    columns = {
        "artist_id": np.arange(1, n_rows + 1, dtype=np.int64),
        "artist_name": _artist_names(rng, n_rows),
        "gender": _dictionary_column(gender, GENDERS),
        "ethnicity": _dictionary_column(ethnicity, ETHNICITIES),
        "genre": _dictionary_column(genre, GENRES),
        "country": _dictionary_column(country, COUNTRIES),
        "monthly_listeners": monthly_listeners,
        "total_streams": _counts(monthly_listeners * streams_per_listener),
        "album_count": 1 + rng.poisson(years_active * 0.45),
        "years_active": years_active,
        "label_type": _dictionary_column(label_type, LABEL_TYPES),
        "award_wins": np.minimum(rng.poisson(award_rate), 40),
        "spotify_followers": _counts(monthly_listeners * np.exp(-0.2 + 0.5 * rng.standard_normal(n_rows))),
        "soundcloud_followers": _counts(
            monthly_listeners * np.exp(np.log(0.06) + independent_boost + 0.8 * rng.standard_normal(n_rows))
        ),
    }
    return pa.table({name: columns[name] for name in SOURCE_COLUMNS})


def write_csv(table: pa.Table, path: Path) -> Path:
    """Write the table as a UTF-8 CSV with a header, quoting only the fields that need it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        con.execute("set enable_progress_bar = false")
        con.from_arrow(table).write_csv(str(path), header=True)
    return path


def write_csv_gz(table: pa.Table, path: Path) -> Path:
    """The same CSV as write_csv, gzip-compressed (at gzip's default level, as exports usually are)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        con.execute("set enable_progress_bar = false")
        con.from_arrow(table).write_csv(str(path), header=True, compression="gzip")
    return path


def write_parquet(table: pa.Table, path: Path) -> Path:
    """The table as one Parquet file (pyarrow's defaults: Snappy, the names dictionary-encoded)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)
    return path


WRITERS = {"csv": write_csv, "csv.gz": write_csv_gz, "parquet": write_parquet}


def format_of(path: Path) -> str:
    """The format a file name asks for: .parquet, .gz, otherwise CSV."""
    if path.suffix == ".parquet":
        return "parquet"
    return "csv.gz" if path.suffix == ".gz" else "csv"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m warehouse.synthetic", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, required=True, help="number of artists")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--format", choices=sorted(WRITERS),
                        help="file format (default: from the name of --out: .parquet, .gz, else csv)")
    parser.add_argument("--out", type=Path, required=True, help="file to write")
    parser.add_argument("--catalogue", action="store_true",
                        help="shaped as a catalogue export (warehouse/synthetic_catalogue.py): its own headers, "
                             "region, age_bracket and playlist_adds, undisclosed demographics, a few bad values")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    file_format = args.format or format_of(args.out)
    artists = generate_artists(args.rows, args.seed)
    if args.catalogue:
        artists = catalogue_export(artists, args.seed)
    WRITERS[file_format](artists, args.out)
    print(f"wrote {args.rows} artists to {args.out} ({file_format})")
    if args.catalogue:
        print(f"build it with DBT_VARS='{json.dumps(CATALOGUE_VARS)}'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
