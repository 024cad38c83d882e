"""fairness.conditional_parity and conditional_parity_summary equal Fairlearn and AIF360 computed here
from the warehouse's own artists (features.artist_features, high success at group_outcomes' thresholds),
on the workshop build and on one small build of edge cases.

AIF360 counts the labels present in each group (smoothed_base_rate's np.unique), so a group that is all
high-success gets a smoothed rate of exactly 1 and an infinite epsilon; the warehouse follows Foulds et
al.'s |R_Y| = 2. The library gives that definition when each group carries one zero-weight row of each
label (no count changes, both labels present): `padded` below.
"""

from __future__ import annotations

import json
import logging

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml

from tests.conftest import REPO_ROOT, build_from_rows, query_df
from tests.parity import SQL_RTOL
from warehouse.settings.derived import fairness_attributes, fairness_control_pairs, member_columns

logging.getLogger().setLevel(logging.ERROR)  # aif360 logs its missing optional packages at import
from aif360.sklearn.metrics import (  # noqa: E402
    conditional_demographic_disparity,
    intersection,
    num_pos_neg,
    smoothed_base_rate,
    smoothed_edf,
)
from fairlearn.metrics import MetricFrame, count, selection_rate  # noqa: E402

VARS = yaml.safe_load((REPO_ROOT / "dbt_project" / "dbt_project.yml").read_text())["vars"]
EDGE_VARS = {"train_feature_sets": [], "outcomes": ["monthly_listeners"],
             "fairness_controls": ["label_type", "genre", "success_tier"],
             "fairness_reference_groups": {"ethnicity": "A"}}
HEADER = ["artist_id", "artist_name", "gender", "ethnicity", "genre", "country", "monthly_listeners",
          "total_streams", "album_count", "years_active", "label_type", "award_wins", "spotify_followers",
          "soundcloud_followers"]
COUNTRY_OF_GENRE = {"Pop": "USA", "Rock": "UK", "Solo": "France", "Split": "Brazil"}


def assert_close(actual, expected):
    np.testing.assert_allclose(actual, expected, rtol=SQL_RTOL, atol=0)


def assert_sum_close(actual, expected):
    """A weighted sum of shares that can cancel to 0: summed in another order, 0 comes out as 1e-17."""
    np.testing.assert_allclose(actual, expected, rtol=SQL_RTOL, atol=1e-12)


