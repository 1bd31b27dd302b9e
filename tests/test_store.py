"""The inspection store, run against SQLite and a real PostgreSQL server alike.

Every test taking ``store_url`` runs twice: on a SQLite file and on a fresh database of the
PostgreSQL server the session starts (tests/conftest.py).
"""

from __future__ import annotations

import json
import multiprocessing
import shutil
from pathlib import Path

import pytest
from hmip_inspect.core.errors import InputError, Problems
from hmip_inspect.core.store import schema as t
from hmip_inspect.core.store.database import database_url, open_store, shown
from hmip_inspect.core.store.engine import known_versions
from hmip_inspect.core.store.fieldwork import Fieldwork, import_folder
from sqlalchemy import inspect as sql_inspect
from sqlalchemy import select, text
from store_workers import write_answers

EXAMPLES = Path(__import__("hmip_inspect.plugins.profiles", fromlist=["x"]).__file__).parent / "examples"


def snapshot(store) -> dict[str, list]:
    """Every row of every table, to compare a store before and after."""
    with store.engine.begin() as db:
        return {table.name: sorted(map(repr, db.execute(select(table)).all()))
                for table in t.metadata.sorted_tables}


def rated(result) -> list[tuple]:
    return [(s.id, s.rating, tuple((k.id, k.yes, k.applicable) for k in s.key_questions))
            for s in result.standards] + [("overall", result.score, result.rating)]


# --------------------------------------------------------------------------------------
# Opening, migrations, rating from the store
# --------------------------------------------------------------------------------------


def test_database_urls():
    assert database_url("x/inspections.sqlite") == "sqlite:///x/inspections.sqlite"
    assert database_url("postgresql://me@db/hmip") == "postgresql+psycopg://me@db/hmip"
    assert database_url("sqlite:///a.db") == "sqlite:///a.db"


def test_a_new_store_is_migrated_to_the_latest_version(store_url):
    assert known_versions()[-1] == t.SCHEMA_VERSION      # the schema module names the newest migration
    first = open_store(store_url, create=True)
    with first.engine.begin() as db:
        assert db.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == t.SCHEMA_VERSION
        tables = set(sql_inspect(db).get_table_names())
    assert {table.name for table in t.metadata.sorted_tables} <= tables
    open_store(store_url).close()       # opening again migrates nothing and loses nothing
    first.close()


def test_stored_inspection_rates_like_its_folder(crc, session, example):
    _, _, from_folder = session.run("crc", example)
    _, stored, from_store = crc.rate()
    assert rated(from_store) == rated(from_folder)
    assert (from_store.score, from_store.rating.label) == (17, "Good")
    assert [a.rationale for s in from_store.standards for a in s.adjustments] == \
        [a.rationale for s in from_folder.standards for a in s.adjustments]
    assert stored.tallies.cases_in("domain2") == 100
    _, folder, _ = session.run("crc", example)           # a plugin sees the same cases both ways
    assert [(c.case_id, dict(c.attributes), dict(c.answers)) for c in stored.cases] == \
        [(c.case_id, dict(c.attributes), dict(c.answers)) for c in folder.cases]


def test_cli_run_from_the_store(inspect_cli, store_url, example):
    result = inspect_cli("import", example, "--db", store_url, "--name", "tv", "--user", "alice")
    assert result.exit_code == 0, result.stderr
    folder_json = json.loads(inspect_cli("run", "--inspection", example, "--format", "json").stdout)
    stored = inspect_cli("run", "--db", store_url, "--name", "tv", "--format", "json")
    assert stored.exit_code == 0, stored.stderr
    assert json.loads(stored.stdout)["standards"] == folder_json["standards"]
    listing = inspect_cli("inspections", "--db", store_url).stdout
    assert "tv" in listing and "149/149" in listing and "ready" in listing   # issue #11 columns


def test_importing_the_same_name_twice_is_refused(crc, example):
    with pytest.raises(InputError, match="already exists"):
        import_folder(crc.store, crc.session, example, "tv", "someone")


