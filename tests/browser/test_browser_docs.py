"""`make docs` on a published warehouse that a reader holds open: the static page opens from file://
in headless Chromium with no network and shows a model's description."""

from __future__ import annotations

import duckdb
import pytest
import yaml
from playwright.sync_api import sync_playwright

from tests.browser.test_browser_report import CHROMIUM, CHROMIUM_ARGS, LOCAL_SCHEMES
from tests.conftest import REPO_ROOT
from warehouse.docs import main

pytestmark = pytest.mark.browser
MODEL_YAML = REPO_ROOT / "dbt_project" / "models" / "fairness" / "attribute_disclosure.yml"


@pytest.fixture(scope="module")
def static_docs(workshop_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("docs")
    with duckdb.connect(str(workshop_db), read_only=True) as reader:
        assert main(["--db", str(workshop_db), "--out", str(out)]) == 0
        assert reader.execute("select count(*) from fairness.attribute_disclosure").fetchone()[0] > 0
    return out / "static_index.html"


def test_the_static_docs_show_a_models_description_offline(static_docs, tmp_path):
    [model] = yaml.safe_load(MODEL_YAML.read_text())["models"]
    first_words = " ".join(model["description"].split()[:8])
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            # the machine may have a network: any request for a non-local URL fails as it would without
            context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(LOCAL_SCHEMES)
                          else route.abort())
            page = context.pages[0] if context.pages else context.new_page()
            page.goto(f"{static_docs.as_uri()}#!/model/model.dei_warehouse.attribute_disclosure")
            page.get_by_text(first_words).first.wait_for(state="visible", timeout=60_000)
        finally:
            context.close()
