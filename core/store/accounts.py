"""Users of the web application: roles, passwords (Argon2), grants, and logging in.

Roles (issue 13, "Commands"): ``admin`` manages users and grants; ``lead`` does everything on
the inspections granted to them (capture, judgements, moderation, panel, sign-off, unlock);
``inspector`` captures cases of granted inspections; ``panel`` records panel decisions and
reads; ``analyst`` reads (ratings, reports, exports). Everyone but an admin sees only the
inspections they are granted.

Passwords are hashed with Argon2id (argon2-cffi, its default parameters: RFC 9106's second
recommended option). Logging in as an unknown or disabled user verifies a dummy hash, so the
answer and its timing are those of a wrong password (no user enumeration). Assumption: a
password has at least 8 characters (NIST SP 800-63B, 5.1.1.2), nothing more is imposed.
"""

from __future__ import annotations

import functools
import time
from typing import TYPE_CHECKING, Any

from ..errors import InputError, Problems
from ..names import name_problem

if TYPE_CHECKING:
    from .database import Store
    from .users import UserRecord

ROLES = ("admin", "lead", "inspector", "panel", "analyst")
MIN_PASSWORD = 8
#: The login throttle (assumption; the issue asks for one without numbers): this many failed
#: logins within THROTTLE_WINDOW seconds for one user name, or from one address, refuse more
#: attempts (429) until the window has passed.
THROTTLE_USER, THROTTLE_ADDRESS, THROTTLE_WINDOW = 5, 20, 15 * 60


@functools.lru_cache(maxsize=1)
def _hasher() -> Any:
    from argon2 import PasswordHasher
    return PasswordHasher()


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return str(_hasher().hash("no such user: a hash to verify against all the same"))


def hash_password(password: str) -> str:
    return str(_hasher().hash(password))


def verify_password(password_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError
    try:
        return bool(_hasher().verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def _keys(name: str, address: str) -> list[str]:
    """The throttle's keys for a login attempt (a name typed may be any length: cut to fit)."""
    return [f"user:{name[:250]}", f"address:{address[:250]}"]


class Accounts:
    """The users of one store: added, granted, revoked, disabled (each audited with ``who``)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, name: str, role: str, password: str, who: str) -> None:
        problems = Problems()
        name = name.strip()
        if problem := name_problem(name):
            problems.add("NAME", problem)
        if role not in ROLES:
            problems.add("--role", f"expected one of {', '.join(ROLES)}, found {role!r}")
        if len(password) < MIN_PASSWORD:
            problems.add("password", f"too short: at least {MIN_PASSWORD} characters")
        problems.raise_if_any(f"user {name!r} was not added")
        self.store.add_user(name, role, hash_password(password), who)

    def grant(self, name: str, inspection: str, who: str) -> None:
        user = self._existing(name)
        if user.role == "admin":
            raise InputError(f"user {name!r} is an admin: admins manage users and grants and are "
                             "not granted inspections")
        self.store.grant(name, inspection, who)

    def revoke(self, name: str, inspection: str, who: str) -> None:
        self._existing(name)
        self.store.revoke(name, inspection, who)

    def disable(self, name: str, who: str) -> None:
        """Disable a user (no login, sessions ended); nobody disables themselves, so an admin
        cannot lock the last way in by mistake (another admin can, or the command line)."""
        if name.strip() == who.strip():
            raise InputError("you cannot disable yourself (another admin can)")
        self.store.disable_user(name, who)

    def list(self) -> list[UserRecord]:
        return self.store.users()

    def _existing(self, name: str) -> UserRecord:
        user = self.store.user(name)
        if user is None:
            raise InputError(f"no user {name!r} (see 'inspect user list')")
        return user

    # ----------------------------------------------------------------------------------
    # Logging in
    # ----------------------------------------------------------------------------------

    def throttled(self, name: str, address: str) -> bool:
        """True when too many logins failed lately for this user name or from this address."""
        keys = _keys(name, address)
        counts = self.store.login_failures(keys, time.time() - THROTTLE_WINDOW)
        return counts[keys[0]] >= THROTTLE_USER or counts[keys[1]] >= THROTTLE_ADDRESS

    def authenticate(self, name: str, password: str, address: str) -> UserRecord | None:
        """The user, if the name and password are right and the account is enabled; else None,
        after the same work (one Argon2 verification) whichever was wrong. A failure counts
        towards the throttle of the name and the address."""
        user = self.store.user(name)
        if user is None or user.disabled:
            verify_password(_dummy_hash(), password)
            ok = False
        else:
            ok = verify_password(user.password_hash, password)
        if not ok:
            self.store.record_login_failure(_keys(name, address), time.time())
            return None
        assert user is not None
        self.store.clear_login_failures(_keys(name, address)[0])
        self.store.forget_login_failures(time.time() - THROTTLE_WINDOW)
        if _hasher().check_needs_rehash(user.password_hash):
            self.store.set_password_hash(name, hash_password(password), "rehash at login")
        return user
