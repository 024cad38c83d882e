"""`make report`: render the HTML report from a published warehouse.

    python -m reports.render --db warehouse/dei.duckdb --out reports/out

Writes DIR/index.html: one self-contained page (styles, data and the Vega JavaScript inline) that
opens from file:// with no network.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import altair as alt
import duckdb
import jinja2
import vl_convert
from markupsafe import Markup

from reports.sections import ReportSettings, build_sections
from reports.warehouse_reader import WarehouseReader
from warehouse.errors import BuildError
from warehouse.file_modes import take_permissions
from warehouse.publish import no_build_publishing

TEMPLATES = Path(__file__).resolve().parent / "templates"
REPORT_FILE = "index.html"


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


def render_html(db_path: Path) -> str:
    reader = WarehouseReader.open(db_path)
    try:
        settings = ReportSettings.read(reader)
        sections = build_sections(reader, settings)
    finally:
        reader.close()
    template = template_environment().get_template("report.html.j2")
    return template.render(
        sections=sections,
        db_name=db_path.name,
        rendered_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        max_points=settings.integer("max_points_per_panel"),
        sample_seed=settings.integer("sample_seed"),
        script_nonce=secrets.token_urlsafe(16),
        vega_javascript=vega_javascript(),
    )


def _write_beside(path: Path, content: str) -> Path:
    """content in a new temporary file in path's folder (so that a rename moves it into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(content)
        take_permissions(Path(temporary), path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def write_atomically(path: Path, content: str) -> None:
    """Readers (a browser, a test) never see a half-written page, and concurrent renders don't interleave."""
    temporary = _write_beside(path, content)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def render_report(db_path: Path, out_dir: Path) -> Path:
    """Render DIR/index.html from the warehouse at db_path and return the page's path."""
    page = out_dir / REPORT_FILE
    write_atomically(page, render_html(db_path))
    return page


class PendingReport:
    """A build's page: rendered beside its place before the publish, moved there only after it.

    Rendering first means a report that cannot be written stops the publish; moving it last means
    the page never describes a warehouse that was not published.
    """

    def __init__(self, out_dir: Path):
        self.page = out_dir / REPORT_FILE
        self._rendered: Path | None = None

    def render(self, db_path: Path) -> None:
        """Write the page beside its place; BuildError when the place could not take it."""
        if self.page.is_dir() and not self.page.is_symlink():
            raise BuildError(f"the report's place {self.page} is a folder, not a file: move it away and build again")
        self._rendered = _write_beside(self.page, render_html(db_path))

    def move_into_place(self) -> None:
        os.replace(self._rendered, self.page)
        self._rendered = None

    def discard(self) -> None:
        if self._rendered is not None:
            self._rendered.unlink(missing_ok=True)
            self._rendered = None


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m reports.render", description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="the published DuckDB warehouse")
    parser.add_argument("--out", type=Path, required=True, help="folder for index.html")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    db_path = args.db.expanduser().resolve()
    if not db_path.is_file():
        print(f"error: no warehouse at {db_path}: run `make build` first", file=sys.stderr)
        return 2
    try:
        # a build publishing this warehouse finishes first: the page is then the new warehouse's
        with no_build_publishing(db_path):
            page = render_report(db_path, args.out.expanduser().resolve())
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: the report could not be written ({exc.strerror or exc}): {exc.filename or args.out}",
              file=sys.stderr)
        return 2
    except duckdb.Error as exc:
        print(f"error: cannot read the warehouse {db_path}: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    print(f"report: {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