@pytest.mark.parametrize("profile", ["nps", "pdu", "yot"])
def test_every_profiles_example_round_trips(store, session, profile):
    folder = EXAMPLES / profile
    import_folder(store, session, folder, profile, "importer")
    _, _, from_store = Fieldwork(store, profile, session).rate()
    _, _, from_folder = session.run(profile, folder)
    assert rated(from_store) == rated(from_folder)
    assert from_store.excluded == from_folder.excluded


# --------------------------------------------------------------------------------------
# Import: validated first, all or nothing
# --------------------------------------------------------------------------------------


def test_an_invalid_folder_leaves_the_store_exactly_as_it_was(store, session, example, tmp_path):
    import_folder(store, session, EXAMPLES / "nps", "nps", "importer")
    before = snapshot(store)
    cases = example / "cases" / "domain2.csv"
    lines = cases.read_text().splitlines()
    lines[1] = lines[1].replace(",yes,", ",maybe,", 1)
    lines.append(lines[2])                                  # a duplicate case id
    cases.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as caught:
        import_folder(store, session, example, "tv", "importer")
    text_ = str(caught.value)
    assert "cases/domain2.csv row 2" in text_ and "'maybe' is not allowed" in text_
    assert "duplicate case id" in text_
    assert snapshot(store) == before


def test_invalid_case_files_import_nothing_and_report_every_problem(crc, tmp_path):
    before = snapshot(crc.store)
    good = tmp_path / "more.json"
    good.write_text(json.dumps([{"case_id": "NEW-1", "sample": "upw", "2.1.1": "yes"}]))
    bad = tmp_path / "bad.csv"
    bad.write_text("case_id,sample,disposal,4.1.1,4.1.1.a\n"
                   "D2-001,upw,community,yes,yes\n"          # already in the store
                   "U-NEW,upw,community,perhaps,\n")
    with pytest.raises(InputError) as caught:
        crc.import_files([good, bad], "importer")
    problems = [str(p) for p in caught.value.problems]
    assert any("more.json record 1" in p and "belongs to the 'domain2' sample" in p for p in problems)
    assert any("bad.csv row 2, column 'case_id'" in p and "first in the store" in p for p in problems)
    assert any("bad.csv row 3, column '4.1.1'" in p and "'perhaps' is not allowed" in p for p in problems)
    assert snapshot(crc.store) == before


def test_xlsx_and_json_exports_import_back(crc, tmp_path, store_url):
    paths = {fmt: tmp_path / f"cases.{fmt}" for fmt in ("xlsx", "json")}
    from hmip_inspect.core.store.export import export_cases
    for fmt, path in paths.items():
        export_cases(crc, path, fmt)
    original = {c.case_id: (c.sample, dict(c.attributes), dict(c.answers)) for c in crc.store.cases("tv")}
    for fmt, path in paths.items():
        target = open_store(f"sqlite:///{tmp_path / f'{fmt}.sqlite'}", create=True)
        shutil.copytree(EXAMPLES / "crc", tmp_path / f"empty-{fmt}", ignore=shutil.ignore_patterns("cases"))
        import_folder(target, crc.session, tmp_path / f"empty-{fmt}", "copy", "importer")
        Fieldwork(target, "copy", crc.session).import_files([path], "importer")
        copied = {c.case_id: (c.sample, dict(c.attributes), dict(c.answers)) for c in target.cases("copy")}
        assert copied == original, fmt


def test_xlsx_problems_name_the_sheet_row_and_column(crc, tmp_path):
    from openpyxl import Workbook
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "unpaid work"
    sheet.append(["case_id", "sample", "disposal", "4.1.1"])
    sheet.append(["U-900", "upw", "community", "yes"])
    sheet.append(["U-901", "upw", "sometimes", "no"])
    workbook.save(tmp_path / "upw.xlsx")
    with pytest.raises(InputError) as caught:
        crc.import_files([tmp_path / "upw.xlsx"], "importer")
    problems = [str(p) for p in caught.value.problems]
    assert any(p.startswith("upw.xlsx [unpaid work] row 3, column 'disposal'") for p in problems)


