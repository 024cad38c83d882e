"""A real browser opens the report from file:// with no network: every chart draws, nothing is fetched.

Debian's /usr/bin/chromium (installed by .ci/run) is driven through Playwright; Playwright never
downloads a browser here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, sync_playwright

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
    "--disable-component-update", "--disable-sync",
]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
CHART_TIMEOUT_MS = 60_000


@dataclass
class Visit:
    page: Page
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@contextmanager
def visit(html: Path, profile: Path) -> Iterator[Visit]:
    """Open html in a fresh headless Chromium profile and wait until every chart has settled.

    Any request for a non-local URL is recorded and aborted, so a test sees it even though the
    machine has no network to send it to.
    """
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = context.pages[0] if context.pages else context.new_page()
            seen = Visit(page)

            def block_remote(route: Route) -> None:
                if route.request.url.startswith(LOCAL_SCHEMES):
                    route.continue_()
                else:
                    seen.blocked.append(route.request.url)
                    route.abort()

            context.route("**/*", block_remote)
            context.on("request", lambda request: seen.requests.append(request.url))
            page.on("websocket", lambda socket: seen.blocked.append(socket.url))
            page.on("pageerror", lambda error: seen.errors.append(str(error)))
            page.on("dialog", lambda dialog: (seen.dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(html.as_uri())
            page.wait_for_selector("body[data-charts-done]", state="attached", timeout=CHART_TIMEOUT_MS)
            yield seen
        finally:
            context.close()


def chart_states(page: Page) -> list[dict]:
    return page.evaluate("""() => Array.from(document.querySelectorAll("figure.chart")).map(figure => {
        const view = figure.querySelector(".chart-view");
        return {
            id: figure.id,
            rendered: view.getAttribute("data-rendered"),
            drawings: view.querySelectorAll("svg, canvas").length,
            error: (view.querySelector(".chart-error") || {}).textContent || null,
        };
    })""")


@pytest.fixture(scope="module")
def workshop_visit(workshop_report, tmp_path_factory):
    with visit(workshop_report, tmp_path_factory.mktemp("chromium-profile")) as seen:
        yield seen


def test_every_chart_is_drawn(workshop_visit):
    states = chart_states(workshop_visit.page)
    assert len(states) >= 10
    assert [state for state in states if state["rendered"] != "true" or state["drawings"] < 1] == []
    spec_count = workshop_visit.page.eval_on_selector_all('script[type="application/json"]', "nodes => nodes.length")
    assert spec_count == len(states)
    assert workshop_visit.page.get_attribute("body", "data-charts-done") == str(len(states))


def test_no_request_leaves_the_machine(workshop_visit, workshop_report):
    assert workshop_visit.blocked == []
    assert [url for url in workshop_visit.requests if not url.startswith(LOCAL_SCHEMES)] == []
    assert workshop_report.as_uri() in workshop_visit.requests


def test_no_script_error_or_dialog(workshop_visit):
    assert workshop_visit.errors == []
    assert workshop_visit.dialogs == []


def test_the_scatter_draws_one_mark_per_artist(workshop_visit, warehouse):
    artists = warehouse.execute("select count(*) from equity.artist_equity_scores").fetchone()[0]
    marks = workshop_visit.page.eval_on_selector_all(
        "#quality-vs-visibility svg g.mark-symbol path", "nodes => nodes.length")
    assert marks == artists == 40


def test_the_top_15_table_reads_as_the_warehouse(workshop_visit, warehouse):
    names = [name for (name,) in warehouse.execute(
        "select artist_name from equity.artist_equity_scores order by equity_rank limit 15").fetchall()]
    shown = workshop_visit.page.eval_on_selector_all(
        "#top-equity tbody tr", "rows => rows.map(row => row.cells[1].textContent)")
    assert shown == names


def test_no_table_is_wider_than_the_page_at_1280_px(workshop_visit):
    assert workshop_visit.page.viewport_size["width"] == 1280
    scrolled = workshop_visit.page.eval_on_selector_all(
        ".table-wrap",
        "wraps => wraps.filter(w => w.scrollWidth > w.clientWidth).map(w => w.querySelector('table').id)")
    assert scrolled == []


@pytest.mark.parametrize("chart", ["rate-gaps", "adjusted-gaps", "gap-decomposition"])
def test_each_gap_chart_names_the_reference_group_of_each_attribute(workshop_visit, warehouse, chart):
    references = warehouse.execute("select distinct outcome, attribute, reference_group from fairness.group_outcomes "
                                   "where reference_group is not null").fetchall()
    for outcome in {outcome for outcome, _, _ in references}:
        texts = workshop_visit.page.eval_on_selector_all(
            f"#{chart}-{outcome} svg text", "nodes => nodes.map(node => node.textContent)")
        named = [text for text in texts if "(reference: " in text]
        assert named, (chart, outcome)
        assert set(named) <= {f"{attribute} (reference: {reference})" for _, attribute, reference in references}


def test_the_histogram_draws_bars_up_from_zero(workshop_visit):
    heights = workshop_visit.page.eval_on_selector_all(
        "#equity-histogram svg g.mark-rect path", "bars => bars.map(bar => bar.getBBox().height)")
    assert len(heights) >= 10 and min(heights) > 5
