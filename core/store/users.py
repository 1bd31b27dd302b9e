"""The store's users, grants, web sessions, login throttle and user audit (schema 0003).

Each method is one transaction. Every change to a user or a grant is written with its entry in
``user_audit`` (append-only: database triggers refuse UPDATE and DELETE) in the same
transaction. The password is only ever stored as its Argon2 hash (:mod:`.accounts` makes it).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..errors import InputError
from . import schema as t
from .base import StoreBase
from .records import guarded, now


@dataclass(frozen=True)
class UserRecord:
    id: int
    name: str
    role: str
    password_hash: str
    disabled: bool
    grants: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class UserAuditEntry:
    at: str
    who: str
    action: str
    user_name: str
    item: str | None
    old: str | None
    new: str | None


@dataclass(frozen=True)
class SessionRecord:
    user: UserRecord
    csrf: str
    created_at: float
    last_seen: float


def _user_audit(db: Connection, who: str, action: str, user_name: str, *, item: str | None = None,
                old: str | None = None, new: str | None = None) -> None:
    db.execute(insert(t.user_audit).values(at=now(), who=who, action=action, user_name=user_name,
                                           item=item, old=old, new=new))


def _record(row, grants: tuple[str, ...] = ()) -> UserRecord:
    return UserRecord(row.id, row.name, row.role, row.password_hash, bool(row.disabled), grants)


class UserStore(StoreBase):
    # ----------------------------------------------------------------------------------
    # Users and grants
    # ----------------------------------------------------------------------------------

    @guarded
    def add_user(self, name: str, role: str, password_hash: str, who: str) -> None:
        try:
            with self.engine.begin() as db:
                db.execute(insert(t.app_user).values(name=name, role=role, password_hash=password_hash,
                                                     disabled=False, created_at=now()))
                _user_audit(db, who, "user add", name, item="role", new=role)
        except IntegrityError:
            raise InputError(f"user {name!r} already exists") from None

    @guarded
    def user(self, name: str) -> UserRecord | None:
        with self._reading() as db:
            row = db.execute(select(t.app_user).where(t.app_user.c.name == name)).first()
            return _record(row, self._grants(db, row.id)) if row is not None else None

    @guarded
    def users(self) -> list[UserRecord]:
        with self._reading() as db:
            rows = db.execute(select(t.app_user).order_by(t.app_user.c.name)).all()
            return [_record(row, self._grants(db, row.id)) for row in rows]

    def _grants(self, db: Connection, user_id: int) -> tuple[str, ...]:
        return tuple(db.execute(
            select(t.inspection.c.name).join(t.user_grant, t.user_grant.c.inspection_id == t.inspection.c.id)
            .where(t.user_grant.c.user_id == user_id).order_by(t.inspection.c.name)).scalars())

    def _user_row(self, db: Connection, name: str):
        row = db.execute(select(t.app_user).where(t.app_user.c.name == name)).first()
        if row is None:
            raise InputError(f"no user {name!r} (see 'inspect user list')")
        return row

    @guarded
    def set_password_hash(self, name: str, password_hash: str, who: str) -> None:
        """Replace a user's hash (a rehash with current Argon2 parameters, or a new password)."""
        with self.engine.begin() as db:
            row = self._user_row(db, name)
            db.execute(update(t.app_user).where(t.app_user.c.id == row.id).values(password_hash=password_hash))
            _user_audit(db, who, "user password", name)

    @guarded
    def disable_user(self, name: str, who: str) -> None:
        """Disable a user: no login from now on, and every session of theirs ends."""
        with self.engine.begin() as db:
            row = self._user_row(db, name)
            if row.disabled:
                raise InputError(f"user {name!r} is already disabled")
            db.execute(update(t.app_user).where(t.app_user.c.id == row.id).values(disabled=True))
            db.execute(delete(t.web_session).where(t.web_session.c.user_id == row.id))
            _user_audit(db, who, "user disable", name, old="enabled", new="disabled")

    @guarded
    def grant(self, name: str, inspection: str, who: str) -> None:
        with self.engine.begin() as db:
            row = self._user_row(db, name)
            inspection_id = self._inspection(db, inspection).id
            key = and_(t.user_grant.c.user_id == row.id, t.user_grant.c.inspection_id == inspection_id)
            if db.execute(select(t.user_grant).where(key)).first() is not None:
                raise InputError(f"user {name!r} already has a grant on inspection {inspection!r}")
            db.execute(insert(t.user_grant).values(user_id=row.id, inspection_id=inspection_id))
            _user_audit(db, who, "grant", name, item=inspection)

    @guarded
    def revoke(self, name: str, inspection: str, who: str) -> None:
        with self.engine.begin() as db:
            row = self._user_row(db, name)
            inspection_id = self._inspection(db, inspection).id
            key = and_(t.user_grant.c.user_id == row.id, t.user_grant.c.inspection_id == inspection_id)
            if db.execute(delete(t.user_grant).where(key)).rowcount == 0:
                raise InputError(f"user {name!r} has no grant on inspection {inspection!r}; nothing was revoked")
            _user_audit(db, who, "revoke", name, item=inspection)

    @guarded
    def has_grant(self, user_id: int, inspection: str) -> bool:
        with self._reading() as db:
            return db.execute(
                select(t.user_grant.c.user_id).join(t.inspection, t.user_grant.c.inspection_id == t.inspection.c.id)
                .where(t.user_grant.c.user_id == user_id, t.inspection.c.name == inspection)).first() is not None

    @guarded
    def user_audit_trail(self) -> list[UserAuditEntry]:
        a = t.user_audit
        with self._reading() as db:
            return [UserAuditEntry(r.at, r.who, r.action, r.user_name, r.item, r.old, r.new)
                    for r in db.execute(select(a).order_by(a.c.id))]

    # ----------------------------------------------------------------------------------
    # Web sessions, the login throttle and the application's secrets
    # ----------------------------------------------------------------------------------

    @guarded
    def create_session(self, id_hash: str, user_id: int, csrf: str, at: float,
                       replaces: str | None = None) -> None:
        """A new session; ``replaces`` (the session id before login, if any) ends in the same step."""
        with self.engine.begin() as db:
            if replaces:
                db.execute(delete(t.web_session).where(t.web_session.c.id_hash == replaces))
            db.execute(insert(t.web_session).values(id_hash=id_hash, user_id=user_id, csrf=csrf,
                                                    created_at=at, last_seen=at))

    @guarded
    def web_session(self, id_hash: str) -> SessionRecord | None:
        s, u = t.web_session, t.app_user
        with self._reading() as db:
            row = db.execute(select(s.c.csrf, s.c.created_at, s.c.last_seen, u)
                             .join(u, u.c.id == s.c.user_id).where(s.c.id_hash == id_hash)).first()
            if row is None:
                return None
            return SessionRecord(_record(row), row.csrf, row.created_at, row.last_seen)

    @guarded
    def web_request(self, id_hash: str, inspection: str | None) -> tuple[SessionRecord | None, bool]:
        """What the web application checks on every request, in one query: the session, its
        user, and whether the user holds a grant on ``inspection`` (False when it is None or
        there is no such inspection)."""
        s, u, g, i = t.web_session, t.app_user, t.user_grant, t.inspection
        columns: list[Any] = [s.c.csrf, s.c.created_at, s.c.last_seen, u]
        if inspection is not None:
            columns.append(select(g.c.user_id).join(i, i.c.id == g.c.inspection_id)
                           .where(g.c.user_id == s.c.user_id, i.c.name == inspection).exists().label("granted"))
        with self._reading() as db:
            row = db.execute(select(*columns).join(u, u.c.id == s.c.user_id).where(s.c.id_hash == id_hash)).first()
            if row is None:
                return None, False
            return (SessionRecord(_record(row), row.csrf, row.created_at, row.last_seen),
                    inspection is not None and bool(row.granted))

    @guarded
    def touch_session(self, id_hash: str, at: float) -> None:
        with self.engine.begin() as db:
            db.execute(update(t.web_session).where(t.web_session.c.id_hash == id_hash).values(last_seen=at))

    @guarded
    def end_session(self, id_hash: str) -> None:
        with self.engine.begin() as db:
            db.execute(delete(t.web_session).where(t.web_session.c.id_hash == id_hash))

    @guarded
    def end_idle_sessions(self, before: float) -> None:
        with self.engine.begin() as db:
            db.execute(delete(t.web_session).where(t.web_session.c.last_seen < before))

    @guarded
    def record_login_failure(self, keys: list[str], at: float) -> None:
        with self.engine.begin() as db:
            db.execute(insert(t.login_failure), [{"key": key, "at": at} for key in keys])

    @guarded
    def login_failures(self, keys: list[str], since: float) -> dict[str, int]:
        f = t.login_failure
        with self._reading() as db:
            counted: dict[str, int] = dict(db.execute(select(f.c.key, func.count()).where(f.c.key.in_(keys), f.c.at >= since)
                                      .group_by(f.c.key)).all())
        return {key: int(counted.get(key, 0)) for key in keys}

    @guarded
    def forget_login_failures(self, before: float) -> None:
        """Drop failed logins older than ``before``: the throttle no longer counts them."""
        with self.engine.begin() as db:
            db.execute(delete(t.login_failure).where(t.login_failure.c.at < before))

    @guarded
    def clear_login_failures(self, key: str) -> None:
        with self.engine.begin() as db:
            db.execute(delete(t.login_failure).where(t.login_failure.c.key == key))

    @guarded
    def secret(self, key: str) -> str:
        """The application's secret ``key``, made (random, 256 bits) the first time it is asked for."""
        with self.engine.begin() as db:
            value = db.execute(select(t.web_setting.c.value).where(t.web_setting.c.key == key)).scalar()
            if value is None:
                value = secrets.token_hex(32)
                try:
                    with db.begin_nested():
                        db.execute(insert(t.web_setting).values(key=key, value=value))
                except IntegrityError:      # another worker made it first: use theirs
                    value = db.execute(select(t.web_setting.c.value).where(t.web_setting.c.key == key)).scalar_one()
            return str(value)
