"""Users, grants, the login throttle and their audit in the store (schema 0003), and the
``inspect user`` commands; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from hmip_inspect.core.errors import InputError
from hmip_inspect.core.store import accounts
from hmip_inspect.core.store.accounts import Accounts
from hmip_inspect.core.store.database import StoreError
from sqlalchemy import text


def test_add_grant_revoke_disable_each_audited(crc):
    store = crc.store
    users = Accounts(store)
    users.add("ann", "lead", "correct horse", "admin1")
    users.add("bob", "inspector", "battery staple", "admin1")
    users.grant("bob", "tv", "admin1")
    assert store.user("bob").grants == ("tv",)
    assert store.has_grant(store.user("bob").id, "tv")
    assert not store.has_grant(store.user("ann").id, "tv")
    users.revoke("bob", "tv", "admin1")
    assert store.user("bob").grants == ()
    with pytest.raises(InputError, match="cannot disable yourself"):
        users.disable("bob", "bob")                     # the same rule for the CLI and the web
    assert not store.user("bob").disabled
    users.disable("bob", "admin1")
    assert store.user("bob").disabled
    trail = [(e.who, e.action, e.user_name, e.item) for e in store.user_audit_trail()]
    assert trail == [("admin1", "user add", "ann", "role"), ("admin1", "user add", "bob", "role"),
                     ("admin1", "grant", "bob", "tv"), ("admin1", "revoke", "bob", "tv"),
                     ("admin1", "user disable", "bob", None)]
    assert [u.name for u in users.list()] == ["ann", "bob"]


def test_password_is_stored_as_an_argon2_hash_only(crc):
    Accounts(crc.store).add("ann", "lead", "correct horse", "admin1")
    stored = crc.store.user("ann").password_hash
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert accounts.verify_password(stored, "correct horse")
    assert not accounts.verify_password(stored, "wrong horse")


def test_bad_users_refused_all_at_once(crc):
    users = Accounts(crc.store)
    with pytest.raises(InputError) as refused:
        users.add("", "wizard", "short", "admin1")
    assert len(refused.value.problems) == 3
    users.add("ann", "lead", "correct horse", "admin1")
    with pytest.raises(InputError, match="already exists"):
        users.add("ann", "analyst", "correct horse", "admin1")
    with pytest.raises(InputError, match="no inspection 'nope'"):
        users.grant("ann", "nope", "admin1")
    with pytest.raises(InputError, match="no user 'zed'"):
        users.grant("zed", "tv", "admin1")
    with pytest.raises(InputError, match="has no grant"):
        users.revoke("ann", "tv", "admin1")
    users.add("root", "admin", "correct horse", "admin1")
    with pytest.raises(InputError, match="is an admin"):
        users.grant("root", "tv", "admin1")


def test_authenticate_unknown_and_wrong_alike_and_throttle(crc, monkeypatch):
    users = Accounts(crc.store)
    users.add("ann", "lead", "correct horse", "admin1")
    verified = []
    real = accounts.verify_password
    monkeypatch.setattr(accounts, "verify_password", lambda h, p: verified.append(h) or real(h, p))
    assert users.authenticate("ann", "correct horse", "127.0.0.1").name == "ann"
    assert users.authenticate("ann", "wrong", "127.0.0.1") is None
    assert users.authenticate("nobody", "wrong", "127.0.0.1") is None
    assert len(verified) == 3           # an unknown user costs one Argon2 verification too
    assert verified[2] == accounts._dummy_hash()
    for _ in range(accounts.THROTTLE_USER - 1):
        assert not users.throttled("ann", "10.0.0.9")
        users.authenticate("ann", "wrong", "127.0.0.2")
    assert users.throttled("ann", "10.0.0.9")           # per user, whatever the address
    assert not users.throttled("carl", "10.0.0.9")
    crc.store.record_login_failure(["address:10.0.0.7"] * accounts.THROTTLE_ADDRESS, 1e12)
    assert users.throttled("carl", "10.0.0.7")          # per address, whatever the user


def test_old_failures_and_idle_sessions_are_forgotten(crc):
    store = crc.store
    Accounts(store).add("ann", "lead", "correct horse", "admin1")
    store.record_login_failure(["user:bob"] * 9, 100.0)
    store.create_session("a" * 64, store.user("ann").id, "c" * 64, 100.0)
    store.create_session("b" * 64, store.user("ann").id, "c" * 64, 300.0)
    store.forget_login_failures(200.0)
    store.end_idle_sessions(200.0)
    assert store.login_failures(["user:bob"], 0.0) == {"user:bob": 0}
    assert store.web_session("a" * 64) is None and store.web_session("b" * 64) is not None


def test_disabled_user_cannot_log_in_and_sessions_end(crc):
    users = Accounts(crc.store)
    users.add("ann", "lead", "correct horse", "admin1")
    crc.store.create_session("h" * 64, crc.store.user("ann").id, "c" * 64, 1.0)
    assert crc.store.web_session("h" * 64).user.name == "ann"
    users.disable("ann", "admin1")
    assert crc.store.web_session("h" * 64) is None
    assert users.authenticate("ann", "correct horse", "127.0.0.1") is None


def test_user_audit_is_append_only(crc):
    Accounts(crc.store).add("ann", "lead", "correct horse", "admin1")
    for statement in ("UPDATE user_audit SET who = 'x'", "DELETE FROM user_audit"):
        with pytest.raises(Exception, match="append-only"):
            with crc.store.engine.begin() as db:
                db.execute(text(statement))
    assert len(crc.store.user_audit_trail()) == 1


def test_secret_made_once(store):
    assert store.secret("cookie") == store.secret("cookie") != store.secret("other")


def test_user_commands(inspect_cli, store_url, example):
    assert inspect_cli("import", example, "--name", "tv", "--db", store_url).exit_code == 0
    added = inspect_cli("user", "add", "ann", "--role", "inspector", "--password-stdin", "--db", store_url,
                        "--user", "boss", input="correct horse\n")
    assert added.exit_code == 0, added.output
    prompted = inspect_cli("user", "add", "bea", "--role", "lead", "--db", store_url, "--user", "boss",
                           input="correct horse\ncorrect horse\n")
    assert prompted.exit_code == 0, prompted.output
    assert prompted.output.count("Password") == 1 and "Repeat for confirmation" in prompted.output
    assert "correct horse" not in prompted.output           # hidden
    mismatch = inspect_cli("user", "add", "cy", "--role", "lead", "--db", store_url,
                           input="correct horse\nother horse\ncorrect horse\ncorrect horse\n")
    assert mismatch.exit_code == 0 and "do not match" in mismatch.output
    assert inspect_cli("user", "grant", "ann", "--inspection", "tv", "--db", store_url).exit_code == 0
    listed = inspect_cli("user", "list", "--db", store_url)
    assert "ann" in listed.stdout and "tv" in listed.stdout
    assert inspect_cli("user", "revoke", "ann", "--inspection", "tv", "--db", store_url).exit_code == 0
    assert inspect_cli("user", "disable", "ann", "--db", store_url).exit_code == 0
    listed = inspect_cli("user", "list", "--db", store_url, "--format", "json")
    import json
    assert {u["name"]: (u["disabled"], u["grants"]) for u in json.loads(listed.stdout)}["ann"] == (True, [])
    bad = inspect_cli("user", "add", "dee", "--role", "wizard", "--db", store_url)
    assert bad.exit_code == 1 and "--role: expected one of admin, lead" in bad.stderr
    short = inspect_cli("user", "add", "dee", "--role", "lead", "--password-stdin", "--db", store_url, input="abc\n")
    assert short.exit_code == 1 and "too short" in short.stderr and "abc" not in short.stderr


def test_store_error_is_an_input_error():
    assert issubclass(StoreError, InputError)
