"""The report's sections: each reads warehouse tables and turns them into tables, charts and notes.

Metrics come from the tables as the build computed them; the queries here only select, join,
sort, sample and (for box plots and histograms) summarise rows for drawing. A block whose table is
missing or empty becomes a "not available" note naming the reason.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from reports import charts
from reports.page import (
    Cell,
    Chart,
    Column,
    Note,
    Section,
    Table,
    as_int,
    cell,
    decimals,
    general,
    number,
    percent,
    yes_no,
)
from reports.warehouse_reader import Unavailable, WarehouseReader

# Scatter plots draw at most this many points per panel, chosen by a seeded hash of the artist id,
# so a 100,000-artist page stays a few megabytes; every statistic still uses all rows.
MAX_POINTS_PER_PANEL = 2000
MAX_OUTLIERS_PER_BOX = 150
SAMPLE_SEED = 42
HISTOGRAM_BINS = 20
QUARANTINE_ROWS_SHOWN = 100
BOX_GROUP_ATTRIBUTES = ("gender", "ethnicity")


def guarded(block_id: str, title: str, build: Callable[[], object]):
    try:
        return build()
    except Unavailable as exc:
        return Note(block_id, title, f"not available: {exc}")


def sample_caption(shown: int, total: int) -> str:
    if shown >= total:
        return f"All {total:,} points drawn."
    return (f"Drawn: a seeded sample of {shown:,} of {total:,} points (at most {MAX_POINTS_PER_PANEL:,} per panel, "
            f"seed {SAMPLE_SEED}); the statistics above use every row.")


def panel_sample_caption(points: pd.DataFrame, panel: str) -> str:
    totals = points.groupby(panel)["panel_total"].first()
    return sample_caption(len(points), int(totals.sum()))


# --- overview ---------------------------------------------------------------------------------

def overview_facts(reader: WarehouseReader) -> list[tuple[str, Cell]]:
    reader.require("audit.load_reconciliation",
                   ["source_file", "reconciled_at_utc", "rows_read", "artists_loaded", "rows_quarantined"])
    load = reader.frame(
        "select source_file, reconciled_at_utc, rows_read, artists_loaded, rows_quarantined "
        "from audit.load_reconciliation order by source_file"
    )
    record = load.iloc[0]
    built_at = pd.Timestamp(record["reconciled_at_utc"]).strftime("%Y-%m-%d %H:%M:%S UTC")
    return [
        ("Data source", Cell(", ".join(load["source_file"]))),
        ("Built at", Cell(built_at)),
        ("Rows read", cell(number("rows_read", "", as_int), int(load["rows_read"].sum()))),
        ("Artists loaded", cell(number("artists_loaded", "", as_int), int(load["artists_loaded"].sum()))),
        ("Rows quarantined", cell(number("rows_quarantined", "", as_int), int(load["rows_quarantined"].sum()))),
    ]


def quarantine_reasons(reader: WarehouseReader) -> Table:
    reader.require("audit.load_reconciliation", ["rows_quarantined"])
    reasons = reader.frame("""
        with quarantined as (
            select line_number, reason_code, reason_column, reason_message from audit.quarantined_artists
        ),
        reasons as (
            select
                reason_code,
                reason_column,
                count(*) as rows_quarantined,
                min(line_number) as first_line,
                arg_min(reason_message, line_number) as example_message
            from quarantined
            group by reason_code, reason_column
        )
        select reason_code, reason_column, rows_quarantined, first_line, example_message
        from reasons
        order by rows_quarantined desc, reason_code, reason_column
    """)
    return Table.from_frame("quarantine-reasons", "Quarantine reasons", reasons, [
        Column("reason_code", "Reason"),
        Column("reason_column", "Column"),
        number("rows_quarantined", "Rows", as_int),
        number("first_line", "First line", as_int),
        Column("example_message", "Example"),
    ])


def quarantined_rows(reader: WarehouseReader) -> Table:
    reader.require("audit.load_reconciliation", ["rows_quarantined"])
    rows = reader.frame(
        "select line_number, reason_code, reason_column, offending_value, original_text "
        "from audit.quarantined_artists order by line_number limit ?",
        [QUARANTINE_ROWS_SHOWN],
    )
    return Table.from_frame("quarantined-rows", "Quarantined rows", rows, [
        number("line_number", "Line", as_int),
        Column("reason_code", "Reason"),
        Column("reason_column", "Column"),
        Column("offending_value", "Value"),
        Column("original_text", "Original line"),
    ], caption=f"The first {QUARANTINE_ROWS_SHOWN} quarantined lines in file order; "
               "audit.quarantined_artists has all of them.")


def overview(reader: WarehouseReader) -> Section:
    section = Section("overview", "Overview", [
        "Every line of the input file is either an artist (loaded) or a quarantined row with a reason: "
        "rows read = artists loaded + rows quarantined, checked by the build.",
        "A quarantined row is kept with its original text in audit.quarantined_artists; "
        "fix the file and rebuild to load it.",
    ])
    try:
        section.facts = overview_facts(reader)
    except Unavailable as exc:
        section.blocks.append(Note("load", "Load", f"not available: {exc}"))
        return section
    section.blocks += [
        guarded("quarantine-reasons", "Quarantine reasons", lambda: quarantine_reasons(reader)),
        guarded("quarantined-rows", "Quarantined rows", lambda: quarantined_rows(reader)),
    ]
    return section


# --- features ---------------------------------------------------------------------------------

ENGINEERED_FEATURES = (
    "listeners_per_year", "streams_per_year", "albums_per_year", "awards_per_year",
    "spotify_soundcloud_ratio", "followers_to_listeners_ratio", "streams_per_listener",
)


def tiers_chart(reader: WarehouseReader) -> Chart:
    reader.require("features.artist_features", ["success_tier", "gender", "monthly_listeners"])
    tiers = reader.frame("""
        with artists as (
            select coalesce(success_tier, '(undefined)') as success_tier, gender, monthly_listeners
            from features.artist_features
        ),
        tier_counts as (
            select success_tier, gender, count(*) as n,
                min(min(monthly_listeners)) over (partition by success_tier) as tier_order
            from artists
            group by success_tier, gender
        )
        select success_tier, tier_order, gender, n from tier_counts order by tier_order, gender
    """)
    return Chart("tiers-by-gender", "Success tiers by gender", charts.tiers_by_gender(tiers),
                 "Tiers cut monthly listeners at 5M, 25M and 50M as the notebook's pd.cut does.")


def feature_summary(reader: WarehouseReader) -> Table:
    reader.require("features.artist_features", list(ENGINEERED_FEATURES))
    summary = reader.frame(f"""
        with features as (
            select {", ".join(ENGINEERED_FEATURES)} from features.artist_features
        ),
        long_features as (
            unpivot features on columns(*) into name feature value value
        ),
        artists as (select count(*) as n from features.artist_features),
        feature_summary as (
            select
                feature,
                count(value) as defined,
                any_value(artists.n) - count(value) as undefined,
                min(value) as min_value,
                avg(value) as mean_value,
                max(value) as max_value
            from long_features
            cross join artists
            group by feature
        )
        select feature, defined, undefined, min_value, mean_value, max_value from feature_summary
    """)
    order = {name: position for position, name in enumerate(ENGINEERED_FEATURES)}
    summary = summary.sort_values("feature", key=lambda names: names.map(order))
    return Table.from_frame("feature-summary", "Engineered features", summary, [
        Column("feature", "Feature"),
        number("defined", "Defined", as_int),
        number("undefined", "Undefined (null)", as_int),
        number("min_value", "Min", general),
        number("mean_value", "Mean", general),
        number("max_value", "Max", general),
    ], caption="Undefined = the ratio divides by zero years (the notebook would give infinity); "
               "features.artist_features flags those rows.")


def features(reader: WarehouseReader) -> Section:
    return Section("features", "Features", [
        "features.artist_features holds one row per artist: the source columns plus the notebook's "
        "engineered ratios, interaction keys, label encodings and success tier.",
    ], [
        guarded("tiers-by-gender", "Success tiers by gender", lambda: tiers_chart(reader)),
        guarded("feature-summary", "Engineered features", lambda: feature_summary(reader)),
    ])


# --- fairness ---------------------------------------------------------------------------------

def fairness_summary(reader: WarehouseReader) -> Table:
    columns = ["outcome", "attribute", "threshold", "n_groups", "n_small_groups", "statistical_parity_difference",
               "max_rate_group", "min_rate_group", "disparate_impact_ratio", "passes_four_fifths",
               "success_ratio", "chi_square_p_value", "kruskal_p_value"]
    reader.require("fairness.fairness_summary", columns)
    summary = reader.frame(f"select {', '.join(columns)} from fairness.fairness_summary order by outcome, attribute")
    return Table.from_frame("fairness-summary", "Fairness summary per outcome and attribute", summary, [
        Column("outcome", "Outcome"),
        Column("attribute", "Attribute"),
        number("threshold", "High-success threshold", as_int),
        number("n_groups", "Groups", as_int),
        number("n_small_groups", "Small groups", as_int),
        number("statistical_parity_difference", "Statistical parity difference", decimals(3)),
        Column("max_rate_group", "Highest rate"),
        Column("min_rate_group", "Lowest rate"),
        number("disparate_impact_ratio", "Disparate impact", decimals(3)),
        Column("passes_four_fifths", "Passes 4/5 rule", yes_no),
        number("success_ratio", "Success ratio (max/min mean)", decimals(3)),
        number("chi_square_p_value", "χ² p-value", general),
        number("kruskal_p_value", "Kruskal-Wallis p-value", general),
    ])


def group_outcome_frame(reader: WarehouseReader) -> pd.DataFrame:
    columns = ["outcome", "attribute", "group_value", "n", "population_share", "mean_outcome", "high_success_rate",
               "rate_ci_low", "rate_ci_high", "representation_ratio", "disparity_ratio", "small_group"]
    reader.require("fairness.group_outcomes", columns)
    return reader.frame(
        f"select {', '.join(columns)} from fairness.group_outcomes order by outcome, attribute, group_value")


def group_rates_chart(rates: pd.DataFrame, outcome: str) -> Chart:
    rows = rates[rates["outcome"] == outcome]
    return Chart(f"group-rates-{outcome}", f"High-success rate by group: {outcome}", charts.group_rates(rows, outcome),
                 "Dots are each group's high-success rate, bars its 95% Wilson interval; grey groups are smaller "
                 "than the minimum group size and should not be read on their own.")


def group_outcomes_table(rates: pd.DataFrame, outcome: str) -> Table:
    rows = rates[(rates["outcome"] == outcome) & rates["attribute"].isin(BOX_GROUP_ATTRIBUTES)]
    return Table.from_frame(f"group-outcomes-{outcome}", f"Group detail for gender and ethnicity: {outcome}", rows, [
        Column("attribute", "Attribute"),
        Column("group_value", "Group"),
        number("n", "Artists", as_int),
        number("population_share", "Population share", percent),
        number("mean_outcome", "Mean outcome", as_int),
        number("high_success_rate", "High-success rate", decimals(3)),
        number("rate_ci_low", "95% low", decimals(3)),
        number("rate_ci_high", "95% high", decimals(3)),
        number("representation_ratio", "Representation ratio", decimals(3)),
        number("disparity_ratio", "Disparity vs reference", decimals(3)),
        Column("small_group", "Small group", yes_no),
    ])


def fairness(reader: WarehouseReader) -> Section:
    section = Section("fairness", "Fairness", [
        "An artist is high-success at or above the 75th percentile of the outcome. Statistical parity difference is "
        "the highest minus the lowest group rate (0 = parity); disparate impact is the lowest over the highest "
        "rate, and the four-fifths rule flags a ratio below 0.8.",
        "The success ratio compares mean outcomes (highest group mean / lowest). Small p-values (χ² on "
        "high success × group, Kruskal-Wallis on the outcome) say the difference is unlikely to be chance; "
        "with few artists per group, wide intervals and large p-values are expected.",
    ])
    section.blocks.append(guarded("fairness-summary", "Fairness summary", lambda: fairness_summary(reader)))
    try:
        rates = group_outcome_frame(reader)
    except Unavailable as exc:
        section.blocks.append(Note("group-rates", "Group rates", f"not available: {exc}"))
        return section
    for outcome in sorted(rates["outcome"].unique()):
        section.blocks.append(group_rates_chart(rates, outcome))
        section.blocks.append(group_outcomes_table(rates, outcome))
    return section


# --- models -----------------------------------------------------------------------------------

def require_model_output(reader: WarehouseReader, relation: str, columns: list[str], step: str) -> None:
    """Like reader.require, but an empty table is explained by the model step log's skip reasons."""
    try:
        reader.require(relation, columns)
    except Unavailable as exc:
        reasons = skip_reasons(reader, step)
        if reasons and "is empty" in str(exc):
            raise Unavailable(f"the {step} step was skipped: {reasons}") from None
        raise


