"""Shared fixtures: a fresh plugin manager per test, a writable copy of the bundled
example inspection, and an in-process CLI runner."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import uuid
from pathlib import Path

import pytest
import structlog
from hmip_inspect.core import cli
from hmip_inspect.core.plugin.manager import build_plugin_manager, get_plugin_manager
from hmip_inspect.core.session import Session
from typer.testing import CliRunner

EXAMPLE = Path(__import__("hmip_inspect.plugins.profiles", fromlist=["x"]).__file__).parent / "examples" / "crc"


@pytest.fixture(scope="session", autouse=True)
def parse_cache(tmp_path_factory):
    """The parsed-catalogue cache (``core.tomlfile``) of this test session, not the user's:
    in-process runs and the subprocesses the tests start alike."""
    folder = tmp_path_factory.mktemp("cache")
    previous = os.environ.get("HMIP_CACHE_DIR")
    os.environ["HMIP_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("HMIP_CACHE_DIR", None)
    else:
        os.environ["HMIP_CACHE_DIR"] = previous


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


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium through Playwright (``tests/browser.py``), one per test module."""
    import playwright.sync_api as sync_api
    from browser import launch_chromium
    with sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


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

    def __call__(self, *args: str, input: str | None = None):
        return self.runner.invoke(cli.build_app(), [str(a) for a in args], input=input)


@pytest.fixture
def inspect_cli() -> Cli:
    return Cli()


# --------------------------------------------------------------------------------------
# The inspection store: SQLite files and a real PostgreSQL server
# --------------------------------------------------------------------------------------

POSTGRES_ENV = "HMIP_TEST_POSTGRES_URL"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory):
    """A PostgreSQL server for the session: $HMIP_TEST_POSTGRES_URL, or one started here.

    ``tests/start_postgres.sh`` installs Debian's server if it is missing and starts a
    throwaway cluster on loopback; it is stopped when the tests end. There is no skip: the
    store's tests run against PostgreSQL as well as SQLite, or fail saying why.
    """
    given = os.environ.get(POSTGRES_ENV)
    if given:
        yield given
        return
    state = tmp_path_factory.mktemp("postgres") / "state"
    env = {**os.environ, "HMIP_PG_PORT": str(_free_port()), "HMIP_PG_STATE": str(state)}
    script = Path(__file__).with_name("start_postgres.sh")
    started = subprocess.run(["bash", str(script)], capture_output=True, text=True, env=env)
    if started.returncode != 0:
        pytest.fail(f"could not start PostgreSQL for the store tests:\n{started.stderr}", pytrace=False)
    url = started.stdout.strip().splitlines()[-1]
    try:
        yield url
    finally:
        data = Path(state.read_text().strip())
        stop = ["pg_ctl", "-D", str(data / "data"), "-m", "immediate", "stop"]
        bindir = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
        if bindir:
            stop[0] = str(bindir[-1] / "pg_ctl")
        if os.geteuid() == 0:
            stop = ["runuser", "-u", "postgres", "--", *stop]
        subprocess.run(stop, capture_output=True)
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    """A new, empty store: a SQLite file, or a fresh database on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
        return
    import psycopg
    server = request.getfixturevalue("postgres_server")
    database = f"hmip_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    yield server.rsplit("/", 1)[0] + "/" + database
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@pytest.fixture
def store(store_url):
    """A new, empty store at ``store_url``, opened (and closed after the test)."""
    from hmip_inspect.core.store.database import open_store
    opened = open_store(store_url, create=True)
    yield opened
    opened.close()


@pytest.fixture
def crc(store, example):
    """The bundled CRC example imported as inspection 'tv', with its fieldwork services."""
    from hmip_inspect.core.store.fieldwork import Fieldwork, import_folder
    import_folder(store, Session(pm=build_plugin_manager()), example, "tv", "importer")
    return Fieldwork(store, "tv", Session(pm=build_plugin_manager()))
