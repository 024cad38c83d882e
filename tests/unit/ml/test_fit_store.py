"""The predictions table the model fits write: labels as ENUMs that read back as the names given,
in a file whose write-ahead log DuckDB can replay."""

import subprocess
import sys

import duckdb

from ml.fit_store import PredictionStore
from ml.training import train_models
from tests.unit.ml.test_ml_training import config, tiny_features

QUOTED_SET = "it's small"
LINEAR_MODELS = ["Linear Regression", "Ridge Regression"]


def store_settings():
    return config(feature_sets={QUOTED_SET: ["years_active", "album_count"]}, train_feature_sets=[QUOTED_SET],
                  model_names=LINEAR_MODELS)


def test_the_labels_are_enums_that_read_back_as_their_names():
    settings = store_settings()
    with duckdb.connect() as con:
        con.execute("create schema internal")
        store = PredictionStore(con, "internal", settings)
        for result in train_models(tiny_features(40), settings):
            assert store.keep(result).predictions is None
        rows = con.execute(
            "select feature_set::varchar, model_name::varchar, typeof(feature_set), count(*) "
            "from internal.fit_predictions group by all order by 2").fetchall()
    assert rows == [(QUOTED_SET, name, "ENUM('it''s small')", 40) for name in LINEAR_MODELS]


def test_a_build_that_trains_no_feature_set_still_makes_the_table():
    with duckdb.connect() as con:
        con.execute("create schema internal")
        PredictionStore(con, "internal", config(train_feature_sets=[]))
        assert con.execute("select count(*) from internal.fit_predictions").fetchone() == (0,)


WRITE_WITHOUT_CHECKPOINT = """
import os, sys
import duckdb
from ml.fit_store import PredictionStore
from tests.unit.ml.test_fit_store import store_settings
con = duckdb.connect(sys.argv[1])
con.execute("set checkpoint_threshold = '1TB'")
con.execute("create schema internal")
PredictionStore(con, "internal", store_settings())
os._exit(0)
"""


def test_a_file_left_with_its_write_ahead_log_opens_again(tmp_path):
    """A process that dies before its checkpoint leaves the table in the log, which the next
    connection replays (a named ENUM type in a schema of its own could not be replayed)."""
    db = tmp_path / "store.duckdb"
    subprocess.run([sys.executable, "-c", WRITE_WITHOUT_CHECKPOINT, str(db)], check=True)
    assert db.with_name("store.duckdb.wal").exists()
    with duckdb.connect(str(db)) as con:
        assert con.execute("select count(*) from internal.fit_predictions").fetchone() == (0,)