# --------------------------------------------------------------------------------------
# Export in framework order
# --------------------------------------------------------------------------------------


def test_csv_export_follows_framework_order_with_ids_codes_or_labels(crc, tmp_path):
    from hmip_inspect.core.store.export import export_cases
    written = export_cases(crc, tmp_path / "ids", "csv")
    assert sorted(p.name for p in written) == ["domain2.csv", "ttg.csv", "upw.csv"]
    header = (tmp_path / "ids" / "domain2.csv").read_text().splitlines()[0].split(",")
    questions = header[header.index("2.1.1"):]
    assert questions[:8] == ["2.1.1", "2.1.1.a", "2.1.1.b", "A 1.02", "A 1.03", "2.1.1.b.i", "2.1.1.b.ii", "2.1.1.c"]
    assert questions[-1] == "2.4.3.d"
    export_cases(crc, tmp_path / "codes", "csv", headers="codes")
    coded = (tmp_path / "codes" / "domain2.csv").read_text().splitlines()[0].split(",")
    assert coded[coded.index("A 1 S"):][:2] == ["A 1 S", "A 1.01"]
    export_cases(crc, tmp_path / "labels.xlsx", "xlsx", headers="labels")
    assert not list(tmp_path.glob(".*.tmp"))
    with pytest.raises(InputError, match="--headers"):
        export_cases(crc, tmp_path / "x", "csv", headers="names")


# --------------------------------------------------------------------------------------
# Capture, audit, sign-off
# --------------------------------------------------------------------------------------


def test_answers_are_checked_and_every_change_is_audited(crc):
    with pytest.raises(InputError, match="'perhaps' is not allowed"):
        crc.answer("D2-001", "2.1.1.a", "perhaps", "bob")
    old = crc.store.case("tv", "D2-001")[0].answer("2.1.1.a")
    new = "no" if old == "yes" else "yes"
    crc.answer("D2-001", "2.1.1.a", new, "bob", reason="re-read the assessment")
    [entry] = [e for e in crc.store.audit_trail("tv", "D2-001")]
    assert (entry.who, entry.action, entry.item, entry.old, entry.new, entry.reason) == (
        "bob", "answer", "2.1.1.a", old, new, "re-read the assessment")
    low = next(c for c in crc.store.cases("tv") if c.attributes.get("rosh") == "low")
    with pytest.raises(InputError, match="does not apply to this case"):
        crc.answer(low.case_id, "2.1.3", "yes", "bob")


def test_the_audit_trail_is_append_only_in_the_database(crc):
    crc.answer("D2-002", "2.1.1.a", "no" if crc.store.case("tv", "D2-002")[0].answer("2.1.1.a") == "yes"
               else "yes", "bob")
    for statement in ("UPDATE audit SET who = 'mallory'", "DELETE FROM audit"):
        with pytest.raises(Exception, match="append-only"):
            with crc.store.engine.begin() as db:
                db.execute(text(statement))
    assert {e.who for e in crc.store.audit_trail("tv")} == {"importer", "bob"}


def test_decisions_are_checked_and_audited(crc):
    crc.decide("judgement", "1.1", "lead", "after the final meeting", rating="Outstanding",
               evidence="Synthetic evidence.")
    with pytest.raises(InputError, match="rated from its cases, not by judgement"):
        crc.decide("judgement", "2.1", "lead", "", rating="Good", evidence="x")
    with pytest.raises(InputError, match="a rationale is required"):
        crc.decide("panel", "2.3", "panel", "", direction="up", rationale="")
    entry = crc.store.audit_trail("tv")[-1]
    assert (entry.action, entry.item, entry.reason) == ("judgement", "1.1", "after the final meeting")
    assert "rating=Good" in entry.old and "rating=Outstanding" in entry.new
    _, _, result = crc.rate()
    assert next(s for s in result.standards if s.id == "1.1").rating.label == "Outstanding"


