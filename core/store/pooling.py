"""The whole store at once: whether each inspection can be rated, and the "all providers"
comparator pooled from the others, from a few queries over every inspection instead of
rating each one in turn (issue 16: a report in a store of 1,000 inspections must not re-rate
the store).

:func:`store_readiness` gives what :meth:`.readiness.ReadinessService.readiness` says of each
inspection (can it be rated?), from one query per table. :func:`pooled_comparator` pools the
key questions of the other inspections that can be rated: from the figures the store keeps
for each (``pooled_figures``: valid while the inspection's newest audit entry and the digest
of its rules are unchanged), the missing or stale ones worked out from one aggregate query
over their summary judgements, rated from those counts and kept. A key question's figure is
its "yes" summary judgements over the cases holding one (:mod:`..inspection.tally`), so
counting only the summary judgements gives the same figures as rating every inspection in
full (tests/test_pooling.py compares them).
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Iterable

import structlog
from sqlalchemy import case, delete, func, insert, select
from sqlalchemy.exc import SQLAlchemyError

from ..catalogue.records import RatedBy
from ..errors import HmipError, InputError, Problems
from ..inspection.cases import Case, LazyCases
from ..inspection.folder import Inspection, InspectionInfo, check_ready, profile_standards
from ..inspection.judgements import Judgements
from ..inspection.tally import Tallies
from . import schema as t
from .base import StoreBase
from .engine import BUSY_TIMEOUT_MS
from .records import (
    COMPLETE,
    ProfileSnapshot,
    answer_counts,
    excluded_cases,
    guarded,
    info_of,
    judgement_of,
    moderation_of,
    narrative_of,
    panel_decision_of,
)

log = structlog.get_logger(__name__)

#: How long (ms) keeping pooled figures waits for a lock another command holds.
KEEP_WAIT_MS = 200

if TYPE_CHECKING:
    from ..catalogue.records import Standard
    from ..inspection.comparators import Comparator
    from ..profiles.profile import Profile
    from ..session import Session


@dataclass(frozen=True)
class StoredFacts:
    """What the store holds about one inspection that decides whether it can be rated."""

    name: str
    info: InspectionInfo
    locked: bool
    snapshot: ProfileSnapshot | None
    judgements: Judgements
    unfinished: bool                   #: a case is still being captured
    samples: dict[str, int]            #: sample -> cases counted (not excluded)
    left_out: tuple[Case, ...]         #: the excluded cases (without their answers)


@dataclass(frozen=True)
class PoolRow:
    """One inspection as :meth:`StoreBulkReads.pool_rows` gives it."""

    pk: int
    name: str
    profile: str
    synthetic: bool
    snapshot: ProfileSnapshot | None
    version: int                                    #: its newest audit entry's id
    kept: tuple[int, str, dict] | None              #: (version, rules, figures) kept, if any


class StoreBulkReads(StoreBase):
    """Reads over every inspection of the store at once (one query per table)."""

    @guarded
    def facts(self, names: Iterable[str] | None = None) -> dict[str, StoredFacts]:
        """Name -> :class:`StoredFacts`, for every inspection (or those named)."""
        wanted = set(names) if names is not None else None
        c = t.inspected_case
        with self._reading() as db:
            rows = {row.id: row for row in db.execute(select(t.inspection))
                    if wanted is None or row.name in wanted}
            judged: dict[int, list[list]] = {pk: [[], [], []] for pk in rows}
            for kind, (table, record) in enumerate(((t.judgement, judgement_of), (t.moderation, moderation_of),
                                                    (t.panel_decision, panel_decision_of))):
                for r in db.execute(select(table).order_by(table.c.standard)):
                    if r.inspection_id in judged:
                        judged[r.inspection_id][kind].append(record(r))
            unfinished: set[int] = set()
            samples: dict[int, dict[str, int]] = {pk: {} for pk in rows}
            any_excluded = func.max(case((c.c.excluded == "", 0), else_=1))
            for pk, sample, status, excluded, number in db.execute(
                    select(c.c.inspection_id, c.c.sample, c.c.status, any_excluded, func.count())
                    .group_by(c.c.inspection_id, c.c.sample, c.c.status, c.c.excluded == "")):
                if pk not in rows:
                    continue
                if status != COMPLETE:
                    unfinished.add(pk)
                if not excluded:
                    samples[pk][sample] = samples[pk].get(sample, 0) + number
            left_out = excluded_cases(db, rows if wanted is not None else None)
        return {row.name: StoredFacts(
                    row.name, info_of(row), bool(row.locked), ProfileSnapshot.from_dict(row.profile_snapshot),
                    Judgements(tuple(judged[pk][0]), tuple(judged[pk][1]), tuple(judged[pk][2]),
                               *narrative_of(row.details)),
                    pk in unfinished, {s: n for s, n in samples[pk].items() if n},
                    tuple(left_out.get(pk, ())))
                for pk, row in rows.items()}

    @guarded
    def pool_rows(self) -> list[PoolRow]:
        """Every inspection as a pooled comparator needs it: its profile, whether it is
        synthetic, its recorded profile, its version (newest audit entry) and the figures kept
        for it, if any (:data:`.schema.pooled_figures`)."""
        i, a, p = t.inspection, t.audit, t.pooled_figures
        with self._reading() as db:
            versions = dict(db.execute(select(a.c.inspection_id, func.max(a.c.id))
                                       .group_by(a.c.inspection_id)).all())
            kept = {r.inspection_id: (r.version, r.rules, r.figures) for r in db.execute(select(p))}
            return [PoolRow(r.id, r.name, r.profile, bool(r.synthetic),
                            ProfileSnapshot.from_dict(r.profile_snapshot), versions.get(r.id, 0),
                            kept.get(r.id))
                    for r in db.execute(select(i.c.id, i.c.name, i.c.profile, i.c.synthetic,
                                               i.c.profile_snapshot).order_by(i.c.name))]

    def keep_pooled(self, rows: list[tuple[int, int, str, dict]]) -> None:
        """Keep figures worked out for a pooled comparator ((inspection id, version, rules,
        figures) each). Derived data: if the store cannot take them now (read-only, busy, a
        concurrent report kept them first), they are worked out again next time."""
        if not rows:
            return
        p = t.pooled_figures
        sqlite = self.engine.dialect.name == "sqlite"
        try:
            with self.engine.connect() as connection:
                # SQLite: a report does not wait for another command's write lock (set on the
                # driver's connection: a statement through SQLAlchemy would begin a transaction)
                raw = connection.connection.driver_connection if sqlite else None
                if raw is not None:
                    raw.execute(f"PRAGMA busy_timeout={KEEP_WAIT_MS}")
                try:
                    with connection.begin():
                        if not sqlite:  # nor, on PostgreSQL, for another report keeping the same
                            connection.exec_driver_sql(f"SET LOCAL lock_timeout = {KEEP_WAIT_MS}")
                        connection.execute(delete(p).where(p.c.inspection_id.in_([row[0] for row in rows])))
                        connection.execute(insert(p), [dict(inspection_id=pk, version=version, rules=rules,
                                                            figures=figures)
                                                       for pk, version, rules, figures in rows])
                finally:
                    if raw is not None:
                        raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        except SQLAlchemyError as exc:
            log.debug("pooled figures not kept", error=type(exc).__name__)

    @guarded
    def summary_counts(self, names: Iterable[str], question_ids: Iterable[str]
                       ) -> dict[str, list[tuple[str, str, int]]]:
        """Name -> (question, answer, number of cases) for the given questions of the named
        inspections, excluded cases left out: one aggregate query over them all."""
        with self._reading() as db:
            ids = dict(db.execute(select(t.inspection.c.id, t.inspection.c.name)
                                  .where(t.inspection.c.name.in_(list(names)))).all())
            if not ids:
                return {}
            counts = answer_counts(db, ids, question_ids)
        return {name: counts.get(pk, []) for pk, name in ids.items()}


@dataclass
class _Rules:
    """A profile as an inspection records it, with its standards: worked out once per distinct
    snapshot, however many inspections share it."""

    profile: Profile
    standards: list[Standard]
    session: Session

    @functools.cached_property
    def digest(self) -> str:
        """What a rating depends on besides the inspection's own data: the resolved profile,
        and the versions of hmip-inspect and of the plugins that contribute its standards."""
        from ..profiles.reader import profile_to_toml
        from .snapshots import plugin_versions
        text = json.dumps([profile_to_toml(self.profile), plugin_versions(self.session, self.profile)],
                          sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


def _rules(session: Session, name: str, profile_name: str, snapshot: ProfileSnapshot | None,
           cache: dict[str, _Rules]) -> _Rules:
    """The profile ``Fieldwork`` would rate the inspection with: its snapshot, else (imported
    before snapshots were kept) the current profile of that name."""
    key = snapshot.toml if snapshot is not None else "\x00" + profile_name
    found = cache.get(key)
    if found is None:
        if snapshot is not None:
            profile = session.profile_from_text(snapshot.toml, f"the profile of inspection {name!r} as recorded")
        else:
            profile = session.profile(profile_name)
        found = cache[key] = _Rules(profile, profile_standards(profile, session.catalogue), session)
    return found


def _ready(facts: StoredFacts, rules: _Rules) -> bool:
    """Whether :meth:`ReadinessService.readiness` finds nothing in the way (no case still being
    captured; every judgement; cases in every rated sample)."""
    if facts.unfinished:
        return False
    problems = Problems()
    check_ready(facts.judgements, set(facts.samples), rules.standards, rules.profile, problems,
                f"inspection {facts.name!r}")
    return not problems


#: State of an inspection whose profile or plugin cannot be loaded (``inspect inspections``).
UNKNOWN = "unknown (its profile cannot be loaded)"


def store_readiness(store, session: Session) -> dict[str, bool | str]:
    """Name -> whether each inspection can be rated (True / False), or :data:`UNKNOWN`, from
    the store read once; what ``Fieldwork(...).readiness()`` says of each, without building
    each one's fieldwork services."""
    cache: dict[str, _Rules] = {}
    out: dict[str, bool | str] = {}
    for name, facts in store.facts().items():
        try:
            out[name] = _ready(facts, _rules(session, name, facts.info.profile, facts.snapshot, cache))
        except InputError:
            out[name] = False
        except HmipError:
            out[name] = UNKNOWN
    return out


