"""Fairness over builds: what changed since the last build (history.fairness_changes) and each
attribute's disparate impact at every build the warehouse remembers (history.fairness_summary_history)."""

from __future__ import annotations

import pandas as pd

from reports import charts
from reports.page import Cell, Column, as_int, decimals, is_missing, number, yes_no
from reports.sections.common import Block, ReportSettings, four_fifths_verdict, plain, series
from reports.warehouse_reader import Unavailable, WarehouseReader

RUN_COLUMNS = ["build_number", "started_at_utc", "input_file_name"]
CHANGE_COLUMNS = ["outcome", "attribute", "baseline_disparate_impact_ratio", "disparate_impact_ratio",
                  "disparate_impact_change", "disparate_impact_move_rank", "baseline_four_fifths_verdict",
                  "four_fifths_verdict", "verdict_flipped", "disparate_impact_change_beyond_intervals",
                  "disparate_impact_dropped_beyond_tolerance", "fairness_drift_tolerance"]
TREND_COLUMNS = ["build_number", "outcome", "attribute", "disparate_impact_ratio", "disparate_impact_ci_low",
                 "disparate_impact_ci_high"]
# flips first, then the largest moves: the order the box reads them in
CHANGE_ORDER = ("verdict_flipped desc nulls last", "disparate_impact_move_rank")
SINCE_LAST_BUILD = Block("since-last-build", "Since the last build")
TREND = Block("disparate-impact-over-builds", "Disparate impact over builds")


def build_label(run: pd.Series) -> str:
    started = pd.Timestamp(run["started_at_utc"]).strftime("%Y-%m-%d %H:%M UTC")
    return f"build {int(run['build_number'])} ({started}, {run['input_file_name']})"


def verdict(value) -> str:
    return "undefined" if is_missing(value) else four_fifths_verdict(value)


def ratio(value) -> str:
    return "undefined" if is_missing(value) else f"{float(value):.3f}"


def flipped_verdicts(flips: pd.DataFrame) -> str:
    if flips.empty:
        return "none"
    return f"{len(flips)}: " + "; ".join(
        f"{row.outcome} × {row.attribute} "
        f"{verdict(row.baseline_four_fifths_verdict)} → {verdict(row.four_fifths_verdict)}"
        for row in flips.itertuples())


def largest_move(moved: pd.DataFrame) -> str:
    """moved: the change ranked first (disparate_impact_move_rank 1)."""
    if moved.empty or is_missing(moved["disparate_impact_change"].iloc[0]):
        return "no disparate impact is defined in both builds"
    row = moved.iloc[0]
    if row["disparate_impact_change"] == 0:
        return "no disparate impact changed"
    return (f"{row['outcome']} × {row['attribute']}: disparate impact {ratio(row['baseline_disparate_impact_ratio'])} "
            f"→ {ratio(row['disparate_impact_ratio'])} ({float(row['disparate_impact_change']):+.3f})")


def drifted(fell: pd.DataFrame, tolerance: float | None) -> str:
    shown = "fairness_drift_tolerance" if tolerance is None else plain(tolerance)
    if fell.empty:
        return f"none fell by more than {shown}"
    return f"{len(fell)} fell by more than {shown}: " + series([f"{row.outcome} × {row.attribute}"
                                                                for row in fell.itertuples()])


def previous_changes(reader: WarehouseReader, **flags) -> pd.DataFrame:
    """The rows of history.fairness_changes against the previous build that have every flag's value."""
    return reader.select("history.fairness_changes", CHANGE_COLUMNS, where={"baseline": "previous", **flags},
                         order_by=CHANGE_ORDER)


def changes_table(changes: pd.DataFrame, baseline: pd.Series, current: pd.Series):
    return SINCE_LAST_BUILD.table(changes, [
        Column("outcome", "Outcome"), Column("attribute", "Attribute"),
        number("baseline_disparate_impact_ratio", f"Disparate impact, build {int(baseline['build_number'])}",
               decimals(3)),
        number("disparate_impact_ratio", f"Disparate impact, build {int(current['build_number'])}", decimals(3)),
        number("disparate_impact_change", "Change", decimals(3)),
        Column("baseline_four_fifths_verdict", "Verdict before", verdict),
        Column("four_fifths_verdict", "Verdict now", verdict),
        Column("verdict_flipped", "Flipped", yes_no),
        Column("disparate_impact_change_beyond_intervals", "Beyond both intervals", yes_no),
        Column("disparate_impact_dropped_beyond_tolerance", "Fell beyond tolerance", yes_no),
    ], caption="Flips first, then the largest moves. 'Beyond both intervals': the two builds' Katz intervals do not "
               "overlap, so sampling noise does not explain the change. history.fairness_changes also compares "
               "this build with the first one the history keeps.")


def trend_chart(reader: WarehouseReader, settings: ReportSettings):
    trend = reader.select("history.fairness_summary_history", TREND_COLUMNS,
                          order_by=("attribute", "outcome", "build_number"))
    return TREND.chart(
        charts.disparate_impact_over_builds(trend, settings.number("four_fifths_threshold")),
        "One panel per attribute, one line per outcome: the disparate impact at each build the warehouse "
        f"remembers; the dashed rule is the four-fifths threshold ({settings.phrase('four_fifths_threshold', plain)}). "
        "A build whose ratio is undefined has no point. Hover a point for its interval.")


def since_last_build(reader: WarehouseReader, settings: ReportSettings) -> tuple[list[tuple[str, Cell]], list]:
    """The facts at the top of the fairness section, and the blocks that follow them."""
    try:
        reader.require("audit.build_runs", RUN_COLUMNS)
        runs = reader.select("audit.build_runs", RUN_COLUMNS, order_by=("build_number",))
        reader.require_columns("history.fairness_changes", CHANGE_COLUMNS)
    except Unavailable as exc:
        return [], [SINCE_LAST_BUILD.note(exc)]
    current = runs.iloc[-1]
    if len(runs) == 1:
        return [("Build history", Cell(f"{build_label(current)}, the first this warehouse remembers: "
                                       "the next build is compared with it"))], []
    baseline = runs.iloc[-2]
    changes = previous_changes(reader)
    tolerance = None if changes.empty else float(changes["fairness_drift_tolerance"].iloc[0])
    facts = [
        ("Since the last build", Cell(f"{build_label(current)} against {build_label(baseline)}; "
                                      f"{as_int(len(runs))} builds remembered")),
        ("Verdicts flipped", Cell(flipped_verdicts(previous_changes(reader, verdict_flipped=True)))),
        ("Moved most", Cell(largest_move(previous_changes(reader, disparate_impact_move_rank=1)))),
        ("Disparate impact drift",
         Cell(drifted(previous_changes(reader, disparate_impact_dropped_beyond_tolerance=True), tolerance))),
    ]
    return facts, [changes_table(changes, baseline, current), TREND.draw(lambda _: trend_chart(reader, settings))]
