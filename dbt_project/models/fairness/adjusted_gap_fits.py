"""One row per outcome x attribute x group but the reference: its raw and control-adjusted gap to the
reference group on log(1 + outcome) and on high success, OLS with HC3 errors (ml.adjusted_gaps).
fairness.adjusted_gaps is the table to read."""

from ml.adjusted_gaps import adjusted_gaps
from ml.config import gap_config


def model(dbt, session):
    config = gap_config(dbt.config.get("ml_settings"))
    return adjusted_gaps(dbt.ref("int_gap_fit_artists").df(), dbt.ref("group_outcomes").df(), config)