def test_sign_off_locks_until_unlocked_with_a_reason(crc, inspect_cli, store_url):
    assert inspect_cli("signoff", "--db", store_url, "--name", "tv", "--by", "panel chair").exit_code == 0
    with pytest.raises(InputError, match=r"signed off by panel chair .* and is locked"):
        crc.answer("D2-001", "2.1.1.a", "no", "bob")
    with pytest.raises(InputError, match="signed off"):
        crc.decide("panel", "2.3", "panel", "", direction="up", rationale="late")
    refused = inspect_cli("unlock", "--db", store_url, "--name", "tv", "--reason", " ")
    assert refused.exit_code == 1 and "needs a reason" in refused.stderr
    assert inspect_cli("unlock", "--db", store_url, "--name", "tv", "--reason", "typo in 2.1.1.a",
                       "--user", "chair").exit_code == 0
    crc.answer("D2-001", "2.1.1.a", "no", "bob", reason="typo")
    actions = [(e.action, e.who, e.reason) for e in crc.store.audit_trail("tv")][-3:]
    assert actions[0][:2] == ("sign-off", "panel chair")
    assert actions[1] == ("unlock", "chair", "typo in 2.1.1.a")
    shown = inspect_cli("audit", "--db", store_url, "--name", "tv").stdout
    assert "sign-off" in shown and "unlock" in shown and "(typo in 2.1.1.a)" in shown


def test_case_add_walks_the_questions_that_apply_and_can_be_resumed(crc, inspect_cli, store_url):
    base = ("case", "add", "U-100", "--db", store_url, "--name", "tv", "--sample", "upw",
            "--attribute", "disposal=community", "--user", "assessor")
    questions = crc.questions(crc.schema.make_case("x", "upw", {"disposal": "community"}, {}, "",
                                                   Problems(), complete=False))
    first = inspect_cli(*base, input="?\nmaybe\nyes\nq\n")
    assert first.exit_code == 0, first.stderr
    assert f"[1/{len(questions)}] 4.1.1.a" in first.stdout           # prompts first, summary last
    assert crc.schema.by_id["4.1.1.a"].question.guidance[:60] in first.stdout   # '?' shows guidance
    assert "not recorded: answer 'maybe' is not allowed" in first.stdout
    assert "Saved. Resume with: inspect case edit U-100" in first.stdout
    assert first.stdout.rstrip().endswith("--user assessor")     # the same identity resumes it
    case, status = crc.store.case("tv", "U-100")
    assert status == "in-progress" and len(case.answers) == 1
    # capture asks each key question's prompts, then its summary; U 3.4 and U 3.7 have their
    # own answer scales (issue 12)
    asked = [q for kq in dict.fromkeys(q.key_question.id for q in questions) for q in
             sorted((q for q in questions if q.key_question.id == kq), key=lambda q: q.question.id == kq)]
    answers = "\n".join("yes" if "yes" in q.question.answers else q.question.answers[0]
                        for q in asked[1:]) + "\n"
    second = inspect_cli("case", "edit", "U-100", "--db", store_url, "--name", "tv", input=answers)
    assert second.exit_code == 0, second.stderr
    assert "[2/" in second.stdout and "[1/" not in second.stdout       # resumed where it was left
    assert "case U-100 is complete" in second.stdout
    case, status = crc.store.case("tv", "U-100")
    assert status == "complete" and set(case.answers) == {q.question.id for q in questions}


def test_rating_waits_for_cases_in_progress(crc):
    crc.start("D2-999", "domain2", {"disposal": "community", "rosh": "low"}, "assessor")
    with pytest.raises(InputError, match="D2-999 are still being captured"):
        crc.rate()


