"""equity.top_k_representation: the first k artists of equity_rank against the population, and the
infeasible index of Geyik et al. (KDD'19) as AIF360 computes it.

On the workshop build (40 artists: k = 50 and 100 exceed them) and the small synthetic one (300
artists, every k below that, an attribute with a null group), against pandas and AIF360's
RegressionDatasetMetric.infeasible_index run here on the warehouse's own equity and feature rows.
"""

from __future__ import annotations

import json

import duckdb
import numpy as np
import pandas as pd
import pytest
from aif360.datasets import RegressionDataset
from aif360.metrics import RegressionDatasetMetric

from tests import small_synthetic
from tests.conftest import query_df
from tests.parity import SQL_RTOL
from tests.report_page import body_rows, parse_page, spec_values
from warehouse.settings.derived import fairness_attributes
from warehouse.settings.project import project_vars

DEFAULTS = project_vars()
NULL_GROUP = "<null>"


def warehouse_vars(name: str) -> dict:
    return DEFAULTS if name == "workshop" else {**DEFAULTS, **small_synthetic.VARIABLES}


@pytest.fixture(scope="module", params=["workshop", "small_synthetic"])
def build(request):
    """(vars, top_k_representation, artists in equity_rank order with every attribute) of one build."""
    db = request.getfixturevalue(f"{request.param}_db")
    variables = warehouse_vars(request.param)
    attributes = ", ".join(f'features."{name}"::varchar as "{name}"' for name in fairness_attributes(variables))
    with duckdb.connect(str(db), read_only=True) as con:
        table = query_df(con, "select * from equity.top_k_representation")
        ranking = query_df(con, f"select scores.equity_rank, {attributes} from equity.artist_equity_scores as scores "
                                "inner join features.artist_features as features using (artist_id) "
                                "order by scores.equity_rank")
    table["group_value"] = table["group_value"].astype("string").fillna(NULL_GROUP)
    return variables, table, ranking.astype("string").fillna(NULL_GROUP).assign(equity_rank=ranking["equity_rank"])


def rows_of(table: pd.DataFrame, k: int, attribute: str) -> pd.DataFrame:
    return table[(table["k"] == k) & (table["attribute"] == attribute)].set_index("group_value").sort_index()


def population_shares(ranking: pd.DataFrame, attribute: str) -> pd.Series:
    counts = ranking[attribute].value_counts().sort_index()
    return counts / counts.sum()


def aif360_infeasible_prefixes(ranking: pd.DataFrame, attribute: str, effective_k: int) -> int:
    """len(k_viol) of AIF360's infeasible_index on the artists in equity_rank order, r = effective_k + 1.

    AIF360 min-max scales every column of a RegressionDataset, the protected attribute too, so each
    group is coded in [0, 1] (i / (groups - 1)), which scaling maps to itself. Its ravel of the
    unprivileged + privileged value lists needs lists of equal length: every real group is
    unprivileged, and as many codes no artist has are privileged with a target share of 0, which
    floor(0 x p) = 0 never lets count as a violation.
    """
    shares = population_shares(ranking, attribute)
    codes = {group: position / max(len(shares) - 1, 1) for position, group in enumerate(shares.index)}
    frame = pd.DataFrame({"score": -ranking["equity_rank"].astype(float),
                          "group": ranking[attribute].map(codes).astype(float)})
    phantoms = [2.0 + position for position in range(len(shares))]
    dataset = RegressionDataset(frame, dep_var_name="score", protected_attribute_names=["group"],
                                privileged_classes=[phantoms])
    target = {codes[group]: share for group, share in shares.items()} | dict.fromkeys(phantoms, 0.0)
    _, violated_positions = RegressionDatasetMetric(dataset).infeasible_index(target_prop=target, r=effective_k + 1)
    return len(violated_positions)


def cases(variables: dict) -> list[tuple[int, str]]:
    return [(k, attribute) for k in variables["equity_top_k"] for attribute in fairness_attributes(variables)]


def test_every_k_attribute_and_population_group_has_one_row(build):
    variables, table, ranking = build
    for k, attribute in cases(variables):
        assert list(rows_of(table, k, attribute).index) == list(population_shares(ranking, attribute).index)


def test_counts_shares_and_shortfalls_are_pandas(build):
    variables, table, ranking = build
    artists = len(ranking)
    for k, attribute in cases(variables):
        rows = rows_of(table, k, attribute)
        effective_k = min(k, artists)
        shares = population_shares(ranking, attribute)
        top = ranking.head(effective_k)[attribute].value_counts().reindex(shares.index, fill_value=0)
        expected_min = np.floor(shares * effective_k).astype(int)
        assert set(rows["effective_k"]) == {effective_k}
        assert (rows["population_n"] == ranking[attribute].value_counts().reindex(shares.index)).all()
        np.testing.assert_allclose(rows["population_share"], shares, rtol=SQL_RTOL, atol=0)
        assert (rows["top_k_n"] == top).all()
        np.testing.assert_allclose(rows["top_k_share"], top / effective_k, rtol=SQL_RTOL, atol=0)
        np.testing.assert_allclose(rows["representation_ratio"], top / effective_k / shares, rtol=SQL_RTOL, atol=0)
        assert (rows["expected_min_n"] == expected_min).all()
        assert (rows["shortfall"] == (expected_min - top).clip(lower=0)).all()


