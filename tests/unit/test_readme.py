"""The README is a guide a newcomer reads to the end; the reference it links to is where it says.

It stays short (the reference lives in docs/, bench/README.md and the dbt docs), and every link of
the README and of docs/ leads to a file and heading that exist, so nothing moved out is lost."""

import re
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
README = REPO_ROOT / "README.md"
MAX_README_LINES = 250
GUIDE_PAGES = [README, REPO_ROOT / "bench" / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#+ (.+)$", re.MULTILINE)


def heading_anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", page.read_text(), flags=re.DOTALL)
    return {heading_anchor(heading) for heading in HEADING.findall(text)}


def broken_links(page: Path) -> list[str]:
    broken = []
    for target in LINK.findall(page.read_text()):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists() or (anchor and linked.suffix == ".md" and anchor not in anchors(linked)):
            broken.append(target)
    return broken


def test_the_readme_is_at_most_250_lines():
    assert len(README.read_text().splitlines()) <= MAX_README_LINES


def test_the_readme_says_where_the_project_departs_from_the_design():
    text = README.read_text()
    assert "## Where the project departs from the design" in text
    assert "../shared/DESIGN.md" in text


def test_the_readme_links_every_page_of_docs():
    linked = {Path(target.partition("#")[0]).name for target in LINK.findall(README.read_text())
              if target.startswith("docs/")}
    assert linked == {page.name for page in (REPO_ROOT / "docs").glob("*.md")}


@pytest.mark.parametrize("page", GUIDE_PAGES, ids=lambda page: str(page.relative_to(REPO_ROOT)))
def test_every_link_of_the_guide_leads_somewhere(page):
    assert broken_links(page) == []


def test_a_broken_link_is_found(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# A page\n\n## Bad settings, paths and signals\n\n"
                    "[ok](#bad-settings-paths-and-signals) [gone](missing.md) [no heading](#nowhere) "
                    "[web](https://duckdb.org)\n")
    assert broken_links(page) == ["missing.md", "#nowhere"]
