"""A second account and a BI group, as on a shared server: created once (the tests run as root in CI)."""

from __future__ import annotations

import grp
import os
import pwd
import subprocess

import pytest

OTHER_ACCOUNT = "dei_other"
BI_GROUP = "dei_bi"
# the capabilities that let root read and write whatever it likes: without them root is one account among others
ROOT_OVERRIDES = "-dac_override,-dac_read_search,-fowner,-chown"


def _require_root() -> None:
    if os.geteuid() != 0:
        pytest.skip("creating a second account and group needs root (CI runs as root)")


def other_account() -> pwd.struct_passwd:
    _require_root()
    try:
        return pwd.getpwnam(OTHER_ACCOUNT)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", OTHER_ACCOUNT],
                       check=True)
        return pwd.getpwnam(OTHER_ACCOUNT)


def bi_group() -> grp.struct_group:
    _require_root()
    try:
        return grp.getgrnam(BI_GROUP)
    except KeyError:
        subprocess.run(["groupadd", "--system", BI_GROUP], check=True)
        return grp.getgrnam(BI_GROUP)


def as_account_without_overrides(command: list[str]) -> list[str]:
    """command run by root stripped of the capabilities that bypass file permissions (util-linux setpriv)."""
    return ["setpriv", f"--bounding-set={ROOT_OVERRIDES}", "--inh-caps=-all", *command]
