"""What a build records about itself in audit.build_runs: its input, settings, software and seconds.

Before dbt runs, the build writes what it already knows (an id, when it took the lock, the input
file's name, size and hash, the effective vars, the seed weights' hash, the versions) into its
private file as history_carried.current_build; the dbt model audit.build_runs adds the load counts.
When it finished and how long each layer took are known only once dbt has ended: the build then
writes them into its own row (the one write to the file outside dbt) and drops history_carried,
before it checks the file and publishes it. Every value reaches DuckDB as a bound parameter.

The input is hashed through the descriptor the load reads too (warehouse/ingest/input_files.py opened()),
which refuses a file that is no longer the version first read: the hash is of the bytes loaded.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import tomllib
import uuid
from collections import defaultdict
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from warehouse.build_history.carry import CARRIED_SCHEMA
from warehouse.dbt_runner import LEFT_AS_IT_WAS
from warehouse.errors import BuildError
from warehouse.ingest.input_files import InputFile, InputSource, opened
from warehouse.settings.project import DBT_PROJECT_DIR

SEED_WEIGHTS = DBT_PROJECT_DIR / "seeds" / "equity_weights.csv"
PYPROJECT = DBT_PROJECT_DIR.parent / "pyproject.toml"
HASH_CHUNK_BYTES = 1 << 20
# the columns of history_carried.current_build that are not text
COLUMN_TYPES = {"started_at_utc": "timestamp", "input_file_bytes": "bigint"}
# dbt resource types that are not in a model folder, and the layer their seconds count under
LAYER_OF_RESOURCE = {"seed": "seeds", "test": "tests", "unit_test": "tests", "operation": "hooks"}


@dataclass(frozen=True)
class BuildLineage:
    build_id: str
    started_at_utc: datetime
    input_file_name: str
    input_file_bytes: int
    input_file_sha256: str
    dbt_vars_json: str
    dbt_vars_sha256: str
    seed_weights_sha256: str
    project_version: str
    dbt_core_version: str
    dbt_duckdb_version: str
    duckdb_version: str
    scikit_learn_version: str


def utc_now() -> datetime:
    """Now in UTC without a time zone: what a TIMESTAMP column holds and every reader decodes."""
    return datetime.now(UTC).replace(tzinfo=None)


def file_size_and_sha256(file: InputFile) -> tuple[int, str]:
    digest = hashlib.sha256()
    with opened(file) as descriptor:
        try:
            while chunk := os.read(descriptor, HASH_CHUNK_BYTES):
                digest.update(chunk)
        except OSError as exc:
            raise BuildError(f"input file cannot be read ({exc.strerror}): {file.path}") from None
    return file.version.size, digest.hexdigest()


def settings_json(settings: dict) -> str:
    """The resolved settings as one canonical text: the same settings always give the same hash."""
    return json.dumps(settings, sort_keys=True, separators=(",", ":"))


def project_version() -> str:
    return tomllib.loads(PYPROJECT.read_text())["project"]["version"]


def input_size_and_sha256(source: InputSource) -> tuple[int, str]:
    """One file's size and SHA-256; for Parquet files read together, their total size and the
    SHA-256 of each one's name and contents in order (a renamed or reordered part is another input)."""
    if len(source.files) == 1:
        return file_size_and_sha256(source.files[0])
    digest, total = hashlib.sha256(), 0
    for part in source.files:
        size, sha256 = file_size_and_sha256(part)
        digest.update(f"{part.name}\0{sha256}\0".encode())
        total += size
    return total, digest.hexdigest()


def describe_build(source: InputSource, settings: dict) -> BuildLineage:
    size, sha256 = input_size_and_sha256(source)
    data = source.given
    variables = settings_json(settings)
    return BuildLineage(
        build_id=str(uuid.uuid4()),
        started_at_utc=utc_now(),
        input_file_name=data.name,
        input_file_bytes=size,
        input_file_sha256=sha256,
        dbt_vars_json=variables,
        dbt_vars_sha256=hashlib.sha256(variables.encode()).hexdigest(),
        seed_weights_sha256=hashlib.sha256(SEED_WEIGHTS.read_bytes()).hexdigest(),
        project_version=project_version(),
        dbt_core_version=importlib.metadata.version("dbt-core"),
        dbt_duckdb_version=importlib.metadata.version("dbt-duckdb"),
        duckdb_version=duckdb.__version__,
        scikit_learn_version=importlib.metadata.version("scikit-learn"),
    )


def record_lineage(con: duckdb.DuckDBPyConnection, lineage: BuildLineage) -> None:
    """history_carried.current_build: one row, the values bound as parameters."""
    values = asdict(lineage)
    columns = ", ".join(f"{field.name} {COLUMN_TYPES.get(field.name, 'varchar')}" for field in fields(BuildLineage))
    con.execute(f"create schema if not exists {CARRIED_SCHEMA}")
    con.execute(f"create table {CARRIED_SCHEMA}.current_build ({columns})")
    con.execute(f"insert into {CARRIED_SCHEMA}.current_build values ({', '.join('?' for _ in values)})",
                list(values.values()))


def dbt_layer_seconds(target_dir: Path) -> dict[str, float]:
    """dbt's execution seconds summed per layer: each model's folder, then seeds, tests and hooks."""
    manifest = json.loads((target_dir / "manifest.json").read_text())
    nodes = {**manifest["nodes"], **manifest.get("unit_tests", {})}
    results = json.loads((target_dir / "run_results.json").read_text())["results"]
    seconds: dict[str, float] = defaultdict(float)
    for result in results:
        node = nodes.get(result["unique_id"])
        kind = result["unique_id"].split(".")[0]
        # a model's fqn is [project, folder, ..., name]
        layer = node["fqn"][1] if kind == "model" and node else LAYER_OF_RESOURCE.get(kind, kind)
        seconds[layer] += result["execution_time"]
    return {layer: round(total, 3) for layer, total in seconds.items()}


def finish_build_run(db_path: Path, build_id: str, step_seconds: dict[str, float], target_dir: Path) -> None:
    """Write when dbt ended and the seconds into this build's row, and drop what was carried."""
    layers = json.dumps(dbt_layer_seconds(target_dir), sort_keys=True)
    try:
        with duckdb.connect(str(db_path)) as con:
            [(updated,)] = con.execute(
                "update audit.build_runs set finished_at_utc = ?, load_seconds = ?, carry_seconds = ?, "
                "dbt_seconds = ?, dbt_layer_seconds_json = ? where build_id = ?",
                [utc_now(), step_seconds["load"], step_seconds["carry history"], step_seconds["dbt build"],
                 layers, build_id],
            ).fetchall()
            con.execute(f"drop schema {CARRIED_SCHEMA} cascade")
    except duckdb.Error as exc:
        raise BuildError(f"the build's row of audit.build_runs could not be written "
                         f"({str(exc).splitlines()[0]}); {LEFT_AS_IT_WAS}") from None
    if updated != 1:
        raise BuildError(f"audit.build_runs has no row for this build ({build_id}); {LEFT_AS_IT_WAS}")
