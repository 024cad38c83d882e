"""Equity: the artists for equitable promotion and how the score is distributed."""

from __future__ import annotations

from reports import charts
from reports.page import Column, Section, as_int, decimals, number
from reports.sections.common import (
    BREAKDOWN_ATTRIBUTES,
    Block,
    ReportSettings,
    box_caption,
    box_frames,
    panel_sample_caption,
    share,
    whole,
)
from reports.warehouse_reader import WarehouseReader

EQUITY_COLUMNS = ["artist_id", "artist_name", "gender", "ethnicity", "label_type", "monthly_listeners",
                  "quality_score", "visibility_score", "equity_score", "equity_rank"]
TOP_COLUMNS = ["equity_rank", "artist_id", "artist_name", "gender", "ethnicity", "genre", "country", "label_type",
               "monthly_listeners", "quality_score", "visibility_score", "equity_score"]
SAMPLE_COLUMNS = ["artist_name", "quality_score", "visibility_score", "equity_score", "panel_total"]
QUALITY_VS_VISIBILITY = Block("quality-vs-visibility", "Quality vs visibility")
HISTOGRAM = Block("equity-histogram", "Equity score distribution")


def top_equity_block(settings: ReportSettings) -> Block:
    return Block("top-equity", f"Top {settings.phrase('top_equity_artists', whole)} artists for equitable promotion")


def equity_block(attribute: str) -> Block:
    return Block(f"equity-by-{attribute}", f"Equity score by {attribute}")


def top_equity_table(reader: WarehouseReader, block: Block):
    reader.require("equity.artist_equity_scores", EQUITY_COLUMNS)
    top = reader.select("reporting.top_equity_artists", TOP_COLUMNS, order_by=("list_position",))
    return block.table(top, [
        number("equity_rank", "Rank", as_int), Column("artist_name", "Artist"), Column("gender", "Gender"),
        Column("ethnicity", "Ethnicity"), Column("genre", "Genre"), Column("country", "Country"),
        Column("label_type", "Label"), number("monthly_listeners", "Monthly listeners", as_int),
        number("quality_score", "Quality", decimals(3)), number("visibility_score", "Visibility", decimals(3)),
        number("equity_score", "Equity score", decimals(3)),
    ])


def equity_by_group_chart(reader: WarehouseReader, settings: ReportSettings, attribute: str, block: Block):
    reader.require("equity.artist_equity_scores", EQUITY_COLUMNS)
    stats, outliers = box_frames(reader, "equity_score", attribute)
    return block.chart(charts.boxes(stats, outliers, attribute, "Equity score", block.title), box_caption(settings))


def quality_visibility_chart(reader: WarehouseReader, settings: ReportSettings, block: Block):
    reader.require("equity.artist_equity_scores", EQUITY_COLUMNS)
    points = reader.select("reporting.equity_score_sample", SAMPLE_COLUMNS, order_by=("artist_id",))
    return block.chart(charts.quality_vs_visibility(points), panel_sample_caption(settings, points))


def equity_histogram(reader: WarehouseReader, settings: ReportSettings, block: Block):
    reader.require("equity.artist_equity_scores", EQUITY_COLUMNS)
    bins = reader.select("reporting.equity_score_histogram_bins", ["bin_start", "bin_end", "n"], order_by=("bin",))
    return block.chart(charts.histogram(bins, "Equity score", block.title),
                       f"{settings.phrase('histogram_bins', whole)} equal-width bins between the lowest and highest "
                       "score.")


def how_to_read(settings: ReportSettings) -> str:
    def weight(component: str) -> str:
        return settings.phrase(f"equity_component.{component}", share)

    return (f"The equity score mixes quality (awards, albums per year, years active, streams per listener; "
            f"{weight('quality_score')}), low visibility ({weight('visibility_score')}), a demographic weight "
            f"({weight('demo_weight')}) and an independent-label boost ({weight('label_boost')}), with the weights "
            "of the equity_weights seed. A high score marks an artist with strong work and little reach.")


def equity(reader: WarehouseReader, settings: ReportSettings) -> Section:
    return Section("equity", "Equity", [
        how_to_read(settings),
        "The demographic weight is a policy choice written into the seed, not a finding: the score ranks artists "
        "for attention, it does not measure merit.",
    ], [
        top_equity_block(settings).draw(lambda block: top_equity_table(reader, block)),
        *(equity_block(attribute).draw(lambda block, attribute=attribute: equity_by_group_chart(
            reader, settings, attribute, block)) for attribute in BREAKDOWN_ATTRIBUTES),
        QUALITY_VS_VISIBILITY.draw(lambda block: quality_visibility_chart(reader, settings, block)),
        HISTOGRAM.draw(lambda block: equity_histogram(reader, settings, block)),
    ])
