"""The report page's file: written beside its place and moved in, so no reader sees half a page."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from reports.render import render_html
from warehouse.errors import BuildError
from warehouse.publish.file_modes import take_permissions

REPORT_FILE = "index.html"


def write_beside(path: Path, content: str) -> Path:
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
    temporary = write_beside(path, content)
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

    def render(self, db_path: Path, published: Path) -> None:
        """Write the page of db_path (to be published as published) beside its place; BuildError when the
        place could not take it."""
        if self.page.is_dir() and not self.page.is_symlink():
            raise BuildError(f"the report's place {self.page} is a folder, not a file: move it away and build again")
        self._rendered = write_beside(self.page, render_html(db_path, published))

    def move_into_place(self) -> None:
        os.replace(self._rendered, self.page)
        self._rendered = None

    def discard(self) -> None:
        if self._rendered is not None:
            self._rendered.unlink(missing_ok=True)
            self._rendered = None
