"""One row per outcome x attribute x group but the reference x term: the Oaxaca-Blinder decomposition
of the group's gap on log(1 + outcome), its bootstrap intervals and each control's contribution
(ml.gap_decomposition). fairness.gap_decomposition and gap_decomposition_controls are the tables to read."""

from ml.adjusted_gaps import attribute_references
from ml.config import gap_config
from ml.gap_decomposition import gap_decomposition_terms


def model(dbt, session):
    config = gap_config(dbt.config.get("ml_settings"))
    references = attribute_references(dbt.ref("group_outcomes").df())
    return gap_decomposition_terms(dbt.ref("int_gap_fit_artists").df(), references, config)
