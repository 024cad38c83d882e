"""The folders and lock a build reuses are its own account's, never followed through a symlink."""

from __future__ import annotations

import os
import stat

import pytest

from tests.accounts import other_account
from warehouse.errors import BuildError
from warehouse.publish.own_files import open_build_lock, open_lock_to_wait_on, private_folder


def test_a_symlinked_lock_is_refused_and_its_target_kept(tmp_path):
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    lock = tmp_path / "dei.duckdb.lock"
    lock.symlink_to(target)

    with pytest.raises(BuildError, match="is a symbolic link"):
        open_build_lock(lock)

    assert target.read_text() == "keep me"
    assert open_lock_to_wait_on(lock) is None


def test_an_existing_lock_is_never_truncated(tmp_path):
    lock = tmp_path / "dei.duckdb.lock"
    lock.write_text("not empty")

    os.close(open_build_lock(lock))

    assert lock.read_text() == "not empty"


def test_a_lock_of_another_account_is_refused(tmp_path):
    lock = tmp_path / "dei.duckdb.lock"
    lock.touch()
    os.chown(lock, other_account().pw_uid, -1)

    with pytest.raises(BuildError, match=f"belongs to another account \\(uid {other_account().pw_uid}\\)"):
        open_build_lock(lock)


def test_a_folder_of_another_account_is_refused_and_kept(tmp_path):
    folder = tmp_path / ".dbt-dei.duckdb"
    folder.mkdir()
    (folder / "partial_parse.msgpack").write_text("their hook")
    os.chown(folder, other_account().pw_uid, -1)

    with pytest.raises(BuildError, match="belongs to another account"):
        private_folder(folder, keep_contents=True)

    assert (folder / "partial_parse.msgpack").read_text() == "their hook"


def test_an_own_folder_others_could_write_in_starts_empty_and_private(tmp_path):
    folder = tmp_path / ".dbt-dei.duckdb"
    folder.mkdir()
    (folder / "partial_parse.msgpack").write_text("planted")
    folder.chmod(0o777)

    private_folder(folder, keep_contents=True)

    assert list(folder.iterdir()) == []
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_an_own_private_folder_keeps_dbts_cache(tmp_path):
    folder = tmp_path / ".dbt-dei.duckdb"
    folder.mkdir(mode=0o755)
    (folder / "partial_parse.msgpack").write_text("dbt's own")

    private_folder(folder, keep_contents=True)

    assert (folder / "partial_parse.msgpack").read_text() == "dbt's own"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_symlink_where_a_folder_belongs_is_refused(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "data").write_text("x")
    (tmp_path / ".build-dei.duckdb").symlink_to(elsewhere)

    with pytest.raises(BuildError, match="symbolic link or a file"):
        private_folder(tmp_path / ".build-dei.duckdb", keep_contents=False)

    assert (elsewhere / "data").read_text() == "x"
