"""How close the warehouse's numbers must be to the notebook's: the parity tests and the bench share it."""

from __future__ import annotations

import numpy as np

# relative: the models' numbers (scikit-learn fits) and the SQL layers' (features, fairness, equity)
MODEL_RTOL = 1e-6
SQL_RTOL = 1e-9


def worst_relative_error(actual, expected) -> float:
    actual = np.asarray(actual, dtype=float)
    expected = np.asarray(expected, dtype=float)
    if actual.shape != expected.shape:
        return float("inf")
    difference = np.abs(actual - expected)
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(difference == 0, 0.0, difference / np.abs(expected))
    return float(np.nanmax(relative)) if relative.size else 0.0