def edge_rows(seed: int = 11) -> list[list]:
    """300 artists: the top 75 by listeners are above 25M and the rest below 20M, so the 75th percentile
    splits them and every success tier is all high-success or all not; genre Solo holds women only,
    genre Split high-success men and other women (rates 1 and 0) without ethnicity A; one artist of
    ethnicity Pacific (a group of one, high-success); country follows genre; one artist has 0 listeners
    (no success tier)."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(300):
        high = i < 75
        genre = "Split" if i % 10 == 0 else "Solo" if i % 10 == 1 else ["Pop", "Rock"][i % 2]
        gender = {"Split": "Male" if high else "Female", "Solo": "Female"}.get(genre, rng.choice(["Male", "Female"]))
        ethnicity = "Pacific" if i == 3 else rng.choice(["B", "C"] if genre == "Split" else ["A", "B", "C"])
        listeners = int(rng.integers(30_000_000, 80_000_000)) if high else 0 if i == 299 else int(
            rng.integers(1_000_000, 20_000_000))
        rows.append([i + 1, f"Artist {i + 1}", gender, ethnicity, genre, COUNTRY_OF_GENRE[genre], listeners,
                     int(rng.integers(1, 10**9)), 3, 5, rng.choice(["Major", "Independent"]), 0, 10, 5])
    return rows


@pytest.fixture(scope="module")
def edge_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("conditional_edges")
    return build_from_rows(folder, "edges", HEADER, edge_rows(), "--vars", json.dumps(EDGE_VARS))[1]


def read_build(db, overrides: dict) -> dict:
    variables = {**VARS, **overrides}
    columns = {column for attribute in fairness_attributes(variables)
               for column in member_columns(attribute, variables)}
    columns |= set(variables["fairness_controls"])
    with duckdb.connect(str(db), read_only=True) as con:
        artists = query_df(con, "select " + ", ".join(f'"{c}"::varchar as "{c}"' for c in sorted(columns)) + ", "
                           + ", ".join(variables["outcomes"]) + " from features.artist_features")
        thresholds = dict(con.execute("select outcome, any_value(threshold) from fairness.group_outcomes "
                                      "group by outcome").fetchall())
        tables = {name: query_df(con, f"select * from fairness.{name}")
                  for name in ("conditional_parity", "conditional_parity_summary", "group_outcomes")}
    for outcome in variables["outcomes"]:
        artists[f"{outcome}__high"] = (artists[outcome] >= thresholds[outcome]).astype(int)
    return {"vars": variables, "artists": artists, **tables}


@pytest.fixture(scope="module", params=["workshop", "edges"])
def build(request):
    if request.param == "workshop":
        return read_build(request.getfixturevalue("workshop_db"), {})
    return read_build(request.getfixturevalue("edge_db"), EDGE_VARS)


def cases(build):
    return [(outcome, attribute, control) for outcome in build["vars"]["outcomes"]
            for attribute, control in fairness_control_pairs(build["vars"])]


def pair_artists(build, attribute, control) -> tuple[pd.DataFrame, list[str]]:
    """The artists with a group and a control value (the warehouse leaves the others out), with the
    attribute's group label (an intersection's members joined by '_') and its member columns."""
    members = member_columns(attribute, build["vars"])
    frame = build["artists"].dropna(subset=[*members, control]).copy()
    frame["group"] = frame[members].agg("_".join, axis=1)
    return frame, members


def strata(build, outcome, attribute, control):
    """(control value, labels indexed by group named after the attribute) per stratum."""
    frame, _ = pair_artists(build, attribute, control)
    for value, rows in frame.groupby(control):
        yield value, pd.Series(rows[f"{outcome}__high"].to_numpy(), index=pd.Index(rows["group"], name=attribute))


def rows_of(table, outcome, attribute, control):
    return table[(table["outcome"] == outcome) & (table["attribute"] == attribute)
                 & (table["control_attribute"] == control)]


def padded(labels: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """labels plus one zero-weight 1 and 0 per group: AIF360 then counts |R_Y| = 2 in every group."""
    groups = labels.index.unique()
    extra = pd.Series([1, 0] * len(groups), index=pd.Index(np.repeat(groups, 2), name=labels.index.name))
    return pd.concat([labels, extra]), np.r_[np.ones(len(labels)), np.zeros(len(extra))]


def aif360_group_dds(labels: pd.Series) -> dict:
    """AIF360's DD_i of each group of one stratum (its conditional_demographic_disparity's inner dd:
    group negatives / all negatives - group positives / all positives), from the library's counts."""
    positives, negatives = num_pos_neg(labels)
    counts, groups = intersection(num_pos_neg, labels, prot_attr=labels.index.name, return_groups=True)
    return {group: neg / negatives - pos / positives for (pos, neg), group in zip(counts, groups, strict=True)}


def test_every_outcome_attribute_and_control_is_summarised(build):
    summary = build["conditional_parity_summary"]
    found = sorted(zip(summary["outcome"], summary["attribute"], summary["control_attribute"], strict=True))
    assert found == sorted(cases(build))
    assert ("gender_ethnicity", "genre") in fairness_control_pairs(build["vars"])
    assert ("genre", "genre") not in fairness_control_pairs(build["vars"])


def test_conditional_rates_and_counts_equal_fairlearn(build):
    """MetricFrame(selection_rate, sensitive_features=<the attribute's columns>, control_features=[control]):
    an intersection (gender_ethnicity) is MetricFrame over its two columns."""
    for outcome, attribute, control in cases(build):
        frame, members = pair_artists(build, attribute, control)
        flags = frame[f"{outcome}__high"]
        by_group = MetricFrame(metrics={"rate": selection_rate, "n": count}, y_true=flags, y_pred=flags,
                               sensitive_features=frame[members], control_features=frame[[control]]).by_group
        by_group = by_group.dropna()
        expected = {(key[0], "_".join(key[1:])): row for key, row in by_group.iterrows()}
        rows = rows_of(build["conditional_parity"], outcome, attribute, control)
        found = rows.set_index(["control_value", "group_value"])
        assert sorted(found.index) == sorted(expected), (outcome, attribute, control)
        order = sorted(expected)
        assert list(found.loc[order, "n"]) == [expected[key]["n"] for key in order]
        assert_close(found.loc[order, "rate"], [expected[key]["rate"] for key in order])
        outcomes = build["group_outcomes"]
        [reference_group] = outcomes[(outcomes["outcome"] == outcome) & (outcomes["attribute"] == attribute)][
            "reference_group"].unique()
        assert set(rows["reference_group"]) == {reference_group}
        for (value, group), row in found.iterrows():
            reference = expected.get((value, reference_group))
            assert row["reference_group_absent"] == (reference is None)
            if reference is not None:
                assert_close(row["rate_difference"], expected[(value, group)]["rate"] - reference["rate"])