def pooled_comparator(store, session: Session, name: str, info: InspectionInfo
                      ) -> tuple[Comparator | None, str]:
    """(comparator, note): the store's other inspections of ``info``'s profile that can be
    rated, pooled like with like: a real inspection pools only real ones, a synthetic one only
    synthetic ones (and says so). Fewer than two: no comparator, and the note says why,
    rather than compare with a single other inspection.

    Each candidate counts as ``Fieldwork.rate`` rates it (its recorded profile, judgements and
    decisions, the plugins' adjustments; a refused rating is left out). Its figures are those
    the store keeps for it where they are as new as the inspection and its rules; the others
    are worked out from one aggregate query over their summary judgements, and kept.
    """
    from ..inspection.comparators import comparator_from_figures

    synthetic = bool(info.synthetic)
    kind = "synthetic " if synthetic else ""
    cache: dict[str, _Rules] = {}
    candidates: list[tuple[PoolRow, _Rules]] = []
    for row in store.pool_rows():
        if row.name == name or row.profile != info.profile:
            continue
        rules = _rules(session, row.name, row.profile, row.snapshot, cache)
        if row.synthetic != synthetic:
            continue            # like with like: real and synthetic figures never pool
        candidates.append((row, rules))
    figures: dict[str, dict] = {row.name: row.kept[2] for row, rules in candidates
                                if row.kept is not None and row.kept[:2] == (row.version, rules.digest)}
    stale = [(row, rules) for row, rules in candidates if row.name not in figures]
    if stale:
        worked_out = _work_out(store, session, stale)
        store.keep_pooled([(row.pk, row.version, rules.digest, worked_out[row.name]) for row, rules in stale])
        figures.update(worked_out)
    pooled = [(row.name, figures[row.name]) for row, _ in candidates if figures[row.name]["rated"]]
    names = [n for n, _ in pooled]
    if len(pooled) < 2:
        found = "only one other" if pooled else "no other"
        return None, (f"no comparator: {found} {kind}{info.profile} inspection in the store "
                      "can be rated" + ("; one inspection is not a comparator" if pooled else ""))
    if synthetic:
        label = (f"All synthetic inspections in the store ({len(pooled)} inspections; "
                 "synthetic data, pooled only with synthetic inspections)")
    else:
        label = f"All providers in the store ({len(pooled)} inspections)"
    comparator = comparator_from_figures(
        [(f["profile"], {kq: tuple(counts) for kq, counts in f["key_questions"]}) for _, f in pooled], label)
    return replace(comparator, inspections=tuple(names)), f"comparator: {label}: {', '.join(names)}"