def skip_reasons(reader: WarehouseReader, step: str) -> str:
    if "reason" not in reader.columns("ml.model_step_log"):
        return ""
    reasons = reader.frame(
        "select distinct reason from ml.model_step_log where step = ? and status = 'skipped' order by reason",
        [step],
    )
    return "; ".join(reasons["reason"].dropna())


METRIC_COLUMNS = ["feature_set", "model_name", "rmse", "mae", "r2", "cv_r2_mean", "cv_r2_std",
                  "best_by_notebook", "best_by_cv"]
PREDICTION_COLUMNS = ["feature_set", "model_name", "artist_id", "split", "actual", "predicted", "error", "pct_error"]


def metrics_table(reader: WarehouseReader) -> Table:
    require_model_output(reader, "ml.model_metrics", METRIC_COLUMNS, "regression")
    metrics = reader.frame(
        f"select {', '.join(METRIC_COLUMNS)} from ml.model_metrics order by feature_set, r2 desc, model_name")
    return Table.from_frame("model-metrics", "Model metrics per feature set", metrics, [
        Column("feature_set", "Feature set"),
        Column("model_name", "Model"),
        number("rmse", "RMSE", as_int),
        number("mae", "MAE", as_int),
        number("r2", "R² (test)", decimals(4)),
        number("cv_r2_mean", "CV R² mean", decimals(4)),
        number("cv_r2_std", "CV R² std", decimals(4)),
        Column("best_by_notebook", "Best by test R² (notebook)", yes_no),
        Column("best_by_cv", "Best by CV R²", yes_no),
    ], caption="The notebook picks the model with the highest test R²; choosing on the test split overstates "
               "how well it generalises, so the CV-best (mean 5-fold R² on the training split) is shown beside it.")


