"""`make report`: render the HTML report from a published warehouse.

    python -m warehouse.report --db warehouse/dei.duckdb --out reports/out

Writes DIR/index.html (warehouse/publish/report_page.py), after any build publishing that warehouse.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from warehouse.errors import BuildError
from warehouse.publish.atomic import no_build_publishing
from warehouse.publish.report_page import render_report


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m warehouse.report", description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="the published DuckDB warehouse")
    parser.add_argument("--out", type=Path, required=True, help="folder for index.html")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    db_path = args.db.expanduser().resolve()
    if not db_path.is_file():
        print(f"error: no warehouse at {db_path}: run `make build` first", file=sys.stderr)
        return 2
    try:
        # a build publishing this warehouse finishes first: the page is then the new warehouse's
        with no_build_publishing(db_path):
            page = render_report(db_path, args.out.expanduser().resolve())
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: the report could not be written ({exc.strerror or exc}): {exc.filename or args.out}",
              file=sys.stderr)
        return 2
    except duckdb.Error as exc:
        print(f"error: cannot read the warehouse {db_path}: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    print(f"report: {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
