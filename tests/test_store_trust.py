"""A store a team can trust: one self-contained file, nothing created by reading, foreign and
newer databases left alone, a signed-off rating that does not move, decisions checked when they
are made, concurrent decisions and the lock state always audited, one-line errors.

Tests taking ``store_url`` run on a SQLite file and on the PostgreSQL server alike.
"""

from __future__ import annotations

import multiprocessing
import shutil
import sqlite3
from pathlib import Path

import pytest
from hmip_inspect.core.errors import InputError
from hmip_inspect.core.plugin.manager import build_plugin_manager
from hmip_inspect.core.session import Session
from hmip_inspect.core.store.database import Store, StoreError, open_store
from hmip_inspect.core.store.engine import describe
from hmip_inspect.core.store.fieldwork import Fieldwork, import_folder
from hmip_inspect.core.store.schema import SCHEMA_VERSION
from sqlalchemy import JSON, bindparam, event, text
from store_workers import write_decisions

ONLY_POSTGRESQL = pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
ONLY_SQLITE = pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
EXAMPLES = Path(__import__("hmip_inspect.plugins.profiles", fromlist=["x"]).__file__).parent / "examples"


def session() -> Session:
    return Session(pm=build_plugin_manager())


def one_line_error(result, *fragments: str) -> str:
    """The run failed with one line on standard error, no traceback, holding ``fragments``."""
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], f"{fragment!r} not in {lines[0]!r}"
    return lines[0]


# --------------------------------------------------------------------------------------
# The SQLite file alone holds the store
# --------------------------------------------------------------------------------------


