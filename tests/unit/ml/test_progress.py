"""Progress lines: the time left comes from the work done, and counts down while a long unit runs."""

from ml.progress import Progress


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_time_left_is_estimated_when_a_unit_ends_and_counts_down_between_units(capsys):
    clock = Clock()
    progress = Progress("fits", total=10.0, count_total=3, clock=clock)
    assert progress.line() == "progress: fits: 0 of 3 fits done, 0 s elapsed"
    clock.now += 20
    progress.advance(1.0)  # a tenth of the work in 20 s: 180 s left
    assert progress.line() == "progress: fits: 1 of 3 fits done, 20 s elapsed, about 3 min 00 s left"
    clock.now += 60  # a long unit runs: no unit ends, the estimate counts down
    assert progress.line() == "progress: fits: 1 of 3 fits done, 1 min 20 s elapsed, about 2 min 00 s left"
    clock.now += 200  # longer than estimated: nothing left to count, never negative
    assert progress.line().endswith("4 min 40 s elapsed, about 0 s left")
    progress.advance(8.0)  # 9 tenths in 280 s: 31 s left
    assert progress.line() == "progress: fits: 2 of 3 fits done, 4 min 40 s elapsed, about 31 s left"
    progress.advance(1.0)
    assert progress.line() == "progress: fits: 3 of 3 fits done, 4 min 40 s elapsed"
    assert capsys.readouterr().out.splitlines()[-1] == "progress: fits: 3 of 3 fits done, 4 min 40 s elapsed"
