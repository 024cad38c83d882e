"""Vega-Lite chart specs built with Altair from DataFrames the report read from the warehouse.

Every function takes the rows to draw (already aggregated or sampled by the reporting views,
dbt_project/models/reporting/) and returns a Vega-Lite spec as a dict. Data is inlined as plain
JSON values, so the spec holds no URL and the page needs no network to draw it.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

PANEL_WIDTH = 340
PANEL_HEIGHT = 260
ZERO_LINE_COLOR = "#d62728"


def inline(frame: pd.DataFrame) -> alt.Data:
    """The rows as plain Python values with every digit kept: NaN and NA become null."""
    return alt.Data(values=frame.astype(object).where(frame.notna(), None).to_dict("records"))


def spec(chart) -> dict:
    """The chart's Vega-Lite spec. Checking it against the Vega-Lite schema took 0.8 s of the
    report's 3.3 s at 100,000 artists; the tests check every spec the report writes instead."""
    return chart.to_dict(validate=False)


def panels(charts: list, title: str, shared_colors: bool = True) -> dict:
    """Side-by-side panels (one per feature set, say) under one title, each with its own axes."""
    if len(charts) == 1:
        return spec(charts[0].properties(title=title))
    return spec(alt.hconcat(*charts, title=title).resolve_scale(color="shared" if shared_colors else "independent"))


def tiers_by_gender(tiers: pd.DataFrame) -> dict:
    """tiers: success_tier, tier_order, gender, n."""
    chart = alt.Chart(inline(tiers)).mark_bar().encode(
        x=alt.X("success_tier:N", sort=alt.SortField("tier_order"), title="Success tier"),
        y=alt.Y("n:Q", title="Artists"),
        color=alt.Color("gender:N", title="Gender"),
        xOffset="gender:N",
        tooltip=["success_tier:N", "gender:N", "n:Q"],
    ).properties(width=PANEL_WIDTH, height=PANEL_HEIGHT, title="Artists per success tier, by gender")
    return spec(chart)


def model_metrics(metrics: pd.DataFrame) -> dict:
    """metrics: feature_set, model_name, metric, value (R² on the test split and mean CV R²)."""
    chart = alt.Chart(inline(metrics)).mark_bar().encode(
        y=alt.Y("model_name:N", title=None),
        x=alt.X("value:Q", title="R²"),
        color=alt.Color("metric:N", title="Metric"),
        yOffset="metric:N",
        column=alt.Column("feature_set:N", title="Feature set"),
        tooltip=["feature_set:N", "model_name:N", "metric:N", alt.Tooltip("value:Q", format=".4f")],
    ).properties(width=PANEL_WIDTH - 60, height=alt.Step(12))
    return spec(chart.properties(title="Test R² and cross-validated R² per model"))


def feature_importance(importance: pd.DataFrame) -> dict:
    """importance: feature_set, model_name, method, feature, importance (one model per feature set)."""
    charts = []
    for feature_set, rows in importance.groupby("feature_set", sort=True):
        model = rows["model_name"].iloc[0]
        method = rows["method"].iloc[0]
        charts.append(alt.Chart(inline(rows)).mark_bar().encode(
            x=alt.X("importance:Q", title=f"Importance ({method})"),
            y=alt.Y("feature:N", sort="-x", title=None),
            tooltip=["feature:N", alt.Tooltip("importance:Q", format=".4g")],
        ).properties(width=PANEL_WIDTH - 60, height=alt.Step(16), title=f"{feature_set}: {model}"))
    return panels(charts, "Feature importance of the notebook's best model")


def actual_vs_predicted(points: pd.DataFrame) -> dict:
    """points: feature_set, model_name, actual, predicted, gender."""
    charts = []
    for feature_set, rows in points.groupby("feature_set", sort=True):
        top = float(rows["actual"].max())
        diagonal = pd.DataFrame({"actual": [0.0, top], "predicted": [0.0, top]})
        scatter = alt.Chart(inline(rows[["actual", "predicted", "gender"]])).mark_circle(opacity=0.7, size=40).encode(
            x=alt.X("actual:Q", title="Actual monthly listeners"),
            y=alt.Y("predicted:Q", title="Predicted monthly listeners"),
            color=alt.Color("gender:N", title="Gender"),
            tooltip=["gender:N", alt.Tooltip("actual:Q", format=",.0f"), alt.Tooltip("predicted:Q", format=",.0f")],
        )
        perfect = alt.Chart(inline(diagonal)).mark_line(color="black", strokeDash=[6, 4]).encode(
            x="actual:Q", y="predicted:Q",
        )
        charts.append(alt.layer(scatter, perfect).properties(
            width=PANEL_WIDTH, height=PANEL_HEIGHT, title=f"{feature_set}: {rows['model_name'].iloc[0]}"))
    return panels(charts, "Actual vs predicted by gender (test split; dashed line = perfect prediction)")


