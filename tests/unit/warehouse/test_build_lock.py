"""The build lock exists only while a build runs, and a build that fails leaves no folder it made."""

from __future__ import annotations

import threading

import pytest

from warehouse.errors import BuildError
from warehouse.publish.atomic import build_lock, lock_path, staged_build


def test_a_failed_build_leaves_no_lock_and_no_folder_it_created(tmp_path):
    published = tmp_path / "new" / "deeper" / "dei.duckdb"
    with pytest.raises(BuildError), staged_build(published):
        assert lock_path(published).exists()
        raise BuildError("the input has no artists")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_build_keeps_a_folder_that_was_there(tmp_path):
    published = tmp_path / "dei.duckdb"
    (tmp_path / "notes.txt").write_text("mine\n")
    with pytest.raises(BuildError), staged_build(published):
        raise BuildError("the input has no artists")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.txt"]


def test_a_build_waiting_on_a_lock_the_one_before_removed_takes_a_new_one(tmp_path):
    published = tmp_path / "dei.duckdb"
    waiting, held_by_second = threading.Event(), []

    def second_build():
        waiting.set()
        with build_lock(published):
            held_by_second.append(lock_path(published).exists())

    with build_lock(published):
        second = threading.Thread(target=second_build)
        second.start()
        waiting.wait()
        second.join(timeout=0.5)
        assert second.is_alive()
    second.join(timeout=10)
    assert held_by_second == [True]
    assert not lock_path(published).exists()
