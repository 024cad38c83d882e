"""The one place that relies on scikit-learn behaviour it does not document, with the versions tested.

A Random Forest is fitted in chunks of trees, each chunk its own job, and must give the trees one
fit of the whole forest gives. That relies on how warm_start works inside BaseForest.fit: it
draws one seed per tree it believes it already has (len(estimators_)) before seeding the new ones.
Presetting estimators_ to first_tree placeholders therefore gives the new trees the seeds they
would have had. tests/unit/ml/test_sklearn_private.py fails with a clear message if a release changes that.
"""

from __future__ import annotations

import numpy as np
import sklearn
from sklearn.ensemble import RandomForestRegressor

# scikit-learn minor versions this behaviour was checked on (pyproject.toml pins the same range)
TESTED_MINOR_VERSIONS = ("1.9",)


def tested_version() -> bool:
    return ".".join(sklearn.__version__.split(".")[:2]) in TESTED_MINOR_VERSIONS


def fit_forest_trees(forest: RandomForestRegressor, first_tree: int, stop_tree: int,
                     x: np.ndarray, y: np.ndarray) -> RandomForestRegressor:
    """Fit trees [first_tree, stop_tree) of the forest's seeded sequence; the rest are not grown."""
    forest.set_params(warm_start=True, n_estimators=stop_tree)
    forest.estimators_ = [None] * first_tree
    forest.fit(x, y)
    forest.estimators_ = forest.estimators_[first_tree:]
    return forest
