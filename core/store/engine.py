"""Opening an inspection store: where it is, whether it is one, its schema version, its errors.

``--db`` names the store: a SQLite file path (the embedded default) or a PostgreSQL URL.
Before anything is written, the database is probed with a read-only look:

* a path where nothing exists, or an empty database, is *no store*: only ``inspect init``
  and ``inspect import`` create one (``create=True``); every other command refuses with
  :data:`NO_STORE`, and creates nothing;
* a database holding tables but no hmip-inspect store (someone else's) is refused untouched:
  no table added, journal mode unchanged;
* a store whose schema is newer than this program's is refused, naming both versions; an
  older one is upgraded by the migrations, inside one transaction.

Database and operating-system errors become one line (:func:`describe`) that never holds the
statement's parameters (case answers) or a password: the traceback is for ``--verbose``.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path
from typing import Any

from ..errors import InputError
from .schema import SCHEMA_VERSION

DB_ENV = "HMIP_DB"
DEFAULT_DB = "inspections.sqlite"
BUSY_TIMEOUT_MS = 60_000
#: Tables that mark an hmip-inspect store of any schema version, past or future (with
#: Alembic's version table): only these, so that a store a later version has reshaped (0007
#: dropped ``answer``) is refused for its version, not as someone else's database.
STORE_TABLES = frozenset({"alembic_version", "inspection", "audit"})
#: Tables every schema version this program knows has (0001 to the current one): a database
#: naming a known version without them is someone else's (its tables are never migrated).
KNOWN_STORE_TABLES = STORE_TABLES | {"inspected_case"}
#: How this program's schema versions are numbered (the migrations' revision ids): a version
#: spelled otherwise is another application's Alembic history, not a newer store.
_OUR_VERSION = re.compile(r"[0-9]{4}")
NO_STORE = "no inspection store at {where} (create one with `inspect init`/`inspect import`)"


class StoreError(InputError):
    """A store that cannot be used as asked: missing, foreign, too new, or a database error."""


def database_url(value: str | None = None) -> str:
    """``--db`` as a SQLAlchemy URL: a path means SQLite; ``postgresql://`` uses psycopg 3.

    Anything else (``mysql://``, a malformed URL) is refused with a one-line message.
    """
    value = value or os.environ.get(DB_ENV) or DEFAULT_DB
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser()}"
    scheme = value.split("://", 1)[0].lower()
    if not scheme:
        raise StoreError("--db: not a SQLite file path or a postgresql://user@host/database URL")
    for prefix in ("postgresql", "postgres", "postgresql+psycopg"):
        if scheme == prefix:
            url = "postgresql+psycopg://" + value.split("://", 1)[1]
            break
    else:
        if scheme != "sqlite":
            shown_scheme = scheme if scheme.replace("+", "").isalnum() else "?"
            raise StoreError(f"--db: unsupported database {shown_scheme!r}; give a SQLite file path "
                             "or postgresql://user@host/database")
        url = value
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise StoreError("--db: not a SQLite file path or a postgresql://user@host/database URL") from None
    if parsed.get_backend_name() == "postgresql" and not parsed.host and not parsed.query.get("host"):
        raise StoreError(f"--db: {shown(url)} names no server (postgresql://user@host/database)")
    return url


def shown(url: str) -> str:
    """The store as a user wrote it, for messages and hints: a SQLite file's path, or the
    PostgreSQL URL with its password masked (``postgresql://user:***@host/db``)."""
    from sqlalchemy.engine import make_url
    try:
        parsed = make_url(url)
    except Exception:  # a URL we could not parse is never echoed: it may hold a password
        return "the --db value"
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        return str(path) if path is not None else ":memory:"
    if parsed.drivername == "postgresql+psycopg":
        parsed = parsed.set(drivername="postgresql")
    return parsed.render_as_string(hide_password=True)


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite store (None for PostgreSQL or an in-memory database)."""
    from sqlalchemy.engine import make_url
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    if parsed.query.get("uri") == "true" and parsed.database.startswith("file:"):
        return Path(parsed.database.removeprefix("file:").split("?", 1)[0])  # sqlite:///file:x?mode=ro&uri=true
    return Path(parsed.database)


# --------------------------------------------------------------------------------------
# Probing: is there a store, is it ours, which version
# --------------------------------------------------------------------------------------


def probe_sqlite(path: Path, *, create: bool) -> str | None:
    """The schema version of the store at ``path``; None where a store may be created.

    Reads without writing: a file that is not a store is left exactly as it was.
    """
    where = str(path)
    if not path.exists():
        if not create:
            raise StoreError(NO_STORE.format(where=where))
        if not path.parent.is_dir():
            raise StoreError(f"store {where}: folder {path.parent} does not exist")
        return None
    if path.is_dir():
        raise StoreError(f"store {where} is a folder; --db takes a SQLite file")
    try:
        probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the store {where}: {exc}") from None
    try:
        tables = {row[0] for row in probe.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = _version(probe, tables)
    except sqlite3.DatabaseError as exc:
        message = "not a SQLite database" if "not a database" in str(exc) else str(exc)
        raise StoreError(f"{where} is not an inspection store: {message}; nothing was changed") from None
    finally:
        probe.close()
    return _judge(where, tables, version, create=create)


def probe_postgresql(connection: Any, where: str, *, create: bool) -> str | None:
    """As :func:`probe_sqlite`, on an open connection to the server (read only)."""
    tables = {row[0] for row in connection.exec_driver_sql(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}
    version = _version(connection.exec_driver_sql, tables) if tables else None
    return _judge(where, tables, version, create=create)


def _version(execute: Any, tables: set[str]) -> str | None:
    if "alembic_version" not in tables:
        return None
    run = execute.execute if hasattr(execute, "execute") else execute
    row = run("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def _judge(where: str, tables: set[str], version: str | None, *, create: bool) -> str | None:
    if not tables:
        if not create:
            raise StoreError(NO_STORE.format(where=where))
        return None
    known = known_versions()
    if (not tables >= STORE_TABLES or version is None or not _OUR_VERSION.fullmatch(version)
            or (version in known and not tables >= KNOWN_STORE_TABLES)
            or (version not in known and version < known[-1])):
        listed = ", ".join(sorted(tables)[:6]) + (" …" if len(tables) > 6 else "")
        raise StoreError(f"{where} is not an hmip-inspect store (it holds tables {listed}); "
                         "nothing was changed: give another --db")
    if version not in known:
        raise StoreError(f"store {where} has schema version {version}, newer than this program's "
                         f"{SCHEMA_VERSION}: upgrade hmip-inspect to use it; nothing was changed")
    return version


def known_versions() -> tuple[str, ...]:
    """Every schema version this program's migrations know, oldest first."""
    versions = Path(__file__).with_name("migrations") / "versions"
    return tuple(sorted(path.name.split("_", 1)[0] for path in versions.glob("[0-9]*_*.py")))


def migrate(engine: Any) -> None:
    """Bring the store to :data:`SCHEMA_VERSION` in one transaction (Alembic's upgrade)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


# --------------------------------------------------------------------------------------
# SQLite connections: WAL, a busy timeout, and the write lock taken as a write begins
# --------------------------------------------------------------------------------------


def sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event starts transactions
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def sqlite_begin(connection: Any) -> None:
    """Writers take the write lock when they begin, so a read-then-write never races;
    readers (``read_only`` execution option) take none."""
    read_only = connection.get_execution_options().get("read_only", False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


# --------------------------------------------------------------------------------------
# Errors: one line, no parameters, no password
# --------------------------------------------------------------------------------------

_SQLITE_MESSAGES = (
    ("database is locked", "the store is busy: another process held its write lock for more than "
                           f"{BUSY_TIMEOUT_MS // 1000} s; try again"),
    ("readonly database", "the store {where} is read-only: check the file's and its folder's permissions"),
    ("disk is full", "the disk holding the store {where} is full; nothing was written"),
    ("disk i/o error", "the store {where} could not be read or written (disk I/O error)"),
    ("unable to open database", "cannot open the store {where}: check the path and permissions"),
    ("malformed", "the store {where} is damaged (database disk image is malformed); restore a backup"),
    ("not a database", "{where} is not a SQLite database"),
)


def describe(exc: BaseException, url: str) -> str:
    """One line for a database error: what happened and what to do, never the statement's
    parameters (they hold case answers) nor a password."""
    where = shown(url)
    orig = getattr(exc, "orig", None) or exc
    module = type(orig).__module__
    if module.startswith("sqlite3") or isinstance(orig, sqlite3.Error):
        text = str(orig).lower()
        for fragment, message in _SQLITE_MESSAGES:
            if fragment in text:
                return message.format(where=where)
        return f"database error in {where}: {str(orig).splitlines()[0] if str(orig) else type(orig).__name__}"
    if module.startswith("psycopg"):
        return _describe_postgresql(orig, where)
    if isinstance(orig, OSError):
        return f"{where}: {orig.strerror or type(orig).__name__}"
    return f"database error in {where} ({type(orig).__name__}); run with --verbose for details"


def _describe_postgresql(orig: Any, where: str) -> str:
    name = type(orig).__name__
    diag = getattr(orig, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    first_line = str(orig).splitlines()[0] if str(orig) else ""
    text = primary or first_line or name
    lowered = text.lower()
    if "nul" in lowered and "0x00" in lowered:
        return "a text holds a NUL character (0x00), which PostgreSQL cannot store; nothing was written"
    import psycopg
    if isinstance(orig, (psycopg.OperationalError, psycopg.InterfaceError)) and (
            "connection" in lowered or "server" in lowered or "terminat" in lowered or primary is None):
        return (f"lost or could not make the connection to the database server at {where}; "
                "nothing was written (the transaction was rolled back)")
    if name == "InsufficientPrivilege":
        return f"the database role lacks a permission in {where}: {text}"
    if name == "ReadOnlySqlTransaction":
        return f"the database server at {where} is read-only; nothing was written"
    if name == "DiskFull":
        return f"the database server at {where} is out of disk space; nothing was written"
    # A primary message never holds the parameters; DETAIL lines (which may) are left out.
    return f"database error in {where}: {text}"