def test_init_writes_a_skeleton_in_framework_order(inspect_cli, tmp_path, session):
    folder = tmp_path / "new"
    result = inspect_cli("init", folder, "--profile", "pdu", "--provider", "Example PDU (synthetic)")
    assert result.exit_code == 0, result.stderr
    header = (folder / "cases" / "domain2.csv").read_text().strip().split(",")
    assert header[:2] == ["case_id", "sample"]
    assert {"disposal", "harm_factors", "court_report"} <= set(header[2:header.index("2.1.1")])
    assert header[header.index("2.1.1"):][:3] == ["2.1.1", "CW 1.02", "CW 1.03"]
    assert sorted(p.name for p in (folder / "cases").iterdir()) == ["domain2.csv", "victims.csv"]
    assert "# [[judgement]]" in (folder / "judgements.toml").read_text()
    store = open_store(f"sqlite:///{tmp_path / 'new.sqlite'}", create=True)
    import_folder(store, session, folder, "new", "lead")         # an empty skeleton imports
    assert store.inspections()[0].cases == 0
    again = inspect_cli("init", folder, "--profile", "pdu")
    assert again.exit_code == 1 and "already holds files" in again.stderr


# --------------------------------------------------------------------------------------
# Several writers at once
# --------------------------------------------------------------------------------------


def test_several_writer_processes_lose_nothing(crc, store_url):
    cases = [c for c in crc.store.cases("tv") if c.sample == "domain2"][:40]
    flip = {"yes": "no", "no": "yes"}
    plans = {f"writer-{n}": [] for n in range(4)}
    expected = {}
    for index, case in enumerate(cases):
        writer = f"writer-{index % 4}"
        for question_id in ("2.1.1.a", "2.1.2.a", "2.2.1.c"):   # answered in every case
            value = flip[case.answer(question_id)]
            plans[writer].append((case.case_id, question_id, value))
            expected[(case.case_id, question_id)] = value
    contested = [(cases[0].case_id, "2.3.1.a", ("yes", "no")[(n + i) % 2]) for n in range(4) for i in range(5)]
    for n, writer in enumerate(plans):
        plans[writer] += [contested[n * 5 + i] for i in range(5)]
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        done = pool.starmap(write_answers, [(store_url, "tv", writer, writes) for writer, writes in plans.items()])
    assert sum(done) == sum(len(w) for w in plans.values())
    stored = {c.case_id: c for c in crc.store.cases("tv")}
    assert all(stored[case_id].answer(qid) == value for (case_id, qid), value in expected.items())
    trail = crc.store.audit_trail("tv")
    changed = [e for e in trail if e.action == "answer" and (e.case_id, e.item) in expected]
    assert len(changed) == len(expected)
    chain = [e for e in trail if (e.case_id, e.item) == (cases[0].case_id, "2.3.1.a")]
    assert all(later.old == earlier.new for earlier, later in zip(chain, chain[1:]))  # no lost update
    assert stored[cases[0].case_id].answer("2.3.1.a") == (chain[-1].new if chain else cases[0].answer("2.3.1.a"))


def test_writers_of_different_answers_of_one_case_lose_none(crc, store_url):
    """A case's answers are one value in its row (migration 0007): four processes changing
    different questions of the same case at once each change the answers as the last left
    them, so every change stays, and every other answer with it."""
    case = next(c for c in crc.store.cases("tv") if c.sample == "domain2")
    flip = {"yes": "no", "no": "yes"}
    questions = [q for q in case.answers if case.answer(q) in flip][:16]
    assert len(questions) == 16
    plans = {f"writer-{n}": [(case.case_id, q, flip[case.answer(q)]) for q in questions[n::4]] for n in range(4)}
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        done = pool.starmap(write_answers, [(store_url, "tv", writer, writes) for writer, writes in plans.items()])
    assert sum(done) == len(questions)
    stored = crc.store.case("tv", case.case_id)[0]
    assert dict(stored.answers) == {q: flip[v] if q in questions else v for q, v in case.answers.items()}
    changed = [e for e in crc.store.audit_trail("tv") if e.action == "answer" and e.case_id == case.case_id]
    assert sorted((e.item, e.old, e.new) for e in changed) == sorted(
        (q, case.answer(q), flip[case.answer(q)]) for q in questions)


