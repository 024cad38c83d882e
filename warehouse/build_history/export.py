"""`make history-export`: the published warehouse's build history as Parquet files, to keep outside it.

    python -m warehouse.build_history.export --db warehouse/dei.duckdb --out warehouse/history

Writes one file per table the warehouse carries from build to build (audit.build_runs and
history.*_history), named `<schema>.<table>.parquet`; each file is written beside its place and
renamed into it, so a reader never sees half of one. The history holds what the warehouse holds
(per-group outcomes), so a file that replaces an earlier export keeps its mode and group, and a new
one follows the umask (warehouse/publish/file_modes.py).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from warehouse.build_history.carry import CARRIED_TABLES, published_history
from warehouse.errors import BuildError
from warehouse.publish.file_modes import take_permissions


def write_parquet(table, path: Path) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        pq.write_table(table, temporary)
        # mkstemp made it 0600 whatever the umask
        take_permissions(Path(temporary), path)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def export_history(db_path: Path, out_dir: Path) -> list[Path]:
    """Write the history tables of db_path into out_dir; the files written."""
    if not db_path.is_file():
        raise BuildError(f"no warehouse at {db_path}: run `make build` first")
    try:
        tables = published_history(db_path)
    except duckdb.Error as exc:
        raise BuildError(f"cannot read the warehouse {db_path}: {str(exc).splitlines()[0]}") from None
    if "build_runs" not in tables:
        raise BuildError(f"{db_path} has no build history (it was built before warehouses kept one)")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for (schema, table), carried in CARRIED_TABLES.items():
        if carried in tables:
            path = out_dir / f"{schema}.{table}.parquet"
            write_parquet(tables[carried], path)
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m warehouse.build_history.export",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="the published DuckDB warehouse")
    parser.add_argument("--out", type=Path, required=True, help="folder for the Parquet files")
    args = parser.parse_args(argv)
    try:
        written = export_history(args.db.expanduser().resolve(), args.out.expanduser().resolve())
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: the history could not be written ({exc.strerror or exc}): {exc.filename or args.out}",
              file=sys.stderr)
        return 2
    for path in written:
        print(f"history: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
