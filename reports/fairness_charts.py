"""Vega-Lite charts that compare groups: rates and gaps with their intervals, the disparate-impact
ratio across cuts, top-k shares, and the models' group losses and disparity (reports.charts has
the shared helpers and the other charts)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from reports.charts import PANEL_HEIGHT, PANEL_WIDTH, ZERO_LINE_COLOR, inline, spec


def group_rates(rates: pd.DataFrame, outcome: str, interval: str) -> dict:
    """rates: attribute, group_value, high_success_rate, rate_ci_low, rate_ci_high, n, small_group;
    interval names the bars ("95% Wilson interval")."""
    base = alt.Chart().encode(
        y=alt.Y("group_value:N", title=None, sort=alt.SortField("high_success_rate", order="descending")),
    )
    interval = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("rate_ci_low:Q", title=f"High-success rate ({interval})", scale=alt.Scale(domain=[0, 1])),
        x2="rate_ci_high:Q",
        color=alt.Color("small_group:N", title="Small group",
                        scale=alt.Scale(domain=[False, True], range=["#4c78a8", "#bbbbbb"])),
    )
    point = base.mark_point(filled=True, size=60).encode(
        x="high_success_rate:Q",
        color="small_group:N",
        tooltip=["attribute:N", "group_value:N", "n:Q",
                 alt.Tooltip("high_success_rate:Q", format=".3f"),
                 alt.Tooltip("rate_ci_low:Q", format=".3f"), alt.Tooltip("rate_ci_high:Q", format=".3f")],
    )
    chart = alt.layer(interval, point, data=inline(rates)).properties(width=PANEL_WIDTH, height=alt.Step(14)).facet(
        row=alt.Row("attribute:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
    ).resolve_scale(y="independent").properties(
        title=f"Share of each group at or above the high-success threshold of {outcome}")
    return spec(chart)


def gap_forest(gaps: pd.DataFrame, outcome: str, interval: str) -> dict:
    """gaps: attribute, group_value, comparator_group, rate_difference, rate_difference_ci_low, _ci_high,
    p_value_holm, significant, n; one row per group against its attribute's reference group."""
    # a gap whose test is skipped (significant is null) is still drawn, in its own colour
    labels = gaps["significant"].map({True: "significant", False: "not significant"}).fillna("not tested")
    # each attribute's panel names the group its gaps are measured against
    gaps = gaps.assign(finding=labels, panel=gaps["attribute"] + " (reference: " + gaps["comparator_group"] + ")")
    base = alt.Chart().encode(y=alt.Y("group_value:N", title=None, sort=alt.SortField("rate_difference")))
    significance = alt.Color("finding:N", title="Holm-adjusted test", scale=alt.Scale(
        domain=["significant", "not significant", "not tested"], range=["#d62728", "#4c78a8", "#bbbbbb"]))
    bars = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("rate_difference_ci_low:Q", title=f"Rate difference against the reference group ({interval})"),
        x2="rate_difference_ci_high:Q",
        color=significance,
    )
    point = base.mark_point(filled=True, size=60).encode(
        x="rate_difference:Q",
        color=significance,
        tooltip=["attribute:N", "group_value:N", "comparator_group:N", "n:Q",
                 alt.Tooltip("rate_difference:Q", format=".3f"),
                 alt.Tooltip("rate_difference_ci_low:Q", format=".3f"),
                 alt.Tooltip("rate_difference_ci_high:Q", format=".3f"),
                 alt.Tooltip("p_value_holm:Q", format=".3g")],
    )
    zero = alt.Chart().mark_rule(color=ZERO_LINE_COLOR, strokeDash=[4, 4]).encode(x=alt.datum(0))
    chart = alt.layer(bars, point, zero, data=inline(gaps)).properties(width=PANEL_WIDTH, height=alt.Step(14)).facet(
        row=alt.Row("panel:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
    ).resolve_scale(y="independent").properties(
        title=f"Each group's high-success rate minus its reference group's (named beside each attribute): {outcome}")
    return spec(chart)


def group_error_intervals(rows: pd.DataFrame) -> dict:
    """rows: model, attribute, group_value, n, measure, value, ci_low, ci_high (one model per feature
    set, labelled "feature set: model"); one panel per attribute x measure."""
    base = alt.Chart().encode(
        y=alt.Y("group_value:N", title=None),
        yOffset="model:N",
        color=alt.Color("model:N", title="Feature set: best model"),
    )
    interval = base.mark_rule(strokeWidth=2).encode(x=alt.X("ci_low:Q", title=None), x2="ci_high:Q")
    point = base.mark_point(filled=True, size=50).encode(
        x="value:Q",
        tooltip=["model:N", "attribute:N", "group_value:N", "n:Q", "measure:N",
                 alt.Tooltip("value:Q", format=",.0f"), alt.Tooltip("ci_low:Q", format=",.0f"),
                 alt.Tooltip("ci_high:Q", format=",.0f")],
    )
    zero = alt.Chart().mark_rule(color=ZERO_LINE_COLOR, strokeDash=[6, 4]).encode(x=alt.datum(0))
    chart = alt.layer(interval, point, zero, data=inline(rows)).properties(
        width=PANEL_WIDTH - 60, height=alt.Step(22)).facet(
        row=alt.Row("attribute:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
        column=alt.Column("measure:N", title=None),
    ).resolve_scale(x="independent", y="independent").properties(
        title="Group loss and mean signed error of each feature set's best model (test split)")
    return spec(chart)


def accuracy_vs_disparity(points: pd.DataFrame) -> dict:
    """points: feature_set, model_name, attribute, r2, equalized_odds_difference; one panel per attribute."""
    chart = alt.Chart(inline(points)).mark_point(filled=True, size=90).encode(
        x=alt.X("equalized_odds_difference:Q", title="Equalized-odds difference (0 = parity)",
                scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("r2:Q", title="R² (test split)"),
        color=alt.Color("feature_set:N", title="Feature set"),
        shape=alt.Shape("model_name:N", title="Model"),
        tooltip=["feature_set:N", "model_name:N", "attribute:N", alt.Tooltip("r2:Q", format=".4f"),
                 alt.Tooltip("equalized_odds_difference:Q", format=".3f")],
    ).properties(width=PANEL_WIDTH - 80, height=PANEL_HEIGHT).facet(
        column=alt.Column("attribute:N", title=None),
    ).properties(title="Accuracy against disparity: one point per model and feature set")
    return spec(chart)


def disparate_impact_by_cut(ratios: pd.DataFrame, four_fifths: float | None) -> dict:
    """ratios: outcome, cut, cut_position, attribute, threshold, cut_selected_n, disparate_impact_ratio;
    one small panel per outcome x attribute, one line each (lines of several attributes or outcomes often
    coincide, at 0 or 1, and hide each other on a shared panel); a null ratio breaks its line. four_fifths
    draws the rule's bound."""
    # the axes' meaning is in the title and the caption: a title per small panel would overlap its neighbour's
    cut_axis = alt.X("cut:N", title=None, sort=alt.SortField("cut_position"), axis=alt.Axis(labelAngle=-45))
    lines = alt.Chart().mark_line(point=True, invalid="break-paths-show-domains").encode(
        x=cut_axis,
        y=alt.Y("disparate_impact_ratio:Q", title=None, scale=alt.Scale(domain=[0, 1])),
        tooltip=["attribute:N", "outcome:N", "cut:N", alt.Tooltip("threshold:Q", format=",.4g"), "cut_selected_n:Q",
                 alt.Tooltip("disparate_impact_ratio:Q", format=".3f")],
    )
    layers = [lines]
    if four_fifths is not None:
        layers.append(alt.Chart().mark_rule(color=ZERO_LINE_COLOR, strokeDash=[6, 4]).encode(y=alt.datum(four_fifths)))
    chart = alt.layer(*layers, data=inline(ratios)).properties(width=110, height=120).facet(
        row=alt.Row("outcome:N", title=None), column=alt.Column("attribute:N", title=None),
    ).properties(title="Disparate-impact ratio (lowest / highest group rate) by selection cut (selected = at or "
                       "above it)")
    return spec(chart)


def top_k_shares(shares: pd.DataFrame) -> dict:
    """shares: k, attribute, group_value, population_share, top_k_share, top_k_n, expected_min_n, shortfall;
    per attribute a row of panels: each group's share of the population (grey bar) and of each top k (dots)."""
    base = alt.Chart().encode(y=alt.Y("group_value:N", title=None))
    population = base.mark_bar(color="#cccccc").encode(
        # one row per k repeats the population share: overlaid, not stacked
        x=alt.X("population_share:Q", title="Share (bar: population; dots: top k)", axis=alt.Axis(format="%"),
                stack=None),
        tooltip=["attribute:N", "group_value:N", alt.Tooltip("population_share:Q", format=".1%")],
    )
    top = base.mark_point(filled=True, size=60).encode(
        x="top_k_share:Q",
        color=alt.Color("k:O", title="Top k"),
        tooltip=["attribute:N", "group_value:N", "k:O", "top_k_n:Q", alt.Tooltip("top_k_share:Q", format=".1%"),
                 "expected_min_n:Q", "shortfall:Q"],
    )
    chart = alt.layer(population, top, data=inline(shares)).properties(
        width=PANEL_WIDTH, height=alt.Step(14)).facet(
        row=alt.Row("attribute:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
    ).resolve_scale(y="independent").properties(
        title="Each group's share of the population and of the first k artists by equity rank")
    return spec(chart)
