"""The synthetic CSV a bench part runs on, generated once per (rows, seed, generator code)."""

from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path

from warehouse.synthetic import generate_artists, write_csv


def synthetic_csv(out: Path, rows: int, seed: int) -> tuple[Path, float]:
    """The generator's CSV for (rows, seed), reused while the generator's code is unchanged."""
    generator_code = Path(sys.modules[generate_artists.__module__].__file__).read_bytes()
    key = hashlib.sha256(generator_code + f"{rows}:{seed}".encode()).hexdigest()[:12]
    path = out / "data" / f"artists_{rows}_{seed}_{key}.csv"
    if path.exists():
        return path, 0.0
    start = time.perf_counter()
    partial = path.with_suffix(".partial")
    write_csv(generate_artists(rows, seed), partial)
    partial.replace(path)
    return path, time.perf_counter() - start
