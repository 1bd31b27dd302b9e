"""Shared fixtures: a fresh plugin manager per test, a writable copy of the bundled
example inspection, and an in-process CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import structlog
from typer.testing import CliRunner

from hmip_inspect.core import cli
from hmip_inspect.core.plugins import build_plugin_manager, get_plugin_manager
from hmip_inspect.core.session import Session

EXAMPLE = Path(__import__("hmip_inspect.plugins.profiles", fromlist=["x"]).__file__).parent / "examples" / "crc"


@pytest.fixture(autouse=True)
def fresh_plugins(monkeypatch):
    """No test sees another's plugin manager or the user's plugin environment variables."""
    monkeypatch.delenv("HMIP_LOAD_PLUGINS", raising=False)
    monkeypatch.delenv("HMIP_DISABLE_PLUGINS", raising=False)
    get_plugin_manager.cache_clear()
    yield
    get_plugin_manager.cache_clear()


@pytest.fixture(autouse=True)
def fresh_logging():
    """The CLI configures structlog for the process; no test inherits another's set-up."""
    yield
    structlog.reset_defaults()


@pytest.fixture
def session() -> Session:
    return Session(pm=build_plugin_manager())


@pytest.fixture
def example(tmp_path) -> Path:
    """A writable copy of the bundled synthetic CRC inspection."""
    target = tmp_path / "inspection"
    shutil.copytree(EXAMPLE, target)
    return target


class Cli:
    """Runs ``inspect`` in-process and keeps stdout and stderr apart."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str):
        return self.runner.invoke(cli.app, [str(a) for a in args])


@pytest.fixture
def inspect_cli() -> Cli:
    return Cli()