def _work_out(store, session: Session, stale: list[tuple[PoolRow, _Rules]]) -> dict[str, dict]:
    """Name -> figures of each inspection of ``stale``: rated (its readiness, then ``rate``)
    from the counts of its summary judgements, read for all of them in one aggregate query.
    ``{"rated": false}`` for one that cannot be rated or whose rating is refused."""
    from ..inspection.comparators import key_question_counts
    from ..rating.rate import rate

    facts = store.facts(row.name for row, _ in stale)
    ready = []
    out: dict[str, dict] = {}
    for row, rules in stale:
        try:
            if _ready(facts[row.name], rules):
                ready.append((facts[row.name], rules))
                continue
        except InputError:
            pass
        out[row.name] = {"rated": False}
    questions = {kq.id for _, rules in ready for standard in rules.standards
                 if standard.rated_by is RatedBy.CASES for kq in standard.key_questions}
    counts = store.summary_counts([f.name for f, _ in ready], questions)
    for found, rules in ready:
        inspection = Inspection(None, found.info, LazyCases(functools.partial(store.cases, found.name)),
                                found.judgements, counts=Tallies.from_rows(counts[found.name], found.samples),
                                left_out=found.left_out)
        try:
            result = rate(inspection, rules.profile, session.catalogue, session.pm)
        except InputError:      # its rating is refused: not a finished figure to compare with
            out[found.name] = {"rated": False}
            continue
        # a list of pairs keeps the framework order through JSON
        out[found.name] = {"rated": True, "profile": result.profile,
                           "key_questions": [[kq, list(c)] for kq, c in key_question_counts(result).items()]}
    return out


def ready_inspections(store, session: Session) -> list[dict[str, Any]]:
    """Every stored inspection: profile, provider, cases complete of all, state, last change
    (``inspect inspections``), the states from :func:`store_readiness`."""
    from .progress import IN_FIELDWORK, READY, SIGNED_OFF

    counts = store.overview()
    ready = store_readiness(store, session)
    out = []
    for item in store.inspections():
        complete, total, changed = counts.get(item.name, (0, 0, ""))
        if item.locked:
            state = SIGNED_OFF
        else:
            found = ready.get(item.name, False)
            state = found if isinstance(found, str) else READY if found else IN_FIELDWORK
        out.append({"name": item.name, "profile": item.profile, "provider": item.provider,
                    "complete": complete, "cases": total, "state": state, "last_change": changed})
    return out
