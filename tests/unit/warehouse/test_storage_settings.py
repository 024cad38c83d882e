"""dbt's models write text without trying FSST compression: DuckDB tries it on every text segment
and seldom keeps it for these tables (dictionaries win); skipping the attempt made the three artist
models 6% faster at 10 million artists (bench/README.md, round 8)."""

import duckdb
import yaml

from warehouse.settings.project import DBT_PROJECT_DIR

# DuckDB picks FSST for varied text from about a thousand values on
VALUES = 3000


def test_dbt_profile_settings_store_text_without_fsst(tmp_path):
    profile = yaml.safe_load((DBT_PROJECT_DIR / "profiles.yml").read_text())
    settings = profile["dei_warehouse"]["outputs"]["build"]["settings"]
    with duckdb.connect(str(tmp_path / "dbt.duckdb")) as con:
        # as dbt-duckdb applies them, but for the memory limit: a Jinja expression that only dbt renders
        for name, value in settings.items():
            if name != "memory_limit":
                con.execute(f"set {name} = '{value}'")
        con.execute("create table names as select 'Artist ' || i * 7919 % 100003 || ' of band ' || i as name "
                    "from range(?) as r(i)", [VALUES])
        con.execute("checkpoint")
        compressions = {compression for (compression,) in con.execute(
            "select compression from pragma_storage_info('names') where segment_type = 'VARCHAR'"
        ).fetchall()}
    assert compressions and "FSST" not in compressions
