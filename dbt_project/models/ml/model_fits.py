"""One row per model x feature set: the notebook's regressors fitted once per fold (ml.training),
with their metrics, CV scores and importances. Each model's predictions for every artist go to
ml_internal.fit_predictions as the model is done (ml.fit_store): at catalogue scale they are
millions of rows per model, more than one nested value should hold."""

from ml.config import training_config
from ml.fit_results import fit_results_table
from ml.fit_store import PredictionStore, training_frame
from ml.training import iter_trained_models


def model(dbt, session):
    config = training_config(dbt.config.get("ml_settings"))
    store = PredictionStore(session, dbt.this.schema, config)
    results = [store.keep(result) for result in iter_trained_models(training_frame(dbt.ref("artist_features"), config),
                                                                      config)]
    return fit_results_table(results)
