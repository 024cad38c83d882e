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


# (fitting, scoring) cost per row, and per tree or stage for the ensembles, in units of a forest
# tree's fit on one row (~3.7 us). Measured on 70,000 training rows: a forest's tree scores a row
# in ~0.23 us, a boosting stage fits one in ~1.1 us and scores it in ~0.01 us; the notebook's
# Lasso runs coordinate descent to max_iter (~3 s a fit), the other linear fits take ~0.1 s.
COST_PER_ROW = {
    "Random Forest": (1.0, 0.061),
    "Gradient Boosting": (0.3, 0.0026),
    "Lasso Regression": (12.0, 0.0014),
}
LINEAR_COST_PER_ROW = (0.4, 0.0014)


def relative_fit_cost(model_name: str, n_rows: int, n_trees: int, n_scored: int) -> float:
    """A rough cost of one job, fitting n_rows and scoring n_scored: it starts the longest jobs
    first and estimates the time left. At 10 million artists scoring is most of a forest's cost."""
    fitting, scoring = COST_PER_ROW.get(model_name, LINEAR_COST_PER_ROW)
    members = n_trees if is_forest(model_name) else BOOSTING_STAGES if model_name == "Gradient Boosting" else 1
    return members * (fitting * n_rows + scoring * n_scored)
