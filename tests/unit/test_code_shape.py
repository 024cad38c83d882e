"""The code's shape that a newcomer relies on: dependencies one way, modules small enough to read."""

import ast
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PRODUCT_PACKAGES = ("warehouse", "ml", "reports")
MAX_MODULE_LINES = 300


def python_files(package: str) -> list[Path]:
    return sorted((REPO_ROOT / package).rglob("*.py"))


def imported_packages(path: Path) -> set[str]:
    """The top-level packages a module imports (absolute imports only: the project uses no others)."""
    packages = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            packages.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            packages.add(node.module.split(".")[0])
    return packages


@pytest.mark.parametrize(("package", "forbidden"), [
    ("ml", {"warehouse", "reports", "bench", "tests"}),
    ("reports", {"warehouse", "bench", "tests"}),
    ("warehouse", {"bench", "tests"}),
])
def test_dependencies_point_one_way(package, forbidden):
    wrong = {str(path.relative_to(REPO_ROOT)): sorted(imported_packages(path) & forbidden)
             for path in python_files(package) if imported_packages(path) & forbidden}
    assert wrong == {}


def test_no_module_is_past_300_lines():
    long_modules = {str(path.relative_to(REPO_ROOT)): lines
                    for package in (*PRODUCT_PACKAGES, "bench") for path in python_files(package)
                    if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES}
    assert long_modules == {}


def test_every_dbt_model_has_a_yaml_of_at_most_300_lines_beside_it():
    models = REPO_ROOT / "dbt_project" / "models"
    long_yamls = {str(path.relative_to(REPO_ROOT)): lines for path in models.rglob("*.yml")
                  if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES}
    undocumented = [str(path.relative_to(REPO_ROOT)) for path in [*models.rglob("*.sql"), *models.rglob("*.py")]
                    if not path.with_suffix(".yml").exists()]
    assert long_yamls == {}
    assert undocumented == []
