"""The Oaxaca-Blinder decomposition of each group's gap to its attribute's reference group
(fairness.gap_decomposition, gap_decomposition_controls), with seeded bootstrap intervals.

Per attribute x group but the reference, on the attribute's design (ml.gap_design) and log(1 + outcome),
as statsmodels' OaxacaBlinder(y, x, indicator, hasconst=True, swap=False) gives them with the
reference as the first group: gap = mean_reference - mean_group; twofold with the pooled model
(both groups, with the group's indicator) as the non-discriminatory one: explained =
(x_ref - x_group) . b_pooled, unexplained = x_ref . (b_ref - b_pooled) + x_group . (b_pooled - b_group);
threefold: endowments = (x_ref - x_group) . b_group, coefficients = x_group . (b_ref - b_group),
interaction = (x_ref - x_group) . (b_ref - b_group). A control's contribution is its columns' share of
explained. x are column means, b least-squares coefficients (pseudo-inverse, as statsmodels' OLS).

The bootstrap resamples the reference's and the group's artists apart (their sizes fixed), the same
reference draw for every group of the attribute; each draw's fits are solved from the draw's X'X and
X'y, all outcomes at once, which are the draw's counts of each row times the rows' products: one
matrix product for every draw. The interval is the percentile one
at var rate_interval_confidence.
"""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd
from statsmodels.tools.tools import pinv_extended
from threadpoolctl import threadpool_limits

from ml.config import GapConfig
from ml.gap_design import Design, attribute_groups, fit_rows, gap_design, log_outcome

PARTS = ["gap", "explained", "unexplained", "endowments", "coefficients", "interaction"]
MEANS = ["mean_reference", "mean_group"]
# relative to the largest eigenvalue of a draw's X'X (columns scaled to at most 1): below it a direction is
# not identified in that draw, as an absent level is not
GRAM_RCOND = 1e-10
# rows per block of the bootstrap's products (a block of 20,000 rows and 40 columns holds ~130 MB)
ROW_BLOCK = 20_000
RESULT_DTYPES = {
    "outcome": "string", "attribute": "string", "group_value": "string", "reference_group": "string",
    "n": "Int64", "reference_n": "Int64", "fit_rows": "Int64", "sampled": "boolean", "controls": "string",
    "bootstrap_draws": "Int64", "term_kind": "string", "term": "string",
    "value": "Float64", "ci_low": "Float64", "ci_high": "Float64", "undefined_reason": "string",
}


