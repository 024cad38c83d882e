"""The notebook's modelling cells as one call: split, fit, cross-validate, explain, for every model.

`iter_trained_models` fits each model once per fold (the fit on the training split plus `cv_folds`
cross-validation fits) for one feature set at a time, and yields one FitResult per model and
feature set with everything later tables need: metrics, CV scores, predictions for every artist
and importances. One feature set at a time keeps a catalogue's matrices in memory one set at a
time; the results come one model at a time so the caller can store each model's predictions and
let them go.

Numbers equal the notebook's sequential scikit-learn code bit for bit up to `max_training_rows`
training rows: cross-validation is KFold(cv_folds) without shuffling, a clone per fold and
r2_score, which is what cross_val_score does; a forest cut into chunks of trees keeps every tree's
seed (ml.sklearn_private) and its predictions are summed tree by tree in the forest's order, as
RandomForestRegressor.predict sums them. Above the cap the models are fitted on a seeded sample of
the training split (ml.model_data), and their predictions are still those of every artist.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd

from ml.config import TrainingConfig
from ml.fit_jobs import FitJob, FitOutput, execute_job, plan_jobs
from ml.fit_results import FitResult, assemble_result
from ml.model_data import ModelData, prepare_data, skip_reason
from ml.progress import Progress
from ml.scheduling import run_jobs
from ml.status import SKIPPED


def _skipped(config: TrainingConfig, feature_set: str, reason: str, n_rows: int) -> list[FitResult]:
    return [FitResult(feature_set, model_name, SKIPPED, reason, n_rows, order)
            for order, model_name in enumerate(config.model_names)]


def _fit_outputs(data: ModelData, config: TrainingConfig, pool_allowed: bool) -> tuple[list[FitJob], list[FitOutput]]:
    jobs = [job for model_name in config.model_names for job in plan_jobs(data, model_name, config, pool_allowed)]
    sampled = f", on a sample of {len(data.fit_rows)} training rows" if data.sampled else ""
    with Progress(f"model_fits {data.feature_set}{sampled}", total=sum(job.cost for job in jobs),
                  count_total=len(jobs)) as progress:
        outputs = run_jobs(jobs, execute_job, {data.feature_set: data}, config.ml_n_jobs,
                           on_done=lambda job: progress.advance(job.cost))
    return jobs, outputs


def _results_of_set(data: ModelData, config: TrainingConfig, pool_allowed: bool) -> Iterator[FitResult]:
    jobs, outputs = _fit_outputs(data, config, pool_allowed)
    for order, model_name in enumerate(config.model_names):
        mine = [(job, output) for job, output in zip(jobs, outputs, strict=True) if job.model_name == model_name]
        full = [output for job, output in mine if job.fold is None]
        folds = [[output for job, output in mine if job.fold == fold] for fold in range(config.cv_folds)]
        yield assemble_result(data, model_name, order, full, folds)


def iter_trained_models(features: pd.DataFrame, config: TrainingConfig) -> Iterator[FitResult]:
    """Every model of config.model_names on every set of config.train_feature_sets, in that order."""
    config.check()
    n_rows = len(features)
    y = features[config.model_target].to_numpy() if n_rows else np.array([])
    reason = skip_reason(n_rows, y, config)
    pool_allowed = config.ml_n_jobs > 1 and n_rows >= config.ml_parallel_min_rows
    for feature_set in config.train_feature_sets:
        if reason is not None:
            yield from _skipped(config, feature_set, reason, n_rows)
        else:
            yield from _results_of_set(prepare_data(features, feature_set, config), config, pool_allowed)


def train_models(features: pd.DataFrame, config: TrainingConfig) -> Sequence[FitResult]:
    return list(iter_trained_models(features, config))
