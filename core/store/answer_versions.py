"""Optimistic concurrency for answers, and who is working on which case.

An answer's *version* is the id of the newest audit entry that changed it (0: never changed
since import). The web application's case page sends, with each answer it saves, the version
it showed; :meth:`.writes.StoreWrites.record_answer` refuses the save with :class:`StaleAnswer`
(naming the current value) when someone else changed that answer meanwhile, so nobody loses an
answer silently (issue 13, "A case").
"""

from __future__ import annotations

from sqlalchemy import Connection, and_, func, select

from ..errors import InputError
from . import schema as t
from .base import StoreBase
from .records import guarded


class StaleAnswer(InputError):
    """An answer changed since the version a save was based on."""

    def __init__(self, question_id: str, current: str, version: int) -> None:
        self.question_id, self.current, self.version = question_id, current, version
        super().__init__(f"{question_id}: changed by someone else since you opened the case; "
                         "not saved: check the current answer and save yours again if it is still right")


def answer_version(db: Connection, inspection_id: int, case_id: str, question_id: str) -> int:
    a = t.audit
    return int(db.execute(select(func.coalesce(func.max(a.c.id), 0)).where(and_(
        a.c.inspection_id == inspection_id, a.c.case_id == case_id, a.c.action == "answer",
        a.c.item == question_id))).scalar_one())


class FieldworkReads(StoreBase):
    @guarded
    def answer_versions(self, name: str, case_id: str) -> dict[str, int]:
        """Question id -> version of its answer, for the questions of the case changed since import."""
        a = t.audit
        with self._reading() as db:
            inspection_id = self._inspection(db, name).id
            return {item: int(version) for item, version in db.execute(
                select(a.c.item, func.max(a.c.id)).where(and_(
                    a.c.inspection_id == inspection_id, a.c.case_id == case_id, a.c.action == "answer"))
                .group_by(a.c.item))}

    @guarded
    def case_workers(self, name: str) -> dict[str, tuple[str, str]]:
        """Case id -> (who, when) of the newest change to the case: who is working on what."""
        a = t.audit
        with self._reading() as db:
            inspection_id = self._inspection(db, name).id
            newest = (select(a.c.case_id, func.max(a.c.id).label("id"))
                      .where(a.c.inspection_id == inspection_id, a.c.case_id.is_not(None))
                      .group_by(a.c.case_id).subquery())
            rows = db.execute(select(a.c.case_id, a.c.who, a.c.at).join(newest, newest.c.id == a.c.id))
            return {row.case_id: (row.who, row.at) for row in rows}