def test_writers_of_every_kind_on_one_case_lose_nothing(crc, store_url):
    """Answers recorded one by one, answers changed with attributes, and answers saved in
    units of work (as the web application saves), by three threads on one case at once."""
    import threading
    case = next(c for c in crc.store.cases("tv") if c.sample == "domain2")
    flip = {"yes": "no", "no": "yes"}
    questions = [q for q in case.answers if case.answer(q) in flip][:24]
    errors: list[BaseException] = []

    def writer(work):
        def run(mine):
            store = open_store(store_url)
            try:
                for number, question in enumerate(mine):
                    work(store, number, question)
            except BaseException as exc:        # reported by the test, not lost in the thread
                errors.append(exc)
            finally:
                store.close()
        return run

    def one_by_one(store, _number, question):
        store.record_answer("tv", case.case_id, question, flip[case.answer(question)], "w1")

    def with_attributes(store, number, question):
        store.set_attributes("tv", case.case_id, {"x_attr": str(number)}, "w2",
                             answers={question: (flip[case.answer(question)], "rule")})

    def in_units(store, _number, question):
        with store.unit():
            store.case("tv", case.case_id)
            store.record_answer("tv", case.case_id, question, flip[case.answer(question)], "w3")

    threads = [threading.Thread(target=writer(work), args=(questions[n::3],))
               for n, work in enumerate((one_by_one, with_attributes, in_units))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    stored = crc.store.case("tv", case.case_id)[0]
    assert dict(stored.answers) == {q: flip[v] if q in questions else v for q, v in case.answers.items()}
    changed = [e for e in crc.store.audit_trail("tv") if e.action == "answer" and e.case_id == case.case_id]
    assert sorted(e.item for e in changed) == sorted(questions)


def test_an_edited_answer_keeps_its_place_among_the_cases_answers(crc):
    """Problems are reported in the answers' order: an edit must not move an answer."""
    case = crc.store.cases("tv")[0]
    order = list(case.answers)
    crc.store.record_answer("tv", case.case_id, order[0], "no" if case.answer(order[0]) == "yes" else "yes", "me")
    assert list(crc.store.case("tv", case.case_id)[0].answers) == order
    crc.store.record_answer("tv", case.case_id, order[1], "", "me")              # cleared: gone
    assert list(crc.store.case("tv", case.case_id)[0].answers) == [order[0], *order[2:]]


def test_a_nul_in_an_answer_is_refused_on_postgresql_and_kept_on_sqlite(crc):
    """PostgreSQL's text cannot hold NUL (0x00), and its JSON functions refuse one escaped:
    an answer holding it is refused with the store's one-line message and nothing is written
    (case files refuse it before: this guards callers of the Python API). SQLite keeps it."""
    from types import MappingProxyType

    from hmip_inspect.core.inspection.cases import Case
    template = next(c for c in crc.store.cases("tv") if c.sample == "domain2")
    answers = {**template.answers, "2.1.1": "yes"}
    answers["x.note"] = "before\x00after"          # the store's API does not check (imports do)
    bad = Case("NUL-1", "domain2", MappingProxyType(dict(template.attributes)), MappingProxyType(answers))
    if crc.store.dialect == "postgresql":
        with pytest.raises(InputError, match=r"NUL character \(0x00\)"):
            crc.store.add_cases("tv", [bad], "importer", "a test")
        assert "NUL-1" not in crc.store.case_ids("tv")
    else:
        crc.store.add_cases("tv", [bad], "importer", "a test")
        assert crc.store.case("tv", "NUL-1")[0].answer("x.note") == "before\x00after"
    crc.rate()                                   # the inspection still rates either way


# --------------------------------------------------------------------------------------
# The report from the store: comparators kept, or pooled from the other inspections
# --------------------------------------------------------------------------------------


def test_report_from_the_store_keeps_the_inspections_comparators(crc, inspect_cli, store_url, example):
    stored = inspect_cli("report", "--db", store_url, "--name", "tv", "--format", "json")
    folder = inspect_cli("report", "--inspection", example, "--format", "json")
    assert stored.exit_code == 0, stored.stderr
    assert json.loads(stored.stdout)["standards"] == json.loads(folder.stdout)["standards"]


def test_report_from_the_store_compares_with_the_other_inspections(store, session, inspect_cli, store_url,
                                                                    tmp_path):
    for name in ("east", "west", "north"):
        import_folder(store, session, EXAMPLES / "nps", name, "importer")
    west = Fieldwork(store, "west", session).rate()[2]
    north = Fieldwork(store, "north", session).rate()[2]
    result = inspect_cli("report", "--db", store_url, "--name", "east", "--format", "json")
    assert result.exit_code == 0, result.stderr
    model = json.loads(result.stdout)
    [comparator] = model["comparators"]
    assert comparator["label"].startswith("All synthetic inspections in the store (2 inspections")
    assert sorted(comparator["inspections"]) == ["north", "west"]       # issue #11: which
    reported = {kq["id"]: kq["comparisons"] for s in model["standards"] for kq in s["key_questions"]}
    checked = 0
    for standard in west.standards:
        for kq in standard.key_questions:
            if kq.evidence == "cases" and kq.applicable:
                partner = next(k for s in north.standards for k in s.key_questions if k.id == kq.id)
                [figure] = reported[kq.id]
                assert (figure["yes"], figure["n"]) == (kq.yes + partner.yes, kq.applicable + partner.applicable)
                checked += 1
    assert checked == sum(len(s.rated_key_questions) for s in (session.catalogue.standard("2019", i) for i in
                          session.profile("nps").standards) if s.rated_by.value == "cases")


def test_load_all_gives_every_inspection_ready_to_rate(store, session):
    for name in ("nps", "yot"):
        import_folder(store, session, EXAMPLES / name, name, "importer")
    loaded = store.load_all()
    assert sorted(loaded) == ["nps", "yot"]
    for name, inspection in loaded.items():
        single = store.load(name, with_cases=False)
        assert inspection.tallies == single.tallies
        assert inspection.judgements == single.judgements
        assert [c.case_id for c in inspection.excluded] == [c.case_id for c in single.excluded]
    assert list(store.load_all(["yot"])) == ["yot"]
    Fieldwork(store, "nps", session).start("NEW-1", "court", {}, "assessor")
    with pytest.raises(InputError, match="inspection 'nps': case\\(s\\) NEW-1 are still being captured"):
        store.load_all()


def test_capture_records_an_implied_answer_instead_of_asking(store, session, inspect_cli, store_url):
    import_folder(store, session, EXAMPLES / "pdu", "pdu", "importer")
    attributes = ["-a", "disposal=community", "-a", "harm_factors=no", "-a", "court_report=no",
                  "-a", "compliance_review_needed=yes"]
    started = inspect_cli("case", "add", "NEW-1", "--db", store_url, "--name", "pdu", "--sample", "domain2",
                          *attributes, input="q\n")
    assert started.exit_code == 0, started.stderr
    assert f"--db {shown(store_url)}" in started.stdout             # the resume hint names the store
    walked = inspect_cli("case", "edit", "NEW-1", "--db", store_url, "--name", "pdu",
                         "--question", "A 3 S", input="q\n")
    assert walked.exit_code == 0, walked.stderr
    assert "2.2.3 Does assessment focus sufficiently on keeping other people safe?\n  yes (implied:" in walked.stdout
    case, status = store.case("pdu", "NEW-1")
    assert case.answer("2.2.3") == "yes" and status == "in-progress"
    [entry] = [e for e in store.audit_trail("pdu", "NEW-1") if e.item == "2.2.3"]
    assert (entry.new, entry.reason) == ("yes", "implied by a rule of the catalogue")
