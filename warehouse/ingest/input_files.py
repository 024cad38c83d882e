"""What DATA names: its format, read from the bytes, and the files it is made of.

DATA is a CSV (plain, or compressed with gzip or zstd), a Parquet file, a folder of Parquet files
or a glob pattern of them. The format comes from each file's first bytes, never from its name: a
gzip stream named `.csv` is read as gzip, a Parquet file named `.csv` as Parquet.

Each file is read, from its first bytes to its load, as the one version first seen: every read goes
through opened(), which refuses the file once it is no longer that version (appended to, rewritten,
replaced), and hands its readers the descriptor's path, /proc/self/fd/<n>, never the file's own:
DuckDB reads a path holding [, * or ? as a glob pattern (`artists[1].csv` as `artists1.csv`),
and the descriptor names the very file that was checked and hashed.
"""

from __future__ import annotations

import contextlib
import glob
import os
import stat
from collections.abc import Iterator
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
# a named pipe put in a file's place would block the open until a writer comes; refused as changed
OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK


@dataclass(frozen=True)
class FileVersion:
    """What tells one version of a file from the next: a replaced file is another inode, a written
    one has another size or modification time."""
    device: int
    inode: int
    size: int
    modified_ns: int

    @classmethod
    def of(cls, descriptor: int) -> FileVersion:
        found = os.fstat(descriptor)
        return cls(found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)


@dataclass(frozen=True)
class InputFile:
    path: Path
    # what raw.* and the quarantine record as source_file: the file's name, or its path inside
    # the folder (or below the pattern's fixed part) for Parquet files read together
    name: str
    # the version the build first read, and the only one it goes on reading
    version: FileVersion
    rows: int = 0
    columns: tuple[str, ...] = ()
    column_types: tuple[str, ...] = ()
    # per column, the input column it feeds (warehouse/ingest/header.py), or its folded name
    fed_columns: tuple[str | None, ...] = ()


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
    file, head = _first_read(path, path.name)
    if head.startswith(PARQUET_MAGIC):
        return InputSource(path, "parquet", "none", (file,))
    for magic, kind in UNREAD_KINDS:
        if head.startswith(magic):
            raise BuildError(f"input file is {kind}, which the build does not read (it reads {READ_FORMATS}): {path}")
    compression = next((name for magic, name in COMPRESSIONS if head.startswith(magic)), "none")
    return InputSource(path, "csv", compression, (file,))


def _mode(path: Path) -> int:
    try:
        return path.stat().st_mode
    except FileNotFoundError:
        raise BuildError(f"input file not found: {path}") from None
    except OSError as exc:
        raise BuildError(f"input file cannot be read ({exc.strerror}): {path}") from None


def _cannot_read(exc: OSError, path: Path) -> BuildError:
    return BuildError(f"input file cannot be read ({exc.strerror}): {path}")


def _first_read(path: Path, name: str) -> tuple[InputFile, bytes]:
    """The file as first seen (its version) and its first bytes, which tell its format."""
    try:
        descriptor = os.open(path, OPEN_FLAGS)
    except OSError as exc:
        raise _cannot_read(exc, path) from None
    try:
        return InputFile(path, name, FileVersion.of(descriptor)), os.pread(descriptor, MAGIC_BYTES, 0)
    except OSError as exc:
        raise _cannot_read(exc, path) from None
    finally:
        os.close(descriptor)


def descriptor_path(descriptor: int) -> Path:
    """A path to the open file itself: DuckDB runs in this process, so it reads the inode opened."""
    return Path(f"/proc/self/fd/{descriptor}")


@contextlib.contextmanager
def opened(file: InputFile) -> Iterator[int]:
    """A descriptor of the file, refused unless it is still the version first read, before and after use."""
    try:
        descriptor = os.open(file.path, OPEN_FLAGS)
    except OSError as exc:
        raise _cannot_read(exc, file.path) from None
    try:
        _check_unchanged(descriptor, file)
        yield descriptor
        _check_unchanged(descriptor, file)
    finally:
        os.close(descriptor)


def _check_unchanged(descriptor: int, file: InputFile) -> None:
    now = FileVersion.of(descriptor)
    if now == file.version:
        return
    same_file = (now.device, now.inode) == (file.version.device, file.version.inode)
    change = (f"{file.version.size} bytes when first read, {now.size} bytes now" if same_file
              else "another file took its name")
    raise BuildError(
        f"input file changed while the build read it ({change}); build again once it is complete; "
        f"the published warehouse was left as it was: {file.path}"
    )


def _hidden(relative: Path) -> bool:
    """Spark and Hadoop mark their own files (_SUCCESS, .crc) with a leading _ or ."""
    return any(part.startswith(("_", ".")) for part in relative.parts)


def _folder_files(folder: Path) -> list[tuple[str, Path]]:
    files = sorted(
        (path.relative_to(folder).as_posix(), path) for path in folder.rglob("*")
        if not _hidden(path.relative_to(folder)) and path.is_file()
    )
    if not files:
        raise BuildError(f"input folder holds no Parquet file (a folder is read as the Parquet files in it): {folder}")
    return files


def _pattern_files(pattern: Path) -> list[tuple[str, Path]]:
    matches = sorted(Path(match) for match in glob.glob(str(pattern), recursive=True) if Path(match).is_file())
    if not matches:
        raise BuildError(f"input pattern matches no file: {pattern}")
    fixed = Path(*_fixed_parts(pattern))
    return [(path.relative_to(fixed).as_posix(), path) for path in matches]


def _fixed_parts(pattern: Path) -> list[str]:
    """The folders of the pattern before its first part with a wildcard."""
    parts = []
    for part in pattern.parts:
        if GLOB_CHARACTERS & set(part):
            break
        parts.append(part)
    return parts


def _parquet_source(given: Path, named_paths: list[tuple[str, Path]], holder: str) -> InputSource:
    files = []
    for name, path in named_paths:
        file, head = _first_read(path, name)
        if not head.startswith(PARQUET_MAGIC):
            raise BuildError(
                f"input {holder} holds {name}, which is not a Parquet file (a {holder} is read as "
                f"Parquet files; give a CSV as a file of its own): {given}"
            )
        files.append(file)
    return InputSource(given, "parquet", "none", tuple(files))
