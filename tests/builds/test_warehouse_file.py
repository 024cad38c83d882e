"""The published file as BI tools see it: readable under any name, every table and column described."""

import json
import shutil

import duckdb


def relations(con):
    return con.execute(
        "select schema_name, table_name from duckdb_tables() where not internal "
        "union all select schema_name, view_name from duckdb_views() where not internal "
        "order by 1, 2"
    ).fetchall()


def test_a_copy_under_another_name_reads_every_table_and_view(tmp_path, workshop_db):
    copy = tmp_path / "dei_backup_2026.duckdb"
    shutil.copyfile(workshop_db, copy)
    with duckdb.connect(str(copy), read_only=True) as con:
        found = relations(con)
        counts = {f"{schema}.{name}": con.execute(f'select count(*) from "{schema}"."{name}"').fetchall()[0][0]
                  for schema, name in found}
    assert ("staging", "stg_artists") in found and ("raw", "artists") in found
    assert counts["staging.stg_artists"] == counts["features.artist_features"] == 40


def test_dbt_files_of_a_build_sit_beside_its_warehouse(workshop_db):
    """A warehouse in a temporary folder takes its dbt logs and results with it when it goes."""
    beside = workshop_db.parent / f".dbt-{workshop_db.name}"
    results = json.loads((beside / "run_results.json").read_text())["results"]
    assert any(r["unique_id"] == "model.dei_warehouse.artist_features" for r in results)
    assert (beside / "logs" / "dbt.log").exists()
