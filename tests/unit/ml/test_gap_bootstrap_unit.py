"""ml.gap_bootstrap on 10,000 synthetic test rows, without dbt: the intervals equal Fairlearn's
MetricFrame(n_boot=, ci_quantiles=, random_state=).difference_ci() for the gaps a MetricFrame
defines, and the equalized-odds interval (a worst case of two gaps per sample, which no
MetricFrame method gives) covers a planted gap and, with none planted, covers 0."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import MetricFrame, selection_rate, true_positive_rate
from sklearn.metrics import mean_absolute_error, root_mean_squared_error

from ml.config import BootstrapConfig
from ml.gap_bootstrap import gap_intervals, interval_quantiles

N_ROWS = 10_000
DRAWS = 40
CONFIG = BootstrapConfig(fairness_attributes=["gender", "genre"], model_fairness_bootstrap_draws=DRAWS,
                         rate_interval_confidence=0.95, random_state=42)
# Fairlearn builds a MetricFrame per draw (half a second each): equality needs few of them
EQUALITY_DRAWS = 10


def synthetic_rows(planted_gap: float, seed: int = 5) -> pd.DataFrame:
    """One model's test rows in shuffled artist order; Female artists' selection is raised by planted_gap."""
    rng = np.random.default_rng(seed)
    gender = rng.choice(["Female", "Male", "Non-binary"], N_ROWS, p=[0.45, 0.45, 0.1])
    positive = rng.random(N_ROWS) < 0.3
    chance = np.where(positive, 0.6, 0.2) + np.where(gender == "Female", planted_gap, 0.0)
    return pd.DataFrame({
        "feature_set": "notebook", "model_name": "Ridge Regression",
        "artist_id": rng.permutation(N_ROWS) + 1,
        "error": rng.normal(0, 1_000, N_ROWS) * np.where(gender == "Male", 1.5, 1.0),
        "is_positive": positive, "is_selected": rng.random(N_ROWS) < chance,
        "gender": gender, "genre": np.where(rng.random(N_ROWS) < 0.02, None, rng.choice(["Pop", "Rock"], N_ROWS)),
    })


@pytest.mark.parametrize("attribute", ["gender", "genre"])
def test_intervals_equal_fairlearns_bootstrap(attribute):
    rows = synthetic_rows(planted_gap=0.1)
    config = replace(CONFIG, model_fairness_bootstrap_draws=EQUALITY_DRAWS)
    [got] = gap_intervals(rows, config).query("attribute == @attribute").to_dict("records")
    # the rows the bootstrap resamples: those with a group, in artist_id order
    data = rows.sort_values("artist_id")
    data = data[data[attribute].notna()].reset_index(drop=True)
    common = dict(sensitive_features=data[attribute], n_boot=EQUALITY_DRAWS, random_state=42,
                  ci_quantiles=interval_quantiles(0.95))
    losses = MetricFrame(metrics={"mae": mean_absolute_error, "rmse": root_mean_squared_error},
                         y_true=data["error"], y_pred=np.zeros(len(data)), **common).difference_ci()
    rates = MetricFrame(metrics={"selection": selection_rate, "tpr": true_positive_rate},
                        y_true=data["is_positive"].astype(int), y_pred=data["is_selected"].astype(int),
                        **common).difference_ci()
    expected = {"mae_difference": "mae", "rmse_difference": "rmse"}
    for gap, metric in expected.items():
        np.testing.assert_allclose([got[f"{gap}_ci_low"], got[f"{gap}_ci_high"]],
                                   [losses[0][metric], losses[1][metric]], rtol=1e-9, atol=0)
    for gap, metric in {"demographic_parity_difference": "selection", "equal_opportunity_difference": "tpr"}.items():
        np.testing.assert_allclose([got[f"{gap}_ci_low"], got[f"{gap}_ci_high"]],
                                   [rates[0][metric], rates[1][metric]], rtol=1e-9, atol=0)
    assert got["n"] == len(data) and got["n_draws"] == EQUALITY_DRAWS


def sample_equalized_odds(rows: pd.DataFrame) -> float:
    """The rows' own equalized-odds gap: the worse of the true and false positive rates' spreads."""
    by_group = rows.groupby(["gender", "is_positive"])["is_selected"].mean().unstack()
    return float((by_group.max() - by_group.min()).max())


@pytest.mark.parametrize("planted_gap", [0.0, 0.15])
def test_equalized_odds_interval_covers_the_planted_gap(planted_gap):
    """A gap of max - min is at least 0 in every sample, so with none planted the interval sits just
    above 0 (the small group's sampling noise) and below the planted 0.15, which lies inside the
    interval of the rows it is planted in, well away from 0."""
    rows = synthetic_rows(planted_gap)
    [got] = gap_intervals(rows, CONFIG).query("attribute == 'gender'").to_dict("records")
    low, high = got["equalized_odds_difference_ci_low"], got["equalized_odds_difference_ci_high"]
    assert low <= sample_equalized_odds(rows) <= high
    if planted_gap:
        assert 0.08 < low <= planted_gap <= high
    else:
        assert 0 <= low and high < 0.15


def test_a_target_without_threshold_has_only_loss_intervals():
    rows = synthetic_rows(0.0).assign(is_positive=None, is_selected=None)
    [got] = gap_intervals(rows, CONFIG).query("attribute == 'gender'").to_dict("records")
    assert got["mae_difference_ci_low"] > 0
    assert pd.isna(got["demographic_parity_difference_ci_low"]) and pd.isna(got["equalized_odds_difference_ci_high"])