def least_squares(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """statsmodels' OLS coefficients: its pseudo-inverse of the design times y."""
    return pinv_extended(x)[0] @ y


def pooled_design(x_reference: np.ndarray, x_group: np.ndarray) -> np.ndarray:
    indicator = np.concatenate([np.zeros(len(x_reference)), np.ones(len(x_group))])
    return np.column_stack([np.vstack([x_reference, x_group]), indicator])


def decompose(mean_reference, mean_group, beta_reference, beta_group, beta_pooled) -> dict[str, np.ndarray]:
    """The parts (each ... x outcomes) from column means (... x p) and coefficients (... x p x outcomes)."""
    def dot(means, betas):
        return np.einsum("...p,...pm->...m", means, betas)
    difference = mean_reference - mean_group
    return {
        "gap": dot(mean_reference, beta_reference) - dot(mean_group, beta_group),
        "explained": dot(difference, beta_pooled),
        "unexplained": dot(mean_reference, beta_reference - beta_pooled) + dot(mean_group, beta_pooled - beta_group),
        "endowments": dot(difference, beta_group),
        "coefficients": dot(mean_group, beta_reference - beta_group),
        "interaction": dot(difference, beta_reference - beta_group),
    }


def point_estimates(x_reference, y_reference, x_group, y_group, column_controls) -> tuple[dict, dict]:
    """The parts (gap as the two means' difference, as statsmodels takes it) and each control's contribution."""
    beta_reference, beta_group = least_squares(x_reference, y_reference), least_squares(x_group, y_group)
    beta_pooled = least_squares(pooled_design(x_reference, x_group), np.vstack([y_reference, y_group]))[:-1]
    mean_reference, mean_group = x_reference.mean(axis=0), x_group.mean(axis=0)
    parts = decompose(mean_reference, mean_group, beta_reference, beta_group, beta_pooled)
    parts["gap"] = y_reference.mean(axis=0) - y_group.mean(axis=0)
    parts["mean_reference"], parts["mean_group"] = y_reference.mean(axis=0), y_group.mean(axis=0)
    terms = (mean_reference - mean_group)[:, None] * beta_pooled
    # column 0 is the constant, whose difference of means is 0
    contributions = {control: terms[1:][np.asarray(column_controls) == control].sum(axis=0)
                     for control in dict.fromkeys(column_controls)}
    return parts, contributions


def solve(gram: np.ndarray, cross: np.ndarray) -> np.ndarray:
    return np.linalg.pinv(gram, rcond=GRAM_RCOND, hermitian=True) @ cross


def resample_counts(n: int, rng: np.random.Generator, draws: int) -> np.ndarray:
    """How often each of n rows is drawn in each bootstrap draw of n rows with replacement (draws x n)."""
    counts = np.empty((draws, n), dtype=np.int32)
    for draw in range(draws):
        counts[draw] = np.bincount(rng.integers(0, n, size=n), minlength=n)
    return counts


def draw_moments(x: np.ndarray, y: np.ndarray, rng: np.random.Generator, draws: int) -> tuple[np.ndarray, np.ndarray]:
    """X'X and X'y of each bootstrap draw of these rows (draws x p x p, draws x p x outcomes): each draw's
    counts times the rows' products, as one matrix product per block of rows (no row copied per draw)."""
    n, p = x.shape
    upper = np.triu_indices(p)
    counts = resample_counts(n, rng, draws)
    sums = np.zeros((draws, len(upper[0]) + p * y.shape[1]))
    for start in range(0, n, ROW_BLOCK):
        block = slice(start, start + ROW_BLOCK)
        products = np.hstack([x[block, upper[0]] * x[block, upper[1]],
                              (x[block, :, None] * y[block, None, :]).reshape(len(x[block]), -1)])
        sums += counts[:, block].astype("float64") @ products
    grams = np.empty((draws, p, p))
    grams[:, upper[0], upper[1]] = grams[:, upper[1], upper[0]] = sums[:, :len(upper[0])]
    return grams, sums[:, len(upper[0]):].reshape(draws, p, y.shape[1])


def drawn_parts(reference_moments, group_moments) -> dict[str, np.ndarray]:
    """The parts of every draw (draws x outcomes) from the two groups' drawn moments; column 0 is the constant."""
    (gram_r, cross_r), (gram_g, cross_g) = reference_moments, group_moments
    p = gram_r.shape[-1]
    pooled_gram = np.zeros((len(gram_r), p + 1, p + 1))
    pooled_gram[:, :p, :p] = gram_r + gram_g
    pooled_gram[:, :p, p] = pooled_gram[:, p, :p] = gram_g[:, 0, :]
    pooled_gram[:, p, p] = gram_g[:, 0, 0]
    pooled_cross = np.concatenate([cross_r + cross_g, cross_g[:, :1, :]], axis=1)
    return decompose(gram_r[:, 0, :] / gram_r[:, :1, 0], gram_g[:, 0, :] / gram_g[:, :1, 0], solve(gram_r, cross_r),
                     solve(gram_g, cross_g), solve(pooled_gram, pooled_cross)[:, :p, :])


def percentile_bounds(values: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    low, high = np.quantile(values, [(1 - confidence) / 2, (1 + confidence) / 2], axis=0)
    return low, high


def attribute_rng(random_state: int, attribute: str) -> np.random.Generator:
    """Seeded by var random_state and the attribute's name: an attribute's draws do not move when another is added."""
    return np.random.default_rng([random_state, zlib.crc32(attribute.encode())])


def group_terms(design: Design, responses: np.ndarray, reference: str, others: list[str],
                config: GapConfig, attribute: str) -> dict[str, list[dict]]:
    """Each fitted group's terms: (kind, term, value per outcome, bounds per outcome or None)."""
    x = design.with_constant()
    # the parts do not change when a column is scaled; the draws' X'X is better conditioned so
    scaled = x / np.abs(x).max(axis=0)
    rng = attribute_rng(config.random_state, attribute)
    is_reference = design.groups == reference
    reference_moments = draw_moments(scaled[is_reference], responses[is_reference], rng,
                                     config.decomposition_bootstrap_draws)
    terms = {}
    for group in others:
        in_group = design.groups == group
        parts, contributions = point_estimates(x[is_reference], responses[is_reference], x[in_group],
                                               responses[in_group], design.column_controls)
        drawn = drawn_parts(reference_moments, draw_moments(scaled[in_group], responses[in_group], rng,
                                                           config.decomposition_bootstrap_draws))
        terms[group] = (
            [("mean", name, parts[name], None) for name in MEANS]
            + [("part", name, parts[name], percentile_bounds(drawn[name], config.rate_interval_confidence))
               for name in PARTS]
            + [("control", control, value, None) for control, value in contributions.items()])
    return terms


def term_rows(terms: list, outcome_index: int) -> list[dict]:
    return [{"term_kind": kind, "term": term, "value": value[outcome_index],
             "ci_low": None if bounds is None else bounds[0][outcome_index],
             "ci_high": None if bounds is None else bounds[1][outcome_index]} for kind, term, value, bounds in terms]


def undefined_rows(reason: str) -> list[dict]:
    return [{"term_kind": "mean" if term in MEANS else "part", "term": term, "undefined_reason": reason}
            for term in [*MEANS, *PARTS]]


def attribute_terms(artists: pd.DataFrame, attribute: str, reference: str, outcomes: list[str],
                    config: GapConfig) -> list[dict]:
    """Every outcome x group of the attribute but the reference, x term."""
    groups = attribute_groups(artists, attribute, reference, config)
    rows = fit_rows(artists, attribute, groups.controls, config.min_group_size)
    terms = {}
    if reference in groups.fitted:
        responses = np.column_stack([log_outcome(rows, outcome) for outcome in outcomes])
        design = gap_design(rows, attribute, groups.controls, config.min_group_size)
        terms = group_terms(design, responses, reference, groups.fitted_others(), config, attribute)
    reason = "small_group" if reference in groups.fitted else "small_reference"
    shared = {"attribute": attribute, "reference_group": reference,
              "reference_n": int(groups.sizes.get(reference, 0)), "fit_rows": len(rows),
              "controls": ", ".join(groups.controls), "bootstrap_draws": config.decomposition_bootstrap_draws}
    return [{**shared, "outcome": outcome, "group_value": group, "n": int(groups.sizes[group]), **row}
            for index, outcome in enumerate(outcomes) for group in groups.others
            for row in (term_rows(terms[group], index) if group in terms else undefined_rows(reason))]


# one thread, as ml.adjusted_gaps: the draws' matrices are too narrow for BLAS threads to pay
@threadpool_limits.wrap(limits=1, user_api="blas")
def gap_decomposition_terms(artists: pd.DataFrame, references: list[tuple[str, str, list[str]]],
                            config: GapConfig) -> pd.DataFrame:
    """One row per outcome x attribute x group but the reference x term (the means, the parts with their
    intervals, each control's contribution). references: (attribute, reference group, outcomes), as
    ml.adjusted_gaps.attribute_references reads them from fairness.group_outcomes."""
    rows = [row for attribute, reference, outcomes in references
            for row in attribute_terms(artists, attribute, reference, outcomes, config)]
    table = pd.DataFrame(rows, columns=[column for column in RESULT_DTYPES if column != "sampled"])
    table["sampled"] = bool(len(artists)) and int(artists["artist_n"].iloc[0]) > len(artists)
    ordered = table.sort_values(["outcome", "attribute", "group_value"], kind="stable", ignore_index=True)
    return ordered[list(RESULT_DTYPES)].astype(RESULT_DTYPES)
