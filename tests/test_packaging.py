"""A regular install works as the editable one does.

The wheel is built from this checkout, installed into a fresh virtual environment, and the
installed ``inspect`` command runs the fieldwork path on the bundled CRC example: import it
into a store, rate it and report on it from the store. The store's own tests then run again
against the installed package (on SQLite and on the PostgreSQL server), so a module or data
file the wheel leaves out fails here rather than on a user's machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    built = _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", out, ROOT])
    assert built.returncode == 0, built.stderr
    [found] = out.glob("hmip_inspect-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel (and what the store's tests need) installed."""
    home = tmp_path_factory.mktemp("venv")
    created = _run([sys.executable, "-m", "venv", home])
    assert created.returncode == 0, created.stderr
    installed = _run([home / "bin" / "pip", "install", "-q", f"{wheel}[postgresql]", "pytest>=8"])
    assert installed.returncode == 0, installed.stderr
    return home


def _source_packages() -> set[str]:
    """Every folder under core/ and plugins/ holding Python or data files the code reads."""
    wanted = {".py", ".toml", ".csv", ".json", ".css", ".js", ".html", ".md", ".typed"}
    found = set()
    for root in ("core", "plugins"):
        for path in (ROOT / root).rglob("*"):
            if path.is_file() and path.suffix in wanted and "__pycache__" not in path.parts:
                found.add(str(path.relative_to(ROOT)))
    return found


def test_the_wheel_ships_every_module_and_data_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {name.removeprefix("hmip_inspect/") for name in names if name.startswith("hmip_inspect/")}
    missing = sorted(_source_packages() - shipped)
    assert not missing, f"the wheel leaves out: {missing}"
    assert "core/store/migrations/versions/0001_inspection_store.py" in shipped
    assert "core/py.typed" in shipped  # PEP 561: a plugin's own mypy run reads core's types


def test_the_installed_command_imports_rates_and_reports_from_a_store(venv, tmp_path):
    python, inspect = venv / "bin" / "python", venv / "bin" / "inspect"
    located = _run([python, "-c", "import hmip_inspect.core, hmip_inspect.plugins.profiles as p, pathlib; "
                                  "print(hmip_inspect.core.__file__); "
                                  "print(pathlib.Path(p.__file__).parent / 'examples' / 'crc')"],
                   cwd=tmp_path)
    assert located.returncode == 0, located.stderr
    module, example = located.stdout.split("\n")[:2]
    assert module.startswith(str(venv)), module          # the installed copy, not this checkout
    db = tmp_path / "store.sqlite"
    env = {**os.environ, "HMIP_USER": "packaging-test"}

    imported = _run([inspect, "import", example, "--db", db, "--name", "thames"], cwd=tmp_path, env=env)
    assert imported.returncode == 0, imported.stderr
    rated = _run([inspect, "run", "--db", db, "--name", "thames"], cwd=tmp_path, env=env)
    assert rated.returncode == 0, rated.stderr
    assert "Overall: Good (17/30)" in rated.stdout
    second = _run([inspect, "import", f"{example}/qa", "--into", "thames", "--second-assessment", "--db", db,
                   "--user", "second assessor"], cwd=tmp_path, env=env)
    assert second.returncode == 0, second.stderr      # the synthetic second assessment ships too
    report = _run([inspect, "report", "--db", db, "--name", "thames"], cwd=tmp_path, env=env)
    assert report.returncode == 0, report.stderr
    assert report.stdout.startswith("<!DOCTYPE html>") and "Thames Valley" in report.stdout
    assert "Quality assurance" in report.stdout


def test_the_store_tests_pass_on_the_installed_package(venv, postgres_server):
    """tests/test_store.py again, importing hmip_inspect from the wheel (this checkout has no
    ``hmip_inspect`` folder, so nothing shadows the installed package)."""
    env = {**os.environ, "HMIP_TEST_POSTGRES_URL": postgres_server}
    result = _run([venv / "bin" / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider",
                   "tests/test_store.py"], cwd=ROOT, env=env)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
