"""ml.counterfactual_flips and ml.counterfactual_summary of the workshop warehouse equal the
notebook's models (tests/notebook_reference.py: its split, scaling and seeds) refitted here, with
each encoded attribute's code swapped here in the test rows and re-scored (relative 1e-6)."""

import duckdb
import numpy as np
import pandas as pd
import pytest
from sklearn.preprocessing import StandardScaler

from tests import notebook_reference as nb
from tests.builds.test_model_fairness import VARS
from tests.conftest import query_df
from tests.parity import MODEL_RTOL

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
ENCODED = {"gender_encoded": "gender", "ethnicity_encoded": "ethnicity", "genre_encoded": "genre",
           "country_encoded": "country", "label_encoded": "label_type"}


@pytest.fixture(scope="module")
def notebook_flips(workshop_csv) -> pd.DataFrame:
    """Every notebook model's test rows of each group, re-scored at each other group's code."""
    df, *_ = nb.engineer_features(nb.load(workshop_csv))
    x_train, x_test, y_train, y_test, *_ = split = nb.split(df)
    model_results, _, _ = nb.train_models(*split)
    scaler = StandardScaler().fit(x_train)
    threshold = float(np.percentile(df[VARS["model_target"]], VARS["high_success_percentile"]))
    rows = []
    for model_name, result in model_results.items():
        linear = model_name in nb.LINEAR_MODELS

        def score(x, model=result["model"], linear=linear):
            return model.predict(scaler.transform(x) if linear else x)

        for column, attribute in ENCODED.items():
            names = dict(zip(df[column], df[attribute], strict=False))
            for code in sorted(x_test[column].unique()):
                own = x_test[x_test[column] == code]
                original = score(own)
                for other in sorted(names):
                    if other == code:
                        continue
                    swapped = own.assign(**{column: other})
                    counterfactual = score(swapped)
                    change = counterfactual - original
                    rows.append({
                        "model_name": model_name, "attribute": attribute, "group_value": names[code],
                        "counterfactual_group": names[other], "n": len(own),
                        "mean_prediction": original.mean(), "mean_counterfactual_prediction": counterfactual.mean(),
                        "mean_change": change.mean(), "mean_abs_change": np.abs(change).mean(),
                        "changed_share": np.mean(counterfactual != original),
                        "flip_up_rate": np.mean((original < threshold) & (counterfactual >= threshold)),
                        "flip_down_rate": np.mean((original >= threshold) & (counterfactual < threshold)),
                    })
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def tables(workshop_db):
    with duckdb.connect(str(workshop_db), read_only=True) as con:
        return {name: query_df(con, f"select * from ml.{name} where feature_set = 'notebook'")
                for name in ("counterfactual_flips", "counterfactual_summary")}


def test_flips_equal_the_notebook_models_rescored_with_swapped_codes(tables, notebook_flips):
    keys = ["model_name", "attribute", "group_value", "counterfactual_group"]
    got = tables["counterfactual_flips"]
    merged = notebook_flips.merge(got, on=keys, how="outer", suffixes=("_expected", ""), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"][keys]
    assert (merged["n"] == merged["n_expected"]).all() and not merged["sampled"].any()
    for column in ("mean_prediction", "mean_counterfactual_prediction", "mean_change", "mean_abs_change"):
        scale = float(merged["mean_prediction_expected"].abs().max())
        np.testing.assert_allclose(merged[column], merged[f"{column}_expected"], rtol=MODEL_RTOL,
                                   atol=MODEL_RTOL * scale, err_msg=column)
    for column in ("changed_share", "flip_up_rate", "flip_down_rate"):
        np.testing.assert_array_equal(merged[column], merged[f"{column}_expected"], err_msg=column)
    assert set(merged["attribute"]) == set(ENCODED.values())


def test_summary_is_the_largest_flip_of_each_attribute(tables, notebook_flips):
    summary = tables["counterfactual_summary"].set_index(["model_name", "attribute"]).sort_index()
    expected = notebook_flips.groupby(["model_name", "attribute"]).agg(
        max_mean_abs_change=("mean_abs_change", "max"), max_changed_share=("changed_share", "max"),
        n_pairs=("n", "size")).sort_index()
    np.testing.assert_allclose(summary["max_mean_abs_change"], expected["max_mean_abs_change"], rtol=MODEL_RTOL)
    assert list(summary["n_pairs"]) == list(expected["n_pairs"])
    assert list(summary["uses_attribute"]) == list(expected["max_changed_share"] > 0)
    # the pair that attains it, where no other pair comes within the tolerance (a linear model's
    # change is the same both ways round, up to rounding)
    for (model_name, attribute), pairs in notebook_flips.groupby(["model_name", "attribute"]):
        ranked = pairs.sort_values("mean_abs_change", ascending=False)
        top = ranked["mean_abs_change"].to_numpy()
        if len(top) > 1 and top[0] - top[1] <= MODEL_RTOL * top[0]:
            continue
        row = summary.loc[(model_name, attribute)]
        assert (row["max_mean_abs_change_group"], row["max_mean_abs_change_counterfactual_group"]) == (
            ranked.iloc[0]["group_value"], ranked.iloc[0]["counterfactual_group"]), (model_name, attribute)