def test_the_sqlite_file_alone_holds_everything_once_a_command_ends(inspect_cli, example, tmp_path):
    db = tmp_path / "inspections.sqlite"
    assert inspect_cli("import", example, "--db", db, "--name", "tv").exit_code == 0
    wal = Path(f"{db}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    mailed = tmp_path / "mailed"
    mailed.mkdir()
    shutil.copy(db, mailed / "copy.sqlite")                      # the .sqlite file alone
    listed = inspect_cli("inspections", "--db", mailed / "copy.sqlite")
    assert listed.exit_code == 0, listed.stderr
    assert "tv" in listed.stdout and "149/149" in listed.stdout


def test_backup_copies_a_sqlite_store_into_one_file(inspect_cli, crc, store_url, tmp_path):
    target = tmp_path / "backup.sqlite"
    result = inspect_cli("backup", "--db", store_url, "--output", target)
    if crc.store.dialect == "postgresql":
        one_line_error(result, "pg_dump")
        assert not target.exists()
        return
    assert result.exit_code == 0, result.stderr
    assert not Path(f"{target}-wal").exists()
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    restored = inspect_cli("run", "--db", target, "--name", "tv")
    assert restored.exit_code == 0 and "Overall: Good (17/30)" in restored.stdout
    one_line_error(inspect_cli("backup", "--db", store_url, "--output", target), "already exists")


# --------------------------------------------------------------------------------------
# Reading never creates or alters; foreign and newer databases are refused untouched
# --------------------------------------------------------------------------------------

READING = [
    ("inspections",),
    ("run", "--name", "tv"),
    ("report", "--name", "tv"),
    ("audit", "--name", "tv"),
    ("export", "--name", "tv", "--format", "json", "--output", "OUT"),
    ("case", "show", "D2-001", "--name", "tv"),
    ("signoff", "--name", "tv", "--by", "chair"),
    ("unlock", "--name", "tv", "--reason", "x"),
    ("judgement", "--name", "tv", "--standard", "1.1", "--rating", "Good", "--evidence", "x"),
    ("backup", "--output", "OUT"),
]


@pytest.mark.parametrize("command", READING, ids=lambda c: " ".join(c[:2]))
def test_no_command_but_init_and_import_creates_a_store(inspect_cli, tmp_path, command):
    db = tmp_path / "missing.sqlite"
    args = [str(tmp_path / "out.json") if part == "OUT" else part for part in command]
    result = inspect_cli(*args, "--db", db)
    one_line_error(result, f"no inspection store at {db} (create one with `inspect init`/`inspect import`)")
    assert list(tmp_path.iterdir()) == []


def test_someone_elses_sqlite_database_is_refused_untouched(inspect_cli, example, tmp_path):
    foreign = tmp_path / "payroll.db"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE people (name TEXT, salary INTEGER)")
        db.execute("INSERT INTO people VALUES ('A. Person', 1)")
    before = foreign.read_bytes()
    for args in (("inspections",), ("import", example, "--name", "tv")):
        one_line_error(inspect_cli(*args, "--db", foreign), "is not an hmip-inspect store", "people")
    assert foreign.read_bytes() == before
    with sqlite3.connect(foreign) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert [r[0] for r in db.execute("SELECT name FROM sqlite_master")] == ["people"]
    garbage = tmp_path / "notes.sqlite"
    garbage.write_bytes(b"these are not the pages of a database" * 200)
    one_line_error(inspect_cli("inspections", "--db", garbage), "not a SQLite database")


def test_a_store_from_a_newer_program_is_refused(store, example, inspect_cli, store_url):
    import_folder(store, session(), example, "tv", "importer")
    with store.engine.begin() as db:
        db.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    store.close()
    one_line_error(inspect_cli("inspections", "--db", store_url),
                   "schema version 9999, newer than this program's " + SCHEMA_VERSION)
    with pytest.raises(StoreError, match="upgrade hmip-inspect"):
        open_store(store_url, create=True)


def test_a_newer_store_without_a_table_this_program_knows_is_still_named_newer(store, example, inspect_cli,
                                                                                store_url):
    """A later schema may drop a table (0007 dropped ``answer``, and the release before it then
    called an upgraded store "not an hmip-inspect store"): the version is what to report."""
    import_folder(store, session(), example, "tv", "importer")
    with store.engine.begin() as db:
        db.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        db.execute(text("DROP TABLE pooled_figures"))
        db.execute(text("ALTER TABLE inspected_case RENAME TO kept_case"))
    store.close()
    one_line_error(inspect_cli("inspections", "--db", store_url),
                   "schema version 9999, newer than this program's " + SCHEMA_VERSION)


@pytest.mark.parametrize("version", ["0003", "a1b2c3d4e5f6", "0000"])
def test_someone_elses_alembic_database_with_tables_named_like_ours_is_refused(store_url, inspect_cli, example,
                                                                               version):
    """Another application's Alembic database may hold tables called ``inspection`` and
    ``audit``: its version is not taken for an older store (migrated) nor a newer one (the
    advice to upgrade hmip-inspect); it is refused as someone else's, untouched."""
    from hmip_inspect.core.store.database import database_url
    from sqlalchemy import create_engine
    engine = create_engine(database_url(store_url))
    with engine.begin() as db:
        db.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
        db.execute(text("INSERT INTO alembic_version VALUES (:v)"), {"v": version})
        db.execute(text("CREATE TABLE inspection (id INTEGER PRIMARY KEY, title TEXT)"))
        db.execute(text("CREATE TABLE audit (id INTEGER PRIMARY KEY, note TEXT)"))
    engine.dispose()
    for args in (("inspections",), ("import", example, "--name", "tv")):
        one_line_error(inspect_cli(*args, "--db", store_url), "is not an hmip-inspect store",
                       "alembic_version, audit, inspection")
    engine = create_engine(database_url(store_url))
    with engine.connect() as db:
        assert db.execute(text("SELECT version_num FROM alembic_version")).scalar() == version
        assert {"alembic_version", "inspection", "audit"} == set(
            __import__("sqlalchemy").inspect(db).get_table_names())
    engine.dispose()


def test_an_older_store_is_upgraded_in_place(store_url, example, inspect_cli):
    """A store made by the previous schema (0001) keeps its data and is upgraded on opening; its
    inspections, imported without a profile snapshot, say so when rated."""
    from hmip_inspect.core.store.database import database_url
    from migration_fixture import migrate
    from sqlalchemy import create_engine
    engine = create_engine(database_url(store_url))
    migrate(engine, "0001")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO inspection (name, provider, profile, synthetic, fieldwork, notes, details, "
            "locked, created_at) VALUES ('old', 'Old CRC', 'crc', false, '', '', '{}', false, 'then')"))
    engine.dispose()
    upgraded = open_store(store_url)
    with upgraded.engine.begin() as db:
        assert db.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == SCHEMA_VERSION
    assert [i.name for i in upgraded.inspections()] == ["old"]
    assert upgraded.snapshot("old") is None
    assert "no profile was recorded" in Fieldwork(upgraded, "old", session()).change_note()
    upgraded.close()


