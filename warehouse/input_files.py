"""What DATA names: its format, read from the bytes, and the files it is made of.

DATA is a CSV (plain, or compressed with gzip or zstd), a Parquet file, a folder of Parquet files
or a glob pattern of them. The format comes from each file's first bytes, never from its name: a
gzip stream named `.csv` is read as gzip, a Parquet file named `.csv` as Parquet.
"""

from __future__ import annotations

import glob
import stat
from dataclasses import dataclass
from pathlib import Path

from warehouse.errors import BuildError

PARQUET_MAGIC = b"PAR1"
# the streams DuckDB reads without an extension download; the build decompresses them itself
COMPRESSIONS = ((b"\x1f\x8b", "gzip"), (b"\x28\xb5\x2f\xfd", "zstd"))
UNREAD_KINDS = (
    (b"BZh", "bzip2-compressed"),
    (b"\xfd7zXZ\x00", "xz-compressed"),
    (b"PK\x03\x04", "a zip archive (an .xlsx workbook is one too)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
)
READ_FORMATS = "CSV, CSV compressed with gzip or zstd, and Parquet"
GLOB_CHARACTERS = frozenset("*?[")
MAGIC_BYTES = 8


@dataclass(frozen=True)
class InputFile:
    path: Path
    # what raw.* and the quarantine record as source_file: the file's name, or its path inside
    # the folder (or below the pattern's fixed part) for Parquet files read together
    name: str
    rows: int = 0
    columns: tuple[str, ...] = ()
    column_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class InputSource:
    given: Path
    source_format: str
    compression: str
    files: tuple[InputFile, ...]


def find_input(path: Path) -> InputSource:
    """The input's format and files; BuildError when the path cannot be an input."""
    if GLOB_CHARACTERS & set(str(path)) and not path.exists():
        return _parquet_source(path, _pattern_files(path), "pattern")
    mode = _mode(path)
    if stat.S_ISDIR(mode):
        return _parquet_source(path, _folder_files(path), "folder")
    if not stat.S_ISREG(mode):
        raise BuildError(f"input path is not a regular file: {path}")
    head = read_start(path)
    if head.startswith(PARQUET_MAGIC):
        return InputSource(path, "parquet", "none", (InputFile(path, path.name),))
    for magic, kind in UNREAD_KINDS:
        if head.startswith(magic):
            raise BuildError(f"input file is {kind}, which the build does not read (it reads {READ_FORMATS}): {path}")
    compression = next((name for magic, name in COMPRESSIONS if head.startswith(magic)), "none")
    return InputSource(path, "csv", compression, (InputFile(path, path.name),))


def _mode(path: Path) -> int:
    try:
        return path.stat().st_mode
    except FileNotFoundError:
        raise BuildError(f"input file not found: {path}") from None
    except OSError as exc:
        raise BuildError(f"input file cannot be read ({exc.strerror}): {path}") from None


def read_start(path: Path, size: int = MAGIC_BYTES) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError as exc:
        raise BuildError(f"input file cannot be read ({exc.strerror}): {path}") from None


def _hidden(relative: Path) -> bool:
    """Spark and Hadoop mark their own files (_SUCCESS, .crc) with a leading _ or ."""
    return any(part.startswith(("_", ".")) for part in relative.parts)


def _folder_files(folder: Path) -> list[InputFile]:
    files = sorted(
        (path.relative_to(folder).as_posix(), path) for path in folder.rglob("*")
        if not _hidden(path.relative_to(folder)) and path.is_file()
    )
    if not files:
        raise BuildError(f"input folder holds no Parquet file (a folder is read as the Parquet files in it): {folder}")
    return [InputFile(path, name) for name, path in files]


def _pattern_files(pattern: Path) -> list[InputFile]:
    matches = sorted(Path(match) for match in glob.glob(str(pattern), recursive=True) if Path(match).is_file())
    if not matches:
        raise BuildError(f"input pattern matches no file: {pattern}")
    fixed = Path(*_fixed_parts(pattern))
    return [InputFile(path, path.relative_to(fixed).as_posix()) for path in matches]


def _fixed_parts(pattern: Path) -> list[str]:
    """The folders of the pattern before its first part with a wildcard."""
    parts = []
    for part in pattern.parts:
        if GLOB_CHARACTERS & set(part):
            break
        parts.append(part)
    return parts


def _parquet_source(given: Path, files: list[InputFile], holder: str) -> InputSource:
    for file in files:
        if not read_start(file.path).startswith(PARQUET_MAGIC):
            raise BuildError(
                f"input {holder} holds {file.name}, which is not a Parquet file (a {holder} is read as "
                f"Parquet files; give a CSV as a file of its own): {given}"
            )
    return InputSource(given, "parquet", "none", tuple(files))