def metrics_chart(reader: WarehouseReader) -> Chart:
    require_model_output(reader, "ml.model_metrics", METRIC_COLUMNS, "regression")
    metrics = reader.frame("""
        with metrics as (select feature_set, model_name, r2, cv_r2_mean from ml.model_metrics),
        long_metrics as (
            unpivot metrics on r2, cv_r2_mean into name metric value value
        )
        select feature_set, model_name,
            case metric when 'r2' then 'R² (test split)' else 'CV R² mean (training split)' end as metric,
            value
        from long_metrics
        order by feature_set, model_name, metric
    """)
    return Chart("model-metrics-chart", "Model metrics", charts.model_metrics(metrics))


def importance_chart(reader: WarehouseReader) -> Chart:
    require_model_output(reader, "ml.model_metrics", METRIC_COLUMNS, "regression")
    require_model_output(reader, "ml.feature_importance",
                         ["feature_set", "model_name", "feature", "method", "importance"], "regression")
    importance = reader.frame("""
        with best_models as (
            select feature_set, model_name from ml.model_metrics where best_by_notebook
        ),
        importances as (
            select feature_set, model_name, feature, method, importance from ml.feature_importance
        ),
        notebook_importances as (
            select importances.feature_set, importances.model_name, importances.method, importances.feature,
                importances.importance
            from importances
            inner join best_models
                on importances.feature_set = best_models.feature_set
                and importances.model_name = best_models.model_name
            where importances.method in ('impurity', 'abs_coef')
        )
        select feature_set, model_name, method, feature, importance
        from notebook_importances
        order by feature_set, importance desc
    """)
    if importance.empty:
        raise Unavailable("ml.feature_importance has no impurity or abs_coef rows for the notebook's best model")
    return Chart("feature-importance", "Feature importance", charts.feature_importance(importance),
                 "What the notebook plots: impurity importance for tree models, |coefficient| for linear ones; "
                 "ml.feature_importance also has permutation importance for every model.")