def test_group_outcomes_intersections_equal_fairlearn_over_two_columns(build):
    for name, members in [("_".join(m), list(m)) for m in build["vars"]["fairness_intersections"]]:
        frame = build["artists"].dropna(subset=members)
        for outcome in build["vars"]["outcomes"]:
            flags = frame[f"{outcome}__high"]
            by_group = MetricFrame(metrics=selection_rate, y_true=flags, y_pred=flags,
                                   sensitive_features=frame[members]).by_group.dropna()
            rows = build["group_outcomes"]
            rows = rows[(rows["outcome"] == outcome) & (rows["attribute"] == name)].set_index("group_value")
            expected = {"_".join(key): rate for key, rate in by_group.items()}
            assert sorted(rows.index) == sorted(expected)
            assert_close(rows.loc[sorted(expected), "high_success_rate"], [expected[g] for g in sorted(expected)])


def test_smoothed_rates_equal_aif360_smoothed_base_rate(build):
    concentration = build["vars"]["smoothing_concentration"]
    for outcome, attribute, control in cases(build):
        found = rows_of(build["conditional_parity"], outcome, attribute, control).set_index(
            ["control_value", "group_value"])["smoothed_rate"]
        for value, labels in strata(build, outcome, attribute, control):
            for group in labels.index.unique():
                group_labels = labels[labels.index == group].to_numpy()
                padded_labels, weights = padded(labels[labels.index == group])
                expected = smoothed_base_rate(padded_labels.to_numpy(), concentration=concentration,
                                              sample_weight=weights)
                assert_close(found[(value, group)], expected)
                if len(set(group_labels)) == 2:  # both labels present: the library needs no padding
                    assert_close(found[(value, group)], smoothed_base_rate(group_labels, concentration=concentration))


def test_demographic_disparity_is_aif360s_dd_in_each_stratum(build):
    """Each row's DD is AIF360's; its N-weighted sum over the stratum's groups is the library's own
    conditional_demographic_disparity of the stratum (which raises ZeroDivisionError where DD is 0/0)."""
    for outcome, attribute, control in cases(build):
        rows = rows_of(build["conditional_parity"], outcome, attribute, control).set_index(
            ["control_value", "group_value"])
        for value, labels in strata(build, outcome, attribute, control):
            found = rows.loc[value]
            if 0 < labels.sum() < len(labels):
                expected = aif360_group_dds(labels)
                order = sorted(expected)
                assert_close(found.loc[order, "demographic_disparity"], [expected[group] for group in order])
                weighted = (found["n"] * found["demographic_disparity"]).sum() / len(labels)
                assert_sum_close(weighted, conditional_demographic_disparity(labels, prot_attr=attribute))
            else:
                with pytest.raises(ZeroDivisionError):
                    conditional_demographic_disparity(labels, prot_attr=attribute)
                assert found["demographic_disparity"].isna().all()
                assert found["demographic_disparity_undefined_reason"].notna().all()


def test_cdd_weights_aif360s_dd_of_the_smallest_group_by_stratum_size(build):
    for outcome, attribute, control in cases(build):
        [row] = rows_of(build["conditional_parity_summary"], outcome, attribute, control).to_dict("records")
        frame, _ = pair_artists(build, attribute, control)
        sizes = frame["group"].value_counts()
        assert row["cdd_group"] == min(sizes.index, key=lambda group: (sizes[group], group))
        weighted, artists, used = 0.0, 0, 0
        for _, labels in strata(build, outcome, attribute, control):
            if 0 < labels.sum() < len(labels):  # AIF360 divides by zero in the other strata
                weighted += len(labels) * aif360_group_dds(labels).get(row["cdd_group"], 0.0)
                artists, used = artists + len(labels), used + 1
        assert (row["cdd_n"], row["cdd_n_strata"]) == (artists, used)
        if used:
            assert_sum_close(row["conditional_demographic_disparity"], weighted / artists)
            assert pd.isna(row["cdd_undefined_reason"])
        else:
            assert np.isnan(row["conditional_demographic_disparity"])
            assert row["cdd_undefined_reason"] == "no_stratum_with_both_outcomes"


