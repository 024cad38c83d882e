"""Bootstrap intervals on ml.prediction_fairness_summary's between-group gaps, with Fairlearn's draws.

Fairlearn's MetricFrame(n_boot=, ci_quantiles=, random_state=) (fairlearn/metrics/_bootstrap.py)
draws one uint32 seed per bootstrap sample from numpy's default_rng(random_state), resamples the
rows with pandas' DataFrame.sample(frac=1, replace=True, random_state=seed) (a RandomState's
choice(n, n)), computes the metrics by group on each sample and takes the quantiles of each gap
over the samples. The same draws are made here once per number of rows, and every sample's group
sums come from one bincount over all samples, instead of a MetricFrame per sample.

The rows are a model's re-scored test rows (ml_internal.fit_predictions.rescored: all of them, or
the flips' seeded sample of var counterfactual_max_rows) with a group, in artist_id order. As in
ml.prediction_fairness_summary, a group without positives (or negatives) is left out of a sample's
true (false) positive rate gap, where Fairlearn would count its rate as 0; a gap no sample defines
has no interval (null).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from ml.config import BootstrapConfig

GAPS = ("mae_difference", "rmse_difference", "demographic_parity_difference", "equalized_odds_difference",
        "equal_opportunity_difference")
KEYS = ["feature_set", "model_name"]


def draw_seeds(n_draws: int, random_state: int) -> np.ndarray:
    """Fairlearn's seeds, one per bootstrap sample (generate_bootstrap_samples)."""
    generator = np.random.default_rng(seed=int(random_state))
    return generator.integers(low=0, high=np.iinfo(np.uint32).max, size=n_draws, dtype=np.uint32)


@cache
def drawn_rows(n_rows: int, n_draws: int, random_state: int) -> np.ndarray:
    """(n_draws, n_rows) positions: pandas' sample(frac=1, replace=True, random_state=seed) per seed.
    Cached: every model and attribute with the same number of rows resamples the same positions."""
    return np.stack([np.random.RandomState(seed).choice(n_rows, size=n_rows, replace=True)
                     for seed in draw_seeds(n_draws, random_state)])


def group_sums(groups: np.ndarray, n_groups: int, draws: np.ndarray, values: dict[str, np.ndarray]) -> dict:
    """Per sample and group (n_draws, n_groups): the row count ('n') and the sum of each value."""
    n_draws = draws.shape[0]
    keys = (np.arange(n_draws)[:, np.newaxis] * n_groups + groups[draws]).ravel()
    size = n_draws * n_groups
    sums = {"n": np.bincount(keys, minlength=size).reshape(n_draws, n_groups).astype(np.float64)}
    for name, value in values.items():
        sums[name] = np.bincount(keys, weights=value[draws].ravel(), minlength=size).reshape(n_draws, n_groups)
    return sums


def ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, NaN where the denominator is 0 (a group absent from the sample)."""
    out = np.full(numerator.shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def spread(by_group: np.ndarray) -> np.ndarray:
    """Largest minus smallest defined group value of each sample (Fairlearn's between_groups difference)."""
    defined = ~np.isnan(by_group)
    high = np.where(defined, by_group, -np.inf).max(axis=1)
    low = np.where(defined, by_group, np.inf).min(axis=1)
    return np.where(defined.any(axis=1), high - low, np.nan)


def sample_gaps(rows: pd.DataFrame, attribute: str, n_draws: int, random_state: int) -> dict[str, np.ndarray]:
    """Each gap of every bootstrap sample of one model's rows with a value of the attribute."""
    groups, _ = pd.factorize(rows[attribute], sort=True)
    draws = drawn_rows(len(rows), n_draws, random_state)
    error = rows["error"].to_numpy(dtype=np.float64)
    positive = rows["is_positive"].to_numpy(dtype=np.float64)
    selected = rows["is_selected"].to_numpy(dtype=np.float64)
    sums = group_sums(groups, int(groups.max()) + 1, draws, {
        "abs_error": np.abs(error), "squared_error": error * error, "positive": positive,
        "selected": selected, "true_positive": positive * selected, "false_positive": (1 - positive) * selected})
    tpr_gap = spread(ratio(sums["true_positive"], sums["positive"]))
    fpr_gap = spread(ratio(sums["false_positive"], sums["n"] - sums["positive"]))
    return {
        "mae_difference": spread(ratio(sums["abs_error"], sums["n"])),
        "rmse_difference": spread(np.sqrt(ratio(sums["squared_error"], sums["n"]))),
        "demographic_parity_difference": spread(ratio(sums["selected"], sums["n"])),
        # Fairlearn's worst case of the two, np.fmax skipping a part no group defines
        "equalized_odds_difference": np.fmax(tpr_gap, fpr_gap),
        "equal_opportunity_difference": tpr_gap,
    }


def interval_quantiles(confidence: float) -> list[float]:
    """The ci_quantiles of a two-sided interval at this confidence: 0.95 -> [0.025, 0.975]."""
    return [(1 - confidence) / 2, (1 + confidence) / 2]


def gap_intervals(rows: pd.DataFrame, config: BootstrapConfig) -> pd.DataFrame:
    """One row per feature set x model x attribute with at least one group: n (rows resampled),
    n_draws and each gap's <gap>_ci_low / <gap>_ci_high (null where no sample defines it; a
    threshold-less target's rows have null labels and so no classification gap)."""
    quantiles = interval_quantiles(config.rate_interval_confidence)
    records = []
    for (feature_set, model_name), model_rows in rows.groupby(KEYS, sort=True, observed=True):
        ordered = model_rows.sort_values("artist_id", kind="stable")
        for attribute in config.fairness_attributes:
            with_group = ordered[ordered[attribute].notna()].reset_index(drop=True)
            if with_group.empty:
                continue
            record = {"feature_set": feature_set, "model_name": model_name, "attribute": attribute,
                      "n": len(with_group), "n_draws": config.model_fairness_bootstrap_draws}
            labelled = with_group["is_positive"].notna().all()
            gaps = sample_gaps(with_group.fillna({"is_positive": False, "is_selected": False}), attribute,
                               config.model_fairness_bootstrap_draws, config.random_state)
            for gap in GAPS:
                values = gaps[gap]
                usable = not np.isnan(values).all() and (labelled or gap in ("mae_difference", "rmse_difference"))
                low, high = np.nanquantile(values, quantiles) if usable else (np.nan, np.nan)
                record[f"{gap}_ci_low"], record[f"{gap}_ci_high"] = low, high
            records.append(record)
    return interval_frame(records)


def interval_frame(records: list[dict]) -> pd.DataFrame:
    """The records with their columns' types, a missing interval as null (never NaN)."""
    columns = ["feature_set", "model_name", "attribute", "n", "n_draws",
               *(f"{gap}_ci_{side}" for gap in GAPS for side in ("low", "high"))]
    frame = pd.DataFrame.from_records(records, columns=columns)
    for column in columns[5:]:
        frame[column] = pd.array(frame[column].to_numpy(dtype=np.float64), dtype="Float64")
    return frame.astype({"n": "int64", "n_draws": "int64"})