def best_test_predictions(reader: WarehouseReader, extra_columns: str) -> pd.DataFrame:
    """Test-split predictions of each feature set's notebook-best model, sampled per feature set."""
    require_model_output(reader, "ml.model_metrics", METRIC_COLUMNS, "regression")
    require_model_output(reader, "ml.model_predictions", PREDICTION_COLUMNS, "regression")
    return reader.frame(f"""
        with best_models as (
            select feature_set, model_name from ml.model_metrics where best_by_notebook
        ),
        predictions as (
            select feature_set, model_name, artist_id, split, actual, predicted, error, pct_error
            from ml.model_predictions
        ),
        artists as (
            select artist_id, gender, ethnicity from features.artist_features
        ),
        best_predictions as (
            select predictions.*, artists.gender, artists.ethnicity
            from predictions
            inner join best_models
                on predictions.feature_set = best_models.feature_set
                and predictions.model_name = best_models.model_name
            inner join artists on predictions.artist_id = artists.artist_id
            where predictions.split = 'test'
        ),
        sampled as (
            select feature_set, model_name, artist_id, {extra_columns},
                count(*) over (partition by feature_set) as panel_total
            from best_predictions
            qualify row_number() over (partition by feature_set order by hash(artist_id, ?), artist_id) <= ?
        )
        select * from sampled order by feature_set, artist_id
    """, [SAMPLE_SEED, MAX_POINTS_PER_PANEL])


