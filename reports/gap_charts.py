"""Vega-Lite charts of the "Why the gaps" section: each group's raw against its control-adjusted gap
(a dumbbell with the adjusted gap's interval), and its Oaxaca-Blinder gap as stacked components (each
control's contribution to the explained part, then the unexplained part)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from reports.charts import PANEL_WIDTH, ZERO_LINE_COLOR, inline, spec

UNEXPLAINED_COLOR = "#7f7f7f"


def with_panels(rows: pd.DataFrame) -> pd.DataFrame:
    """rows with a panel label per attribute that names the group its gaps are measured against."""
    return rows.assign(panel=rows["attribute"] + " (reference: " + rows["reference_group"] + ")")


def by_attribute(chart: alt.LayerChart, title: str) -> dict:
    return spec(chart.properties(width=PANEL_WIDTH, height=alt.Step(16)).facet(
        row=alt.Row("panel:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
    ).resolve_scale(y="independent").properties(title=title))


def gap_dumbbell(groups: pd.DataFrame, outcome: str, interval: str) -> dict:
    """groups: attribute, group_value, reference_group, n, raw_gap, adjusted_gap, adjusted_gap_ci_low,
    adjusted_gap_ci_high, adjusted_gap_pct, share_explained (reporting.why_gap_groups)."""
    base = alt.Chart().encode(y=alt.Y("group_value:N", title=None, sort=alt.SortField("raw_gap")))
    link = base.mark_rule(color="#bbbbbb", strokeWidth=3).encode(
        x=alt.X("raw_gap:Q", title=f"Gap to the reference group, log points of {outcome} ({interval})"),
        x2="adjusted_gap:Q")
    interval_bar = base.mark_rule(color="#4c78a8", strokeWidth=1.5).encode(
        x="adjusted_gap_ci_low:Q", x2="adjusted_gap_ci_high:Q")
    tooltip = ["attribute:N", "group_value:N", "reference_group:N", "n:Q",
               alt.Tooltip("raw_gap:Q", format=".3f"), alt.Tooltip("adjusted_gap:Q", format=".3f"),
               alt.Tooltip("adjusted_gap_pct:Q", format=".1%"), alt.Tooltip("share_explained:Q", format=".1%")]
    raw = base.mark_point(size=60, color="#555555").encode(x="raw_gap:Q", tooltip=tooltip)
    adjusted = base.mark_point(filled=True, size=70, color="#4c78a8").encode(x="adjusted_gap:Q", tooltip=tooltip)
    zero = alt.Chart().mark_rule(color=ZERO_LINE_COLOR, strokeDash=[4, 4]).encode(x=alt.datum(0))
    return by_attribute(alt.layer(link, interval_bar, raw, adjusted, zero, data=inline(with_panels(groups))),
                        f"Raw (hollow) and control-adjusted (filled) gap to the reference group: {outcome}")


def gap_components(components: pd.DataFrame, outcome: str, controls: list[str]) -> dict:
    """components: attribute, reference_group, group_value, component, value (reporting.why_gap_components);
    controls in the order of var gap_controls, coloured in that order, the unexplained part grey."""
    domain = [*controls, "unexplained"]
    palette = ["#4c78a8", "#f58518", "#54a24b", "#b279a2", "#eeca3b", "#9d755d", "#72b7b2", "#ff9da6"]
    colors = [palette[index % len(palette)] for index in range(len(controls))] + [UNEXPLAINED_COLOR]
    bars = alt.Chart().mark_bar().encode(
        y=alt.Y("group_value:N", title=None),
        x=alt.X("sum(value):Q", title=f"Reference minus group, log points of {outcome}"),
        color=alt.Color("component:N", title="Part of the gap", scale=alt.Scale(domain=domain, range=colors)),
        order=alt.Order("is_unexplained:N"),
        tooltip=["attribute:N", "group_value:N", "component:N", alt.Tooltip("value:Q", format=".3f")])
    zero = alt.Chart().mark_rule(color=ZERO_LINE_COLOR, strokeDash=[4, 4]).encode(x=alt.datum(0))
    return by_attribute(alt.layer(bars, zero, data=inline(with_panels(components))),
                        f"The gap explained by each control, and unexplained: {outcome}")
