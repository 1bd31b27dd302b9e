"""Reading the store: inspections, cases, answer counts aggregated by the database,
judgements, the audit trail. Every read is one read-only transaction."""

from __future__ import annotations

import functools
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from sqlalchemy import Connection, func, select

from ..errors import InputError, Problem
from ..inspection.cases import Case, LazyCases
from ..inspection.folder import Inspection, InspectionInfo
from ..inspection.judgements import Judgements
from ..inspection.tally import Tallies
from . import schema as t
from .base import StoreBase
from .records import (
    COMPLETE,
    AuditEntry,
    ProfileSnapshot,
    StoredSummary,
    answer_counts,
    case_of,
    excluded_cases,
    guarded,
    info_of,
    judgement_of,
    moderation_of,
    narrative_of,
    panel_decision_of,
)


class StoreReads(StoreBase):
    if TYPE_CHECKING:  # from LockPolicy, beside this class in the composed Store
        def _case_row(self, db: Connection, inspection_id: int, case_id: str, *,
                      lock: bool = False) -> Any: ...

    @guarded
    def inspections(self) -> list[StoredSummary]:
        counts = (select(t.inspected_case.c.inspection_id, func.count().label("n"))
                  .group_by(t.inspected_case.c.inspection_id).subquery())
        query = (select(t.inspection, func.coalesce(counts.c.n, 0))
                 .outerjoin(counts, counts.c.inspection_id == t.inspection.c.id)
                 .order_by(t.inspection.c.name))
        with self._reading() as db:
            return [StoredSummary(r.name, r.provider, r.profile, r.locked, r[-1])
                    for r in db.execute(query)]

    @guarded
    def info(self, name: str) -> InspectionInfo:
        with self._reading() as db:
            return info_of(self._inspection(db, name))

    @guarded
    def case_ids(self, name: str) -> dict[str, str]:
        """Case id -> sample, for every case of the inspection."""
        with self._reading() as db:
            inspection_id = self._inspection(db, name).id
            rows = db.execute(select(t.inspected_case.c.case_id, t.inspected_case.c.sample)
                              .where(t.inspected_case.c.inspection_id == inspection_id))
            return {row.case_id: row.sample for row in rows}

    @guarded
    def case(self, name: str, case_id: str) -> tuple[Case, str]:
        """One case with its answers, and its capture status (read once per unit of work
        until something is written: :meth:`.base.StoreBase.unit`)."""
        def read() -> tuple[Case, str]:
            with self._reading() as db:
                inspection_id = self._inspection(db, name).id
                row = self._case_row(db, inspection_id, case_id)
            return case_of(row), row.status
        return self._kept(("case", name, case_id), read)

    @guarded
    def cases(self, name: str) -> list[Case]:
        """Every case of the inspection with its answers, in the order they were added."""
        with self._reading() as db:
            return list(self._cases(db, self._inspection(db, name).id))

    @guarded
    def cases_with_status(self, name: str) -> list[tuple[Case, str]]:
        """Every case of the inspection with its answers and its capture status."""
        with self._reading() as db:
            inspection_id = self._inspection(db, name).id
            status = dict(db.execute(select(t.inspected_case.c.case_id, t.inspected_case.c.status)
                                     .where(t.inspected_case.c.inspection_id == inspection_id)).all())
            return [(case, status[case.case_id]) for case in self._cases(db, inspection_id)]

    @guarded
    def sampling_record(self, name: str) -> dict[str, Any]:
        """The record ``inspect sample --name`` kept: seed, population digest, size per sample."""
        with self._reading() as db:
            return dict((self._inspection(db, name).details or {}).get("sampling") or {})

    @guarded
    def overview(self) -> dict[str, tuple[int, int, str]]:
        """Inspection name -> (cases complete, cases in all, when it last changed)."""
        c, a = t.inspected_case, t.audit
        with self._reading() as db:
            names = dict(db.execute(select(t.inspection.c.id, t.inspection.c.name)).all())
            totals: dict[int, list[int]] = {pk: [0, 0] for pk in names}
            for pk, status, number in db.execute(select(c.c.inspection_id, c.c.status, func.count())
                                                 .group_by(c.c.inspection_id, c.c.status)):
                totals[pk][1] += number
                if status == COMPLETE:
                    totals[pk][0] += number
            changed = dict(db.execute(select(a.c.inspection_id, func.max(a.c.at))
                                      .group_by(a.c.inspection_id)).all())
            return {name: (totals[pk][0], totals[pk][1], changed.get(pk) or "")
                    for pk, name in names.items()}

    @guarded
    def unfinished(self, name: str) -> dict[str, str]:
        """Case id -> sample, for the cases still being captured."""
        c = t.inspected_case
        with self._reading() as db:
            inspection_id = self._inspection(db, name).id
            return dict(db.execute(select(c.c.case_id, c.c.sample).where(
                c.c.inspection_id == inspection_id, c.c.status != COMPLETE).order_by(c.c.case_id)).all())

    @guarded
    def load(self, name: str, *, with_cases: bool = True) -> Inspection:
        """The inspection, ready to rate: its judgements, answer counts and (optionally) cases.

        Answer counts are aggregated by the database. Cases still being captured are
        refused, each named, since the rating needs every summary judgement.
        """
        with self._reading() as db:
            row = self._inspection(db, name)
            [inspection] = self._ready(db, {row.id: row}).values()
            if with_cases:
                inspection = replace(inspection, cases=tuple(self._cases(db, row.id)), left_out=None)
        return inspection

    @guarded
    def load_all(self, names: Iterable[str] | None = None) -> dict[str, Inspection]:
        """Every inspection (or those named), ready to rate, without their cases: the answer
        counts of all of them come from one aggregate query. Cases in progress are refused."""
        wanted = set(names) if names is not None else None
        with self._reading() as db:
            rows = {row.id: row for row in db.execute(select(t.inspection))
                    if wanted is None or row.name in wanted}
            return self._ready(db, rows)

    def _ready(self, db: Connection, rows: dict[int, Any]) -> dict[str, Inspection]:
        """The inspections of ``rows`` (id -> inspection row) ready to rate, without cases:
        judgements, answer counts aggregated in one query, excluded cases."""
        c = t.inspected_case
        mine = c.c.inspection_id.in_(list(rows))
        unfinished: dict[int, list[str]] = {}
        for inspection_id, case_id in db.execute(select(c.c.inspection_id, c.c.case_id)
                                                 .where(mine, c.c.status != COMPLETE)):
            unfinished.setdefault(inspection_id, []).append(case_id)
        if unfinished:
            raise InputError([Problem(f"inspection {rows[pk].name!r}",
                                      f"case(s) {', '.join(sorted(ids))} are still being captured "
                                      "(finish them with 'inspect case edit')")
                              for pk, ids in sorted(unfinished.items())],
                             summary="cannot be rated yet")
        counts = answer_counts(db, rows)
        samples: dict[int, dict[str, int]] = {}
        for inspection_id, sample, number in db.execute(
                select(c.c.inspection_id, c.c.sample, func.count()).where(mine, c.c.excluded == "")
                .group_by(c.c.inspection_id, c.c.sample)):
            samples.setdefault(inspection_id, {})[sample] = number
        left_out = excluded_cases(db, rows)
        # Plugins see the cases as they would from a folder, read only if one looks at them.
        return {row.name: Inspection(None, info_of(row), LazyCases(functools.partial(self.cases, row.name)),
                                     self._judgements(db, pk),
                                     counts=Tallies.from_rows(counts.get(pk, []), samples.get(pk, {})),
                                     left_out=tuple(left_out.get(pk, ())))
                for pk, row in rows.items()}

    def _cases(self, db: Connection, inspection_id: int) -> Iterator[Case]:
        c = t.inspected_case
        for row in db.execute(select(c).where(c.c.inspection_id == inspection_id).order_by(c.c.id)):
            yield case_of(row)

    @guarded
    def load_judgements(self, name: str) -> Judgements:
        """The inspection's judgements, moderations and panel decisions."""
        with self._reading() as db:
            return self._judgements(db, self._inspection(db, name).id)

    def _judgements(self, db: Connection, inspection_id: int) -> Judgements:
        return Judgements(
            tuple(judgement_of(r)
                  for r in db.execute(select(t.judgement).where(t.judgement.c.inspection_id == inspection_id)
                                      .order_by(t.judgement.c.standard))),
            tuple(moderation_of(r)
                  for r in db.execute(select(t.moderation).where(t.moderation.c.inspection_id == inspection_id)
                                      .order_by(t.moderation.c.standard))),
            tuple(panel_decision_of(r)
                  for r in db.execute(select(t.panel_decision)
                                      .where(t.panel_decision.c.inspection_id == inspection_id)
                                      .order_by(t.panel_decision.c.standard))),
            *narrative_of(db.execute(select(t.inspection.c.details)
                                     .where(t.inspection.c.id == inspection_id)).scalar()),
        )

    @guarded
    def audit_trail(self, name: str, case_id: str | None = None) -> list[AuditEntry]:
        with self._reading() as db:
            inspection_id = self._inspection(db, name).id
            query = select(t.audit).where(t.audit.c.inspection_id == inspection_id)
            if case_id is not None:
                query = query.where(t.audit.c.case_id == case_id)
            return [AuditEntry(r.at, r.who, r.action, r.case_id, r.item, r.old, r.new, r.reason)
                    for r in db.execute(query.order_by(t.audit.c.id))]

    @guarded
    def version(self, name: str) -> int:
        """A number that grows with every change to the inspection (its newest audit entry)."""
        with self._reading() as db:
            inspection_id = self._inspection(db, name).id
            return db.execute(select(func.coalesce(func.max(t.audit.c.id), 0))
                              .where(t.audit.c.inspection_id == inspection_id)).scalar_one()

    @guarded
    def snapshot(self, name: str) -> ProfileSnapshot | None:
        """The profile the inspection is rated with (None: imported before snapshots were kept)."""
        with self._reading() as db:
            return ProfileSnapshot.from_dict(self._inspection(db, name).profile_snapshot)

    @guarded
    def snapshot_and_info(self, name: str) -> tuple[ProfileSnapshot | None, InspectionInfo]:
        """:meth:`snapshot` and :meth:`info` from one read of the inspection's row."""
        with self._reading() as db:
            row = self._inspection(db, name)
            return ProfileSnapshot.from_dict(row.profile_snapshot), info_of(row)