def stratum_epsilon(labels: pd.Series, concentration: float) -> float:
    """AIF360's smoothed_edf of one stratum with |R_Y| = 2 (padded)."""
    padded_labels, weights = padded(labels)
    return smoothed_edf(padded_labels, prot_attr=labels.index.name, concentration=concentration,
                        sample_weight=weights)


def test_epsilon_is_aif360s_smoothed_edf_maximised_over_strata(build):
    concentration = build["vars"]["smoothing_concentration"]
    for outcome, attribute, control in cases(build):
        [row] = rows_of(build["conditional_parity_summary"], outcome, attribute, control).to_dict("records")
        epsilons = {value: stratum_epsilon(labels, concentration)
                    for value, labels in strata(build, outcome, attribute, control) if labels.index.nunique() > 1}
        assert row["epsilon_n_strata"] == len(epsilons)
        if not epsilons:
            assert np.isnan(row["differential_fairness_epsilon"])
            assert row["epsilon_undefined_reason"] == "no_stratum_with_two_groups"
            continue
        largest = max(epsilons.values())
        assert_close(row["differential_fairness_epsilon"], largest)
        # strata that tie up to rounding: the first by value
        assert row["epsilon_control_value"] == min(v for v, e in epsilons.items() if e >= largest * (1 - 1e-12))
        stratum = dict(strata(build, outcome, attribute, control))[row["epsilon_control_value"]]
        pair = stratum[stratum.index.isin([row["epsilon_higher_rate_group"], row["epsilon_lower_rate_group"]])]
        assert row["epsilon_higher_rate_group"] != row["epsilon_lower_rate_group"]
        assert_close(stratum_epsilon(pair, concentration), largest)


# --- the edge cases of the small build --------------------------------------------------------

@pytest.fixture(scope="module")
def edges(edge_db):
    return read_build(edge_db, EDGE_VARS)


def test_a_stratum_of_one_group_has_no_epsilon(edges):
    parity = rows_of(edges["conditional_parity"], "monthly_listeners", "gender", "genre").set_index("control_value")
    assert parity.loc["Solo", "stratum_n_groups"] == 1
    [country] = rows_of(edges["conditional_parity_summary"], "monthly_listeners", "country", "genre").to_dict("records")
    assert country["epsilon_undefined_reason"] == "no_stratum_with_two_groups"
    _, labels = next(strata(edges, "monthly_listeners", "country", "genre"))
    with pytest.raises(ValueError):  # AIF360: max() of no pair of groups
        smoothed_edf(labels, prot_attr="country")


def test_a_group_of_one_and_rates_of_0_and_1_keep_the_epsilon_finite(edges):
    parity = edges["conditional_parity"]
    pacific = parity[(parity["attribute"] == "ethnicity") & (parity["group_value"] == "Pacific")
                     & (parity["outcome"] == "monthly_listeners")]
    assert set(pacific["n"]) == {1} and set(pacific["smoothed_rate"]) == {0.75}
    split = rows_of(parity, "monthly_listeners", "gender", "genre").set_index("control_value").loc["Split"]
    assert sorted(split["rate"]) == [0.0, 1.0]
    [row] = rows_of(edges["conditional_parity_summary"], "monthly_listeners", "gender", "genre").to_dict("records")
    assert np.isfinite(row["differential_fairness_epsilon"]) and row["epsilon_control_value"] == "Split"
    _, labels = [s for s in strata(edges, "monthly_listeners", "gender", "genre") if s[0] == "Split"][0]
    with np.errstate(divide="ignore"):  # unpadded, AIF360 gives the all-high-success group a rate of 1
        assert smoothed_edf(labels, prot_attr="gender") == np.inf


def test_the_reference_group_absent_from_a_stratum_leaves_no_difference(edges):
    parity = rows_of(edges["conditional_parity"], "monthly_listeners", "ethnicity", "genre")
    split = parity[parity["control_value"] == "Split"]
    assert split["reference_group"].eq("A").all() and split["reference_group_absent"].all()
    assert split["rate_difference"].isna().all()


def test_a_control_outside_the_attributes_leaves_out_artists_without_a_value(edges):
    summary = rows_of(edges["conditional_parity_summary"], "monthly_listeners", "gender", "success_tier")
    assert list(summary["n"]) == [299]
    assert list(summary["cdd_undefined_reason"]) == ["no_stratum_with_both_outcomes"]