# --------------------------------------------------------------------------------------
# A signed-off rating never changes
# --------------------------------------------------------------------------------------


def test_the_profile_is_recorded_at_import_and_rates_the_inspection(inspect_cli, example, tmp_path):
    profile = tmp_path / "regional.toml"
    profile.write_text('[profile]\nname = "regional"\nextends = "crc"\n', encoding="utf-8")
    info = example / "inspection.toml"
    info.write_text(info.read_text().replace('profile = "crc"', f'profile = "{profile}"'))
    db = tmp_path / "s.sqlite"
    assert inspect_cli("import", example, "--db", db, "--name", "tv").exit_code == 0
    assert inspect_cli("signoff", "--db", db, "--name", "tv", "--by", "chair").exit_code == 0
    before = inspect_cli("run", "--db", db, "--name", "tv")
    assert "Overall: Good (17/30)" in before.stdout and before.stderr == ""

    # Someone narrows the overall Good band in the profile file after sign-off.
    profile.write_text(profile.read_text() + "[rating.overall_bands]\ninadequate = [0, 5]\n"
                       "requires_improvement = [6, 17]\ngood = [18, 25]\noutstanding = [26, 30]\n",
                       encoding="utf-8")
    after = inspect_cli("run", "--db", db, "--name", "tv")
    assert after.exit_code == 0 and after.stdout == before.stdout          # the signed-off rating stands
    [note] = after.stderr.strip().splitlines()
    assert f"profile {str(profile)!r} has changed" in note and "adopt-profile" in note
    report = inspect_cli("report", "--db", db, "--name", "tv", "--format", "json")
    assert report.exit_code == 0 and "has changed" in report.stderr

    refused = inspect_cli("inspection", "adopt-profile", "--db", db, "--name", "tv", "--reason", "new bands")
    one_line_error(refused, "signed off")
    assert inspect_cli("unlock", "--db", db, "--name", "tv", "--reason", "adopt the new bands").exit_code == 0
    adopted = inspect_cli("inspection", "adopt-profile", "--db", db, "--name", "tv", "--reason", "new bands",
                          "--user", "lead")
    assert adopted.exit_code == 0, adopted.stderr
    rerated = inspect_cli("run", "--db", db, "--name", "tv")
    assert rerated.stderr == "" and "Overall: Requires improvement (17/30)" in rerated.stdout
    entry = open_store(str(db)).audit_trail("tv")[-1]
    assert (entry.action, entry.who, entry.reason) == ("profile", "lead", "new bands")
    assert entry.old != entry.new and "sha256" in entry.new


def test_a_changed_plugin_version_is_noted(crc):
    snapshot = crc.store.snapshot("tv")
    assert set(snapshot.plugins) == {"domain1", "domain2", "upw", "ttg"}
    with crc.store.engine.begin() as db:
        changed = {**snapshot.to_dict(), "plugins": {**snapshot.plugins, "upw": "0.0.1"}}
        db.execute(text("UPDATE inspection SET profile_snapshot = :s").bindparams(
            bindparam("s", type_=JSON)), {"s": changed})
    note = Fieldwork(crc.store, "tv", session()).change_note()
    assert "plugin 'upw' was 0.0.1, now" in note and "has changed" not in note


