"""Helpers for the hostile-input tests: write CSV files byte for byte, run the real entry point."""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
from pathlib import Path

from warehouse.build import DEFAULT_DATA
from warehouse.columns import SOURCE_COLUMNS

REPO_ROOT = Path(__file__).resolve().parent.parent
HEADER = ",".join(SOURCE_COLUMNS)


def workshop_lines() -> list[str]:
    """The workshop CSV's data lines (no header), as written."""
    return DEFAULT_DATA.read_text(encoding="utf-8").splitlines()[1:]


def workshop_records() -> list[dict[str, str]]:
    with DEFAULT_DATA.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_lines(path: Path, lines: list[str], newline: str = "\n", prefix: bytes = b"",
                encoding: str = "utf-8") -> Path:
    path.write_bytes(prefix + "".join(line + newline for line in lines).encode(encoding))
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def staging_leftovers(published: Path) -> list[Path]:
    return sorted(published.parent.glob(f".build-{published.name}-*"))


def build_command(data: Path, db: Path, *extra: str) -> list[str]:
    """`python -m warehouse.build` as `make build` runs it, with the report beside the test's database."""
    return [
        sys.executable, "-m", "warehouse.build", "--data", str(data), "--db", str(db),
        "--report-dir", str(db.parent / f"{db.stem}-report"), *extra,
    ]


def run_build_process(data: Path, db: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        build_command(data, db, *extra), cwd=REPO_ROOT, capture_output=True, text=True, check=False,
    )


def start_build_process(data: Path, db: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        build_command(data, db, *extra), cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
