"""`make clean`: remove what builds wrote for DB and REPORT_DIR, and nothing else.

    python3 -m warehouse.clean --db warehouse/dei.duckdb --report-dir reports/out

REPORT_DIR may be a folder the user keeps other files in (a site's folder): only the page a build
writes there (index.html, and the temporary copies of an interrupted render) is removed, then the
folder itself if nothing else is left in it. DB is removed only when it is a DuckDB file, so that
`make clean DB=` naming the input CSV by mistake deletes nothing. Runs with the standard library
alone: `make clean` also removes the virtualenv.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

# the page warehouse/publish/report_page.py writes; not imported from there because clean runs without
# the virtualenv (it removes it), with the standard library alone
REPORT_FILE = "index.html"
DUCKDB_MAGIC = b"DUCK"
MAGIC_OFFSET = 8


def is_duckdb_file(path: Path) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    with path.open("rb") as handle:
        return handle.read(MAGIC_OFFSET + len(DUCKDB_MAGIC))[MAGIC_OFFSET:] == DUCKDB_MAGIC


def warehouse_outputs(db: Path) -> list[Path]:
    """The published file's companions a build writes or a client leaves: lock, log, private folders."""
    companions = [db.with_name(db.name + suffix) for suffix in (".lock", ".wal")]
    folders = [db.with_name(prefix + db.name) for prefix in (".dbt-", ".build-")]
    return ([db] if is_duckdb_file(db) else []) + companions + folders


def report_outputs(report_dir: Path) -> list[Path]:
    return [report_dir / REPORT_FILE, *report_dir.glob(f".{REPORT_FILE}.*.tmp")]


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def clean(db: Path, report_dir: Path) -> list[Path]:
    removed = [path for path in warehouse_outputs(db) + report_outputs(report_dir) if path.exists()]
    for path in removed:
        remove(path)
    if report_dir.is_dir() and not report_dir.is_symlink() and not any(report_dir.iterdir()):
        report_dir.rmdir()
    return removed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m warehouse.clean", description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--report-dir", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        for path in clean(args.db, args.report_dir):
            print(f"removed {path}")
    except OSError as exc:
        print(f"error: cannot remove {exc.filename} ({exc.strerror})", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
