"""`make docs`: dbt's documentation of a published warehouse, as one page that opens from disk.

    python -m warehouse.docs --db warehouse/dei.duckdb --out dbt_project/target/docs [--vars JSON]

dbt reads the file through the profile's `docs` target, read-only: it never creates a warehouse,
never takes the writer's lock, and works while a BI tool reads the file. `dbt docs generate
--static` writes OUT/static_index.html with the manifest and catalogue inside, so the page needs
no server and no network; OUT also holds dbt's usual index.html, manifest.json and catalog.json
for `make docs-serve`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from warehouse.errors import BuildError
from warehouse.settings.project import DBT_PROJECT_DIR
from warehouse.settings.resolve import dbt_vars, resolve_settings

STATIC_PAGE = "static_index.html"
LOCKED = "Could not set lock"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m warehouse.docs", description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="the published DuckDB warehouse")
    parser.add_argument("--out", type=Path, required=True, help="folder for the documentation")
    parser.add_argument("--vars", default="", help="the build's DBT_VARS, as JSON (default: the project's)")
    return parser.parse_args(argv)


def readable_warehouse(db_path: Path) -> None:
    """Raise BuildError unless db_path is a DuckDB file that a reader can open now."""
    if not db_path.is_file():
        raise BuildError(f"no warehouse at {db_path}: run `make build` first, or give DB=<the published file>")
    try:
        duckdb.connect(str(db_path), read_only=True).close()
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0]
        if LOCKED in first:
            raise BuildError(f"{db_path} is open for writing in another process (a client opened it without "
                             "its read-only flag); close it, or open it read-only, and run `make docs` again") from None
        raise BuildError(f"cannot read the warehouse {db_path}: {first}") from None


def resolved_vars(text: str) -> dict:
    try:
        overrides = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as exc:
        raise BuildError(f"--vars is not valid JSON ({exc.msg}): {text}") from None
    return dbt_vars(resolve_settings(overrides))


def generate(db_path: Path, out: Path, variables: dict) -> Path:
    """Run `dbt docs generate --static` on db_path into out; the static page's path."""
    dbt = Path(sys.executable).with_name("dbt")
    args = [str(dbt), "--no-use-colors", "--quiet", "docs", "generate", "--static", "--target", "docs",
            "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
            "--target-path", str(out), "--log-path", str(out / "logs"), "--vars", json.dumps(variables)]
    done = subprocess.run(args, env={**os.environ, "DEI_DB_PATH": str(db_path)}, capture_output=True, text=True,
                          errors="replace")
    if done.returncode != 0:
        said = [line.strip() for line in (done.stdout + done.stderr).splitlines() if line.strip()]
        detail = next((line for line in reversed(said) if "error" in line.lower()), said[-1] if said else "")
        raise BuildError(f"dbt docs generate failed ({detail}); dbt's log: {out / 'logs' / 'dbt.log'}")
    return out / STATIC_PAGE


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    db_path = args.db.expanduser().resolve()
    out = args.out.expanduser().resolve()
    try:
        readable_warehouse(db_path)
        page = generate(db_path, out, resolved_vars(args.vars))
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"docs: {page} (open it in a browser: no server needed; `make docs-serve` serves {out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
