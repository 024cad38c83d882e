"""A rebuild keeps who may read the published file; a first write follows the umask."""

from __future__ import annotations

import os
import stat

import pytest

from tests.accounts import bi_group
from warehouse.publish.file_modes import take_permissions


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture()
def umask():
    previous = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(previous)


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
def test_a_replacement_keeps_the_previous_files_mode_and_group(tmp_path, umask, mask):
    previous = tmp_path / "dei.duckdb"
    previous.write_text("old")
    os.chown(previous, -1, bi_group().gr_gid)
    previous.chmod(0o640)
    umask(mask)
    new = tmp_path / "new.duckdb"
    new.write_text("new")

    take_permissions(new, previous)

    assert _mode(new) == 0o640
    assert new.stat().st_gid == bi_group().gr_gid


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_a_first_write_follows_the_umask(tmp_path, umask, mask, expected):
    umask(mask)
    new = tmp_path / "index.html"
    new.write_text("page")
    new.chmod(0o600)

    take_permissions(new, tmp_path / "absent.html")

    assert _mode(new) == expected


def test_set_id_bits_are_not_carried(tmp_path):
    previous = tmp_path / "dei.duckdb"
    previous.write_text("old")
    previous.chmod(0o4750)
    new = tmp_path / "new.duckdb"
    new.write_text("new")

    take_permissions(new, previous)

    assert _mode(new) == 0o750
