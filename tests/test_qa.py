"""Quality assurance of case judgements (issue 15): the draw, the blind second assessment on
every path (service, CLI capture, CLI show and edit, import), agreement, reconciliation, the
pooled figures; on SQLite and PostgreSQL alike (``store_url``)."""

from __future__ import annotations

import csv
import json

import pytest
from hmip_inspect.core import stats
from hmip_inspect.core.plugin.manager import build_plugin_manager
from hmip_inspect.core.session import Session
from hmip_inspect.core.store.database import open_store
from hmip_inspect.core.store.fieldwork import Fieldwork
from hmip_inspect.core.store.qa import BlindRuleError


@pytest.fixture
def tv(inspect_cli, store_url, example):
    """The bundled CRC example imported through the CLI as 'tv' by "alice" (its first
    assessor); yields a CLI bound to the store."""
    imported = inspect_cli("import", example, "--db", store_url, "--name", "tv", "--user", "alice")
    assert imported.exit_code == 0, imported.stderr

    def cli(*args, input=None):
        return inspect_cli(*args, "--db", store_url, input=input)
    return cli


def fieldwork(store, name="tv") -> Fieldwork:
    return Fieldwork(store, name, Session(pm=build_plugin_manager()))


def second_file(path, store, case_ids, changes=None, name="tv"):
    """A CSV second assessment of ``case_ids``: the first answers, with ``changes``
    ({(case, question): answer}) made."""
    changes = changes or {}
    rows = []
    for case_id in case_ids:
        case, _ = store.case(name, case_id)
        answers = dict(case.answers)
        for (changed_case, question), value in changes.items():
            if changed_case == case_id:
                answers[question] = value
        rows.append({"case_id": case_id, "sample": case.sample, **case.attributes, **answers})
    header = list(dict.fromkeys(key for row in rows for key in row))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerows(rows)
    return path


# --------------------------------------------------------------------------------------
# The draw
# --------------------------------------------------------------------------------------


def test_draw_is_stratified_seeded_recorded_and_audited(tv, store):
    drawn = tv("qa", "draw", "--name", "tv", "--share", "10", "--seed", "7", "--user", "lead")
    assert drawn.exit_code == 0, drawn.stderr
    qa = store.qa_cases("tv")
    by_sample = {}
    for case in qa.values():
        by_sample.setdefault(case.sample, []).append(case.case_id)
    samples = set(store.case_ids("tv").values())
    assert set(by_sample) == samples                    # at least one per sample
    assert len(by_sample["domain2"]) == 10               # 10% of 100
    assert len(by_sample["ttg"]) == 1                    # 10% of 14, rounded, at least one
    assert all(case.first_assessor == "alice" and case.status == "drawn" for case in qa.values())
    [record] = store.qa_draws("tv")
    assert (record["seed"], record["share"], record["who"]) == ("7", 10.0, "lead")
    entry = store.audit_trail("tv")[-1]
    assert entry.action == "qa draw" and "seed 7" in entry.reason and entry.who == "lead"
    again = tv("qa", "draw", "--name", "tv", "--share", "10", "--seed", "7")
    assert again.exit_code == 0
    assert not set(store.qa_draws("tv")[1]["cases"]) & set(record["cases"])   # never drawn twice


def test_the_same_seed_draws_the_same_cases(tmp_path, example, inspect_cli):
    drawn = []
    for number in (1, 2):
        db = f"sqlite:///{tmp_path / f'{number}.sqlite'}"
        assert inspect_cli("import", example, "--db", db, "--name", "tv").exit_code == 0
        assert inspect_cli("qa", "draw", "--name", "tv", "--share", "5", "--seed", "11", "--db", db).exit_code == 0
        with open_store(db) as opened:
            drawn.append(opened.qa_draws("tv")[0]["cases"])
    assert drawn[0] == drawn[1]


@pytest.mark.parametrize("share", ["0", "101", "-5"])
def test_a_share_out_of_range_is_refused(tv, store, share):
    refused = tv("qa", "draw", "--name", "tv", "--share", share)
    assert refused.exit_code == 1 and "--share" in refused.stderr and "Traceback" not in refused.stderr
    assert store.qa_cases("tv") == {}