# --------------------------------------------------------------------------------------
# Decisions are checked when they are made
# --------------------------------------------------------------------------------------


def test_a_panel_decision_on_an_ineligible_standard_is_refused_when_recorded(crc, inspect_cli, store_url):
    result = inspect_cli("panel", "--db", store_url, "--name", "tv", "--standard", "2.3", "--direction", "up",
                         "--rationale", "we liked it")
    assert result.exit_code == 1 and "not eligible for professional judgement up" in result.stderr
    assert inspect_cli("run", "--db", store_url, "--name", "tv").exit_code == 0   # nothing stored
    assert all(e.action != "panel" or e.item != "2.3" for e in crc.store.audit_trail("tv"))


def test_sign_off_lists_every_reason_it_cannot_happen(store, example, inspect_cli, store_url):
    (example / "judgements.toml").write_text("", encoding="utf-8")
    import_folder(store, session(), example, "tv", "importer")
    Fieldwork(store, "tv", session()).start("NEW-1", "upw", {"gender": "female", "rosh": "low"}, "assessor")
    result = inspect_cli("signoff", "--db", store_url, "--name", "tv", "--by", "chair")
    assert result.exit_code == 1
    assert "cannot be signed off yet" in result.stderr
    assert "NEW-1 are still being captured" in result.stderr
    assert "missing judgement for standard(s) 1.1, 1.2, 1.3, 1.4" in result.stderr
    assert not any(e.action == "sign-off" for e in store.audit_trail("tv"))


def test_a_change_made_during_the_sign_off_check_refuses_it(crc):
    checked_at = crc.store.version("tv")
    crc.answer("D2-001", "2.1.1.a", "no" if crc.store.case("tv", "D2-001")[0].answer("2.1.1.a") == "yes"
               else "yes", "bob")
    with pytest.raises(InputError, match="changed while it was being checked"):
        crc.store.sign_off("tv", "chair", checked_at=checked_at)


# --------------------------------------------------------------------------------------
# Concurrent decisions; the audit cannot be emptied or bypassed
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind, standard", [("moderation", "4.1"), ("panel", "2.2")])
def test_concurrent_decisions_on_one_standard_lose_nothing(crc, store_url, kind, standard):
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        done = pool.starmap(write_decisions, [(store_url, "tv", f"lead-{n}", kind, standard, 6)
                                              for n in range(4)])
    assert sum(done) == 24
    chain = [e for e in crc.store.audit_trail("tv") if e.action == kind and e.item == standard]
    assert len(chain) == 24
    assert all(later.old == earlier.new for earlier, later in zip(chain, chain[1:]))
    assert len({e.old for e in chain}) == len(chain)          # every old value replaced once


def test_the_lock_state_changes_only_with_its_audit_entry(crc):
    for statement in ("UPDATE inspection SET locked = true",
                      "INSERT INTO inspection (name, provider, profile, synthetic, fieldwork, notes, "
                      "details, locked, created_at) VALUES ('forged', 'x', 'crc', false, '', '', '{}', "
                      "true, 'now')"):
        with pytest.raises(Exception, match="changes only with its audit entry"):
            with crc.store.engine.begin() as db:
                db.execute(text(statement))
    crc.sign_off("chair")
    with pytest.raises(Exception, match="changes only with its audit entry"):
        with crc.store.engine.begin() as db:
            db.execute(text("UPDATE inspection SET locked = false"))
    crc.store.unlock("tv", "chair", "a real reason")
    assert [e.action for e in crc.store.audit_trail("tv")][-2:] == ["sign-off", "unlock"]


