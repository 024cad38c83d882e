"""The report's sections, one module each, in page order; common.py has what they share.

A section reads warehouse tables, mostly the reporting.* views (dbt_project/models/reporting/),
which choose, summarise and sample the rows to draw; Python only assembles tables, charts and
notes from them. A block whose table is missing or empty becomes a "not available" note naming
the reason.
"""

from __future__ import annotations

from reports.page import Section
from reports.sections.archetypes import archetypes
from reports.sections.common import ReportSettings
from reports.sections.equity import equity
from reports.sections.fairness import fairness
from reports.sections.features import features
from reports.sections.headline import headline
from reports.sections.models import models
from reports.sections.overview import overview
from reports.sections.why_the_gaps import why_the_gaps
from reports.warehouse_reader import WarehouseReader

SECTIONS = (headline, overview, features, fairness, why_the_gaps, models, archetypes, equity)

__all__ = ["SECTIONS", "ReportSettings", "build_sections"]


def build_sections(reader: WarehouseReader, settings: ReportSettings | None = None) -> list[Section]:
    settings = settings if settings is not None else ReportSettings.read(reader)
    return [make(reader, settings) for make in SECTIONS]