def test_a_signed_off_inspection_refuses_a_draw(tv, store):
    assert tv("signoff", "--name", "tv", "--user", "chair").exit_code == 0
    refused = tv("qa", "draw", "--name", "tv", "--share", "10")
    assert refused.exit_code == 1 and "signed off" in refused.stderr
    assert store.qa_cases("tv") == {}


# --------------------------------------------------------------------------------------
# The blind rule, on every path
# --------------------------------------------------------------------------------------


@pytest.fixture
def drawn(tv, store):
    assert tv("qa", "draw", "--name", "tv", "--share", "10", "--seed", "3", "--user", "lead").exit_code == 0
    return sorted(store.qa_cases("tv"))


def test_the_second_assessor_cannot_see_the_first_until_they_submit(tv, store, drawn):
    case_id = next(c for c in drawn if c.startswith("UPW"))
    first_answers = dict(store.case("tv", case_id)[0].answers)
    walk = tv("case", "edit", case_id, "--name", "tv", "--second", "--user", "bob", input="q\n")
    assert walk.exit_code == 0, walk.stderr
    assert "current answer" not in walk.stdout          # nothing of the first assessment shown
    assert "--second" in walk.stdout                     # the resume hint keeps --second
    service = fieldwork(store)
    with pytest.raises(BlindRuleError, match="hidden from its second assessor"):
        service.first_assessment(case_id, "bob")
    for command in (("case", "show", case_id), ("case", "edit", case_id, "--question", "4.1.1")):
        refused = tv(*command, "--name", "tv", "--user", "bob", input="q\n")
        assert refused.exit_code == 1 and "hidden from its second assessor" in refused.stderr
        assert not any(f"{qid} " in refused.stdout for qid in first_answers)
    assert tv("case", "show", case_id, "--name", "tv", "--user", "alice").exit_code == 0
    # ... the first assessor (or anyone else) cannot see the second one before it is submitted
    service.second_capture(case_id, "bob").answer(case_id, "4.1.1", "no", "bob")
    for user in ("alice", "lead"):
        with pytest.raises(BlindRuleError, match="hidden until its assessor submits"):
            service.second_assessment(case_id, user)
    assert service.second_assessment(case_id, "bob").answers == {"4.1.1": "no"}
    # once submitted, both are visible
    answered = dict(first_answers)
    capture = service.second_capture(case_id, "bob")
    for qid, value in answered.items():
        capture.answer(case_id, qid, value, "bob")
    assert capture.finish(case_id, "bob") == []
    assert service.first_assessment(case_id, "bob")[0].answers == first_answers
    assert service.second_assessment(case_id, "alice").answers == first_answers


def test_the_first_assessor_cannot_assess_a_case_second(tv, store, drawn, tmp_path):
    refused = tv("case", "edit", drawn[0], "--name", "tv", "--second", "--user", "alice", input="y\n")
    assert refused.exit_code == 1 and "assessed case" in refused.stderr and "first" in refused.stderr
    imported = tv("import", second_file(tmp_path / "s.csv", store, drawn[:2]), "--into", "tv",
                  "--second-assessment", "--user", "alice")
    assert imported.exit_code == 1 and "cannot assess it second" in imported.stderr
    assert all(qa.second_assessor is None for qa in store.qa_cases("tv").values())


def test_a_second_assessment_in_progress_is_its_assessors_alone(tv, store, drawn):
    service = fieldwork(store)
    service.second_capture(drawn[0], "bob").answer(drawn[0], "2.1.1", "yes", "bob")
    with pytest.raises(BlindRuleError, match="someone else"):
        service.second_capture(drawn[0], "carol")
    taken = tv("case", "edit", drawn[0], "--name", "tv", "--second", "--user", "carol", input="y\n")
    assert taken.exit_code == 1 and "someone else" in taken.stderr


def test_an_interrupted_second_assessment_is_kept_not_submitted(tv, store, drawn):
    """The end of the input (or Ctrl-C) stops a walk keeping what was saved; a second
    assessment is submitted only when its assessor finishes it, never by an interruption, even
    with every summary judgement already in."""
    case_id = drawn[0]
    service = fieldwork(store)
    capture = service.second_capture(case_id, "bob")
    case, _ = store.case("tv", case_id)
    summaries = {kq.id for kq in service.schema.rated.get(case.sample, ())}
    prompts = [qid for qid in case.answers if qid not in summaries and service.schema.by_id.get(qid)]
    left = prompts[-1]                                  # one prompt left unanswered, asked again
    for qid, value in case.answers.items():
        if qid != left and qid in service.schema.by_id:
            capture.answer(case_id, qid, value, "bob")
    walked = tv("case", "edit", case_id, "--name", "tv", "--second", "--user", "bob", input="")
    assert walked.exit_code == 0, walked.stderr
    assert "Saved, not submitted. Resume with:" in walked.stdout and walked.stdout.rstrip().endswith("--user bob")
    assert store.qa_cases("tv", case_id)[case_id].status != "submitted"