@ONLY_POSTGRESQL
def test_the_audit_cannot_be_truncated_on_postgresql(crc):
    """SQLite has no TRUNCATE; its DELETE is refused (test_store.py)."""
    with pytest.raises(Exception, match="append-only"):
        with crc.store.engine.begin() as db:
            db.execute(text("TRUNCATE audit"))
    with pytest.raises(Exception, match="append-only"):
        with crc.store.engine.begin() as db:
            db.execute(text("TRUNCATE inspection CASCADE"))


@ONLY_POSTGRESQL
def test_the_application_role_cannot_touch_the_audit(crc, store_url, inspect_cli):
    """The README's role: granted by `inspect grants`, it works the store but owns nothing."""
    import uuid

    import psycopg
    role = f"hmip_app_{uuid.uuid4().hex[:8]}"
    grants = inspect_cli("grants", "--role", role)
    assert grants.exit_code == 0
    plain = store_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as owner:
        owner.execute(f'CREATE ROLE "{role}" LOGIN')
        for statement in grants.stdout.strip().splitlines():
            owner.execute(statement)
    as_app = plain.replace("postgresql://hmip@", f"postgresql://{role}@")
    try:
        answered = inspect_cli("run", "--db", as_app, "--name", "tv")
        assert answered.exit_code == 0, answered.stderr
        app = open_store(as_app)
        Fieldwork(app, "tv", session()).answer("D2-001", "2.1.1.a", "no", "app-user", reason="role test")
        for statement in ("TRUNCATE audit", "DELETE FROM audit", "ALTER TABLE audit DISABLE TRIGGER ALL",
                          "DROP TABLE audit CASCADE"):
            with pytest.raises(Exception, match=r"permission denied|must be owner|append-only"):
                with app.engine.begin() as db:
                    db.execute(text(statement))
        app.close()
    finally:
        with psycopg.connect(plain, autocommit=True) as owner:
            owner.execute(f'DROP OWNED BY "{role}"')
            owner.execute(f'DROP ROLE "{role}"')


# --------------------------------------------------------------------------------------
# Errors: one line, no case data, no secrets
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("db, fragment", [
    ("://", "not a SQLite file path or a postgresql://"),
    ("mysql://root@127.0.0.1/x", "unsupported database 'mysql'"),
])
def test_bad_database_urls_are_one_line(inspect_cli, db, fragment):
    one_line_error(inspect_cli("inspections", "--db", db), fragment)


@ONLY_POSTGRESQL
def test_a_password_is_never_printed(inspect_cli, store_url):
    port = __import__("socket").socket()
    port.bind(("127.0.0.1", 0))
    closed = port.getsockname()[1]
    port.close()                                              # nothing listens there now
    line = one_line_error(inspect_cli("inspections", "--db", f"postgresql://hmip:s3cret@127.0.0.1:{closed}/x"),
                          "hmip:***@127.0.0.1")
    assert "s3cret" not in line
    # The server trusts loopback, so a URL with a password works: the resume hint masks it.
    with_password = store_url.replace("postgresql://hmip@", "postgresql://hmip:s3cret@")
    store = open_store(with_password, create=True)
    import_folder(store, session(), EXAMPLES / "crc", "tv", "importer")
    store.close()
    started = inspect_cli("case", "add", "NEW 1", "--db", with_password, "--name", "tv",
                          "--sample", "upw", "-a", "gender=female", "-a", "rosh=low", input="q\n")
    assert started.exit_code == 0, started.stderr
    assert "s3cret" not in started.stdout + started.stderr
    assert "inspect case edit 'NEW 1' --name" in started.stdout and "hmip:***@" in started.stdout


