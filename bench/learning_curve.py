"""What the training cap costs: CV R2 (and test R2) against the rows the models are fitted on.

On a built warehouse's features, the models are trained as the build trains them, with
ml_max_training_rows set to each size in turn (ml.training on a seeded sample of the training
split), so the README can show where more rows stop helping.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import duckdb
import pandas as pd

from ml.config import TrainingConfig, training_config
from ml.fit_store import training_frame
from ml.model_data import split_sizes
from ml.training import iter_trained_models
from warehouse.settings.resolve import dbt_vars, resolve_settings

MODELS = ["Linear Regression", "Ridge Regression", "Lasso Regression", "Random Forest"]
FEATURE_SET = "notebook"


def curve_config() -> TrainingConfig:
    """The build's settings (the project's vars), for the notebook's features and the models above."""
    settings = training_config(dbt_vars(resolve_settings({}))["ml_training_settings"])
    return replace(settings, train_feature_sets=[FEATURE_SET], model_names=MODELS, permutation_max_rows=100,
                   ml_parallel_min_rows=0)


def learning_curve(db: Path, sizes: list[int]) -> pd.DataFrame:
    """One row per size and model: rows fitted, CV R2 mean and std, test R2, seconds for the size."""
    base = curve_config()
    with duckdb.connect(str(db), read_only=True) as con:
        features = training_frame(con.table("features.artist_features"), base)
    n_train, _ = split_sizes(len(features), base.test_size)
    # a size past the training split trains on all of it: once is enough
    fitted = sorted({min(size, n_train) for size in sizes})
    rows = []
    for size in fitted:
        started = time.perf_counter()
        results = list(iter_trained_models(features, replace(base, max_training_rows=size)))
        seconds = time.perf_counter() - started
        rows += [{"training_rows": result.n_fit, "model_name": result.model_name, "cv_r2_mean": result.cv_r2_mean,
                  "cv_r2_std": result.cv_r2_std, "test_r2": result.r2, "seconds_for_size": seconds}
                 for result in results]
    return pd.DataFrame(rows)