def test_a_case_not_drawn_has_no_second_capture(tv, store, drawn):
    undrawn = next(c for c in store.case_ids("tv") if c not in drawn)
    refused = tv("case", "edit", undrawn, "--name", "tv", "--second", "--user", "bob")
    assert refused.exit_code == 1 and "not drawn" in refused.stderr


# --------------------------------------------------------------------------------------
# Importing a second assessment
# --------------------------------------------------------------------------------------


def test_import_of_a_second_assessment_is_checked_like_any_import(tv, store, drawn, tmp_path):
    path = second_file(tmp_path / "s.csv", store, drawn[:3], {(drawn[0], "2.1.1"): "maybe"})
    with path.open("a", encoding="utf-8") as handle:
        handle.write("NOT-A-CASE,domain2" + "," * (len(path.read_text().splitlines()[0].split(",")) - 2) + "\n")
    refused = tv("import", path, "--into", "tv", "--second-assessment", "--user", "bob")
    assert refused.exit_code == 1 and "Traceback" not in refused.stderr
    assert "'maybe'" in refused.stderr and "2.1.1" in refused.stderr          # the import's validation
    assert "NOT-A-CASE" in refused.stderr and "drawn or existing case" in refused.stderr
    assert all(qa.status == "drawn" and not qa.second_answers for qa in store.qa_cases("tv").values())


def test_import_refuses_another_sample_or_attributes(tv, store, drawn, tmp_path):
    path = second_file(tmp_path / "s.csv", store, drawn[:1])
    text = path.read_text()
    header, row = text.splitlines()
    gender = header.split(",").index("gender")
    cells = row.split(",")
    cells[gender] = "female" if cells[gender] != "female" else "male"
    path.write_text(header + "\n" + ",".join(cells) + "\n")
    refused = tv("import", path, "--into", "tv", "--second-assessment", "--user", "bob")
    assert refused.exit_code == 1 and "'gender'" in refused.stderr and "same case" in refused.stderr


def test_an_imported_second_assessment_is_submitted_and_not_imported_twice(tv, store, drawn, tmp_path):
    undrawn = next(c for c in store.case_ids("tv") if c not in drawn and c.startswith("D2"))
    path = second_file(tmp_path / "s.csv", store, [drawn[0], undrawn])
    imported = tv("import", path, "--into", "tv", "--second-assessment", "--user", "bob")
    assert imported.exit_code == 0, imported.stderr
    qa = store.qa_cases("tv")
    assert qa[drawn[0]].status == qa[undrawn].status == "submitted"
    assert not qa[undrawn].drawn and qa[undrawn].second_assessor == "bob"
    assert qa[drawn[0]].first_answers == dict(store.case("tv", drawn[0])[0].answers)
    assert store.audit_trail("tv")[-1].action == "qa import"
    again = tv("import", path, "--into", "tv", "--second-assessment", "--user", "carol")
    assert again.exit_code == 1 and "already submitted" in again.stderr


# --------------------------------------------------------------------------------------
# Agreement and reconciliation
# --------------------------------------------------------------------------------------


def flip(value):
    return {"yes": "no", "no": "yes"}[value]


