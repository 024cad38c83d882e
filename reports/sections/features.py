"""Features: the success tiers and the notebook's engineered ratios."""

from __future__ import annotations

from reports import charts
from reports.page import Column, Section, as_int, general, number
from reports.sections.common import Block, ReportSettings, millions, series
from reports.warehouse_reader import WarehouseReader

TIERS = Block("tiers-by-gender", "Success tiers by gender")
FEATURE_SUMMARY = Block("feature-summary", "Engineered features")


def tiers_chart(reader: WarehouseReader, settings: ReportSettings, block: Block):
    reader.require("features.artist_features", ["success_tier", "gender", "monthly_listeners"])
    tiers = reader.select("reporting.success_tier_gender_counts", ["success_tier", "tier_order", "gender", "n"],
                          order_by=("tier_order", "gender"))
    edges = settings.element_numbers("success_tier_edges")[1:]
    cuts = series([millions(edge) for edge in edges]) if edges else "the edges of var success_tier_edges"
    return block.chart(charts.tiers_by_gender(tiers),
                       f"Tiers cut monthly listeners at {cuts} as the notebook's pd.cut does.")


def feature_summary(reader: WarehouseReader, block: Block):
    reader.require("features.artist_features", ["artist_id"])
    summary = reader.select(
        "reporting.engineered_feature_summary",
        ["feature", "defined", "undefined", "min_value", "mean_value", "max_value"],
        order_by=("feature_position",))
    return block.table(summary, [
        Column("feature", "Feature"), number("defined", "Defined", as_int),
        number("undefined", "Undefined (null)", as_int), number("min_value", "Min", general),
        number("mean_value", "Mean", general), number("max_value", "Max", general),
    ], caption="Undefined = the ratio divides by zero years (the notebook would give infinity); "
               "features.artist_features flags those rows.")


def features(reader: WarehouseReader, settings: ReportSettings) -> Section:
    return Section("features", "Features", [
        "features.artist_features holds one row per artist: the source columns plus the notebook's "
        "engineered ratios, interaction keys, label encodings and success tier.",
    ], [
        TIERS.draw(lambda block: tiers_chart(reader, settings, block)),
        FEATURE_SUMMARY.draw(lambda block: feature_summary(reader, block)),
    ])
