"""The all-providers comparator and the store overview, worked out from the store read once
(issue 16), give what rating each stored inspection in turn gave."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest
from conftest import EXAMPLE
from hmip_inspect.core.errors import HmipError, InputError
from hmip_inspect.core.inspection.comparators import comparator_from_results
from hmip_inspect.core.store.fieldwork import Fieldwork, import_folder
from hmip_inspect.core.store.pooling import pooled_comparator
from hmip_inspect.core.store.progress import IN_FIELDWORK, READY, SIGNED_OFF, inspections_overview


def _variant(tmp_path, name: str, *, drop: int = 0, synthetic: bool = True, judgements: bool = True):
    """A copy of the CRC example with the first ``drop`` domain-two cases left out."""
    folder = tmp_path / name
    shutil.copytree(EXAMPLE, folder)
    if drop:
        path = folder / "cases" / "domain2.csv"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(lines[:1] + lines[1 + drop:]), encoding="utf-8")
    if not synthetic:
        info = folder / "inspection.toml"
        info.write_text(info.read_text().replace("synthetic = true", "synthetic = false"))
    if not judgements:
        (folder / "judgements.toml").write_text("", encoding="utf-8")
    return folder


def _rated_one_by_one(store, session, name):
    """The computation the pooled comparator replaced: every other inspection of the profile,
    like with like, rated through its own fieldwork services; refused ones left out."""
    me = Fieldwork(store, name, session)
    names, results = [], []
    for other in store.inspections():
        if other.name == name or other.profile != me.info.profile:
            continue
        fieldwork = Fieldwork(store, other.name, session)
        if bool(fieldwork.info.synthetic) != bool(me.info.synthetic):
            continue
        try:
            results.append(fieldwork.rate()[2])
        except InputError:
            continue
        names.append(other.name)
    return names, results


@pytest.fixture
def several(store, session, tmp_path):
    """Eight CRC inspections: different case counts, one real, one without judgements, one
    with a case still being captured, one with an excluded case, one signed off."""
    for name, drop, synthetic, judged in (("a", 0, True, True), ("b", 5, True, True),
                                          ("c", 17, True, True), ("d", 3, False, True),
                                          ("e", 0, True, False), ("f", 9, True, True),
                                          ("g", 30, True, True), ("h", 2, True, True)):
        import_folder(store, session, _variant(tmp_path, name, drop=drop, synthetic=synthetic,
                                               judgements=judged), name, "importer")
    store.start_case("f", "NEW-1", "domain2", {"gender": "male"}, "inspector")       # unfinished
    case, _ = store.case("g", store.cases("g")[0].case_id)
    store.finish_case("g", case.case_id, "complete", "transferred out", "inspector")  # excluded
    store.record_answer("h", store.cases("h")[1].case_id, "2.1.1", "no", "inspector")
    Fieldwork(store, "b", session).sign_off("lead")
    return store


def test_the_pooled_comparator_equals_rating_every_other_inspection(several, session):
    for name in ("a", "c", "d", "g"):
        names, results = _rated_one_by_one(several, session, name)
        pooled, note = pooled_comparator(several, session, name, several.info(name))
        if len(results) < 2:
            assert pooled is None and "no comparator" in note
            continue
        expected = replace(comparator_from_results(results, pooled.label), inspections=tuple(names))
        assert pooled == expected
        assert pooled.key_questions and note.endswith(", ".join(names))
    pooled, _ = pooled_comparator(several, session, "a", several.info("a"))
    # Not e (no judgements), f (a case in capture), d (real); c and g: their rating is refused
    # (the example's panel decision on 2.2 is no longer within the window with fewer cases).
    assert pooled is not None and set(pooled.inspections) == {"b", "h"}


def test_the_fieldwork_services_pool_the_same_way(several, session):
    pooled, note = Fieldwork(several, "a", session).pooled_comparator()
    assert (pooled, note) == pooled_comparator(several, session, "a", several.info("a"))


def test_the_overview_states_equal_each_inspections_readiness(several, session):
    rows = {row["name"]: row for row in inspections_overview(several, session)}
    assert sorted(rows) == list("abcdefgh")
    for name, row in rows.items():
        if name == "b":
            assert row["state"] == SIGNED_OFF
            continue
        try:
            expected = IN_FIELDWORK if Fieldwork(several, name, session).readiness() else READY
        except HmipError:
            expected = "?"
        assert row["state"] == expected, name
    assert rows["e"]["state"] == rows["f"]["state"] == IN_FIELDWORK and rows["a"]["state"] == READY


def _kept(store):
    from hmip_inspect.core.store import schema as t
    from sqlalchemy import select
    with store._reading() as db:
        return {pk: (version, rules, figures) for pk, version, rules, figures in db.execute(select(t.pooled_figures))}


def test_the_figures_are_kept_and_worked_out_again_when_an_inspection_changes(several, session):
    from hmip_inspect.core.store import schema as t
    from sqlalchemy import update
    first, _ = pooled_comparator(several, session, "a", several.info("a"))
    kept = _kept(several)
    assert len(kept) == 6          # b..h less d (real): every synthetic candidate, rated or not
    again, _ = pooled_comparator(several, session, "a", several.info("a"))
    assert again == first and _kept(several) == kept                    # read, not worked out
    # The kept figures are what is pooled while the inspection is unchanged ...
    name = "h"                     # rated, not signed off
    pk = _pk(several, name)
    figures = dict(kept[pk][2])
    assert figures["rated"]
    figures["key_questions"] = [[kq, [0, c[1]]] for kq, c in figures["key_questions"]]
    with several.engine.begin() as db:
        db.execute(update(t.pooled_figures).where(t.pooled_figures.c.inspection_id == pk).values(figures=figures))
    assert pooled_comparator(several, session, "a", several.info("a"))[0] != first
    # ... and worked out again once it changes (its audit moves on), as rating it gives.
    case = several.cases(name)[2]
    flipped = "no" if case.answer("2.1.1") == "yes" else "yes"
    several.record_answer(name, case.case_id, "2.1.1", flipped, "inspector", reason="second look")
    names, results = _rated_one_by_one(several, session, "a")
    pooled, _ = pooled_comparator(several, session, "a", several.info("a"))
    assert pooled == replace(comparator_from_results(results, pooled.label), inspections=tuple(names))
    assert pooled != first


def test_figures_kept_under_other_rules_are_not_used(several, session):
    from hmip_inspect.core.store import schema as t
    from sqlalchemy import update
    first, _ = pooled_comparator(several, session, "a", several.info("a"))
    with several.engine.begin() as db:     # as if rated under another profile or plugin version
        db.execute(update(t.pooled_figures).values(rules="0" * 64, figures={"rated": False}))
    assert pooled_comparator(several, session, "a", several.info("a"))[0] == first
    assert {rules for _, rules, _ in _kept(several).values()} != {"0" * 64}


def _pk(store, name):
    from hmip_inspect.core.store import schema as t
    from sqlalchemy import select
    with store.engine.begin() as db:
        return db.execute(select(t.inspection.c.id).where(t.inspection.c.name == name)).scalar_one()


def test_a_report_does_not_wait_for_another_writer_to_keep_its_figures(several, session, store_url):
    """While another command holds a lock keeping the figures would wait for (SQLite: the write
    lock; PostgreSQL: a row of the same inspection being kept), the figures are pooled all
    the same and simply not kept; they are kept next time."""
    from hmip_inspect.core.store import schema as t
    from sqlalchemy import insert
    held = several.engine.connect()
    transaction = held.begin()           # SQLite: BEGIN IMMEDIATE, the write lock
    if several.dialect == "postgresql":
        held.execute(insert(t.pooled_figures).values(inspection_id=_pk(several, "h"), version=0,
                                                      rules="", figures={"rated": False}))
    try:
        names, results = _rated_one_by_one(several, session, "a")
        pooled, _ = pooled_comparator(several, session, "a", several.info("a"))
        assert pooled == replace(comparator_from_results(results, pooled.label), inspections=tuple(names))
        assert _kept(several) == {}
    finally:
        transaction.rollback()
        held.close()
    assert pooled_comparator(several, session, "a", several.info("a"))[0] == pooled
    assert len(_kept(several)) == 6