def boxes(stats: pd.DataFrame, outliers: pd.DataFrame, group: str, value_title: str, title: str) -> dict:
    """Box plots from precomputed quartiles, one panel per `panel` value.

    stats: panel, group_value, n, q1, median, q3, whisker_low, whisker_high;
    outliers: panel, group_value, value. Whiskers reach the furthest value within 1.5 IQR of the
    box, as matplotlib's and seaborn's boxplots do.
    """
    charts = []
    for panel, rows in stats.groupby("panel", sort=True):
        group_axis = alt.X("group_value:N", title=group, axis=alt.Axis(labelAngle=-45))
        whiskers = alt.Chart().mark_rule().encode(
            x=group_axis, y=alt.Y("whisker_low:Q", title=value_title), y2="whisker_high:Q")
        box = alt.Chart().mark_bar(size=24, opacity=0.8).encode(
            x=group_axis, y="q1:Q", y2="q3:Q", color=alt.Color("group_value:N", legend=None),
            tooltip=["group_value:N", "n:Q", alt.Tooltip("q1:Q", format=".4g"),
                     alt.Tooltip("median:Q", format=".4g"), alt.Tooltip("q3:Q", format=".4g")])
        median = alt.Chart().mark_tick(color="black", size=24, thickness=2).encode(
            x=group_axis, y="median:Q")
        layers = [whiskers, box, median]
        panel_outliers = outliers.loc[outliers["panel"] == panel, ["group_value", "value"]]
        if not panel_outliers.empty:
            layers.append(alt.Chart(inline(panel_outliers)).mark_point(color="#555555", size=16).encode(
                x=group_axis, y="value:Q"))
        box_rows = rows[["group_value", "n", "q1", "median", "q3", "whisker_low", "whisker_high"]]
        charts.append(alt.layer(*layers, data=inline(box_rows)).properties(
            width=PANEL_WIDTH, height=PANEL_HEIGHT, title=str(panel)))
    return panels(charts, title)


def zero_rule() -> alt.Chart:
    return alt.Chart(inline(pd.DataFrame({"zero": [0.0]}))).mark_rule(
        color=ZERO_LINE_COLOR, strokeDash=[6, 4]).encode(y="zero:Q")


def residuals_vs_predicted(points: pd.DataFrame) -> dict:
    """points: feature_set, model_name, predicted, error."""
    charts = []
    for feature_set, rows in points.groupby("feature_set", sort=True):
        scatter = alt.Chart(inline(rows[["predicted", "error"]])).mark_circle(opacity=0.7, size=40).encode(
            x=alt.X("predicted:Q", title="Predicted values"),
            y=alt.Y("error:Q", title="Residual (actual − predicted)"),
            tooltip=[alt.Tooltip("predicted:Q", format=",.0f"), alt.Tooltip("error:Q", format=",.0f")],
        )
        charts.append(alt.layer(scatter, zero_rule()).properties(
            width=PANEL_WIDTH, height=PANEL_HEIGHT, title=f"{feature_set}: {rows['model_name'].iloc[0]}"))
    return panels(charts, "Residuals vs predicted values (test split)")


def elbow(curve: pd.DataFrame, chosen_k: int | None) -> dict:
    """curve: k, inertia, silhouette."""
    base = alt.Chart(inline(curve)).encode(x=alt.X("k:O", title="Number of clusters (k)"))
    inertia = base.mark_line(point=True, color="#1f77b4").encode(
        y=alt.Y("inertia:Q", title="Inertia", axis=alt.Axis(titleColor="#1f77b4")),
        tooltip=["k:O", alt.Tooltip("inertia:Q", format=".4g"), alt.Tooltip("silhouette:Q", format=".3f")])
    silhouette = base.mark_line(point=True, color="#ff7f0e", strokeDash=[4, 2]).encode(
        y=alt.Y("silhouette:Q", title="Silhouette", axis=alt.Axis(titleColor="#ff7f0e")))
    layers = [inertia, silhouette]
    if chosen_k is not None:
        layers.append(alt.Chart(inline(pd.DataFrame({"k": [chosen_k]}))).mark_rule(color="#888888").encode(x="k:O"))
    chart = alt.layer(*layers).resolve_scale(y="independent").properties(
        width=PANEL_WIDTH + 100, height=PANEL_HEIGHT, title="Elbow method: inertia and silhouette per k")
    return spec(chart)


