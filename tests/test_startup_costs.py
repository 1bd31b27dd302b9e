"""What the command line does to start fast, and that it changes no result: the parsed
catalogue cache (``core.tomlfile``) and the collector's thresholds (``core.cli``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hmip_inspect.core import tomlfile
from hmip_inspect.core.errors import Problems

CATALOGUE = """\
[catalogue]
edition = "2019"
source = "synthetic test catalogue"

[[standard]]
id = "9.9"
"""


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("HMIP_CACHE_DIR", str(folder))
    return folder


def _parse_must_not_run(monkeypatch):
    def refuse(text, **kwargs):
        raise AssertionError("parsed again although the cache holds this file unchanged")
    monkeypatch.setattr(tomlfile.tomllib, "loads", refuse)


def test_a_plugin_file_is_parsed_once_and_then_read_from_the_cache(tmp_path, cache, monkeypatch):
    source = tmp_path / "standards.toml"
    source.write_text(CATALOGUE, encoding="utf-8")
    first = tomlfile.read_toml(source, Problems(), cache=True)
    assert list((cache / "toml").iterdir()), "nothing was cached"
    _parse_must_not_run(monkeypatch)
    assert tomlfile.read_toml(source, Problems(), cache=True) == first
    assert tomlfile.cached_toml(source) == first


def test_a_changed_file_is_parsed_again(tmp_path, cache):
    source = tmp_path / "standards.toml"
    source.write_text(CATALOGUE, encoding="utf-8")
    tomlfile.read_toml(source, Problems(), cache=True)
    source.write_text(CATALOGUE.replace('"2019"', '"2021"'), encoding="utf-8")
    os.utime(source, ns=(1, 1))          # even with an older modification time
    assert tomlfile.cached_toml(source) is None
    assert tomlfile.read_toml(source, Problems(), cache=True)["catalogue"]["edition"] == "2021"


def test_a_damaged_cache_entry_is_ignored(tmp_path, cache):
    source = tmp_path / "standards.toml"
    source.write_text(CATALOGUE, encoding="utf-8")
    tomlfile.read_toml(source, Problems(), cache=True)
    for entry in (cache / "toml").iterdir():
        entry.write_bytes(b"\x00not marshal")
    assert tomlfile.read_toml(source, Problems(), cache=True)["catalogue"]["edition"] == "2019"


def test_an_unwritable_cache_only_means_parsing_again(tmp_path, monkeypatch):
    blocker = tmp_path / "a file"
    blocker.write_text("")
    monkeypatch.setenv("HMIP_CACHE_DIR", str(blocker / "cache"))   # cannot be made
    source = tmp_path / "standards.toml"
    source.write_text(CATALOGUE, encoding="utf-8")
    problems = Problems()
    assert tomlfile.read_toml(source, problems, cache=True)["catalogue"]["edition"] == "2019"
    assert not problems


def test_an_empty_cache_setting_turns_the_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv("HMIP_CACHE_DIR", "")
    source = tmp_path / "standards.toml"
    source.write_text(CATALOGUE, encoding="utf-8")
    tomlfile.read_toml(source, Problems(), cache=True)
    assert tomlfile.cached_toml(source) is None


def test_a_bad_file_is_reported_every_time_and_never_cached(tmp_path, cache):
    source = tmp_path / "standards.toml"
    source.write_text("[catalogue\n", encoding="utf-8")
    for _ in range(2):
        problems = Problems()
        assert tomlfile.read_toml(source, problems, cache=True) is None
        assert "not valid TOML" in str(problems.items[0])
    assert not (cache / "toml").exists()


def test_a_run_caches_catalogues_and_never_inspection_files(example, cache, inspect_cli):
    """Inspection files hold evidence about people: they are never copied into a cache."""
    first = inspect_cli("run", "--profile", "crc", "--inspection", example, "--format", "json")
    assert first.exit_code == 0, first.output
    names = [entry.name for entry in (cache / "toml").iterdir()]
    assert names, "the run cached no catalogue"
    stems = {path.stem for path in example.rglob("*.toml")}
    assert not [name for name in names if name.split("-")[0] in stems]
    again = inspect_cli("run", "--profile", "crc", "--inspection", example, "--format", "json")
    assert json.loads(again.stdout) == json.loads(first.stdout)


def test_the_command_line_raises_the_collector_thresholds_and_the_library_does_not():
    probe = ("import gc, sys; before = gc.get_threshold()[0]; import hmip_inspect.core, "
             "hmip_inspect.core.session; library = gc.get_threshold()[0]; "
             "import hmip_inspect.core.cli as cli; "
             "print(before, library, gc.get_threshold()[0], cli.GC_THRESHOLDS[0])")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    before, library, after, wanted = map(int, out.stdout.split())
    assert library == before < wanted
    assert after == wanted


def test_a_shipped_profile_is_cached_and_a_users_profile_file_is_not(tmp_path, cache, monkeypatch, session):
    """A profile a plugin ships is parsed once, as its catalogues are; a profile file the user
    gives is parsed every time it is read (issue 16: an import of many folders)."""
    from hmip_inspect.core.profiles.reader import load_profile
    known = session.profiles
    first = load_profile("crc", known)
    assert tomlfile.cached_toml(known["crc"]) is not None
    mine = tmp_path / "mine.toml"
    mine.write_text('[profile]\nname = "mine"\nextends = "crc"\n', encoding="utf-8")
    load_profile(str(mine), known)
    assert tomlfile.cached_toml(mine) is None
    _parse_must_not_run(monkeypatch)
    assert load_profile("crc", known) == first
