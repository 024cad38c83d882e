"""The notebook's five regressors, with exactly its settings, and what each needs as input."""

from __future__ import annotations

from sklearn.base import RegressorMixin
from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
from sklearn.linear_model import Lasso, LinearRegression, Ridge

LINEAR_MODELS = ("Linear Regression", "Ridge Regression", "Lasso Regression")
FOREST_MODELS = ("Random Forest",)
MODEL_NAMES = (*LINEAR_MODELS, "Random Forest", "Gradient Boosting")

FOREST_TREES = 100
BOOSTING_STAGES = 100


def make_estimator(model_name: str, random_state: int) -> RegressorMixin:
    """A fresh, unfitted estimator with the notebook's settings."""
    factories = {
        "Linear Regression": lambda: LinearRegression(),
        "Ridge Regression": lambda: Ridge(alpha=1.0),
        "Lasso Regression": lambda: Lasso(alpha=1.0),
        "Random Forest": lambda: RandomForestRegressor(n_estimators=FOREST_TREES, random_state=random_state),
        "Gradient Boosting": lambda: GradientBoostingRegressor(n_estimators=BOOSTING_STAGES, random_state=random_state),
    }
    if model_name not in factories:
        raise ValueError(f"unknown model {model_name!r}; known models: {', '.join(MODEL_NAMES)}")
    return factories[model_name]()


def uses_scaled_features(model_name: str) -> bool:
    """The notebook standardizes the inputs of its linear models and feeds trees raw features."""
    return model_name in LINEAR_MODELS


def is_forest(model_name: str) -> bool:
    return model_name in FOREST_MODELS


def importance_method(model_name: str) -> str:
    """What the notebook plots as importance: impurity for trees, |coefficient| for linear models."""
    return "abs_coef" if model_name in LINEAR_MODELS else "impurity"


def relative_fit_cost(model_name: str, n_rows: int, n_trees: int) -> float:
    """A rough cost of one fit, used only to start the longest jobs first.

    Measured at 100,000 artists: a forest tree costs ~0.27 s, a boosting stage ~0.08 s, and a
    linear model a fraction of a second for the whole fit.
    """
    if is_forest(model_name):
        return 1.0 * n_trees * n_rows
    if model_name == "Gradient Boosting":
        return 0.3 * BOOSTING_STAGES * n_rows
    return 0.01 * n_rows
