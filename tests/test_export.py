"""Files written through ``atomic_path`` get the permissions a plain write would give them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hmip_inspect.core.case_files import atomic_path


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_files_follow_the_umask(tmp_path, umask_022, inspect_cli):
    with atomic_path(tmp_path / "new.txt") as temporary:
        temporary.write_text("x")
    assert mode(tmp_path / "new.txt") == 0o644
    report = tmp_path / "report.html"
    assert inspect_cli("report", "--profile", "crc", "--output", report).exit_code == 0
    assert mode(report) == 0o644
    os.chmod(tmp_path / "new.txt", 0o640)                    # a replaced file keeps its mode
    with atomic_path(tmp_path / "new.txt") as temporary:
        temporary.write_text("y")
    assert mode(tmp_path / "new.txt") == 0o640