def test_the_infeasible_index_is_aif360s_count_of_violated_prefixes(build):
    variables, table, ranking = build
    for k, attribute in cases(variables):
        rows = rows_of(table, k, attribute)
        assert rows["infeasible_index"].nunique() == 1
        expected = aif360_infeasible_prefixes(ranking, attribute, min(k, len(ranking)))
        assert rows["infeasible_index"].iloc[0] == expected, (k, attribute)


def test_the_last_prefix_is_infeasible_exactly_when_a_group_falls_short(build):
    variables, table, ranking = build
    for k, attribute in cases(variables):
        effective_k = min(k, len(ranking))
        shorter = aif360_infeasible_prefixes(ranking, attribute, effective_k - 1) if effective_k > 1 else 0
        rows = rows_of(table, k, attribute)
        assert (rows["infeasible_index"].iloc[0] - shorter == 1) == (rows["shortfall"] > 0).any(), (k, attribute)


def test_the_top_k_holds_exactly_k_artists(build):
    """equity_rank is a row_number (ties in the score broken by file order): no tie widens the list."""
    variables, table, ranking = build
    assert ranking["equity_rank"].is_unique
    sums = table.groupby(["k", "attribute"]).agg(top=("top_k_n", "sum"), effective_k=("effective_k", "first"))
    assert (sums["top"] == sums["effective_k"]).all()


def test_a_k_beyond_the_artists_is_capped_and_flagged(workshop_db):
    with duckdb.connect(str(workshop_db), read_only=True) as con:
        table = query_df(con, "select * from equity.top_k_representation")
        artists = con.execute("select count(*) from features.artist_features").fetchone()[0]
    beyond = table[table["k"] > artists]
    assert set(beyond["k"]) == {k for k in DEFAULTS["equity_top_k"] if k > artists} != set()
    assert beyond["k_exceeds_artists"].all()
    assert (beyond["effective_k"] == artists).all()
    assert (beyond["top_k_n"] == beyond["population_n"]).all()
    assert (beyond["top_k_share"] == beyond["population_share"]).all()
    assert (beyond["shortfall"] == 0).all()
    assert not table.loc[table["k"] <= artists, "k_exceeds_artists"].any()


def test_the_group_without_a_value_has_its_row(small_synthetic_db):
    with duckdb.connect(str(small_synthetic_db), read_only=True) as con:
        rows = query_df(con, "select k, population_n, top_k_n from equity.top_k_representation "
                             "where attribute = 'success_tier' and group_value is null order by k")
    assert list(rows["k"]) == small_synthetic.TOP_K
    assert set(rows["population_n"]) == {1}


# --- the report ---------------------------------------------------------------------------------

def test_the_reports_table_sums_up_each_list_and_attribute_once(workshop_report, warehouse):
    # the workshop's 40 artists: k = 50 and k = 100 are both the whole ranking, one row
    expected = warehouse.execute(
        "select array_to_string(list_sort(list(distinct k)), ', ') || case when bool_or(k_exceeds_artists) "
        "then ' (all ' || effective_k || ' artists)' else '' end, attribute, count(*) // count(distinct k), "
        "count(*) filter (where shortfall > 0) // count(distinct k), sum(shortfall)::bigint // count(distinct k), "
        "any_value(infeasible_index) from equity.top_k_representation group by effective_k, attribute "
        "order by effective_k, attribute").fetchall()
    rows = body_rows(parse_page(workshop_report), "top-k-representation")
    shown = [(row[0]["text"], row[1]["text"], int(row[2]["value"]), int(row[3]["value"]), int(row[4]["value"]),
              int(row[5]["value"])) for row in rows]
    assert shown == expected
    assert [label for label, *_ in expected][-1] == "50, 100 (all 40 artists)"


def test_the_reports_chart_draws_every_share(workshop_report, warehouse):
    spec = json.loads(parse_page(workshop_report).specs["top-k-shares-spec"])
    drawn = {(row["k"], row["attribute"], row["group_value"]): (row["population_share"], row["top_k_share"])
             for values in spec_values(spec) for row in values}
    expected = warehouse.execute(
        "select k, attribute, group_value, population_share, top_k_share from equity.top_k_representation").fetchall()
    assert drawn == {(k, attribute, group): (population, top) for k, attribute, group, population, top in expected}


def test_the_reports_prose_names_the_list_lengths_of_the_warehouse(workshop_report, warehouse):
    lengths = [f"{int(value):,}" for (value,) in warehouse.execute(
        "select numeric_value from reporting.report_settings where setting_name = 'equity_top_k' "
        "order by item_position").fetchall()]
    assert lengths == [str(k) for k in DEFAULTS["equity_top_k"]]
    assert f"(k = {', '.join(lengths[:-1])} and {lengths[-1]})" in workshop_report.read_text(encoding="utf-8")
