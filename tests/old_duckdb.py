"""Read the warehouse with another DuckDB release, as a BI tool that ships its own DuckDB does.

Each release gets a virtual environment of its own in a cache folder outside the checkout
(`$XDG_CACHE_HOME/dei-warehouse/duckdb-readers/<version>`), created and pip-installed the first
time and reused afterwards. This file is also the reader that runs there: `python old_duckdb.py`
dumps the rows of the relations named on stdin, one JSON line per relation, so at module level it
imports nothing but the standard library (the reader imports its own duckdb).
"""

from __future__ import annotations

import datetime
import decimal
import fcntl
import json
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

READER_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dei-warehouse" / "duckdb-readers"
ATTACHED_ALIAS = "bi_copy"
# enough threads that DuckDB plans the parallel pipelines a BI tool on a bigger machine gets
READER_THREADS = 4
# duckdb's Python client needs pytz to return a TIMESTAMP WITH TIME ZONE (audit.load_reconciliation)
READER_EXTRAS = ("pytz",)


@dataclass(frozen=True)
class RelationRows:
    """What one reader got from one relation: its rows as sorted JSON texts, or the error."""

    relation: str
    rows: tuple[str, ...] | None
    error: str | None


def reader_python(version: str) -> Path:
    """The interpreter of a virtual environment with duckdb==version (and pytz), made on first use."""
    folder = READER_CACHE / version
    python = folder / "bin" / "python"
    READER_CACHE.mkdir(parents=True, exist_ok=True)
    # concurrent test runs would otherwise pip-install into the same folder at once
    with open(READER_CACHE / f"{version}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _installed_duckdb(python) != version:
            _install_duckdb(folder, version)
    return python


def _installed_duckdb(python: Path) -> str | None:
    if not python.exists():
        return None
    found = subprocess.run(
        [str(python), "-c", "import duckdb, pytz; print(duckdb.__version__)"], capture_output=True, text=True
    )
    return found.stdout.strip() if found.returncode == 0 else None


def _install_duckdb(folder: Path, version: str) -> None:
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(folder)], check=True)
    subprocess.run(
        [str(folder / "bin" / "python"), "-m", "pip", "install", "--quiet", f"duckdb=={version}", *READER_EXTRAS],
        check=True,
    )


def read_relations(
    version: str, db_path: Path, relations: list[str], *, attached: bool, timeout_seconds: float
) -> dict[str, RelationRows]:
    """Every relation's rows as DuckDB `version` reads them; one that does not finish in time is an error.

    A relation is named "schema.name". With `attached` the file is ATTACHed read only under another
    alias, as a BI tool that opens several files does; otherwise it is opened directly, read only.
    """
    request = json.dumps({"db_path": str(db_path), "relations": relations, "attached": attached})
    try:
        finished = subprocess.run(
            [str(reader_python(version)), __file__],
            input=request, capture_output=True, text=True, timeout=timeout_seconds,
        )
        # a reader that could not open the file at all ends with the exception's line
        output, problem = finished.stdout, (finished.stderr.strip().splitlines() or ["no output"])[-1]
    except subprocess.TimeoutExpired as timed_out:
        output = timed_out.stdout.decode() if timed_out.stdout else ""
        problem = f"did not finish in {timeout_seconds:.0f} s"
    results = {}
    # a killed reader may have written half a line: only lines that end are whole
    for line in output.split("\n")[:-1]:
        found = json.loads(line)
        rows = tuple(found["rows"]) if found["rows"] is not None else None
        results[found["relation"]] = RelationRows(found["relation"], rows, found["error"])
    unread = [relation for relation in relations if relation not in results]
    # the reader hung or crashed on the first relation it did not report; it never got to the others
    for position, relation in enumerate(unread):
        error = problem if position == 0 else f"not read: the reader stopped at {unread[0]}"
        results[relation] = RelationRows(relation, None, error)
    return results


def _as_json(value):
    """Values json cannot write, as text that does not depend on the reader's version or time zone."""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date | datetime.time | datetime.timedelta | decimal.Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"cannot compare a {type(value).__name__}")


# a float to 13 significant digits: DuckDB 2.0's quantile_cont interpolates in another order than
# 1.x and differs in the last bit of a box plot's quartile; a wrong or missing row still shows
FLOAT_DIGITS = 13


def _rounded(value):
    return float(f"{value:.{FLOAT_DIGITS}g}") if isinstance(value, float) else value


def row_texts(rows: list[tuple]) -> list[str]:
    """Rows as sorted JSON texts, floats to FLOAT_DIGITS significant digits."""
    return sorted(json.dumps([_rounded(value) for value in row], default=_as_json) for row in rows)


def qualified_name(relation: str, catalog: str | None = None) -> str:
    """"schema"."name" (or "catalog"."schema"."name") of a relation named schema.name."""
    parts = ([catalog] if catalog else []) + relation.split(".")
    return ".".join(f'"{part}"' for part in parts)


def _dump_relations(request: dict) -> None:
    import duckdb

    if request["attached"]:
        con = duckdb.connect()
        quoted_path = request["db_path"].replace("'", "''")
        con.execute(f"attach '{quoted_path}' as {ATTACHED_ALIAS} (read_only)")
        catalog = ATTACHED_ALIAS
    else:
        con = duckdb.connect(request["db_path"], read_only=True)
        catalog = None
    con.execute(f"set threads = {READER_THREADS}")
    # timestamps with a time zone come back in the reader's zone; UTC is the same for all readers
    con.execute("set timezone = 'UTC'")
    for relation in request["relations"]:
        try:
            found = {"rows": row_texts(con.execute(f"select * from {qualified_name(relation, catalog)}").fetchall()),
                     "error": None}
        except duckdb.Error as exc:
            found = {"rows": None, "error": f"{type(exc).__name__}: {str(exc).splitlines()[0]}"}
        print(json.dumps({"relation": relation, **found}), flush=True)


if __name__ == "__main__":
    _dump_relations(json.load(sys.stdin))
