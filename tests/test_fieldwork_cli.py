"""Fieldwork as a team runs it (issue #11): undo and correction, progress and readiness, run
through the CLI on SQLite and PostgreSQL alike (``store_url``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hmip_inspect.core.plugin.manager import build_plugin_manager
from hmip_inspect.core.session import Session
from hmip_inspect.core.store.fieldwork import Fieldwork

EXAMPLES = Path(__import__("hmip_inspect.plugins.profiles", fromlist=["x"]).__file__).parent / "examples"


@pytest.fixture
def tv(inspect_cli, store_url, example):
    """The bundled CRC example imported through the CLI as 'tv'; yields a CLI bound to it."""
    imported = inspect_cli("import", example, "--db", store_url, "--name", "tv", "--user", "importer")
    assert imported.exit_code == 0, imported.stderr

    def cli(*args, input=None):
        return inspect_cli(*args, "--db", store_url, input=input)
    return cli


def fieldwork(store, name="tv") -> Fieldwork:
    return Fieldwork(store, name, Session(pm=build_plugin_manager()))


def last(store, name="tv", case=None):
    return store.audit_trail(name, case)[-1]


# --------------------------------------------------------------------------------------
# 1. Undo and correction
# --------------------------------------------------------------------------------------


def test_case_delete_keeps_the_deleted_answers_in_the_audit(tv, store):
    refused = tv("case", "delete", "D2-002", "--name", "tv", "--reason", " ")
    assert refused.exit_code == 1 and "needs a reason" in refused.stderr
    assert "Traceback" not in refused.stderr
    answers = dict(store.case("tv", "D2-002")[0].answers)
    deleted = tv("case", "delete", "D2-002", "--name", "tv", "--reason", "entered twice", "--user", "lead")
    assert deleted.exit_code == 0, deleted.stderr
    assert "D2-002" not in store.case_ids("tv")
    entry = last(store, case="D2-002")
    assert (entry.action, entry.who, entry.reason) == ("delete", "lead", "entered twice")
    assert all(f"{qid}={value}" in entry.old for qid, value in answers.items())
    again = tv("case", "delete", "D2-002", "--name", "tv", "--reason", "x")
    assert again.exit_code == 1 and "no case 'D2-002'" in again.stderr


def test_case_edit_attribute_lists_and_clears_answers_that_no_longer_apply(tv, store):
    before = store.case("tv", "D2-001")[0]
    declined = tv("case", "edit", "D2-001", "--name", "tv", "--attribute", "rosh=low", input="n\n")
    assert declined.exit_code == 0, declined.stderr
    assert "no longer apply" in declined.stdout and "  - 2.1.3\n" in declined.stdout
    assert "nothing changed" in declined.stdout
    assert store.case("tv", "D2-001")[0] == before
    bad = tv("case", "edit", "D2-001", "--name", "tv", "-a", "rosh=extreme", "-a", "colour=blue")
    assert bad.exit_code == 1 and "rosh" in bad.stderr and "colour" in bad.stderr   # every problem
    changed = tv("case", "edit", "D2-001", "--name", "tv", "--attribute", "rosh=low", "--yes",
                 "--reason", "RoSH re-assessed", "--user", "qa")
    assert changed.exit_code == 0, changed.stderr
    case, status = store.case("tv", "D2-001")
    assert case.attributes["rosh"] == "low" and "2.1.3" not in case.answers and status == "complete"
    trail = store.audit_trail("tv", "D2-001")
    assert any(e.action == "attribute" and (e.old, e.new, e.reason) == ("medium", "low", "RoSH re-assessed")
               for e in trail)
    [cleared] = [e for e in trail if e.item == "2.1.3"]
    assert (cleared.old, cleared.new, cleared.who) == (before.answer("2.1.3"), "", "qa")
    assert "RoSH re-assessed" in cleared.reason


def test_case_edit_attribute_recomputes_implied_answers(inspect_cli, store_url, store_pdu):
    cli, store = store_pdu
    work = fieldwork(store, "pdu")
    work.start("NEW-1", "domain2", {"disposal": "community", "harm_factors": "no", "court_report": "no",
                                    "compliance_review_needed": "yes"}, "assessor")
    work.finish("NEW-1", "assessor")
    assert store.case("pdu", "NEW-1")[0].answer("2.2.3") == "yes"       # implied by the rule
    changed = cli("case", "edit", "NEW-1", "--name", "pdu", "-a", "harm_factors=yes", "--yes",
                  "--reason", "harm factors found")
    assert changed.exit_code == 0, changed.stderr
    case, status = store.case("pdu", "NEW-1")
    assert case.answer("2.2.3") == "" and status == "in-progress"
    assert "resume with: inspect case edit NEW-1" in changed.stdout


@pytest.fixture
def store_pdu(inspect_cli, store_url, store):
    imported = inspect_cli("import", EXAMPLES / "pdu", "--db", store_url, "--name", "pdu")
    assert imported.exit_code == 0, imported.stderr
    return (lambda *args, input=None: inspect_cli(*args, "--db", store_url, input=input)), store


def test_decision_withdraw_one_shape_for_every_kind(tv, store):
    recorded = tv("moderation", "--name", "tv", "--standard", "4.1", "--direction", "down",
                  "--rationale", "r", "--ratified")
    assert recorded.exit_code == 0, recorded.stderr
    withdrawn = {}
    for kind, standard in (("judgement", "1.1"), ("moderation", "4.1"), ("panel", "2.2")):
        result = tv("decision", "withdraw", "--name", "tv", "--kind", kind, "--standard", standard,
                    "--reason", "recorded on the wrong standard", "--user", "lead")
        assert result.exit_code == 0, result.stderr
        withdrawn[kind] = last(store)
    judgements = store.load_judgements("tv")
    assert "1.1" not in {j.standard for j in judgements.judgements}
    assert "4.1" not in {m.standard for m in judgements.moderations}
    assert "2.2" not in {p.standard for p in judgements.panel}
    entry = withdrawn["judgement"]
    assert (entry.action, entry.item, entry.new, entry.reason) == (
        "withdraw judgement", "1.1", None, "recorded on the wrong standard")
    assert entry.old.startswith("rating=Good; evidence=")
    refused = tv("decision", "withdraw", "--name", "tv", "--kind", "verdict", "--standard", "1.1")
    assert refused.exit_code != 0
    both = tv("decision", "withdraw", "--name", "tv", "--kind", "verdict", "--standard", "1.1",
              "--reason", " ")
    assert both.exit_code == 1 and "--kind" in both.stderr and "--reason" in both.stderr
    missing = tv("decision", "withdraw", "--name", "tv", "--kind", "judgement", "--standard", "1.1",
                 "--reason", "again")
    assert missing.exit_code == 1 and "no judgement on standard 1.1" in missing.stderr


def test_inspection_edit_is_audited(tv, store):
    result = tv("inspection", "edit", "--name", "tv", "--provider", "Thames Valley CRC",
                "--fieldwork", "2019-07-08", "--reason", "name as published", "--user", "lead")
    assert result.exit_code == 0, result.stderr
    info = store.info("tv")
    assert (info.provider, info.fieldwork) == ("Thames Valley CRC", "2019-07-08")
    entries = [(e.action, e.item, e.new, e.reason) for e in store.audit_trail("tv")[-2:]]
    assert entries == [("inspection", "provider", "Thames Valley CRC", "name as published"),
                       ("inspection", "fieldwork", "2019-07-08", "name as published")]
    nothing = tv("inspection", "edit", "--name", "tv")
    assert nothing.exit_code == 1 and "nothing to change" in nothing.stderr


def test_import_replace_replaces_the_cases_it_names(tv, store, store_url, tmp_path):
    export = tv("export", "--name", "tv", "--output", tmp_path / "out", "--format", "csv")
    assert export.exit_code == 0, export.stderr
    upw = tmp_path / "out" / "upw.csv"
    lines = upw.read_text().splitlines()
    kept = [lines[0], lines[1]]
    upw_only = tmp_path / "upw.csv"
    upw_only.write_text("\n".join(kept) + "\n")
    case_id = lines[1].split(",")[0]
    duplicate = tv("import", upw_only, "--into", "tv")
    assert duplicate.exit_code == 1 and "duplicate case id" in duplicate.stderr
    before = len(store.case_ids("tv"))
    replaced = tv("import", upw_only, "--into", "tv", "--replace", "--user", "qa")
    assert replaced.exit_code == 0, replaced.stderr
    assert len(store.case_ids("tv")) == before
    trail = store.audit_trail("tv")
    assert (trail[-2].action, trail[-2].case_id, trail[-2].who) == ("replace", case_id, "qa")
    assert "1 replaced" in trail[-1].new


def test_every_correction_is_refused_after_sign_off(tv, store):
    assert tv("signoff", "--name", "tv", "--by", "chair").exit_code == 0
    attempts = [
        ("case", "delete", "D2-001", "--name", "tv", "--reason", "r"),
        ("case", "edit", "D2-001", "--name", "tv", "-a", "rosh=low", "--yes"),
        ("decision", "withdraw", "--name", "tv", "--kind", "judgement", "--standard", "1.1", "--reason", "r"),
        ("inspection", "edit", "--name", "tv", "--provider", "X"),
        ("import", EXAMPLES / "crc" / "cases" / "upw.csv", "--name", "tv", "--replace"),
    ]
    for attempt in attempts:
        result = tv(*attempt)
        assert result.exit_code == 1 and "signed off by chair" in result.stderr, attempt
        assert "Traceback" not in result.stderr
    delete_without_reason = tv("case", "delete", "D2-001", "--name", "tv", "--reason", "")
    assert "needs a reason" in delete_without_reason.stderr and "signed off" in delete_without_reason.stderr


# --------------------------------------------------------------------------------------
# 2. Progress and readiness
# --------------------------------------------------------------------------------------


def test_status_shows_progress_missing_summaries_due_decisions_and_eligibility(tv, store):
    started = tv("case", "add", "U-900", "--name", "tv", "--sample", "upw", "-a", "disposal=community",
                 input="yes\nq\n")
    assert started.exit_code == 0, started.stderr
    assert tv("case", "add", "U-901", "--name", "tv", "--sample", "upw", "-a", "disposal=community",
              input="q\n").exit_code == 0
    assert tv("decision", "withdraw", "--name", "tv", "--kind", "judgement", "--standard", "1.2",
              "--reason", "to redo").exit_code == 0
    shown = tv("status", "--name", "tv")
    assert shown.exit_code == 0, shown.stderr
    out = shown.stdout
    assert "in fieldwork" in out and "━" in out                           # rich's bars
    assert "35/37" in out                                                  # upw: 35 complete of 37
    assert "case U-900: 4.1.1, 4.1.2, 4.1.4" in out
    assert "judgement on standard 1.2: 'inspect judgement --name tv --standard 1.2" in out
    assert "2.1: eligible (down)" in out and "2.2: eligible (up), panel decided up" in out
    assert "4.1: waiting" in out
    assert "Not ready to rate or sign off" in out and "U-900, U-901 are still being captured" in out
    data = json.loads(tv("status", "--name", "tv", "--format", "json").stdout)
    upw = next(s for s in data["samples"] if s["sample"] == "upw")
    assert (upw["size"], upw["complete"], upw["in_progress"], upw["not_started"]) == (37, 35, 1, 1)
    assert data["can_sign_off"] is False and data["state"] == "in fieldwork"
    assert len(data["reasons"]) == 2                                       # every reason at once
    listing = tv("inspections")
    assert listing.stdout.splitlines()[0].split() == ["Name", "Profile", "Provider", "Cases", "State",
                                                      "Last", "change"]
    assert "149/151" in listing.stdout and "in fieldwork" in listing.stdout


def test_inspections_lists_ready_and_signed_off(tv):
    assert "ready" in tv("inspections").stdout
    assert tv("status", "--name", "tv").stdout.rstrip().endswith("Ready: it can be rated and signed off.")
    assert tv("signoff", "--name", "tv", "--by", "chair").exit_code == 0
    rows = json.loads(tv("inspections", "--format", "json").stdout)
    assert [(r["name"], r["state"], r["complete"], r["cases"]) for r in rows] == [("tv", "signed off", 149, 149)]
    assert rows[0]["last_change"]


def test_a_key_question_on_few_cases_is_warned_of_in_run_status_and_report(inspect_cli, store_url, example,
                                                                            tmp_path):
    upw = example / "cases" / "upw.csv"
    lines = upw.read_text().splitlines()
    upw.write_text("\n".join(lines[:2]) + "\n")                            # one unpaid-work case
    run = inspect_cli("run", "--inspection", example)
    assert run.exit_code == 0, run.stderr
    assert "Warning: key question 4.1.1 (standard 4.1) rests on 1 case, fewer than 10" in run.stdout
    data = json.loads(inspect_cli("run", "--inspection", example, "--format", "json").stdout)
    assert any("4.1.1" in w for w in data["warnings"])
    assert inspect_cli("import", example, "--db", store_url, "--name", "small").exit_code == 0
    status = inspect_cli("status", "--db", store_url, "--name", "small", "--format", "json")
    assert any("4.1.1" in w and "fewer than 10" in w for w in json.loads(status.stdout)["warnings"])
    report = inspect_cli("report", "--db", store_url, "--name", "small", "--format", "json",
                         "--output", tmp_path / "r.json")
    assert report.exit_code == 0, report.stderr
    methodology = json.loads((tmp_path / "r.json").read_text())["methodology"]
    assert any("4.1.1" in note and "fewer than 10" in note for note in methodology)


def test_small_sample_threshold_is_a_profile_setting_kept_in_the_snapshot(session, tmp_path):
    from hmip_inspect.core.profiles.reader import profile_to_toml
    crc = session.profile("crc")
    assert crc.small_sample == 10 and "small_sample" not in profile_to_toml(crc)  # default: unchanged
    custom = tmp_path / "small.toml"
    custom.write_text('[profile]\nname = "small"\nextends = "crc"\n[rating]\nsmall_sample = 3\n')
    profile = session.profile(str(custom))
    assert profile.small_sample == 3
    assert session.profile_from_text(profile_to_toml(profile), "snapshot").small_sample == 3


# --------------------------------------------------------------------------------------
# 3. A forgiving capture
# --------------------------------------------------------------------------------------


def test_interpret_forgives_y_n_numbers_and_unique_prefixes():
    from hmip_inspect.core.errors import InputError
    from hmip_inspect.core.store.capture import interpret
    assert interpret("Y", ("yes", "no")) == "yes" and interpret("no", ("yes", "no")) == "no"
    assert interpret("2", ("yes", "no")) == "no"
    assert interpret("1, 3", ("a", "b", "c"), multiple=True) == "a;c"
    assert interpret("comm", ("community", "post-custody")) == "community"
    assert interpret("2", ("1", "2", "3")) == "2"                          # an answer that is a number
    assert interpret("maybe", ("yes", "no")) == "maybe"                   # left for the validation
    with pytest.raises(InputError, match="could be pso, po"):
        interpret("p", ("pso", "po"))


def test_capture_forgives_answers_repeats_on_blank_and_goes_back(tv, store):
    typed = "?\nextreme\npost\n2\n\ny\n<\nn\nYe\nq\n"
    result = tv("case", "add", "D2-900", "--name", "tv", "--sample", "domain2", input=typed)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Type of disposal" in out                                       # '?' at an attribute prompt
    assert "not accepted: bad value 'extreme'" in out                      # checked as typed
    assert "no answer given" in out                                        # blank Enter asks again
    assert "current answer: yes (Enter keeps it)" in out                   # '<' went back
    case, status = store.case("tv", "D2-900")
    assert dict(case.attributes) == {"disposal": "post-custody", "rosh": "medium"}
    assert dict(case.answers) == {"2.1.1.a": "no", "2.1.1.b": "yes"} and status == "in-progress"


def test_capture_asks_what_a_rule_reads_before_the_answer_it_implies(tv, store):
    result = tv("case", "add", "T-900", "--name", "tv", "--sample", "ttg", input="none\ny\nq\n")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.index("T 1.6") < out.index("T 1.7") < out.index("4.2.1.a")
    assert "4.2.1.a" in out and "yes (implied:" in out
    case, _ = store.case("tv", "T-900")
    assert (case.answer("T 1.6"), case.answer("T 1.7"), case.answer("4.2.1.a")) == ("none", "yes", "yes")
    several = tv("case", "add", "T-901", "--name", "tv", "--sample", "ttg", input="1,3\nq\n")
    assert several.exit_code == 0, several.stderr
    assert store.case("tv", "T-901")[0].answer("T 1.6") == "accommodation;education-training-and-employment"


def test_edit_question_shows_the_current_answer_and_enter_keeps_it(tv, store):
    before = len(store.audit_trail("tv"))
    kept = tv("case", "edit", "D2-001", "--name", "tv", "--question", "2.1.1.a", input="\nq\n")
    assert kept.exit_code == 0, kept.stderr
    assert "current answer: yes (Enter keeps it)" in kept.stdout
    assert store.case("tv", "D2-001")[0].answer("2.1.1.a") == "yes"
    assert [e.action for e in store.audit_trail("tv")[before:]] in ([], ["case"])   # no answer changed
    changed = tv("case", "edit", "D2-001", "--name", "tv", "--question", "2.1.1.a", "--reason",
                 "QA: evidence re-read", "--user", "qa", input="n\nq\n")
    assert changed.exit_code == 0, changed.stderr
    [entry] = [e for e in store.audit_trail("tv", "D2-001") if e.item == "2.1.1.a"]
    assert (entry.old, entry.new, entry.who, entry.reason) == ("yes", "no", "qa", "QA: evidence re-read")


def test_a_correction_ended_by_the_end_of_input_is_saved_and_says_so(tv, store):
    """One answer corrected with --question and then no more input (a script, or Ctrl-D):
    the correction stays, and the command ends as 'q' would, successfully; a complete case is
    said to be complete rather than given a resume command."""
    changed = tv("case", "edit", "D2-001", "--name", "tv", "--question", "2.1.1.a", "--reason",
                 "evidence re-read", input="n\n")
    assert changed.exit_code == 0, changed.stderr
    assert "Aborted" not in changed.stdout + changed.stderr
    assert store.case("tv", "D2-001")[0].answer("2.1.1.a") == "no"
    assert changed.stdout.rstrip().endswith("Saved; case D2-001 is complete")


def test_the_audit_table_stays_aligned_whatever_the_names(tv):
    long_name = "second assessor from the neighbouring region"
    edited = tv("case", "edit", "D2-001", "--name", "tv", "--question", "2.1.1.a", "--reason", "re-read",
                "--user", long_name, input="n\nq\n")
    assert edited.exit_code == 0, edited.stderr
    entries = json.loads(tv("audit", "--name", "tv", "--format", "json").stdout)
    lines = tv("audit", "--name", "tv").stdout.splitlines()
    assert len(lines) == len(entries) > 1 and any(e["who"] == long_name for e in entries)
    first = entries[0]
    column = lines[0].index(first["action"], len(first["at"]) + 2 + len(first["who"]))
    assert all(line[column:].startswith(entry["action"]) for line, entry in zip(lines, entries))


def test_case_show_lists_the_attributes(tv, store):
    case = store.case("tv", "D2-001")[0]
    shown = tv("case", "show", "D2-001", "--name", "tv")
    assert shown.exit_code == 0, shown.stderr
    assert ", ".join(f"{k}={v}" for k, v in sorted(case.attributes.items())) in shown.stdout.splitlines()[1]


def test_capture_on_a_signed_off_inspection_says_so_before_asking(tv):
    assert tv("signoff", "--name", "tv", "--by", "chair").exit_code == 0
    for attempt in (("case", "edit", "D2-001", "--name", "tv"),
                    ("case", "add", "D2-901", "--name", "tv", "--sample", "domain2")):
        result = tv(*attempt, input="")
        assert result.exit_code == 1 and "signed off by chair" in result.stderr
        assert "[1/" not in result.stdout and "disposal" not in result.stdout


def test_scripted_fieldwork_at_a_real_terminal(tv, store, store_url):
    import pexpect
    import sys
    inspect = Path(sys.executable).parent / "inspect"
    child = pexpect.spawn(str(inspect), ["case", "add", "T-950", "--name", "tv", "--sample", "ttg",
                                         "--db", store_url, "--user", "inspector"],
                          encoding="utf-8", timeout=60, dimensions=(40, 200))
    child.expect(r"T 1\.6.*\n.*q stop\)")
    child.sendline("?")
    child.expect(r"q stop\)")
    child.sendline("")                                    # blank: asked again, nothing recorded
    child.expect("no answer given")
    child.sendline("none")
    child.expect(r"T 1\.7")
    child.sendline("y")
    child.expect(r"yes \(implied:")
    child.expect(r"4\.2\.1\.b")
    child.sendline("<")                                   # back to T 1.7
    child.expect(r"current answer: yes \(Enter keeps it\)")
    child.sendline("")
    child.expect(r"4\.2\.1\.b")
    child.sendline("n")
    child.expect(r"4\.2\.1\.c")
    child.sendline("q")
    child.expect("Saved. Resume with: inspect case edit T-950")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    case, status = store.case("tv", "T-950")
    assert dict(case.answers) == {"T 1.6": "none", "T 1.7": "yes", "4.2.1.a": "yes", "4.2.1.b": "no"}
    assert status == "in-progress"


# --------------------------------------------------------------------------------------
# 4. From sample to cases
# --------------------------------------------------------------------------------------


@pytest.fixture
def empty_crc(inspect_cli, store_url, tmp_path):
    """A stored CRC inspection with no cases yet, from 'inspect init'."""
    folder = tmp_path / "new"
    assert inspect_cli("init", folder, "--profile", "crc", "--provider", "Test CRC").exit_code == 0
    imported = inspect_cli("import", folder, "--db", store_url, "--name", "new")
    assert imported.exit_code == 0, imported.stderr
    return lambda *args, input=None: inspect_cli(*args, "--db", store_url, input=input)


def test_sample_into_creates_the_selected_cases_in_progress(empty_crc, store, tmp_path):
    import hashlib

    from test_sampling import synthetic_population
    population = synthetic_population(tmp_path / "population.csv")
    listed = empty_crc("sample", "-p", "crc", "--population", population, "--fieldwork", "2019-09-16")
    assert listed.exit_code == 0, listed.stderr
    assert "Selected cases:" in listed.stdout                   # no --output, no --into: listed
    picked = [line.split()[0] for line in listed.stdout.split("Selected cases:")[1].splitlines()[2:]]
    drawn = empty_crc("sample", "-p", "crc", "--population", population, "--fieldwork", "2019-09-16",
                      "--into", "new", "--user", "lead")
    assert drawn.exit_code == 0, drawn.stderr
    assert f"created {len(picked)} case(s) in progress" in drawn.stdout
    assert sorted(store.case_ids("new")) == sorted(picked)
    case, status = store.case("new", picked[0])
    assert status == "in-progress" and not case.answers and case.attributes.get("gender")
    entry = store.audit_trail("new")[-1]
    digest = hashlib.sha256(population.read_bytes()).hexdigest()
    assert entry.who == "lead" and digest in entry.reason and "seed 1" in entry.reason
    assert entry.action == "sample"
    record = store.sampling_record("new")
    assert record["population"]["sha256"] == digest and sum(record["sizes"].values()) == len(picked)
    upw = [case_id for case_id in picked if store.case_ids("new")[case_id] == "upw"]
    assert empty_crc("case", "delete", upw[0], "--name", "new", "--reason", "not eligible").exit_code == 0
    status = json.loads(empty_crc("status", "--name", "new", "--format", "json").stdout)
    [sample] = [s for s in status["samples"] if s["sample"] == "upw"]
    assert (sample["size"], sample["not_started"]) == (len(upw), len(upw))   # the size as drawn
    again = empty_crc("sample", "-p", "crc", "--population", population, "--fieldwork", "2019-09-16",
                      "--name", "new")
    assert again.exit_code == 1 and "already in inspection 'new'" in again.stderr
    assert len(store.case_ids("new")) == len(picked) - 1        # all or nothing (one was deleted)
    wrong = empty_crc("sample", "-p", "pdu", "--population", population, "--fieldwork", "2019-09-16",
                      "--into", "new")
    assert wrong.exit_code == 1


def test_import_in_progress_accepts_a_selection_without_answers(empty_crc, store, tmp_path):
    from test_sampling import synthetic_population
    population = synthetic_population(tmp_path / "population.csv")
    selected = tmp_path / "selected.csv"
    assert empty_crc("sample", "-p", "crc", "--population", population, "--fieldwork", "2019-09-16",
                     "--output", selected).exit_code == 0
    refused = empty_crc("import", selected, "--into", "new")
    assert refused.exit_code == 1 and "summary judgement missing" in refused.stderr
    imported = empty_crc("import", selected, "--into", "new", "--in-progress")
    assert imported.exit_code == 0, imported.stderr
    statuses = {status for _, status in store.cases_with_status("new")}
    assert statuses == {"in-progress"}


# --------------------------------------------------------------------------------------
# 5. One vocabulary
# --------------------------------------------------------------------------------------


def test_signoff_takes_user_and_keeps_by_as_an_alias(tv, store):
    assert tv("signoff", "--name", "tv", "--user", "chair").exit_code == 0
    assert store.audit_trail("tv")[-1].who == "chair"
    assert tv("unlock", "--name", "tv", "--reason", "again").exit_code == 0
    assert tv("signoff", "--name", "tv", "--by", "deputy chair").exit_code == 0
    assert store.audit_trail("tv")[-1].who == "deputy chair"


def test_import_case_files_with_name_as_into_does(tv, store, tmp_path):
    case_file = tmp_path / "more.csv"
    header = store.case("tv", "U-001")[0] if "U-001" in store.case_ids("tv") else None
    exported = tv("export", "--name", "tv", "--output", tmp_path / "out")
    assert exported.exit_code == 0, exported.stderr
    lines = (tmp_path / "out" / "upw.csv").read_text().splitlines()
    first = lines[1].split(",")
    first[0] = "U-NEW"
    case_file.write_text(lines[0] + "\n" + ",".join(first) + "\n")
    result = tv("import", case_file, "--name", "tv")
    assert result.exit_code == 0, result.stderr
    assert "U-NEW" in store.case_ids("tv")
    del header


def test_verbose_after_the_subcommand_and_completion(inspect_cli):
    import subprocess
    import sys

    from hmip_inspect.core.cli.app import hoist_verbose
    assert hoist_verbose(["status", "--name", "x", "--verbose"]) == ["--verbose", "status", "--name", "x"]
    assert hoist_verbose(["case", "add", "--", "-v"]) == ["case", "add", "--", "-v"]
    inspect = Path(sys.executable).parent / "inspect"
    ran = subprocess.run([inspect, "run", "--profile", "no-such-profile", "--verbose"],
                         capture_output=True, text=True)
    assert ran.returncode == 1 and "Traceback" in ran.stderr           # --verbose took effect
    assert "--install-completion" in inspect_cli("--help").stdout


def test_required_options_are_marked_in_help(inspect_cli):
    for command in (("judgement",), ("case", "delete"), ("decision", "withdraw"), ("sample",)):
        shown = inspect_cli(*command, "--help")
        assert shown.exit_code == 0, command
        assert "[required]" in shown.stdout or "(required)" in shown.stdout, command


def test_placeholder_evidence_is_refused(tv, example, tmp_path, inspect_cli):
    refused = tv("judgement", "--name", "tv", "--standard", "1.1", "--rating", "Good",
                 "--evidence", "Evidence summary.")
    assert refused.exit_code == 1 and "placeholder" in refused.stderr
    judgements = example / "judgements.toml"
    text = judgements.read_text()
    start = text.index('evidence = "', text.index('standard = "1.1"'))
    end = text.index('"\n', start + 12)
    judgements.write_text(text[:start] + 'evidence = "Evidence summary."' + text[end + 1:])
    run = inspect_cli("run", "--inspection", example)
    assert run.exit_code == 1 and "placeholder" in run.stderr


def test_init_template_for_crc_has_a_commented_moderation(inspect_cli, tmp_path):
    assert inspect_cli("init", tmp_path / "new", "--profile", "crc").exit_code == 0
    text = (tmp_path / "new" / "judgements.toml").read_text()
    assert "# [[moderation]]" in text and '# standard = "4.1"' in text


def test_readiness_names_the_command_not_judgements_toml(tv, store):
    assert tv("decision", "withdraw", "--name", "tv", "--kind", "judgement", "--standard", "1.1",
              "--reason", "redo").exit_code == 0
    refused = tv("signoff", "--name", "tv", "--user", "chair")
    assert refused.exit_code == 1
    assert "inspect judgement --name tv" in refused.stderr and "judgements.toml" not in refused.stderr


# --------------------------------------------------------------------------------------
# 6. The pooled comparator tells the truth
# --------------------------------------------------------------------------------------


def _import_nps(inspect_cli, store_url, tmp_path, name, *, synthetic=True):
    import shutil
    folder = tmp_path / name
    shutil.copytree(EXAMPLES / "nps", folder)
    if not synthetic:
        info = folder / "inspection.toml"
        info.write_text(info.read_text().replace("synthetic = true", "synthetic = false"))
    imported = inspect_cli("import", folder, "--db", store_url, "--name", name)
    assert imported.exit_code == 0, imported.stderr


def test_pooled_comparator_pools_like_with_like_and_never_one_inspection(inspect_cli, store_url, tmp_path):
    for name, synthetic in (("east", False), ("west", False), ("north", True), ("south", True)):
        _import_nps(inspect_cli, store_url, tmp_path, name, synthetic=synthetic)

    def report(name):
        result = inspect_cli("report", "--db", store_url, "--name", name, "--format", "json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout), result.stderr

    model, note = report("east")                    # one other real inspection: no comparator
    assert model["comparators"] == [] and "no comparator: only one other nps inspection" in note
    _import_nps(inspect_cli, store_url, tmp_path, "central", synthetic=False)
    model, note = report("east")
    [pooled] = model["comparators"]
    assert pooled["label"] == "All providers in the store (2 inspections)"
    assert sorted(pooled["inspections"]) == ["central", "west"]          # never the synthetic ones
    model, note = report("north")                   # synthetic: only the other synthetic one
    assert model["comparators"] == [] and "synthetic" in note
    _import_nps(inspect_cli, store_url, tmp_path, "isle", synthetic=True)
    [pooled] = report("north")[0]["comparators"]
    assert "synthetic" in pooled["label"] and sorted(pooled["inspections"]) == ["isle", "south"]


def test_going_back_and_changing_what_a_rule_read_asks_the_implied_question(tv, store):
    result = tv("case", "add", "T-960", "--name", "tv", "--sample", "ttg", input="none\ny\n<\nn\nn\nq\n")
    assert result.exit_code == 0, result.stderr
    case, _ = store.case("tv", "T-960")
    assert (case.answer("T 1.7"), case.answer("4.2.1.a")) == ("no", "no")
    reasons = [e.reason for e in store.audit_trail("tv", "T-960") if e.item == "4.2.1.a"]
    assert reasons[0] == "implied by a rule of the catalogue"
    assert reasons[1] == "no longer implied: T 1.7 was changed"


# --------------------------------------------------------------------------------------
# The whole fieldwork, as a team runs it
# --------------------------------------------------------------------------------------


def test_a_whole_fieldwork_from_the_drawn_sample_to_sign_off(empty_crc, store, store_url, tmp_path):
    """Draw the sample into the store; capture a case at a real terminal; bring the other
    cases' answers in from a case file (replacing the drawn cases); correct, check the status,
    record the decisions and sign off."""
    import csv
    import sys

    import pexpect
    from test_sampling import synthetic_population
    population = synthetic_population(tmp_path / "population.csv")
    drawn = empty_crc("sample", "-p", "crc", "--population", population, "--fieldwork", "2019-09-16",
                      "--into", "new", "--user", "lead")
    assert drawn.exit_code == 0, drawn.stderr
    selected: dict[str, list[str]] = {}
    for case_id, sample in sorted(store.case_ids("new").items()):
        selected.setdefault(sample, []).append(case_id)

    # One Through the Gate case captured at the terminal, answer by answer.
    captured = selected["ttg"][0]
    child = pexpect.spawn(str(Path(sys.executable).parent / "inspect"),
                          ["case", "edit", captured, "--name", "new", "--db", store_url, "--user", "inspector"],
                          encoding="utf-8", timeout=60, dimensions=(40, 200))
    while True:         # y to a yes/no question, the first listed answer to any other
        found = child.expect([r"\((y/n|1 [^;]*|free answer);[^\n]*q stop\)", "is complete",
                              "still in progress", pexpect.EOF])
        if found != 0:
            break
        choices = child.match.group(1)
        child.sendline("y" if choices == "y/n" else "-" if choices == "free answer" else "1")
    assert found == 1, child.before
    child.expect(pexpect.EOF)
    assert store.case("new", captured)[1] == "complete"

    # The other cases: the example's answers, written into a case file under the drawn ids.
    rows = []
    for sample in ("domain2", "upw", "ttg"):
        with (EXAMPLES / "crc" / "cases" / f"{sample}.csv").open(newline="") as handle:
            reader = csv.DictReader(handle)
            example_rows = list(reader)
        ids = [case_id for case_id in selected[sample] if case_id != captured]
        for case_id, row in zip(ids, example_rows):
            rows.append({**row, "case_id": case_id})
        for extra in ids[len(example_rows):]:          # more drawn than the example has
            assert empty_crc("case", "delete", extra, "--name", "new", "--reason", "left the area",
                             "--user", "lead").exit_code == 0
    for sample in ("domain2", "upw", "ttg"):
        mine = [row for row in rows if row["sample"] == sample]
        path = tmp_path / f"{sample}.csv"
        with path.open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(mine[0]))
            writer.writeheader()
            writer.writerows(mine)
    imported = empty_crc("import", *(tmp_path / f"{s}.csv" for s in ("domain2", "upw", "ttg")),
                         "--into", "new", "--replace", "--user", "lead")
    assert imported.exit_code == 0, imported.stderr

    # Corrections, each audited.
    edited = empty_crc("inspection", "edit", "--name", "new", "--provider", "Test CRC (corrected)",
                       "--reason", "typo", "--user", "lead")
    assert edited.exit_code == 0, edited.stderr

    # Status: the cases are in, the judgements are due; sign-off is refused saying so.
    status = json.loads(empty_crc("status", "--name", "new", "--format", "json").stdout)
    assert all(sample["in_progress"] == 0 for sample in status["samples"])
    refused = empty_crc("signoff", "--name", "new", "--user", "chair")
    assert refused.exit_code == 1 and "missing judgement" in refused.stderr
    for standard in ("1.1", "1.2", "1.3", "1.4"):
        recorded = empty_crc("judgement", "--name", "new", "--standard", standard, "--rating", "Good",
                             "--evidence", f"Synthetic evidence for {standard}.", "--user", "lead")
        assert recorded.exit_code == 0, recorded.stderr
    rated = empty_crc("run", "--name", "new")
    assert rated.exit_code == 0 and "Overall:" in rated.stdout
    signed = empty_crc("signoff", "--name", "new", "--user", "chair", "--reason", "panel met")
    assert signed.exit_code == 0, signed.stderr
    after = json.loads(empty_crc("status", "--name", "new", "--format", "json").stdout)
    assert after["state"] == "signed off"
    actions = {entry.action for entry in store.audit_trail("new")}
    assert {"sample", "answer", "replace", "delete", "inspection", "judgement", "sign-off"} <= actions