def test_agreement_figures_and_pinned_json_keys(tv, store, drawn, tmp_path):
    d2 = [c for c in drawn if c.startswith("D2")]
    firsts = {c: store.case("tv", c)[0].answer("2.1.1") for c in d2}
    changes = {(d2[0], "2.1.1"): flip(firsts[d2[0]]), (d2[1], "2.1.1"): flip(firsts[d2[1]])}
    path = second_file(tmp_path / "s.csv", store, d2, changes)
    assert tv("import", path, "--into", "tv", "--second-assessment", "--user", "bob").exit_code == 0
    shown = tv("qa", "agreement", "--name", "tv", "--format", "json")
    assert shown.exit_code == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert data["cases"] == len(d2)
    kq = next(item for item in data["key_questions"] if item["id"] == "2.1.1")
    pairs = [(firsts[c], changes.get((c, "2.1.1"), firsts[c])) for c in d2]
    expected = stats.agreement(pairs, ["yes", "no"])
    assert kq["pairs"] == len(d2) and kq["agreement"] == pytest.approx(expected.agreement)
    assert kq["kappa"] == pytest.approx(expected.kappa) if expected.kappa is not None else kq["kappa"] is None
    assert kq["ac1"] == pytest.approx(expected.ac1)
    assert kq["kappa_ci"] == ([pytest.approx(x) for x in expected.kappa_ci] if expected.kappa_ci else None)
    assert set(kq) >= {"id", "pairs", "agreement", "kappa", "kappa_ci", "ac1", "description", "table"}
    assert data["overall"]["pairs"] >= len(d2)
    assert any(item["kind"] == "prompt" for item in data["prompts"])
    for fmt in ("table", "markdown"):
        text = tv("qa", "agreement", "--name", "tv", "--format", fmt)
        assert text.exit_code == 0 and "2.1.1" in text.stdout and "Landis & Koch" in text.stdout
    assert "| Question |" in tv("qa", "agreement", "--name", "tv", "--format", "markdown").stdout


def test_identical_assessments_leave_kappa_undefined_not_an_error(tv, store, drawn, tmp_path):
    upw = [c for c in drawn if c.startswith("UPW")]
    assert tv("import", second_file(tmp_path / "s.csv", store, upw), "--into", "tv",
              "--second-assessment", "--user", "bob").exit_code == 0
    data = json.loads(tv("qa", "agreement", "--name", "tv", "--format", "json").stdout)
    constant = [kq for kq in data["key_questions"] if len({a for row in kq["table"] for a in row if a}) == 1
                and sum(1 for row in kq["table"] for a in row if a) == 1]
    assert constant, "a key question every assessor answered alike"
    assert all(kq["kappa"] is None and kq["kappa_ci"] is None and kq["ac1"] == 1.0 for kq in constant)
    assert "n/a" in tv("qa", "agreement", "--name", "tv").stdout


def test_reconciliation_changes_the_rating_and_keeps_the_agreement(tv, store, drawn, tmp_path):
    d2 = [c for c in drawn if c.startswith("D2")]
    case_id = d2[0]
    first = store.case("tv", case_id)[0].answer("2.1.1")
    path = second_file(tmp_path / "s.csv", store, d2, {(case_id, "2.1.1"): flip(first)})
    assert tv("import", path, "--into", "tv", "--second-assessment", "--user", "bob").exit_code == 0
    before = json.loads(tv("qa", "agreement", "--name", "tv", "--format", "json").stdout)
    rated_before = json.loads(tv("run", "--name", "tv", "--format", "json").stdout)
    listed = tv("qa", "disagreements", "--name", "tv", "--format", "json")
    items = json.loads(listed.stdout)
    assert [(i["case_id"], i["question"], i["first"], i["second"], i["reconciled"]) for i in items] == [
        (case_id, "2.1.1", first, flip(first), None)]
    refused = tv("qa", "reconcile", case_id, "--name", "tv", "--question", "2.1.1", "--answer", flip(first),
                 "--reason", " ", "--user", "lead")
    assert refused.exit_code == 1 and "needs a reason" in refused.stderr
    agreed = tv("qa", "reconcile", d2[1], "--name", "tv", "--question", "2.1.1", "--answer", "yes",
                "--reason", "x", "--user", "lead")
    assert agreed.exit_code == 1 and "nothing to reconcile" in agreed.stderr
    done = tv("qa", "reconcile", case_id, "--name", "tv", "--question", "2.1.1", "--answer", flip(first)[0],
              "--reason", "the plan was not reviewed", "--user", "lead")
    assert done.exit_code == 0, done.stderr
    assert store.case("tv", case_id)[0].answer("2.1.1") == flip(first)
    rated_after = json.loads(tv("run", "--name", "tv", "--format", "json").stdout)

    def kq(result):
        return next(k for s in result["standards"] for k in s["key_questions"] if k["id"] == "2.1.1")
    assert kq(rated_after)["yes"] == kq(rated_before)["yes"] + (1 if first == "no" else -1)
    after = json.loads(tv("qa", "agreement", "--name", "tv", "--format", "json").stdout)
    assert after == before                                 # the original pairs are kept
    trail = store.audit_trail("tv", case_id)
    assert [e.action for e in trail[-2:]] == ["reconcile", "answer"]
    assert trail[-2].who == "lead" and trail[-2].reason == "the plan was not reviewed"
    assert trail[-2].old == f"first={first}; second={flip(first)}"
    listed = json.loads(tv("qa", "disagreements", "--name", "tv", "--format", "json").stdout)
    assert listed[0]["reconciled"] == flip(first) and listed[0]["reconciled_by"] == "lead"
    assert "reconciled:" in tv("qa", "disagreements", "--name", "tv").stdout


