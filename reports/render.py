"""The HTML report as text: one self-contained page (styles, data and the Vega JavaScript inline)
that opens from file:// with no network, rendered from a published warehouse.

Where the page is written, and when, is the build's business (warehouse/publish/report_page.py).
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime
from pathlib import Path

import altair as alt
import jinja2
import vl_convert
from markupsafe import Markup

from reports.sections import ReportSettings, build_sections
from reports.warehouse_reader import WarehouseReader

TEMPLATES = Path(__file__).resolve().parent / "templates"


def vega_javascript() -> Markup:
    """Vega, Vega-Lite and vega-embed as one script, for the Vega-Lite version Altair writes specs for.

    The bundle is JavaScript source: a literal `</script` or `<!--` in it would end or derail the
    script element, so they are written as `<\\/script` and `<\\!--`, which JavaScript reads as the
    same strings.
    """
    vega_lite_version = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]
    bundle = vl_convert.javascript_bundle(vl_version=vega_lite_version)
    return Markup(re.sub(r"<(/script|!--)", lambda match: "<\\" + match.group(1), bundle, flags=re.IGNORECASE))


def template_environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(db_path: Path, published: Path | None = None) -> str:
    """The page for the warehouse at db_path; its header names published (the file readers open) when
    the build renders from its private copy."""
    reader = WarehouseReader.open(db_path)
    try:
        settings = ReportSettings.read(reader)
        sections = build_sections(reader, settings)
    finally:
        reader.close()
    template = template_environment().get_template("report.html.j2")
    return template.render(
        sections=sections,
        db_name=(published or db_path).name,
        rendered_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        max_points=settings.integer("max_points_per_panel"),
        sample_seed=settings.integer("sample_seed"),
        script_nonce=secrets.token_urlsafe(16),
        vega_javascript=vega_javascript(),
    )
