"""The synthetic inputs a bench part runs on, generated once per (rows, seed, format, generator code)."""

from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path

from warehouse.synthetic import WRITERS, generate_artists, write_csv
from warehouse.synthetic_catalogue import catalogue_export


def _code(function) -> bytes:
    return Path(sys.modules[function.__module__].__file__).read_bytes()


def synthetic_path(out: Path, rows: int, seed: int, file_format: str, stem: str = "artists",
                   generators=(generate_artists,)) -> Path:
    key = hashlib.sha256(b"".join(map(_code, generators)) + f"{rows}:{seed}".encode()).hexdigest()[:12]
    return out / "data" / f"{stem}_{rows}_{seed}_{key}.{file_format}"


def synthetic_files(out: Path, rows: int, seed: int, formats: tuple[str, ...]) -> tuple[dict[str, Path], float]:
    """The same artists in each format (drawn once for the files missing); (paths, seconds spent)."""
    paths = {file_format: synthetic_path(out, rows, seed, file_format) for file_format in formats}
    missing = [file_format for file_format, path in paths.items() if not path.exists()]
    if not missing:
        return paths, 0.0
    start = time.perf_counter()
    table = generate_artists(rows, seed)
    for file_format in missing:
        partial = paths[file_format].with_name(paths[file_format].name + ".partial")
        WRITERS[file_format](table, partial)
        partial.replace(paths[file_format])
    return paths, time.perf_counter() - start


def synthetic_file(out: Path, rows: int, seed: int) -> tuple[Path, float]:
    """The generator's CSV for (rows, seed), reused while the generator's code is unchanged."""
    paths, seconds = synthetic_files(out, rows, seed, ("csv",))
    return paths["csv"], seconds


def catalogue_file(out: Path, rows: int, seed: int) -> tuple[Path, float]:
    """A catalogue export's CSV for (rows, seed) (warehouse/synthetic_catalogue.py), reused likewise."""
    path = synthetic_path(out, rows, seed, "csv", "catalogue", (generate_artists, catalogue_export))
    if path.exists():
        return path, 0.0
    start = time.perf_counter()
    partial = path.with_name(path.name + ".partial")
    partial.parent.mkdir(parents=True, exist_ok=True)
    write_csv(catalogue_export(generate_artists(rows, seed), seed), partial)
    partial.replace(path)
    return path, time.perf_counter() - start
