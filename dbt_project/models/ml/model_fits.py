"""One row per model x feature set: the notebook's regressors fitted once per fold (ml.training),
with their predictions, CV scores and importances as nested lists that the SQL models unnest."""

from ml.training import TrainingConfig, fit_results_table, train_models


def model(dbt, session):
    config = TrainingConfig(
        feature_sets=dbt.config.get("feature_sets"),
        train_feature_sets=dbt.config.get("train_feature_sets"),
        model_names=dbt.config.get("model_names"),
        target=dbt.config.get("model_target"),
        test_size=dbt.config.get("test_size"),
        cv_folds=dbt.config.get("cv_folds"),
        random_state=dbt.config.get("random_state"),
        permutation_repeats=dbt.config.get("permutation_repeats"),
        permutation_max_rows=dbt.config.get("permutation_max_rows"),
        n_jobs=dbt.config.get("ml_n_jobs"),
        parallel_min_rows=dbt.config.get("ml_parallel_min_rows"),
        forest_chunk_trees=dbt.config.get("ml_forest_chunk_trees"),
    )
    features = dbt.ref("artist_features").df()
    return fit_results_table(train_models(features, config))