def pca_clusters(points: pd.DataFrame, centres: pd.DataFrame, pc1_title: str, pc2_title: str) -> dict:
    """points: pc1, pc2, cluster; centres: pc1, pc2, cluster."""
    scatter = alt.Chart(inline(points[["pc1", "pc2", "cluster"]])).mark_circle(opacity=0.7, size=40).encode(
        x=alt.X("pc1:Q", title=pc1_title),
        y=alt.Y("pc2:Q", title=pc2_title),
        color=alt.Color("cluster:N", title="Cluster", scale=alt.Scale(scheme="viridis")),
        tooltip=["cluster:N", alt.Tooltip("pc1:Q", format=".3f"), alt.Tooltip("pc2:Q", format=".3f")],
    )
    centre_marks = alt.Chart(inline(centres)).mark_point(
        shape="cross", color="red", size=300, strokeWidth=3, filled=True).encode(
        x="pc1:Q", y="pc2:Q", tooltip=["cluster:N"])
    chart = alt.layer(scatter, centre_marks).properties(
        width=PANEL_WIDTH + 100, height=PANEL_HEIGHT + 60,
        title="Artist clusters in PCA space (red crosses = cluster centres)")
    return spec(chart)


def cluster_composition(composition: pd.DataFrame) -> dict:
    """composition: attribute, cluster, group_value, n, share."""
    charts = []
    for attribute, rows in composition.groupby("attribute", sort=True):
        charts.append(alt.Chart(inline(rows)).mark_bar().encode(
            x=alt.X("cluster:N", title="Cluster"),
            y=alt.Y("share:Q", title="Share of cluster", axis=alt.Axis(format="%")),
            color=alt.Color("group_value:N", title=attribute),
            tooltip=["cluster:N", "group_value:N", "n:Q", alt.Tooltip("share:Q", format=".1%")],
        ).properties(width=PANEL_WIDTH - 100, height=PANEL_HEIGHT, title=attribute))
    return panels(charts, "Demographic composition of each cluster", shared_colors=False)


def quality_vs_visibility(points: pd.DataFrame) -> dict:
    """points: artist_name, quality_score, visibility_score, equity_score."""
    drawn = points[["artist_name", "quality_score", "visibility_score", "equity_score"]]
    chart = alt.Chart(inline(drawn)).mark_circle(size=50, opacity=0.8).encode(
        x=alt.X("quality_score:Q", title="Quality score"),
        y=alt.Y("visibility_score:Q", title="Visibility score"),
        color=alt.Color("equity_score:Q", title="Equity score", scale=alt.Scale(scheme="viridis")),
        tooltip=["artist_name:N", alt.Tooltip("quality_score:Q", format=".3f"),
                 alt.Tooltip("visibility_score:Q", format=".3f"), alt.Tooltip("equity_score:Q", format=".3f")],
    ).properties(width=PANEL_WIDTH + 100, height=PANEL_HEIGHT, title="Quality vs visibility, coloured by equity score")
    return spec(chart)


def histogram(bins: pd.DataFrame, value_title: str, title: str) -> dict:
    """bins: bin_start, bin_end, n."""
    chart = alt.Chart(inline(bins)).mark_bar(stroke="white").encode(
        x=alt.X("bin_start:Q", title=value_title, scale=alt.Scale(zero=False)),
        x2="bin_end:Q",
        # a bar from 0 to its count: with x2 given, Vega-Lite no longer stacks from 0 by itself
        y=alt.Y("n:Q", title="Count", scale=alt.Scale(zero=True)),
        y2=alt.datum(0),
        tooltip=[alt.Tooltip("bin_start:Q", format=".3f"), alt.Tooltip("bin_end:Q", format=".3f"), "n:Q"],
    ).properties(width=PANEL_WIDTH + 100, height=PANEL_HEIGHT, title=title)
    return spec(chart)


def disparate_impact_over_builds(trend: pd.DataFrame, threshold: float | None) -> dict:
    """trend: build_number, outcome, attribute, disparate_impact_ratio, disparate_impact_ci_low, _ci_high;
    one panel per attribute, one line per outcome, the four-fifths threshold as a dashed rule."""
    builds = sorted(int(number) for number in trend["build_number"].unique())
    # a tick at each build while they are few (Vega's own ticks fall between builds)
    ticks = alt.Axis(format="d", values=builds) if len(builds) <= 12 else alt.Axis(format="d")
    line = alt.Chart().mark_line(point=True).encode(
        x=alt.X("build_number:Q", title="Build", scale=alt.Scale(nice=False), axis=ticks),
        y=alt.Y("disparate_impact_ratio:Q", title="Disparate impact", scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("outcome:N", title="Outcome"),
        tooltip=["build_number:Q", "outcome:N", alt.Tooltip("disparate_impact_ratio:Q", format=".3f"),
                 alt.Tooltip("disparate_impact_ci_low:Q", format=".3f"),
                 alt.Tooltip("disparate_impact_ci_high:Q", format=".3f")],
    )
    layers = [line]
    if threshold is not None:
        layers.append(alt.Chart().mark_rule(color=ZERO_LINE_COLOR, strokeDash=[4, 4]).encode(y=alt.datum(threshold)))
    chart = alt.layer(*layers, data=inline(trend)).properties(width=PANEL_WIDTH - 80, height=PANEL_HEIGHT - 80).facet(
        facet=alt.Facet("attribute:N", title=None), columns=3,
    ).properties(title="Disparate impact (lowest / highest group high-success rate) at each build")
    return spec(chart)
