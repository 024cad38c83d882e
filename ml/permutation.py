"""Permutation importance with scikit-learn's own seeds and order, on predictions the jobs make.

sklearn's permutation_importance(n_repeats, max_samples, random_state) shuffles one column of the
(sampled) test rows at a time and scores the model again; here the jobs predict those permuted
matrices (ml.fit_jobs) and this module turns the predictions into sklearn's numbers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
from sklearn.metrics import r2_score
from sklearn.utils import check_random_state
from sklearn.utils.random import sample_without_replacement


def permutation_seed(random_state: int) -> int:
    return check_random_state(random_state).randint(np.iinfo(np.int32).max + 1)


def _sample(generator: np.random.RandomState, n_rows: int, max_rows: int) -> np.ndarray:
    # what permutation_importance draws for max_samples (bagging's indices without replacement)
    return sample_without_replacement(n_rows, max_rows, random_state=generator)


def permutation_rows(n_rows: int, max_rows: int, random_state: int) -> np.ndarray:
    """The test rows permutation importance scores: all of them, or sklearn's seeded sample of
    max_samples = max_rows rows (the same sample for every feature, since each feature's
    generator starts from the same seed)."""
    if max_rows >= n_rows:
        return np.arange(n_rows)
    return _sample(check_random_state(permutation_seed(random_state)), n_rows, max_rows)


def permuted_copies(x: np.ndarray, repeats: int, max_rows: int,
                    random_state: int) -> Iterator[tuple[int, np.ndarray]]:
    """The permuted matrices sklearn's permutation_importance(n_repeats=repeats,
    max_samples=max_rows) scores, in its order and with its seeds: per column, a copy of the
    (sampled) rows whose column is shuffled again on every repeat. The repeats come stacked in one
    matrix, so that a forest's tree predicts them in one call (60 calls of 5,000 rows per tree
    cost 2.4x more than 12 of 25,000)."""
    seed = permutation_seed(random_state)
    for column in range(x.shape[1]):
        generator = check_random_state(seed)
        permuted = x[_sample(generator, x.shape[0], max_rows)] if max_rows < x.shape[0] else x.copy()
        order = np.arange(permuted.shape[0])
        stacked = np.empty((repeats, *permuted.shape))
        for repeat in range(repeats):
            generator.shuffle(order)
            permuted[:, column] = permuted[order, column]
            stacked[repeat] = permuted
        yield column, stacked.reshape(-1, permuted.shape[1])


def permutation_importances(permuted_sums: Sequence[np.ndarray], members: int, y_test: np.ndarray,
                            test_prediction: np.ndarray, max_rows: int, random_state: int) -> np.ndarray:
    """Mean decrease of test R2 over the permutation repeats, per feature.

    A forest's chunks each sum their own trees, so its permuted predictions may differ from one
    whole-forest predict in the last bits; every other model gives sklearn's numbers exactly.
    """
    total = np.zeros_like(permuted_sums[0])
    for sums in permuted_sums:
        total += sums
    total /= members
    # sklearn scores the baseline on every test row and the permutations on the sampled rows
    baseline = r2_score(y_test, test_prediction)
    y_scored = y_test[permutation_rows(len(y_test), max_rows, random_state)]
    scores = np.array([[r2_score(y_scored, total[column, repeat]) for repeat in range(total.shape[1])]
                       for column in range(total.shape[0])])
    return np.mean(baseline - scores, axis=1)