def actual_vs_predicted_chart(reader: WarehouseReader) -> Chart:
    points = best_test_predictions(reader, "actual, predicted, gender")
    if points.empty:
        raise Unavailable("the notebook's best model has no test-split predictions")
    return Chart("actual-vs-predicted", "Actual vs predicted by gender", charts.actual_vs_predicted(points),
                 panel_sample_caption(points, "feature_set"))


def residuals_chart(reader: WarehouseReader) -> Chart:
    points = best_test_predictions(reader, "predicted, error")
    if points.empty:
        raise Unavailable("the notebook's best model has no test-split predictions")
    return Chart("residuals", "Residuals vs predicted", charts.residuals_vs_predicted(points),
                 panel_sample_caption(points, "feature_set"))


def box_frames(reader: WarehouseReader, observations_sql: str, params: list) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Quartiles, 1.5-IQR whiskers and a seeded sample of outliers of (panel, group_value, value) rows."""
    stats = reader.frame(f"""
        with observations as ({observations_sql}),
        quartiles as (
            select panel, group_value, count(*) as n,
                quantile_cont(value, 0.25) as q1,
                quantile_cont(value, 0.5) as median,
                quantile_cont(value, 0.75) as q3
            from observations
            where value is not null
            group by panel, group_value
        ),
        fences as (
            select *, q1 - 1.5 * (q3 - q1) as low_fence, q3 + 1.5 * (q3 - q1) as high_fence from quartiles
        ),
        box_stats as (
            select fences.panel, fences.group_value, fences.n, fences.q1, fences.median, fences.q3,
                min(observations.value) filter (where observations.value >= fences.low_fence) as whisker_low,
                max(observations.value) filter (where observations.value <= fences.high_fence) as whisker_high
            from fences
            inner join observations
                on fences.panel = observations.panel and fences.group_value = observations.group_value
            group by all
        )
        select * from box_stats order by panel, group_value
    """, params)
    outliers = reader.frame(f"""
        with observations as ({observations_sql}),
        quartiles as (
            select panel, group_value, quantile_cont(value, 0.25) as q1, quantile_cont(value, 0.75) as q3
            from observations
            where value is not null
            group by panel, group_value
        ),
        fences as (
            select panel, group_value, q1 - 1.5 * (q3 - q1) as low_fence, q3 + 1.5 * (q3 - q1) as high_fence
            from quartiles
        ),
        outliers as (
            select observations.panel, observations.group_value, observations.value
            from observations
            inner join fences
                on fences.panel = observations.panel and fences.group_value = observations.group_value
            where observations.value < fences.low_fence or observations.value > fences.high_fence
            qualify row_number() over (
                partition by observations.panel, observations.group_value order by hash(observations.value, ?)
            ) <= ?
        )
        select * from outliers order by panel, group_value, value
    """, [*params, SAMPLE_SEED, MAX_OUTLIERS_PER_BOX])
    return stats, outliers


BOX_CAPTION = (f"Boxes span the quartiles with the median marked; whiskers reach the furthest value within 1.5 IQR; "
               f"dots are outliers (at most {MAX_OUTLIERS_PER_BOX} per box, a seeded sample above that).")
ERROR_CAPTION = ("Percentage error = (actual − predicted) / actual × 100, as the notebook's pct_error: above zero the "
                 "model under-predicts the artist. " + BOX_CAPTION)


def error_by_group_chart(reader: WarehouseReader, attribute: str) -> Chart:
    require_model_output(reader, "ml.model_metrics", METRIC_COLUMNS, "regression")
    require_model_output(reader, "ml.model_predictions", PREDICTION_COLUMNS, "regression")
    observations_sql = f"""
        select predictions.feature_set || ': ' || predictions.model_name as panel,
            artists.{attribute} as group_value,
            predictions.pct_error as value
        from ml.model_predictions as predictions
        inner join ml.model_metrics as metrics
            on predictions.feature_set = metrics.feature_set and predictions.model_name = metrics.model_name
        inner join features.artist_features as artists on predictions.artist_id = artists.artist_id
        where metrics.best_by_notebook and predictions.split = 'test'
    """
    stats, outliers = box_frames(reader, observations_sql, [])
    if stats.empty:
        raise Unavailable("the notebook's best model has no test-split percentage errors")
    return Chart(f"error-by-{attribute}", f"Prediction error distribution by {attribute}",
                 charts.boxes(stats, outliers, attribute, "Percentage error (%)",
                              f"Prediction error distribution by {attribute} (test split)"),
                 ERROR_CAPTION)


def bias_table(reader: WarehouseReader) -> Table:
    columns = ["feature_set", "model_name", "attribute", "group_value", "n", "error_mean", "error_std",
               "abs_error_mean", "pct_error_mean"]
    require_model_output(reader, "ml.model_metrics", METRIC_COLUMNS, "regression")
    require_model_output(reader, "ml.prediction_bias_by_group", columns, "regression")
    bias = reader.frame(f"""
        with best_models as (
            select feature_set, model_name from ml.model_metrics where best_by_notebook
        ),
        bias as (
            select {', '.join(columns)} from ml.prediction_bias_by_group where attribute in ('gender', 'ethnicity')
        )
        select bias.*
        from bias
        inner join best_models
            on bias.feature_set = best_models.feature_set and bias.model_name = best_models.model_name
        order by bias.feature_set, bias.attribute, bias.group_value
    """)
    return Table.from_frame("prediction-bias", "Prediction error by group (notebook's best model, test split)", bias, [
        Column("feature_set", "Feature set"),
        Column("model_name", "Model"),
        Column("attribute", "Attribute"),
        Column("group_value", "Group"),
        number("n", "Artists", as_int),
        number("error_mean", "Mean error", as_int),
        number("error_std", "Error std", as_int),
        number("abs_error_mean", "Mean |error|", as_int),
        number("pct_error_mean", "Mean % error", decimals(2)),
    ], caption="Error = actual − predicted: a positive mean means the model under-predicts the group. "
               "ml.prediction_bias_by_group has every model and every protected attribute.")


def models(reader: WarehouseReader) -> Section:
    section = Section("models", "Models", [
        "Five regressors predict monthly listeners from the artist's features, trained on 70% of the artists and "
        "scored on the other 30%. R² is the share of variance explained (1 is perfect, below 0 is worse than "
        "the mean).",
        "The notebook's feature set includes listeners_per_year, which is monthly listeners divided by years active: "
        "the target leaks into the features, so its near-perfect scores are not evidence of predictability. The "
        "no_leakage feature set drops it and shows what the other features really explain.",
        "Charts show the notebook's best model of each feature set on the test split: points on the dashed line "
        "are perfect predictions; error boxes away from zero mean the model is systematically off for that group.",
    ])
    try:
        require_model_output(reader, "ml.model_metrics", METRIC_COLUMNS, "regression")
    except Unavailable as exc:
        section.blocks.append(Note("models-unavailable", "Models", f"not available: {exc}"))
        return section
    section.blocks += [
        guarded("model-metrics", "Model metrics", lambda: metrics_table(reader)),
        guarded("model-metrics-chart", "Model metrics", lambda: metrics_chart(reader)),
        guarded("feature-importance", "Feature importance", lambda: importance_chart(reader)),
        guarded("actual-vs-predicted", "Actual vs predicted by gender", lambda: actual_vs_predicted_chart(reader)),
        guarded("error-by-gender", "Prediction error by gender", lambda: error_by_group_chart(reader, "gender")),
        guarded("error-by-ethnicity", "Prediction error by ethnicity",
                lambda: error_by_group_chart(reader, "ethnicity")),
        guarded("residuals", "Residuals vs predicted", lambda: residuals_chart(reader)),
        guarded("prediction-bias", "Prediction error by group", lambda: bias_table(reader)),
    ]
    return section


# --- archetypes -------------------------------------------------------------------------------

def elbow_chart(reader: WarehouseReader) -> Chart:
    require_model_output(reader, "ml.cluster_elbow", ["k", "status", "inertia", "silhouette"], "elbow")
    curve = reader.frame("select k, inertia, silhouette from ml.cluster_elbow where status = 'trained' order by k")
    if curve.empty:
        raise Unavailable(f"every k of the elbow was skipped: {skip_reasons(reader, 'elbow')}")
    chosen = reader.scalar("select max(k) from ml.artist_clusters") if "k" in reader.columns("ml.artist_clusters") \
        else None
    return Chart("elbow", "Elbow curve with silhouette", charts.elbow(curve, chosen),
                 "Inertia (left axis) always falls as k grows: look for the bend. Silhouette (right axis, −1 to 1) "
                 "is higher when clusters are well separated. The grey line marks the k the build used.")


def pca_axis_titles(reader: WarehouseReader) -> tuple[str, str]:
    require_model_output(reader, "ml.pca_components", ["component", "explained_variance_ratio"], "clusters")
    ratios = reader.frame("select component, explained_variance_ratio from ml.pca_components order by component")
    first, second = ratios["explained_variance_ratio"].iloc[:2]
    return f"PC1 ({first:.2%} variance)", f"PC2 ({second:.2%} variance)"


def pca_chart(reader: WarehouseReader) -> Chart:
    require_model_output(reader, "ml.artist_clusters", ["artist_id", "cluster", "pc1", "pc2"], "clusters")
    points = reader.frame("""
        with clusters as (select artist_id, cluster, pc1, pc2 from ml.artist_clusters)
        select cluster, pc1, pc2, count(*) over () as panel_total, 'all' as panel
        from clusters
        qualify row_number() over (order by hash(artist_id, ?), artist_id) <= ?
        order by artist_id
    """, [SAMPLE_SEED, MAX_POINTS_PER_PANEL])
    centres = cluster_centres(reader)
    pc1_title, pc2_title = pca_axis_titles(reader)
    return Chart("pca-clusters", "Clusters in PCA space", charts.pca_clusters(points, centres, pc1_title, pc2_title),
                 panel_sample_caption(points, "panel"))


def cluster_centres(reader: WarehouseReader) -> pd.DataFrame:
    """The KMeans centres projected on the principal components (the notebook's red crosses)."""
    require_model_output(reader, "ml.cluster_profiles", ["cluster", "centre_pc1", "centre_pc2"], "clusters")
    return reader.frame(
        "select cluster, centre_pc1 as pc1, centre_pc2 as pc2 from ml.cluster_profiles order by cluster")


def composition_chart(reader: WarehouseReader) -> Chart:
    require_model_output(reader, "ml.cluster_composition", ["cluster", "attribute", "group_value", "n", "share"],
                         "clusters")
    composition = reader.frame("""
        select attribute, cluster, group_value, n, share
        from ml.cluster_composition
        where attribute in ('gender', 'ethnicity')
        order by attribute, cluster, group_value
    """)
    return Chart("cluster-composition", "Cluster composition", charts.cluster_composition(composition),
                 "Each bar is one cluster; compare a group's share across clusters with its share of all artists.")


PROFILE_MEANS = ("monthly_listeners", "total_streams", "album_count", "years_active", "award_wins",
                 "spotify_followers", "soundcloud_followers")


def profiles_table(reader: WarehouseReader) -> Table:
    columns = ["cluster", "size", "share", *(f"{feature}_mean" for feature in PROFILE_MEANS)]
    require_model_output(reader, "ml.cluster_profiles", columns, "clusters")
    profiles = reader.frame(f"select {', '.join(columns)} from ml.cluster_profiles order by cluster")
    return Table.from_frame("cluster-profiles", "Cluster profiles (feature means)", profiles, [
        Column("cluster", "Cluster"),
        number("size", "Artists", as_int),
        number("share", "Share", percent),
        *(number(f"{feature}_mean", feature.replace("_", " "), as_int) for feature in PROFILE_MEANS),
    ], caption="The notebook's cluster_summary: the mean of each clustering feature per cluster (rounded).")


def archetypes(reader: WarehouseReader) -> Section:
    return Section("archetypes", "Archetypes", [
        "KMeans groups artists by seven standardised success measures (listeners, streams, albums, years, awards, "
        "followers). The PCA scatter flattens those seven dimensions to two for drawing; the axis titles say how "
        "much of the variation each keeps.",
        "Clusters describe success profiles, not people: read the composition chart for groups that are over- "
        "or under-represented in the high-success archetypes.",
    ], [
        guarded("elbow", "Elbow curve", lambda: elbow_chart(reader)),
        guarded("pca-clusters", "Clusters in PCA space", lambda: pca_chart(reader)),
        guarded("cluster-composition", "Cluster composition", lambda: composition_chart(reader)),
        guarded("cluster-profiles", "Cluster profiles", lambda: profiles_table(reader)),
    ])


# --- equity -----------------------------------------------------------------------------------

EQUITY_COLUMNS = ["artist_id", "artist_name", "gender", "ethnicity", "label_type", "monthly_listeners",
                  "quality_score", "visibility_score", "equity_score", "equity_rank"]
TOP_EQUITY = 15


def top_equity_table(reader: WarehouseReader) -> Table:
    reader.require("equity.artist_equity_scores", EQUITY_COLUMNS)
    top = reader.frame("""
        with scores as (
            select artist_id, artist_name, gender, ethnicity, label_type, monthly_listeners,
                quality_score, visibility_score, equity_score, equity_rank
            from equity.artist_equity_scores
        ),
        artists as (select artist_id, genre, country from features.artist_features),
        top_scores as (
            select scores.equity_rank, scores.artist_id, scores.artist_name, scores.gender, scores.ethnicity,
                artists.genre, artists.country, scores.label_type, scores.monthly_listeners,
                scores.quality_score, scores.visibility_score, scores.equity_score
            from scores
            inner join artists on scores.artist_id = artists.artist_id
        )
        select * from top_scores order by equity_rank, artist_id limit ?
    """, [TOP_EQUITY])
    return Table.from_frame("top-equity", f"Top {TOP_EQUITY} artists for equitable promotion", top, [
        number("equity_rank", "Rank", as_int),
        Column("artist_name", "Artist"),
        Column("gender", "Gender"),
        Column("ethnicity", "Ethnicity"),
        Column("genre", "Genre"),
        Column("country", "Country"),
        Column("label_type", "Label"),
        number("monthly_listeners", "Monthly listeners", as_int),
        number("quality_score", "Quality", decimals(3)),
        number("visibility_score", "Visibility", decimals(3)),
        number("equity_score", "Equity score", decimals(3)),
    ])


def equity_by_group_chart(reader: WarehouseReader, attribute: str) -> Chart:
    reader.require("equity.artist_equity_scores", EQUITY_COLUMNS)
    stats, outliers = box_frames(
        reader,
        f"select 'all artists' as panel, {attribute} as group_value, equity_score as value "
        "from equity.artist_equity_scores",
        [],
    )
    return Chart(f"equity-by-{attribute}", f"Equity score by {attribute}",
                 charts.boxes(stats, outliers, attribute, "Equity score", f"Equity score by {attribute}"), BOX_CAPTION)


def quality_visibility_chart(reader: WarehouseReader) -> Chart:
    reader.require("equity.artist_equity_scores", EQUITY_COLUMNS)
    points = reader.frame("""
        with scores as (
            select artist_id, artist_name, quality_score, visibility_score, equity_score
            from equity.artist_equity_scores
        )
        select artist_name, quality_score, visibility_score, equity_score,
            count(*) over () as panel_total, 'all' as panel
        from scores
        qualify row_number() over (order by hash(artist_id, ?), artist_id) <= ?
        order by artist_id
    """, [SAMPLE_SEED, MAX_POINTS_PER_PANEL])
    return Chart("quality-vs-visibility", "Quality vs visibility", charts.quality_vs_visibility(points),
                 panel_sample_caption(points, "panel"))


def equity_histogram(reader: WarehouseReader) -> Chart:
    reader.require("equity.artist_equity_scores", EQUITY_COLUMNS)
    bins = reader.frame("""
        with scores as (select equity_score as value from equity.artist_equity_scores where equity_score is not null),
        bounds as (select min(value) as low, max(value) as high from scores),
        binned as (
            select
                coalesce(least(floor((value - low) / nullif(high - low, 0) * ?)::integer, ? - 1), 0) as bin,
                low,
                high
            from scores
            cross join bounds
        ),
        bin_counts as (
            select bin, count(*) as n,
                any_value(low + bin * (high - low) / ?) as bin_start,
                any_value(low + (bin + 1) * (high - low) / ?) as bin_end
            from binned
            group by bin
        )
        select bin_start, bin_end, n from bin_counts order by bin
    """, [HISTOGRAM_BINS] * 4)
    return Chart("equity-histogram", "Equity score distribution",
                 charts.histogram(bins, "Equity score", "Equity score distribution"),
                 f"{HISTOGRAM_BINS} equal-width bins between the lowest and highest score.")


def equity(reader: WarehouseReader) -> Section:
    return Section("equity", "Equity", [
        "The equity score mixes quality (awards, albums per year, years active, streams per listener; 40%), "
        "low visibility (30%), a demographic weight (20%) and an independent-label boost (10%), with the weights "
        "of the equity_weights seed. A high score marks an artist with strong work and little reach.",
        "The demographic weight is a policy choice written into the seed, not a finding: the score ranks artists "
        "for attention, it does not measure merit.",
    ], [
        guarded("top-equity", "Top artists for equitable promotion", lambda: top_equity_table(reader)),
        guarded("equity-by-gender", "Equity score by gender", lambda: equity_by_group_chart(reader, "gender")),
        guarded("equity-by-ethnicity", "Equity score by ethnicity", lambda: equity_by_group_chart(reader, "ethnicity")),
        guarded("quality-vs-visibility", "Quality vs visibility", lambda: quality_visibility_chart(reader)),
        guarded("equity-histogram", "Equity score distribution", lambda: equity_histogram(reader)),
    ])


SECTIONS = (overview, features, fairness, models, archetypes, equity)


def build_sections(reader: WarehouseReader) -> list[Section]:
    return [make(reader) for make in SECTIONS]
