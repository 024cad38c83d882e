"""The bench's own arithmetic: a stage's peak from the memory series, a target's verdict, its parts."""

from warehouse.bench.__main__ import main, within
from warehouse.bench.measure import MB, TreeMemorySampler
from warehouse.bench.results import Stage


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
    assert capsys.readouterr().err.splitlines() == ["error: unknown bench part(s) speed (known: compare, sql, scale)"]
