"""What training and clustering share: a step's status, the artists' order, and seeded samples."""

from __future__ import annotations

import numpy as np
import pandas as pd

TRAINED = "trained"
SKIPPED = "skipped"


def in_file_order(features: pd.DataFrame) -> pd.DataFrame:
    """train_test_split shuffles row positions, so the rows must come in the notebook's order."""
    return features.sort_values("line_number", kind="stable").reset_index(drop=True)


def seeded_sample(n_rows: int, max_rows: int, random_state: int) -> np.ndarray | None:
    """Sorted positions of a seeded sample of max_rows of n_rows, or None when all of them fit.

    The same input and seed give the same rows, so a sampled build is as reproducible as one
    that is not; the positions stay sorted so the sample keeps the rows' order.
    """
    if n_rows <= max_rows:
        return None
    generator = np.random.default_rng(random_state)
    return np.sort(generator.choice(n_rows, size=max_rows, replace=False))
