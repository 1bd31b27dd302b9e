"""The store's lock policy: a signed-off inspection is locked until it is unlocked with a
reason; on PostgreSQL an edit holds its inspection's row for share (sign-off waits for it) and
its case's row for update, a change to the inspection itself holds the row for update.
Sign-off and unlock write their audit entry before changing the lock state (a database
trigger refuses the change otherwise)."""

from __future__ import annotations

from sqlalchemy import Connection, and_, func, select, update

from ..errors import InputError
from . import schema as t
from .base import StoreBase
from .records import audit, guarded


class LockPolicy(StoreBase):
    @guarded
    def ensure_writable(self, name: str) -> None:
        """Refuse, before any work, when the inspection is signed off (and say by whom)."""
        with self._reading() as db:
            self._writable(db, name, lock=False)

    @guarded
    def sign_off(self, name: str, who: str, reason: str = "", *, checked_at: int | None = None) -> None:
        """Lock the inspection. ``checked_at`` is :meth:`version` when its readiness was
        checked: a change made since then refuses the sign-off (check again)."""
        with self.engine.begin() as db:
            row = self._inspection(db, name, lock=True)
            if row.locked:
                raise InputError(f"inspection {name!r} is already signed off")
            if checked_at is not None:
                latest = db.execute(select(func.coalesce(func.max(t.audit.c.id), 0))
                                    .where(t.audit.c.inspection_id == row.id)).scalar_one()
                if latest != checked_at:
                    raise InputError(f"inspection {name!r} changed while it was being checked for "
                                     "sign-off; nothing was signed off: sign off again")
            audit(db, row.id, who, "sign-off", old="open", new="locked", reason=reason)
            db.execute(update(t.inspection).where(t.inspection.c.id == row.id).values(locked=True))

    @guarded
    def unlock(self, name: str, who: str, reason: str) -> None:
        if not reason.strip():
            raise InputError("unlocking a signed-off inspection needs a reason (--reason)")
        with self.engine.begin() as db:
            row = self._inspection(db, name, lock=True)
            if not row.locked:
                raise InputError(f"inspection {name!r} is not signed off")
            audit(db, row.id, who, "unlock", old="locked", new="open", reason=reason)
            db.execute(update(t.inspection).where(t.inspection.c.id == row.id).values(locked=False))

    def _writable(self, db: Connection, name: str, *, exclusive: bool = False, lock: bool = True) -> int:
        """The inspection's id, refusing an edit once it is signed off. On PostgreSQL its row is
        locked for share (edits of different cases go on together; sign-off waits for them),
        or for update where the change is to the inspection itself (``exclusive``)."""
        query = select(t.inspection).where(t.inspection.c.name == name)
        if self.dialect == "postgresql" and lock:
            query = query.with_for_update(read=not exclusive)
        row = self._kept(("writable", name, exclusive, lock), lambda: db.execute(query).first()) \
            or self._inspection(db, name)
        if row.locked:
            signed = self._signed_off_by(db, row.id)
            by = f" by {signed[0]} at {signed[1]}" if signed else ""
            raise InputError(f"inspection {name!r} was signed off{by} and is locked; "
                             "'inspect unlock' it with a reason before editing")
        return row.id

    @guarded
    def signed_off(self, name: str) -> tuple[str, str] | None:
        """(who, when) of the sign-off that locks the inspection; None while it is open."""
        with self._reading() as db:
            row = self._inspection(db, name)
            return self._signed_off_by(db, row.id) if row.locked else None

    def _signed_off_by(self, db: Connection, inspection_id: int) -> tuple[str, str] | None:
        """The newest sign-off in the audit (the lock trigger makes it the one that locked)."""
        signed = db.execute(select(t.audit.c.who, t.audit.c.at).where(and_(
            t.audit.c.inspection_id == inspection_id, t.audit.c.action == "sign-off"))
            .order_by(t.audit.c.id.desc())).first()
        return (signed.who, signed.at) if signed else None

    def _case_row(self, db: Connection, inspection_id: int, case_id: str, *, lock: bool = False):
        query = select(t.inspected_case).where(and_(t.inspected_case.c.inspection_id == inspection_id,
                                                    t.inspected_case.c.case_id == case_id))
        if lock and self.dialect == "postgresql":
            query = query.with_for_update()
        row = self._kept(("case_row", inspection_id, case_id, lock), lambda: db.execute(query).first())
        if row is None:
            raise InputError(f"no case {case_id!r} in this inspection")
        return row
