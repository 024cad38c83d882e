"""Where a dbt Python model's fits meet DuckDB: the columns it reads, and the predictions it writes.

dbt gives a Python model one relation of its own. The predictions of 10 models for 10 million
artists (100 million rows) do not fit in one nested value, so the model writes them itself, one
model at a time, into `<its schema>.fit_predictions`, which ml.model_predictions reads, and the
counterfactual re-scores (ml.counterfactual) into `<its schema>.counterfactual_predictions`, which
ml.counterfactual_flips reads. Names
reach SQL quoted and values bound, never spliced; the few labels a DDL statement must spell (the
feature set and model names of the ENUM columns, the table's comments) as escaped literals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import duckdb
import pandas as pd
import pyarrow as pa

from ml.config import ClusterConfig, TrainingConfig
from ml.fit_results import PREDICTIONS_SCHEMA, FitResult, predictions_table

PREDICTIONS_TABLE = "fit_predictions"
COUNTERFACTUAL_TABLE = "counterfactual_predictions"
KEY_COLUMNS = ("artist_id", "line_number")
# dbt describes its own models; this table is the model_fits model's, so it describes it here
DESCRIPTIONS = {
    None: "Internal, written by ml_internal.model_fits while it trains: one row per model x feature set x "
          "artist with the raw predictions. Read ml.model_predictions, which adds the errors.",
    "feature_set": "Feature set the model was trained on (var feature_sets): notebook includes listeners_per_year, "
                   "which leaks the target and inflates R²; no_leakage is the same without it.",
    "model_name": "The notebook's label of the model.",
    "artist_id": "Artist identifier, as features.artist_features.artist_id: joins a prediction to its artist.",
    "is_test": "True for the test split, false for the training split.",
    "cv_fold": "CV fold that held the artist out; null for the test split and for training rows a sampled "
               "build did not cross-validate on.",
    "actual": "The target (var model_target) as a double.",
    "predicted": "The model's prediction, fitted on the training split (or its sample).",
    "cv_predicted": "Out-of-fold prediction of the fold that held the artist out; null where cv_fold is.",
    "rescored": "True for the test rows ml.counterfactual_flips re-scores and the gap intervals of "
                "ml.prediction_fairness_summary resample: all of them, or a seeded sample of var "
                "counterfactual_max_rows.",
}
COUNTERFACTUAL_SCHEMA = pa.schema([
    ("attribute", pa.string()), ("artist_id", pa.int64()), ("code", pa.int64()), ("counterfactual_code", pa.int64()),
    ("sampled", pa.bool_()), ("predicted", pa.float64()), ("counterfactual_predicted", pa.float64()),
])
COUNTERFACTUAL_DESCRIPTIONS = {
    None: "Internal, written by ml_internal.model_fits while it trains (ml/counterfactual.py): one row per model "
          "x feature set x flipped attribute x re-scored test artist x other code of the attribute. Read "
          "ml.counterfactual_flips, which averages it per pair of groups.",
    "feature_set": "Feature set the model was trained on (var feature_sets).",
    "model_name": "The notebook's label of the model.",
    "attribute": "The attribute whose code was flipped (label_type for the input label_encoded).",
    "artist_id": "The re-scored test artist.",
    "code": "The artist's own code of the attribute (features.label_encodings).",
    "counterfactual_code": "The code the input was set to, everything else unchanged.",
    "sampled": "True when the test split had more rows than var counterfactual_max_rows and a seeded sample was "
               "re-scored.",
    "predicted": "The model's prediction at the artist's own code, scored by the same call as the counterfactual.",
    "counterfactual_predicted": "The model's prediction with only the attribute's input set to counterfactual_code.",
}


def quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _columns(artist_features: duckdb.DuckDBPyRelation, columns: list[str]) -> pd.DataFrame:
    """Only the columns a model reads: at 10 million artists the whole table is gigabytes of text."""
    return artist_features.project(", ".join(quoted(column) for column in dict.fromkeys(columns))).df()


def training_frame(artist_features: duckdb.DuckDBPyRelation, config: TrainingConfig) -> pd.DataFrame:
    features = sorted({column for name in config.train_feature_sets for column in config.features_of(name)})
    return _columns(artist_features, [*KEY_COLUMNS, config.model_target, *features])


def cluster_frame(artist_features: duckdb.DuckDBPyRelation, config: ClusterConfig) -> pd.DataFrame:
    return _columns(artist_features, [*KEY_COLUMNS, *config.cluster_features])


class PredictionStore:
    """Writes each trained model's predictions and counterfactual re-scores, and hands back its
    result without them."""

    def __init__(self, con: duckdb.DuckDBPyConnection, schema: str, config: TrainingConfig):
        self._con = con
        # feature_set and model_name repeat one value per model over millions of rows: as ENUMs
        # they are a byte each, as VARCHAR writing them was half the cost of storing a model
        label_columns = [f"feature_set {_label_type(config.train_feature_sets)}",
                         f"model_name {_label_type(config.model_names)}"]
        self._table = self._create(schema, PREDICTIONS_TABLE, label_columns, PREDICTIONS_SCHEMA, DESCRIPTIONS)
        self._counterfactual_table = self._create(schema, COUNTERFACTUAL_TABLE, label_columns, COUNTERFACTUAL_SCHEMA,
                                                  COUNTERFACTUAL_DESCRIPTIONS)

    def _create(self, schema: str, name: str, label_columns: list[str], arrow_schema: pa.Schema,
                descriptions: dict) -> str:
        table = f"{quoted(schema)}.{quoted(name)}"
        self._con.execute(f"drop table if exists {table}")
        columns = [f"{quoted(field.name)} {_sql_type(field.type)}" for field in arrow_schema]
        self._con.execute(f"create table {table} ({', '.join([*label_columns, *columns])})")
        for column, description in descriptions.items():
            target = f"table {table}" if column is None else f"column {table}.{quoted(column)}"
            self._con.execute(f"comment on {target} is {_literal(description)}")
        return table

    def _insert(self, table: str, batch: pa.Table, result: FitResult) -> None:
        self._con.register("fit_store_batch", batch)
        try:
            self._con.execute(f"insert into {table} select ?, ?, * from fit_store_batch",
                              [result.feature_set, result.model_name])
        finally:
            self._con.unregister("fit_store_batch")

    def keep(self, result: FitResult) -> FitResult:
        if result.predictions is None:
            return result
        self._insert(self._table, predictions_table(result), result)
        if result.counterfactuals is not None:
            batch = pa.Table.from_pandas(result.counterfactuals, schema=COUNTERFACTUAL_SCHEMA, preserve_index=False)
            self._insert(self._counterfactual_table, batch, result)
        return replace(result, predictions=None, counterfactuals=None)


def _label_type(labels: Sequence[str]) -> str:
    """An ENUM of the labels, written in the column's definition: DuckDB 1.5 cannot replay a
    write-ahead log that creates a named type outside the main schema."""
    if not labels:
        # no feature set trained (var train_feature_sets empty), so no row to label; an ENUM needs a value
        return "varchar"
    return f"enum({', '.join(_literal(label) for label in dict.fromkeys(labels))})"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sql_type(arrow_type) -> str:
    return {"int64": "bigint", "bool": "boolean", "double": "double", "string": "varchar"}[str(arrow_type)]
