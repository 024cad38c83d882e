"""The scikit-learn behaviour ml/sklearn_private.py relies on still holds in the installed release.

If one of these fails after an upgrade, the forest can no longer be fitted in chunks that equal one
fit: pin scikit-learn back (pyproject.toml) or fit forests whole (var ml_forest_chunk_trees = 100).
"""

import numpy as np
import sklearn
from sklearn.ensemble import RandomForestRegressor

# imported under another name: pytest would collect a module-level `tested_version` as a test
from ml.sklearn_private import TESTED_MINOR_VERSIONS, fit_forest_trees
from ml.sklearn_private import tested_version as installed_release_is_tested


def test_the_installed_scikit_learn_is_a_tested_release():
    assert installed_release_is_tested(), (
        f"scikit-learn {sklearn.__version__} is not among the releases ml/sklearn_private.py was checked on "
        f"({', '.join(TESTED_MINOR_VERSIONS)}): run this file's other test, then add the release")


def test_forest_chunks_grow_exactly_the_trees_of_one_whole_forest():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(300, 4)), rng.normal(size=300)
    whole = RandomForestRegressor(n_estimators=100, random_state=42).fit(x, y)
    chunked = [tree for first, stop in [(0, 30), (30, 70), (70, 100)]
               for tree in fit_forest_trees(RandomForestRegressor(n_estimators=100, random_state=42),
                                            first, stop, x, y).estimators_]
    assert len(chunked) == 100
    for index, (expected, found) in enumerate(zip(whole.estimators_, chunked, strict=True)):
        assert expected.random_state == found.random_state, (
            f"tree {index} of a chunked forest got another seed: scikit-learn's warm_start no longer draws "
            f"one seed per existing tree (ml/sklearn_private.py)")
        assert np.array_equal(expected.predict(x), found.predict(x)), f"tree {index} grew differently"
