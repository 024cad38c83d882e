"""Every setting of the warehouse, declared once: its var name, its rule, its meaning, and whether the
report names it. The default is the var's value in dbt_project/dbt_project.yml, which dbt reads on its
own when it runs without the build (`make docs`, `make lint`, a `dbt` command of yours); the build
resolves the user's overrides against these declarations once (warehouse/settings/resolve.py).

A new setting is its default under `vars:` in dbt_project.yml, one Setting here, and its uses.
"""

from __future__ import annotations

from dataclasses import dataclass

from ml.estimators import MODEL_NAMES
from warehouse.settings import checks, fairness
from warehouse.settings.rules import (
    Check,
    artist_feature_columns,
    count_columns,
    integer,
    name_in,
    names_from,
    number,
    one_of,
)


@dataclass(frozen=True)
class Setting:
    name: str
    rule: Check
    meaning: str
    # True: reporting.report_settings has its value, and the report's prose reads it from there
    reported: bool = False


FEATURE_COLUMNS = names_from(artist_feature_columns, "a column of features.artist_features")
COUNT_COLUMNS = names_from(count_columns, "a count column of the input")

SETTINGS: tuple[Setting, ...] = (
    Setting("source_columns", checks.source_columns,
            "the 14 columns every input file must have (matched by header name, in any order), each integer or text"),
    Setting("extra_attributes", checks.extra_columns(),
            "categorical columns of the input, by folded name (Age Bracket is age_bracket), carried as trimmed text "
            "into features.artist_features: each may be a protected attribute, intersection member or control"),
    Setting("extra_measures", checks.extra_columns("extra_attributes"),
            "whole-number columns of the input, by folded name, validated as the counts are and carried into "
            "features.artist_features: each may be an outcome"),
    Setting("column_map", checks.column_map,
            "an input column -> the input's header for it, exactly as written (else a header feeds the column "
            "whose name it equals with case, spaces, hyphens and underscores folded)"),
    Setting("protected_attributes", FEATURE_COLUMNS,
            "demographic columns the fairness and bias tables break down by"),
    Setting("fairness_intersections", fairness.intersections,
            "intersections, each an attribute of its own: column tuples whose values (and names) are joined "
            "with '_'"),
    Setting("outcomes", COUNT_COLUMNS, "success measures the fairness tables are computed for"),
    Setting("high_success_percentile", number(0, 100),
            "an artist is high success at or above this percentile of the outcome (numpy's linear rule)",
            reported=True),
    Setting("success_tier_edges", checks.tier_edges,
            "success tiers: pd.cut's right-closed bins over monthly_listeners; the last bin is open-ended",
            reported=True),
    Setting("success_tier_labels", checks.tier_labels, "one label per success tier", reported=True),
    Setting("min_group_size", integer(1), "groups smaller than this are flagged as too small to interpret",
            reported=True),
    Setting("fairness_reference_groups", fairness.reference_groups,
            "the group each attribute's disparity ratio is measured against; absent = the largest group"),
    Setting("undisclosed_values", checks.undisclosed_values,
            "in a protected attribute, a blank value or one of these (trimmed, any case) is the undisclosed group"),
    Setting("undisclosed_label", checks.undisclosed_label,
            "the undisclosed group's label in features.artist_features and every breakdown", reported=True),
    Setting("disclosure_warning_share", number(0, 1),
            "fairness.attribute_disclosure warns when an attribute's undisclosed share is above this", reported=True),
    Setting("four_fifths_threshold", number(0, 1, open_low=True),
            "a disparate-impact ratio below this fails the four-fifths rule", reported=True),
    Setting("significance_level", number(0, 1, open_low=True, open_high=True),
            "a gap is significant when its Holm-adjusted p-value is below this", reported=True),
    Setting("parity_tolerance", number(0, 1, open_low=True),
            "Aequitas' parity band: within it when tolerance <= disparity_ratio <= 1 / tolerance", reported=True),
    Setting("rate_interval_confidence", one_of(checks.INTERVAL_LEVELS),
            "confidence of the intervals on group rates and means", reported=True),
    Setting("fairness_controls", fairness.controls,
            "fairness.conditional_parity compares each attribute's groups within each value of these controls",
            reported=True),
    Setting("smoothing_concentration", fairness.smoothing_concentration,
            "the differential-fairness epsilon's smoothed rates: (high-success + c / 2) / (n + c), c > 0 "
            "(AIF360's concentration)", reported=True),
    Setting("bounded_group_loss_max_mae", fairness.loss_bound,
            "Fairlearn's bounded group loss: every group's MAE at most this; null = no bound"),
    Setting("fairness_cuts", fairness.cuts,
            "fairness.threshold_sweep's cuts, in order: {percentile: q} or {top_n: n} (ties at the cut all selected)"),
    Setting("gap_controls", fairness.gap_controls,
            "fairness.adjusted_gaps and gap_decomposition control for these (text columns as indicators, numbers as "
            "they are); a control sharing a column with the attribute is left out", reported=True),
    Setting("gap_max_rows", integer(2),
            "above this many artists the gap regressions and decompositions are fitted on a seeded sample",
            reported=True),
    Setting("decomposition_bootstrap_draws", integer(2),
            "seeded bootstrap draws behind fairness.gap_decomposition's intervals", reported=True),
    Setting("inequality_alphas", fairness.inequality_alphas,
            "fairness.inequality_decomposition's generalized entropy parameters (0 mean log deviation, 1 Theil)",
            reported=True),
    Setting("equity_top_k", fairness.top_k,
            "the equity_rank list lengths whose make-up is compared with the population", reported=True),
    Setting("history_max_builds", integer(1),
            "history.* keeps this many builds; older ones are dropped (FRESH_HISTORY=yes starts anew)"),
    Setting("fairness_drift_tolerance", number(0, 1),
            "a disparate-impact ratio lower than the previous build's by more than this is a warning"),
    Setting("feature_sets", checks.feature_sets,
            "model feature sets: notebook is the notebook's 12 columns, no_leakage drops listeners_per_year, "
            "unaware also drops every protected attribute's code (fairness through unawareness; opt-in in "
            "train_feature_sets: trained, it took the 10M build from 697 s to 934 s, over the 900 s target)"),
    Setting("train_feature_sets", checks.train_feature_sets,
            "which feature sets are trained (make build FEATURE_SETS=notebook)"),
    Setting("model_names", names_from(lambda _: list(MODEL_NAMES), "a model of the project"),
            "the regressors trained", reported=True),
    Setting("model_target", name_in(count_columns, "a count column of the input"), "what the models predict"),
    Setting("test_size", number(0, 1, open_low=True, open_high=True), "share of artists held out for testing",
            reported=True),
    Setting("cv_folds", integer(2), "folds of the cross-validation", reported=True),
    Setting("random_state", integer(0, checks.MAX_RANDOM_STATE),
            "seed of every split, sample and model"),
    Setting("cluster_features", COUNT_COLUMNS, "the standardized columns KMeans archetypes are fitted on",
            reported=True),
    Setting("kmeans_k", integer(1), "number of KMeans archetypes", reported=True),
    Setting("elbow_k_min", integer(2), "smallest k of the elbow"),
    Setting("elbow_k_max", checks.elbow_k_max, "largest k of the elbow"),
    Setting("silhouette_sample_size", integer(2),
            "above this many artists the silhouette (quadratic in rows) is computed on a seeded sample"),
    Setting("ml_n_jobs", integer(1), "worker processes for model training"),
    Setting("ml_parallel_min_rows", integer(0),
            "below this many artists every fit runs in the build's own process (a pool costs more than it saves)"),
    Setting("ml_forest_chunk_trees", integer(1),
            "a Random Forest is fitted in chunks of this many trees, each its own job (same trees)"),
    Setting("ml_max_training_rows", integer(2),
            "above this many training rows the models are fitted on a seeded sample of the training split",
            reported=True),
    Setting("ml_sampled_cv_rows", integer(2),
            "on such a sampled build the CV folds come from a seeded sample of at most this many rows", reported=True),
    Setting("ml_max_cluster_rows", integer(1),
            "above this many artists the elbow, KMeans and PCA are fitted on a seeded sample", reported=True),
    Setting("permutation_repeats", integer(1), "permutation importance: shuffles per feature on the test split"),
    Setting("permutation_max_rows", integer(1),
            "permutation importance is scored on at most this many test rows (sklearn's max_samples)"),
    Setting("counterfactual_max_rows", integer(1),
            "ml.counterfactual_flips re-scores at most this many test rows (a seeded sample) per flipped attribute",
            reported=True),
    Setting("model_fairness_bootstrap_draws", integer(1),
            "seeded bootstrap draws of the test rows behind the intervals of ml.prediction_fairness_summary's gaps",
            reported=True),
)

BY_NAME = {setting.name: setting for setting in SETTINGS}
