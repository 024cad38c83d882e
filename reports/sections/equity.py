"""Equity: the artists for equitable promotion, how the score is distributed, and how the top-k
lists of the ranking compare with the population (equity.top_k_representation)."""

from __future__ import annotations

import pandas as pd

from reports import charts, fairness_charts
from reports.page import Column, Section, as_int, decimals, number
from reports.sections.common import (
    BREAKDOWN_ATTRIBUTES,
    Block,
    ReportSettings,
    box_caption,
    box_frames,
    panel_sample_caption,
    series,
    share,
    whole,
)
from reports.warehouse_reader import WarehouseReader

EQUITY_COLUMNS = ["artist_id", "artist_name", "gender", "ethnicity", "label_type", "monthly_listeners",
                  "quality_score", "visibility_score", "equity_score", "equity_rank"]
TOP_COLUMNS = ["equity_rank", "artist_id", "artist_name", "gender", "ethnicity", "genre", "country", "label_type",
               "monthly_listeners", "quality_score", "visibility_score", "equity_score"]
SAMPLE_COLUMNS = ["artist_name", "quality_score", "visibility_score", "equity_score", "panel_total"]
SHARE_COLUMNS = ["k", "attribute", "group_value", "population_share", "top_k_share", "top_k_n", "expected_min_n",
                 "shortfall"]
TOP_K_SUMMARY_COLUMNS = ["k", "effective_k", "k_exceeds_artists", "attribute", "n_groups", "groups_short",
                         "total_shortfall", "infeasible_index"]
NO_GROUP_LABEL = "(no value)"
TOP_K_SHARES = Block("top-k-shares", "Top-k lists against the population")
TOP_K_SUMMARY = Block("top-k-representation", "Top-k representation and infeasible index per attribute")
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


def top_k_shares_chart(reader: WarehouseReader, block: Block):
    reader.require("equity.top_k_representation", SHARE_COLUMNS)
    shares = reader.select("equity.top_k_representation", SHARE_COLUMNS, order_by=("attribute", "group_value", "k"))
    shares["group_value"] = shares["group_value"].astype(object).where(shares["group_value"].notna(), NO_GROUP_LABEL)
    return block.chart(fairness_charts.top_k_shares(shares),
                       "Grey bars: the group's share of all artists; dots: its share of the first k artists by "
                       "equity rank. A dot left of its bar is a group the list under-represents; the tooltip gives "
                       f"its floor (floor(share × k)) and shortfall. {NO_GROUP_LABEL} marks artists without a value.")


def collapsed_lengths(summary: pd.DataFrame) -> pd.DataFrame:
    """One row per list length used x attribute: the ks beyond the artists are one list (all of them)."""
    rows = []
    for (length, _), lists in summary.groupby(["effective_k", "attribute"], sort=False):
        ks = ", ".join(f"{int(k):,}" for k in lists["k"])
        label = f"{ks} (all {int(length):,} artists)" if lists["k_exceeds_artists"].any() else ks
        rows.append({**lists.iloc[0].to_dict(), "k_label": label})
    return pd.DataFrame(rows)


def top_k_summary_table(reader: WarehouseReader, block: Block):
    reader.require("equity.top_k_representation", ["k"])
    summary = reader.select("reporting.top_k_attribute_summary", TOP_K_SUMMARY_COLUMNS, order_by=("k", "attribute"))
    caption = ("Groups below their floor: at the list's full length, groups with fewer than floor(population share × "
               "k) artists. Infeasible index (Geyik et al., KDD'19; AIF360's definition): how many of the prefixes "
               "1..k fall short so for some group; a list can give every group its floor at its end (0 below) yet "
               "fall short in many shorter prefixes (a high index). A k beyond the artists is one row: the whole "
               "ranking.")
    return block.table(collapsed_lengths(summary), [
        Column("k_label", "k"), Column("attribute", "Attribute"),
        number("n_groups", "Groups", as_int), number("groups_short", "Groups below their floor", as_int),
        number("total_shortfall", "Shortfall (artists)", as_int),
        number("infeasible_index", "Infeasible index (prefixes)", as_int),
    ], caption)


def top_k_sentence(settings: ReportSettings) -> str:
    lengths = [whole(k) for k in settings.element_numbers("equity_top_k") if k is not None]
    listed = series(lengths) if lengths else "equity_top_k"
    return (f"The top-k lists (k = {listed}) compare the first k artists by equity rank with the whole "
            "population, group by group: a group whose share of the list falls below its floor share is short.")


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
        top_k_sentence(settings),
    ], [
        top_equity_block(settings).draw(lambda block: top_equity_table(reader, block)),
        *(equity_block(attribute).draw(lambda block, attribute=attribute: equity_by_group_chart(
            reader, settings, attribute, block)) for attribute in BREAKDOWN_ATTRIBUTES),
        QUALITY_VS_VISIBILITY.draw(lambda block: quality_visibility_chart(reader, settings, block)),
        HISTOGRAM.draw(lambda block: equity_histogram(reader, settings, block)),
        TOP_K_SHARES.draw(lambda block: top_k_shares_chart(reader, block)),
        TOP_K_SUMMARY.draw(lambda block: top_k_summary_table(reader, block)),
    ])
