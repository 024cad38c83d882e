"""Text is stored without FSST compression, by the load and by dbt: writing 10 million artists' text
columns was 8% faster without it (warehouse/bench/README.md, round 8), for a file 4% larger."""

import duckdb
import yaml

from warehouse.columns import DBT_PROJECT_DIR
from warehouse.ingest import check_input_file, load_raw_artists
from warehouse.synthetic import generate_artists, write_csv

# DuckDB picks FSST for varied text from about a thousand values on
ARTISTS = 3000


def _fsst_columns(con, table: str) -> list[str]:
    return [column for (column,) in con.execute(
        "select distinct column_name from pragma_storage_info(?) where compression = 'FSST'", [table]
    ).fetchall()]


def test_the_load_stores_the_lines_without_fsst(tmp_path):
    csv = write_csv(generate_artists(ARTISTS, seed=3), tmp_path / "artists.csv")
    with duckdb.connect(str(tmp_path / "loaded.duckdb")) as con:
        load_raw_artists(con, check_input_file(csv))
        con.execute("checkpoint")
        assert con.execute("select count(*) from raw.source_lines").fetchone()[0] == ARTISTS + 1
        assert _fsst_columns(con, "raw.source_lines") == []


def test_dbt_profile_settings_store_text_without_fsst(tmp_path):
    profile = yaml.safe_load((DBT_PROJECT_DIR / "profiles.yml").read_text())
    settings = profile["dei_warehouse"]["outputs"]["build"]["settings"]
    with duckdb.connect(str(tmp_path / "dbt.duckdb")) as con:
        # as dbt-duckdb applies them, but for the memory limit: a Jinja expression that only dbt renders
        for name, value in settings.items():
            if name != "memory_limit":
                con.execute(f"set {name} = '{value}'")
        con.execute("create table names as select 'Artist ' || i * 7919 % 100003 || ' of band ' || i as name "
                    "from range(?) as r(i)", [ARTISTS])
        con.execute("checkpoint")
        assert _fsst_columns(con, "names") == []
