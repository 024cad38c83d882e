"""Legitimate edge values build through every layer and give defined numbers, never NaN or infinity.

The input is the workshop file with its columns in reverse order, an extra unknown column, and
a few artists changed: zero years active, zero listeners, categories the equity weights do not
know, single-member groups, zero albums, awards and followers.
"""

from __future__ import annotations

import csv

import duckdb
import pytest

from tests.hostile_files import run_build_process, workshop_records
from tests.non_finite import floating_column_count, non_finite_values
from warehouse.ingest.header import SOURCE_COLUMNS

EDITS = {
    5: {"years_active": "0"},
    6: {"monthly_listeners": "0"},
    7: {"gender": "Non-binary"},
    8: {"ethnicity": "Pacific Islander"},
    9: {"label_type": "Self-released"},
    10: {"country": "Iceland", "genre": "Throat Singing"},
    11: {"album_count": "0", "award_wins": "0"},
    12: {"spotify_followers": "0", "soundcloud_followers": "0"},
    13: {"years_active": "0", "monthly_listeners": "0"},
}
EXTRA_COLUMN = "notes, unknown to the warehouse"
INTEGER_COLUMNS = {
    "artist_id", "monthly_listeners", "total_streams", "album_count", "years_active", "award_wins",
    "spotify_followers", "soundcloud_followers",
}


def edge_records() -> list[dict[str, str]]:
    records = workshop_records()
    for record in records:
        record.update(EDITS.get(int(record["artist_id"]), {}))
    return records


@pytest.fixture(scope="module")
def edge_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("edge")
    columns = list(reversed(SOURCE_COLUMNS))
    columns.insert(5, EXTRA_COLUMN)
    csv_path = folder / "edge_values.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for record in edge_records():
            writer.writerow([record.get(column, 'a "quoted", note') for column in columns])
    db = folder / "dei.duckdb"
    result = run_build_process(csv_path, db)
    assert result.returncode == 0, result.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        yield con


def _artist(con, table: str, artist_id: int, columns: str) -> tuple:
    return con.execute(f"select {columns} from {table} where artist_id = ?", [artist_id]).fetchone()


def test_no_nan_or_infinity_in_any_table(edge_build):
    assert floating_column_count(edge_build) > 0
    assert non_finite_values(edge_build) == {}


def test_columns_are_matched_by_name_in_any_order_and_extras_ignored(edge_build):
    loaded = edge_build.execute(
        f"select {', '.join(SOURCE_COLUMNS)} from staging.stg_artists order by line_number"
    ).fetchall()
    expected = [
        tuple(int(record[c]) if c in INTEGER_COLUMNS else record[c] for c in SOURCE_COLUMNS)
        for record in edge_records()
    ]
    assert loaded == expected
    assert edge_build.execute("select count(*) from audit.quarantined_artists").fetchone() == (0,)


def test_zero_years_active_gives_null_rates_with_a_flag(edge_build):
    for artist_id in (5, 13):
        assert _artist(
            edge_build, "features.artist_features", artist_id,
            "listeners_per_year, streams_per_year, albums_per_year, awards_per_year, per_year_undefined",
        ) == (None, None, None, None, True)
    assert _artist(edge_build, "features.artist_features", 4, "per_year_undefined") == (False,)


def test_zero_listeners_has_no_tier_and_defined_ratios(edge_build):
    spotify, streams = _artist(edge_build, "staging.stg_artists", 6, "spotify_followers, total_streams")
    assert _artist(
        edge_build, "features.artist_features", 6,
        "success_tier, success_tier_undefined, followers_to_listeners_ratio, streams_per_listener",
    ) == (None, True, float(spotify), float(streams))


def test_zero_followers_gives_a_zero_ratio(edge_build):
    assert _artist(edge_build, "features.artist_features", 12, "spotify_soundcloud_ratio") == (0.0,)


def test_new_category_gets_the_next_label_code(edge_build):
    assert edge_build.execute(
        "select value, code from features.label_encodings where attribute = 'gender' order by code"
    ).fetchall() == [("Female", 0), ("Male", 1), ("Non-binary", 2)]


def test_unknown_categories_fall_back_to_default_weights_with_flags(edge_build):
    flagged = edge_build.execute(
        """
        select artist_id, gender_weight_defaulted, ethnicity_weight_defaulted, label_boost_defaulted
        from equity.artist_equity_scores
        where gender_weight_defaulted or ethnicity_weight_defaulted or label_boost_defaulted
        order by artist_id
        """
    ).fetchall()
    assert flagged == [(7, True, False, False), (8, False, True, False), (9, False, False, True)]
    assert edge_build.execute(
        "select count(*), count(equity_score), count(distinct equity_rank) from equity.artist_equity_scores"
    ).fetchone() == (40, 40, 40)


def test_single_member_groups_are_flagged_small(edge_build):
    groups = edge_build.execute(
        """
        select attribute, group_value, n, small_group
        from fairness.group_outcomes
        where outcome = 'monthly_listeners'
          and group_value in ('Non-binary', 'Pacific Islander', 'Self-released', 'Iceland', 'Throat Singing')
        order by attribute
        """
    ).fetchall()
    assert groups == [
        ("country", "Iceland", 1, True),
        ("ethnicity", "Pacific Islander", 1, True),
        ("gender", "Non-binary", 1, True),
        ("genre", "Throat Singing", 1, True),
        ("label_type", "Self-released", 1, True),
    ]


def test_models_and_clusters_cover_every_artist(edge_build):
    assert edge_build.execute(
        "select count(*) from ml.model_step_log where status <> 'trained'"
    ).fetchone() == (0,)
    assert edge_build.execute(
        "select feature_set, count(distinct artist_id), count(predicted) = count(*) "
        "from ml.model_predictions group by feature_set order by feature_set"
    ).fetchall() == [("no_leakage", 40, True), ("notebook", 40, True)]
    assert edge_build.execute("select count(*), count(cluster) from ml.artist_clusters").fetchone() == (40, 40)
