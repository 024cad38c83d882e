"""Helpers for the hostile-input tests: write CSV files byte for byte, run the real entry point."""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
from pathlib import Path

from warehouse.build import DEFAULT_DATA
from warehouse.ingest.header import SOURCE_COLUMNS

REPO_ROOT = Path(__file__).resolve().parent.parent
HEADER = ",".join(SOURCE_COLUMNS)


def workshop_lines() -> list[str]:
    """The workshop CSV's data lines (no header), as written."""
    return DEFAULT_DATA.read_text(encoding="utf-8").splitlines()[1:]


def workshop_records() -> list[dict[str, str]]:
    with DEFAULT_DATA.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def first_artists(folder: Path, count: int, name: str | None = None) -> Path:
    """A CSV of the workshop file's first `count` artists (named first_<count>.csv unless named)."""
    return write_lines(folder / (name or f"first_{count}.csv"), [HEADER, *workshop_lines()[:count]])


def write_lines(path: Path, lines: list[str], newline: str = "\n", prefix: bytes = b"",
                encoding: str = "utf-8") -> Path:
    path.write_bytes(prefix + "".join(line + newline for line in lines).encode(encoding))
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def staging_leftovers(published: Path) -> list[Path]:
    """The private build folder of this warehouse (`.build-<name>`) if it is still on disk."""
    folder = published.parent / f".build-{published.name}"
    return [folder] if folder.exists() else []


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


class BuildProcess:
    """A build running in the background.

    Its output goes to files, not pipes: dbt writes more than a pipe holds, and a build blocked on
    a full pipe nobody reads yet would hold the build lock forever.
    """

    def __init__(self, data: Path, db: Path, *extra: str):
        self.stdout_path = db.parent / f"{data.stem}.stdout"
        self.stderr_path = db.parent / f"{data.stem}.stderr"
        with self.stdout_path.open("w") as stdout, self.stderr_path.open("w") as stderr:
            self.process = subprocess.Popen(
                build_command(data, db, *extra), cwd=REPO_ROOT, stdout=stdout, stderr=stderr,
            )

    def finish(self, timeout: float) -> tuple[int, str]:
        """Exit status and stderr, once the build has ended."""
        return self.process.wait(timeout=timeout), self.stderr_path.read_text()


def one_error_line(result: subprocess.CompletedProcess) -> str:
    """The one `error:` line of a build that stopped as it should: exit 2, no traceback."""
    assert result.returncode == 2, result.stdout[-2000:] + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ")
    return line