def test_a_full_disk_is_one_line_and_writes_nothing(inspect_cli, example, tmp_path, monkeypatch):
    db = tmp_path / "s.sqlite"
    open_store(str(db), create=True).close()
    real = Store.__init__

    def tiny(self, *args, **kwargs):
        real(self, *args, **kwargs)
        event.listen(self.engine, "connect", lambda con, _: con.execute("PRAGMA max_page_count = 40"))
        self.engine.dispose()
    monkeypatch.setattr(Store, "__init__", tiny)
    line = one_line_error(inspect_cli("import", example, "--db", db, "--name", "tv"), "is full; nothing was written")
    assert "D2-" not in line
    monkeypatch.undo()
    assert open_store(str(db)).inspections() == []


@ONLY_SQLITE
def test_a_write_lock_held_too_long_is_one_line(inspect_cli, crc, tmp_path, monkeypatch):
    import hmip_inspect.core.store.engine as engine_module
    monkeypatch.setattr(Store, "_engine_options", lambda self: {"connect_args": {"timeout": 0.2}})
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(crc.store.path)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = inspect_cli("judgement", "--db", crc.store.path, "--name", "tv", "--standard", "1.1",
                             "--rating", "Good", "--evidence", "private evidence text")
    finally:
        holder.rollback()
        holder.close()
    line = one_line_error(result, "the store is busy")
    assert "private evidence" not in line


@ONLY_SQLITE
def test_a_read_only_store_is_one_line(inspect_cli, crc):
    read_only = f"sqlite:///file:{crc.store.path}?mode=ro&uri=true"
    line = one_line_error(inspect_cli("judgement", "--db", read_only, "--name", "tv", "--standard", "1.1",
                                      "--rating", "Good", "--evidence", "private evidence text"), "read-only")
    assert "private evidence" not in line


@ONLY_POSTGRESQL
def test_a_server_lost_mid_import_is_one_line(inspect_cli, store, example, monkeypatch, store_url):
    real = Store._insert_cases

    def lost(self, db, inspection_id, cases):
        real(self, db, inspection_id, cases)
        db.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))
    monkeypatch.setattr(Store, "_insert_cases", lost)
    store.close()
    line = one_line_error(inspect_cli("import", example, "--db", store_url, "--name", "tv"),
                          "connection to the database server")
    assert "D2-" not in line
    monkeypatch.undo()
    assert open_store(store_url).inspections() == []


def test_database_error_messages_never_hold_parameters():
    from sqlalchemy.exc import IntegrityError

    class Orig(sqlite3.IntegrityError):
        pass
    exc = IntegrityError("INSERT INTO answer VALUES (?, ?)", ("D2-001", "secret free text"),
                         Orig("UNIQUE constraint failed: answer.case_pk"))
    line = describe(exc, "sqlite:///x.sqlite")
    assert "secret" not in line and "D2-001" not in line and "UNIQUE constraint failed" in line


def test_an_unexpected_error_names_only_its_type(inspect_cli, monkeypatch):
    from hmip_inspect.core import session as session_module

    def broken(*args, **kwargs):
        raise RuntimeError("case D2-001: the person's address")
    monkeypatch.setattr(session_module.Session, "run", broken)
    line = one_line_error(inspect_cli("run", "--profile", "crc"), "unexpected RuntimeError")
    assert "address" not in line
    verbose = inspect_cli("--verbose", "run", "--profile", "crc")
    assert verbose.exit_code == 1 and "Traceback" in verbose.stderr


def test_the_readme_shows_the_grants_the_program_prints():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    from hmip_inspect.core.store.schema import grant_statements
    assert "\n".join(grant_statements("hmip_app")) in readme


def test_a_bad_folder_creates_no_store(inspect_cli, example, tmp_path):
    (example / "judgements.toml").write_text("[[judgement]]\nstandard = 1.1.1\n", encoding="utf-8")
    db = tmp_path / "new.sqlite"
    result = inspect_cli("import", example, "--db", db, "--name", "tv")
    assert result.exit_code == 1 and "judgements.toml: not valid TOML" in result.stderr
    assert not db.exists()
