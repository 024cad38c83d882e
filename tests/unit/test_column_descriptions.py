"""Every column comment a BI user sees says enough to act on: at least four words.

dbt persists each column's YAML description as the DuckDB comment BI tools show (persist_docs),
warehouse/ingest/load.py does the same for the sources, and ml/fit_store.py for the one table
a Python model writes itself. A one-word comment ("Artists.") says
neither what a value means nor its unit nor its caveat, so this test lists every description under
four words, with its `{{ doc('name') }}` references rendered from the project's doc blocks."""

import re
from pathlib import Path

import yaml

from ml.fit_store import DESCRIPTIONS as FIT_PREDICTIONS_DESCRIPTIONS
from ml.fit_store import PREDICTIONS_TABLE

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
MIN_WORDS = 4
DOC_BLOCK = re.compile(r"{%-?\s*docs\s+(\w+)\s*-?%}(.*?){%-?\s*enddocs\s*-?%}", re.DOTALL)
DOC_REFERENCE = re.compile(r"{{\s*doc\(\s*['\"](\w+)['\"]\s*\)\s*}}")


def doc_blocks() -> dict[str, str]:
    """Every `{% docs name %}` block of the project's markdown files, by name."""
    blocks = {}
    for path in sorted(DBT_PROJECT_DIR.rglob("*.md")):
        blocks.update((name, text.strip()) for name, text in DOC_BLOCK.findall(path.read_text()))
    return blocks


def rendered(description: str, blocks: dict[str, str]) -> str:
    """The description with its doc() references replaced by their blocks; other Jinja stays as written."""
    return DOC_REFERENCE.sub(lambda match: blocks[match.group(1)], description)


def described_columns() -> list[tuple[str, str, str]]:
    """(where, relation.column, description as written) for every column of every model, seed and source,
    and of the predictions table ml/fit_store.py describes itself."""
    columns = [("ml/fit_store.py", f"{PREDICTIONS_TABLE}.{column}", description)
               for column, description in FIT_PREDICTIONS_DESCRIPTIONS.items() if column is not None]
    for path in sorted(DBT_PROJECT_DIR.glob("*/**/*.yml")):
        document = yaml.safe_load(path.read_text()) or {}
        relations = [*document.get("models", []), *document.get("seeds", [])]
        relations += [{**table, "name": f"{source['name']}.{table['name']}"}
                      for source in document.get("sources", []) for table in source.get("tables", [])]
        columns += [(str(path.relative_to(DBT_PROJECT_DIR)), f"{relation['name']}.{column['name']}",
                     column.get("description", ""))
                    for relation in relations for column in relation.get("columns", [])]
    return columns


def test_the_doc_references_render():
    blocks = doc_blocks()
    assert "monthly_listeners" in blocks
    assert rendered("{{ doc('monthly_listeners') }}", blocks) == blocks["monthly_listeners"]
    assert rendered("Rows of {{ var('x') }}.", blocks) == "Rows of {{ var('x') }}."


def test_every_column_description_has_at_least_four_words():
    blocks = doc_blocks()
    columns = described_columns()
    assert len(columns) > 500
    too_short = [f"{path}: {column}: {rendered(description, blocks)!r}" for path, column, description in columns
                 if len(rendered(description, blocks).split()) < MIN_WORDS]
    assert too_short == [], f"{len(too_short)} column descriptions under {MIN_WORDS} words:\n" + "\n".join(too_short)
