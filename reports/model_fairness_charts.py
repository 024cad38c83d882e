"""Vega-Lite charts of whether the best model uses the protected attribute itself and whether it is
calibrated for every group: counterfactual changes per pair of groups, calibration curves by group."""

from __future__ import annotations

import altair as alt
import pandas as pd

from reports.charts import PANEL_HEIGHT, PANEL_WIDTH, ZERO_LINE_COLOR, inline, spec


def counterfactual_changes(flips: pd.DataFrame) -> dict:
    """flips: feature_set, model_name, attribute, group_value, counterfactual_group, n, mean_change,
    relative_change, flip_up_rate, flip_down_rate; a bar per ordered pair, a row of panels per attribute."""
    flips = flips.assign(pair=flips["group_value"] + " → " + flips["counterfactual_group"],
                         model=flips["feature_set"] + ": " + flips["model_name"])
    bars = alt.Chart().mark_bar().encode(
        y=alt.Y("pair:N", title=None, sort=alt.SortField("mean_change")),
        x=alt.X("mean_change:Q", title="Mean change of the prediction (listeners)"),
        color=alt.Color("model:N", title="Best model"),
        yOffset="model:N",
        tooltip=["model:N", "attribute:N", "group_value:N", "counterfactual_group:N", "n:Q",
                 alt.Tooltip("mean_change:Q", format=",.0f"), alt.Tooltip("relative_change:Q", format=".1%"),
                 alt.Tooltip("flip_up_rate:Q", format=".1%"), alt.Tooltip("flip_down_rate:Q", format=".1%")],
    )
    zero = alt.Chart().mark_rule(color=ZERO_LINE_COLOR).encode(x=alt.datum(0))
    chart = alt.layer(bars, zero, data=inline(flips)).properties(width=PANEL_WIDTH, height=alt.Step(10)).facet(
        row=alt.Row("attribute:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
    ).resolve_scale(y="independent").properties(
        title="Change of the prediction when only the artist's group code is swapped (group → counterfactual)")
    return spec(chart)


def calibration_curves(bins: pd.DataFrame) -> dict:
    """bins: feature_set, attribute, group_value, prediction_bin, n, mean_prediction, mean_actual;
    one panel per feature set and attribute, one line per group, the diagonal as perfect calibration."""
    lines = alt.Chart().mark_line(point=True).encode(
        x=alt.X("mean_prediction:Q", title="Mean prediction in the decile bin (listeners)"),
        y=alt.Y("mean_actual:Q", title="Mean actual (listeners)"),
        color=alt.Color("group_value:N", title="Group"),
        order="prediction_bin:Q",
        tooltip=["feature_set:N", "attribute:N", "group_value:N", "prediction_bin:Q", "n:Q",
                 alt.Tooltip("mean_prediction:Q", format=",.0f"), alt.Tooltip("mean_actual:Q", format=",.0f")],
    )
    diagonal = alt.Chart().mark_line(color="#999999", strokeDash=[4, 4]).encode(
        x="mean_prediction:Q", y="mean_prediction:Q")
    chart = alt.layer(diagonal, lines, data=inline(bins)).properties(
        width=PANEL_WIDTH - 80, height=PANEL_HEIGHT - 60).facet(
        row=alt.Row("attribute:N", title=None), column=alt.Column("feature_set:N", title=None),
    ).resolve_scale(color="independent").properties(
        title="Calibration by group: mean actual against mean prediction per decile of the prediction")
    return spec(chart)