def test_pooled_agreement_across_inspections_and_per_assessor_pair(inspect_cli, store_url, example, tmp_path):
    def cli(*args):
        return inspect_cli(*args, "--db", store_url)
    for name, second in (("tv1", "bob"), ("tv2", "bob"), ("tv3", "carol")):
        assert cli("import", example, "--name", name, "--user", "alice").exit_code == 0
        assert cli("qa", "draw", "--name", name, "--share", "10", "--seed", "1").exit_code == 0
        with open_store(store_url) as opened:
            path = second_file(tmp_path / f"{name}.csv", opened, sorted(opened.qa_cases(name)), name=name)
        assert cli("import", path, "--into", name, "--second-assessment", "--user", second).exit_code == 0
    profile = tmp_path / "crc-qa.toml"
    profile.write_text('[profile]\nname = "crc-qa"\nextends = "crc"\n[qa]\npair_minimum = 20\n')
    pooled = cli("qa", "agreement", "--all", "--format", "json")
    assert pooled.exit_code == 0, pooled.stderr
    data = json.loads(pooled.stdout)
    assert data["cases"] == 45
    assert [(p["first"], p["second"], p["cases"]) for p in data["assessor_pairs"]] == [
        ("alice", "bob", 30), ("alice", "carol", 15)]              # the default minimum is 10
    assert all(p["agreement"] == 1.0 for p in data["assessor_pairs"])
    only = json.loads(cli("qa", "agreement", "--all", "--profile", "crc", "--format", "json").stdout)
    assert only["cases"] == 45
    none = json.loads(cli("qa", "agreement", "--all", "--profile", "nps", "--format", "json").stdout)
    assert none["cases"] == 0
    both = cli("qa", "agreement", "--all", "--name", "tv1")
    assert both.exit_code == 1 and "--all" in both.stderr


def test_deleting_a_drawn_case_removes_its_qa_records(tv, store, drawn, tmp_path):
    assert tv("import", second_file(tmp_path / "s.csv", store, drawn[:1]), "--into", "tv",
              "--second-assessment", "--user", "bob").exit_code == 0
    deleted = tv("case", "delete", drawn[0], "--name", "tv", "--reason", "entered twice")
    assert deleted.exit_code == 0, deleted.stderr
    assert drawn[0] not in store.qa_cases("tv")


def test_the_audit_trail_keeps_the_blind_rule(tv, store, drawn):
    case_id = drawn[0]
    first = store.case("tv", case_id)[0].answer("2.1.1")
    service = fieldwork(store)
    service.answer(case_id, "2.1.1", flip(first), "alice", "re-read")     # a first-assessment edit
    service.second_capture(case_id, "bob").answer(case_id, "2.1.1", "yes", "bob")

    def changes(user):
        shown = tv("audit", "--name", "tv", "--case", case_id, "--format", "json", "--user", user)
        assert shown.exit_code == 0, shown.stderr
        return {(e["action"], e["old"], e["new"]) for e in json.loads(shown.stdout)
                if e["action"] in ("answer", "second answer")}
    hidden = "(hidden: blind second assessment)"
    assert changes("bob") == {("answer", hidden, hidden), ("second answer", "", "yes")}
    assert changes("alice") == {("answer", first, flip(first)), ("second answer", "", hidden)}
    table = tv("audit", "--name", "tv", "--case", case_id, "--user", "alice").stdout
    assert next(line for line in table.splitlines() if "second answer" in line).endswith(f"- -> {hidden}")
