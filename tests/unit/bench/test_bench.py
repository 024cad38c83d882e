"""The bench's own arithmetic: a stage's peak from the memory series, a target's verdict, its parts."""

import json

import duckdb

from bench.__main__ import main, within
from bench.data import catalogue_file, synthetic_files
from bench.formats import FORMATS, load_and_staging_seconds, side_by_side, verdict
from bench.measure import MB, TreeMemorySampler
from bench.results import Results, Stage, markdown
from warehouse.ingest.load import check_input_file, load_raw_artists
from warehouse.timings import TIMINGS_FILE


def test_a_stage_peak_is_the_largest_sample_inside_its_window():
    sampler = TreeMemorySampler.__new__(TreeMemorySampler)
    sampler.series = [(10.0, 1 * MB), (11.0, 5 * MB), (12.0, 3 * MB), (13.0, 9 * MB)]
    assert sampler.peak_mb_between(10.5, 12.5) == 5
    assert sampler.peak_mb_between(13.5, 14.0) is None


def test_a_target_is_met_only_under_both_limits():
    stage = Stage("scale", "total", 10, seconds=899.0, peak_mb=12000.0)
    assert within(stage, 900, 12 * 1024) is True
    assert within(stage, 899, 12 * 1024) is False
    assert within(stage, 900, 11000) is False
    assert within(stage, 900, None) is True
    assert within(None, 900, None) is None


def test_an_unknown_part_is_one_line(capsys):
    assert main(["--parts", "scale,speed"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "error: unknown bench part(s) speed (known: compare, sql, scale, catalogue, formats)"]


def test_a_formats_run_is_its_load_step_and_its_models_not_dbts_tests(tmp_path):
    (tmp_path / TIMINGS_FILE).write_text(json.dumps([
        {"step": "load", "started_at": 100.0, "completed_at": 102.5},
        {"step": "dbt staging", "started_at": 102.5, "completed_at": 120.0},
    ]))
    (tmp_path / "run_results.json").write_text(json.dumps({"results": [
        {"unique_id": "model.dei_warehouse.int_artist_rows_validated", "execution_time": 3.75},
        {"unique_id": "model.dei_warehouse.stg_artists", "execution_time": 0.25},
        {"unique_id": "test.dei_warehouse.unique_x", "execution_time": 9.0},
    ]}))
    assert load_and_staging_seconds(tmp_path) == (2.5, 4.0)


def test_the_formats_table_puts_the_formats_side_by_side():
    figures = {
        "csv": {"load": 5.0, "staging": 14.0, "total": 19.0, "input_mb": 1200.0},
        "parquet": {"load": 1.3, "staging": 10.0, "total": 11.3, "input_mb": 400.0},
    }
    results = Results(machine={"date": "d", "cpus": 2, "cpu_model": "m", "memory_gb": 1, "python": "3",
                               "duckdb": "1", "load_average_at_start": [0]})
    results.tables["by format"] = side_by_side(figures)
    assert side_by_side(figures).splitlines() == [
        "| | csv | parquet |", "|---|---:|---:|", "| load (s) | 5.0 | 1.3 |", "| staging models (s) | 14.0 | 10.0 |",
        "| **load + staging (s)** | 19.0 | 11.3 |", "| input file (MB) | 1200.0 | 400.0 |",
    ]
    assert "by format:\n\n| | csv | parquet |" in markdown(results)
    assert verdict(figures) is True
    assert verdict({**figures, "parquet": {**figures["parquet"], "total": 19.0}}) is False
    assert verdict({"csv": figures["csv"]}) is None


def test_the_formats_inputs_hold_the_same_artists_and_are_made_once(tmp_path):
    inputs, _ = synthetic_files(tmp_path, 60, 3, FORMATS)
    loaded = {}
    for file_format, path in inputs.items():
        with duckdb.connect() as con:
            load_raw_artists(con, check_input_file(path))
            loaded[file_format] = con.execute(
                "select * exclude (source_file, line_number, file_row_number, line_text, field_count, "
                "header_field_count, quotes_balanced) from raw.artists order by line_number").fetchall()
    assert len(loaded["csv"]) == 60
    assert loaded["csv.gz"] == loaded["csv"] == loaded["parquet"]
    assert synthetic_files(tmp_path, 60, 3, FORMATS) == (inputs, 0.0)


def test_the_catalogue_input_is_an_export_with_its_own_headers_made_once(tmp_path):
    path, _ = catalogue_file(tmp_path, 50, 3)
    header = path.read_text().splitlines()[0].split(",")
    assert {"Artist ID", "Monthly Listeners", "Region", "Age Bracket", "Playlist Adds"} <= set(header)
    assert len(path.read_text().splitlines()) == 51
    assert catalogue_file(tmp_path, 50, 3) == (path, 0.0)
