"""Ordinary least squares with HC3 robust standard errors, several outcomes on one design at once,
in statsmodels' arithmetic: `OLS(y, x).fit(cov_type='HC3')` (the pseudo-inverse of the design from
statsmodels' own pinv_extended, the leverage x_i' (X'X)^+ x_i, each residual scaled by 1 / (1 - h_i),
normal p-values and intervals). The pseudo-inverse is computed once per design: fairness.adjusted_gaps
fits every outcome, on two scales, on each attribute's design.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats
from statsmodels.tools.tools import pinv_extended

# a leverage this close to one leaves HC3's 1 / (1 - h) beyond double precision
LEVERAGE_ONE = 1 - 1e-10


@dataclass(frozen=True)
class RobustFit:
    """params and se are (columns of x) x (columns of y); full_rank and leverage_one are the design's."""

    params: np.ndarray
    se: np.ndarray
    full_rank: bool
    leverage_one: bool

    def z_scores(self) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.params / self.se

    def p_values(self) -> np.ndarray:
        return 2 * stats.norm.sf(np.abs(self.z_scores()))

    def interval(self, confidence: float) -> tuple[np.ndarray, np.ndarray]:
        """statsmodels' conf_int(alpha=1 - confidence) of a robust fit: normal quantiles."""
        z = stats.norm.ppf(1 - (1 - confidence) / 2)
        return self.params - z * self.se, self.params + z * self.se


def ols_hc3(x: np.ndarray, y: np.ndarray) -> RobustFit:
    """OLS of each column of y on x (a constant among x's columns), with HC3 standard errors."""
    pinv, singular_values = pinv_extended(x)
    # statsmodels' rank: np.linalg.matrix_rank's default tolerance on the singular values
    tolerance = singular_values.max() * max(x.shape) * np.finfo(float).eps
    full_rank = bool((singular_values > tolerance).sum() == x.shape[1])
    params = pinv @ y
    residuals = y - x @ params
    leverage = ((x @ (pinv @ pinv.T)) * x).sum(axis=1)
    leverage_one = bool((leverage >= LEVERAGE_ONE).any())
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = (residuals / (1 - leverage)[:, None]) ** 2
    variance = (pinv**2) @ scale
    return RobustFit(params=params, se=np.sqrt(variance), full_rank=full_rank, leverage_one=leverage_one)
