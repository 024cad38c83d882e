"""equity.artist_equity_scores equals the notebook's create_equity_score, and stays defined where it is not."""

import csv

import duckdb
import numpy as np
import pandas as pd
import pytest

from tests import notebook_reference as nb
from tests.conftest import REPO_ROOT, build_from_rows, query_df
from tests.parity import SQL_RTOL
from warehouse.ingest.header import SOURCE_COLUMNS

SCORES = ["quality_score", "visibility_score", "demo_weight", "label_boost", "equity_score"]
FLAGS = ["gender_weight_defaulted", "ethnicity_weight_defaulted", "label_boost_defaulted",
         "albums_per_year_undefined", "normalization_undefined"]


def assert_close(actual, expected):
    np.testing.assert_allclose(actual, expected, rtol=SQL_RTOL, atol=0)


def notebook_equity(csv_path) -> pd.DataFrame:
    df_engineered, *_ = nb.engineer_features(nb.load(csv_path))
    return nb.create_equity_score(df_engineered)


def warehouse_scores(db_path) -> pd.DataFrame:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return query_df(con, "select * from equity.artist_equity_scores")


@pytest.fixture(scope="module")
def notebook_scores(workshop_csv):
    return notebook_equity(workshop_csv).set_index("artist_id").sort_index()


@pytest.fixture(scope="module")
def scores(workshop_db):
    return warehouse_scores(workshop_db).set_index("artist_id").sort_index()


def test_one_row_per_artist(scores, notebook_scores):
    assert list(scores.index) == list(notebook_scores.index)


@pytest.mark.parametrize("column", SCORES)
def test_score_equals_notebook(column, scores, notebook_scores):
    assert_close(scores[column], notebook_scores[column])


def test_notebook_equity_score_column_is_the_notebook_number(scores, notebook_scores):
    assert_close(scores["notebook_equity_score"], notebook_scores["equity_score"])


def test_no_flag_is_raised_on_the_workshop_data(scores):
    assert not scores[FLAGS].to_numpy().any()


def test_top_15_equals_notebook_in_order(workshop_csv, workshop_db):
    expected = nb.top_equity(notebook_equity(workshop_csv))
    with duckdb.connect(str(workshop_db), read_only=True) as con:
        top = query_df(con, "select artist_name, equity_score from equity.artist_equity_scores "
                            "where equity_rank <= 15 order by equity_rank")
    assert list(top["artist_name"]) == list(expected["artist_name"])
    assert_close(top["equity_score"], expected["equity_score"])


def test_rank_orders_by_score_then_file_order(workshop_csv, scores):
    order = notebook_equity(workshop_csv).nlargest(len(scores), "equity_score")["artist_id"]
    assert list(scores.sort_values("equity_rank").index) == list(order)


def test_every_hard_coded_weight_is_in_the_seed():
    with open(REPO_ROOT / "dbt_project" / "seeds" / "equity_weights.csv", newline="") as handle:
        seed = {(row["weight_set"], row["item"]): float(row["weight"]) for row in csv.DictReader(handle)}
    assert seed == {
        ("quality_component", "award_wins"): 0.3, ("quality_component", "albums_per_year"): 0.2,
        ("quality_component", "years_active"): 0.2, ("quality_component", "streams_per_listener"): 0.3,
        ("gender", "Female"): 1.3, ("gender", "Male"): 1.0,
        ("ethnicity", "White"): 1.0, ("ethnicity", "Black"): 1.2, ("ethnicity", "Latino"): 1.2,
        ("ethnicity", "Asian"): 1.3, ("ethnicity", "Mixed"): 1.2, ("ethnicity", "Middle Eastern"): 1.4,
        ("label_type", "Independent"): 1.2, ("label_type", "Major"): 1.0,
        ("equity_component", "quality_score"): 0.4, ("equity_component", "visibility_score"): 0.3,
        ("equity_component", "demo_weight"): 0.2, ("equity_component", "label_boost"): 0.1,
        ("unknown_category", "default"): 1.0,
    }


# Where the notebook breaks: an artist with albums and years_active = 0 (x / 0 = inf, which makes the
# notebook's albums_per_year maximum infinite), an unknown gender and an unknown label type.
EDGE_ROWS = [
    [1, "Steady", "Female", "White", "Pop", "USA", 5000000, 900000000, 4, 8, "Major", 2, 3000000, 100000],
    [2, "Newcomer", "Male", "Black", "Pop", "USA", 300000, 20000000, 1, 0, "Independent", 0, 100000, 50000],
    [3, "Outside The Map", "Non-binary", "Asian", "Rock", "UK", 800000, 60000000, 3, 5, "Major", 1, 400000, 90000],
    [4, "Self Released", "Female", "Latino", "Folk", "Mexico", 1200000, 150000000, 2, 4, "Self-released",
     0, 700000, 80000],
    [5, "Veteran", "Male", "White", "Rock", "UK", 9000000, 2000000000, 12, 20, "Major", 6, 8000000, 300000],
]


@pytest.fixture(scope="module")
def edge_case(tmp_path_factory):
    folder = tmp_path_factory.mktemp("equity_edges")
    csv_path, db_path = build_from_rows(folder, "edges", SOURCE_COLUMNS, EDGE_ROWS)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = notebook_equity(csv_path)
    return expected.set_index("artist_id").sort_index(), warehouse_scores(db_path).set_index("artist_id").sort_index()


def test_every_artist_gets_a_finite_score_where_the_notebook_gives_nan(edge_case):
    expected, scores = edge_case
    assert expected["equity_score"].isna().sum() == 3
    assert scores["equity_score"].notna().all()
    assert np.isfinite(scores["equity_score"]).all()


def test_notebook_equity_score_is_null_exactly_where_the_notebook_gives_nan(edge_case):
    expected, scores = edge_case
    assert list(scores["notebook_equity_score"].isna()) == list(expected["equity_score"].isna())
    defined = expected["equity_score"].notna()
    assert_close(scores.loc[defined, "notebook_equity_score"], expected.loc[defined, "equity_score"])


def test_unknown_categories_take_the_default_weight_and_are_flagged(edge_case):
    _, scores = edge_case
    assert list(scores.index[scores["gender_weight_defaulted"]]) == [3]
    assert list(scores.index[scores["label_boost_defaulted"]]) == [4]
    assert not scores["ethnicity_weight_defaulted"].any()
    assert scores.loc[3, "demo_weight"] == 1.0 * 1.3
    assert scores.loc[4, "label_boost"] == 1.0


def test_zero_years_counts_albums_per_year_as_zero(edge_case):
    _, scores = edge_case
    assert list(scores.index[scores["albums_per_year_undefined"]]) == [2]
    newcomer = scores.loc[2]
    # award_wins = 0 and albums_per_year counts as 0: only years_active (0) and streams per listener remain
    streams_per_listener = 20000000 / 300001
    max_streams_per_listener = max(row[7] / (row[6] + 1) for row in EDGE_ROWS)
    assert_close(newcomer["quality_score"], streams_per_listener / max_streams_per_listener * 0.3)


def test_scores_of_defined_artists_equal_the_notebook_once_albums_are_counted(edge_case):
    expected, scores = edge_case
    # the notebook's infinite albums maximum zeroes every artist's albums term; the warehouse's
    # maximum is over the defined values, so the two agree only on the other components
    assert (scores.loc[[1, 5], "quality_score"] > expected.loc[[1, 5], "quality_score"]).all()
    assert_close(scores.loc[[1, 5], "visibility_score"], expected.loc[[1, 5], "visibility_score"])
