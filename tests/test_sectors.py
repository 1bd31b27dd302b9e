"""Every sector's inspection: the NPS, Probation Service (PDU) and YOT profiles, their
plugins' rules as the seeds state them, and their bundled synthetic examples."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import shutil
import sys
from pathlib import Path

import pytest
from hmip_inspect.core.catalogue.records import Rating
from hmip_inspect.core.errors import InputError
from hmip_inspect.core.plugin.manager import build_plugin_manager
from hmip_inspect.core.session import Session
from hmip_inspect.plugins.courtwork.guideline import load_guideline, rar_days_for
from plugin_fixtures import CATALOGUE_PLUGIN, FakeSite

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "plugins" / "profiles" / "examples"
R, I, RI, G, O = Rating, Rating.INADEQUATE, Rating.REQUIRES_IMPROVEMENT, Rating.GOOD, Rating.OUTSTANDING

#: profile -> (edition, scored standards, rated beside, reported, overall bands)
PROFILES = {
    "crc": ("2019", ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "4.1", "4.2"], [], [],
            [(I, 0, 5), (RI, 6, 15), (G, 16, 25), (O, 26, 30)]),
    "nps": ("2019", ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2"], [], [],
            [(I, 0, 5), (RI, 6, 15), (G, 16, 25), (O, 26, 30)]),
    "pdu": ("2021", ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "2.5"], [], ["2.6", "2.7"],
            [(I, 0, 4), (RI, 5, 13), (G, 14, 22), (O, 23, 27)]),
    "yot": ("youth-2021", ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4",
                           "3.1", "3.2", "3.3", "3.4"], ["4.1"], [],
            [(I, 0, 6), (RI, 7, 18), (G, 19, 30), (O, 31, 36)]),
}


@pytest.fixture
def catalogue(session):
    return session.catalogue


def kq(catalogue, edition: str, kq_id: str):
    standard = catalogue.standard(edition, kq_id.rsplit(".", 1)[0])
    return next(k for k in standard.key_questions if k.id == kq_id)


def question(catalogue, edition: str, standard_id: str, qid: str):
    standard = catalogue.standard(edition, standard_id)
    return next(q for k in standard.key_questions for q in (k.summary, *k.prompts) if q.id == qid)


def run_json(inspect_cli, *args) -> dict:
    result = inspect_cli("run", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def copy_example(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(EXAMPLES / name, target)
    return target


def edit_rows(path: Path, change, new_column: str | None = None) -> None:
    """Rewrite a case file, passing each row (a dict) through ``change``."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
        header = list(rows[0]) + ([new_column] if new_column else [])
    for row in rows:
        change(row)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


# --------------------------------------------------------------------------------------
# Profiles: standards, score range and bands are data
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_profile_standards_and_bands(session, name):
    edition, scored, beside, reported, bands = PROFILES[name]
    profile = session.profile(name)
    assert profile.edition == edition
    assert list(profile.standards) == scored
    assert (list(profile.rated_beside), list(profile.reported)) == (beside, reported)
    assert profile.max_score == 3 * len(scored) == bands[-1][2]
    assert list(profile.overall_bands.ranges) == bands
    assert not profile.bands_derived


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_overall_rating_at_every_band_edge(session, name):
    profile = session.profile(name)
    for rating, low, high in PROFILES[name][4]:
        assert profile.overall_bands.band(low) is rating
        assert profile.overall_bands.band(high) is rating
        if low:
            assert profile.overall_bands.band(low - 1) is Rating(rating - 1)
    with pytest.raises(ValueError):
        profile.overall_bands.band(profile.max_score + 1)


@pytest.mark.parametrize("name", ["nps", "pdu", "yot"])
def test_bundled_example_runs_and_scores_only_scored_standards(inspect_cli, name):
    report = run_json(inspect_cli, "--profile", name)
    _edition, scored, beside, reported, bands = PROFILES[name]
    assert report["synthetic"] is True
    assert [s["id"] for s in report["standards"]] == scored + beside + reported
    roles = {s["id"]: s["role"] for s in report["standards"]}
    assert roles == {**{s: "scored" for s in scored}, **{s: "rated" for s in beside},
                     **{s: "reported" for s in reported}}
    total = sum(s["score"] for s in report["standards"] if s["role"] == "scored")
    assert report["overall"]["score"] == total
    assert all(s["score"] is None for s in report["standards"] if s["role"] != "scored")
    assert report["overall"]["max_score"] == bands[-1][2]
    rating = next(r for r, low, high in bands if low <= total <= high)
    assert report["overall"]["rating"] == rating.label


@pytest.mark.parametrize("name", ["nps", "pdu", "yot"])
def test_bundled_example_is_the_generators_output(tmp_path, monkeypatch, name):
    script = ROOT / "tools" / "make_example.py"
    spec = importlib.util.spec_from_file_location("make_example", script)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "make_example", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    module.generate(name, tmp_path)
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    bundled = sorted(p.relative_to(EXAMPLES / name) for p in (EXAMPLES / name).rglob("*") if p.is_file())
    assert written == bundled
    for relative in written:
        assert (tmp_path / relative).read_bytes() == (EXAMPLES / name / relative).read_bytes(), relative


def test_standards_command_lists_each_profiles_standards(inspect_cli):
    result = inspect_cli("standards", "--profile", "pdu", "--no-prompts")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "score 0-27 over 9 scored standards: Inadequate 0-4, Requires improvement 5-13" in out
    assert "2.1 Court work  [domain2 cases; plugin courtwork]" in out
    assert "2.7 Statutory victim work  [victims cases; reported, not rated; plugin victims]" in out
    assert "2.2.1 Does assessment focus sufficiently on engaging the person on probation?  (A 1, A 1 S)" in out
    yot = inspect_cli("standards", "--profile", "yot", "--no-prompts").stdout
    assert "score 0-36 over 12 scored standards" in yot
    assert "4.1 Resettlement policy and provision (wording not confirmed)  [lead inspector's judgement, illustrated by resettlement cases; rated, not scored" in yot
    assert "excluded from the sample where 4.1.child.a is yes and home_yot is no and " \
           "assessment_responsibility is no" in yot


def test_profiles_command_lists_every_sector(inspect_cli):
    out = inspect_cli("profiles").stdout
    for line in ("crc      10 standards, 0-30", "nps      10 standards, 0-30",
                 "pdu       9 standards (+2 unscored), 0-27", "yot      12 standards (+1 unscored), 0-36"):
        assert line in out


# --------------------------------------------------------------------------------------
# Applicability and implied answers, each on both sides
# --------------------------------------------------------------------------------------


def test_starred_questions_do_not_apply_to_unpaid_work_only_cases(catalogue):
    starred = question(catalogue, "2021", "2.3", "P 2.01")
    assert starred.applies({"disposal": "community"}) and starred.applies({"disposal": "post-custody"})
    assert not starred.applies({"disposal": "upw-only"})
    plain = question(catalogue, "2021", "2.3", "P 2.02")
    assert plain.applies({"disposal": "upw-only"})


@pytest.mark.parametrize("edition, standard, qid", [
    ("2021", "2.4", "D 1.01"), ("2021", "2.4", "D 3.01"), ("2019", "2.3", "2.3.1.d")])
def test_post_custody_only_questions(catalogue, edition, standard, qid):
    q = question(catalogue, edition, standard, qid)
    assert q.applies({"disposal": "post-custody"})
    assert not q.applies({"disposal": "community"}) and not q.applies({"disposal": "upw-only"})


@pytest.mark.parametrize("kq_id", ["2.2.3", "2.3.3", "2.4.3", "2.5.3"])
def test_keeping_others_safe_is_yes_where_there_were_no_harm_factors(catalogue, kq_id):
    rule = kq(catalogue, "2021", kq_id).implied
    assert rule.answer == "yes"
    assert rule.when.evaluate({"harm_factors": "no"}, {}) is True
    assert rule.when.evaluate({"harm_factors": "yes"}, {}) is False


def test_reviewing_compliance_is_yes_where_no_reviewing_was_needed(catalogue):
    rule = kq(catalogue, "2021", "2.5.1").implied
    assert rule.answer == "yes"
    assert rule.when.evaluate({"compliance_review_needed": "no"}, {}) is True
    assert rule.when.evaluate({"compliance_review_needed": "yes"}, {}) is False
    assert kq(catalogue, "2021", "2.5.2").implied is None


def test_rosh_classification_and_whether_it_was_reasonable(catalogue):
    classification = question(catalogue, "2021", "2.2", "A 3.07")
    assert classification.answers == ("very-high", "high", "medium", "low")
    assert question(catalogue, "2021", "2.2", "A 3.09").answers == ("yes", "no")


@pytest.mark.parametrize("edition, kq_id", [("2021", "2.7.2"), ("2021", "2.7.3"),
                                            ("2019", "3.2.3"), ("2019", "3.2.4")])
def test_victim_questions_only_where_the_victim_opted_in(catalogue, edition, kq_id):
    key_question = kq(catalogue, edition, kq_id)
    assert key_question.applies({"victim_opted_in": "yes"})
    assert not key_question.applies({"victim_opted_in": "no"})
    first = kq(catalogue, edition, "2.7.1" if edition == "2021" else "3.2.1")
    assert first.applies({"victim_opted_in": "no"})


def test_v_1_05_is_an_information_question(catalogue):
    assert question(catalogue, "2021", "2.7", "V 1.05").kind.value == "information"


def test_court_work_applies_where_a_report_was_prepared(catalogue):
    court = kq(catalogue, "2021", "2.1.1")
    assert court.applies({"court_report": "yes"}) and not court.applies({"court_report": "no"})
    assert [p.id for p in court.prompts][:2] == ["CW 1.02", "CW 1.03"]


def test_carag_codes_are_stable_aliases_across_editions(catalogue):
    from hmip_inspect.core.catalogue.index import question_index
    index_2019, _ = question_index(catalogue.in_edition("2019"))
    index_2021, _ = question_index(catalogue.in_edition("2021"))
    assert index_2019["A 1 S"].question.id == "2.1.1"     # 2019: 2.1 is assessment
    assert index_2021["A 1 S"].question.id == "2.2.1"     # 2021: 2.1 is court work
    assert index_2019["CW 1.10"].question.id == "3.1.1.c"
    assert index_2021["CW 1.10"].question.id == "CW 1.10"


def test_no_resettlement_needs_correctly_identified_answers_t_1_1_positively(catalogue):
    plan = question(catalogue, "2019", "4.2", "4.2.1.a")
    assert plan.aliases == ("T 1.1",)
    assert plan.implied.when.evaluate({}, {"T 1.6": "none", "T 1.7": "yes"}) is True
    assert plan.implied.when.evaluate({}, {"T 1.6": "accommodation", "T 1.7": "yes"}) is False
    assert plan.implied.when.evaluate({}, {"T 1.6": "none", "T 1.7": "no"}) is False
    pathways = question(catalogue, "2019", "4.2", "T 1.6")
    assert pathways.multiple and "none" in pathways.answers and "accommodation" in pathways.answers
    assert question(catalogue, "2019", "4.2", "T 1.7 level").answers == ("1", "2", "3")


def test_upw_codes_map_onto_the_2019_key_questions(catalogue):
    from hmip_inspect.core.catalogue.index import question_index
    index, key_aliases = question_index([catalogue.standard("2019", "4.1")])
    assert {code: index[code].question.id for code in ("U 1.1", "U 1.3", "U 2.2", "U 3.5", "U 3 S")} == {
        "U 1.1": "U 1.1", "U 1.3": "4.1.1.b", "U 2.2": "4.1.2.a", "U 3.5": "4.1.4.c", "U 3 S": "4.1.4"}
    assert key_aliases["U 3"].id == "4.1.4"


def test_pdu_implied_answer_end_to_end(session, tmp_path):
    folder = copy_example("pdu", tmp_path)
    cases = folder / "cases" / "domain2.csv"

    def clear_safe_summary(row):
        if row["harm_factors"] == "no":
            row["2.2.3"] = ""
    edit_rows(cases, clear_safe_summary)
    _, inspection, _ = session.run("pdu", folder)
    no_factors = [c for c in inspection.cases if c.attributes.get("harm_factors") == "no"]
    assert no_factors and all(c.answer("2.2.3") == "yes" for c in no_factors)

    def contradict(row):
        if row["harm_factors"] == "no":
            row["2.2.3"] = "no"
    edit_rows(cases, contradict)
    with pytest.raises(InputError) as caught:
        Session(pm=build_plugin_manager()).run("pdu", folder)
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == len(no_factors)
    assert all("column '2.2.3'" in p and "contradicts the rule: where harm_factors is no" in p
               for p in problems)


# --------------------------------------------------------------------------------------
# Youth resettlement: exclusion from the sample, judged not computed, "not rated"
# --------------------------------------------------------------------------------------


def test_looked_after_child_of_another_yot_is_excluded(catalogue):
    [exclusion] = catalogue.standard("youth-2021", "4.1").exclusions
    looked_after = {"4.1.child.a": "yes"}
    assert exclusion.when.evaluate({"home_yot": "no", "assessment_responsibility": "no"}, looked_after) is True
    assert exclusion.when.evaluate({"home_yot": "yes", "assessment_responsibility": "no"}, looked_after) is False
    assert exclusion.when.evaluate({"home_yot": "no", "assessment_responsibility": "yes"}, looked_after) is False
    assert exclusion.when.evaluate({}, {"4.1.child.a": "no"}) is False          # not looked after
    assert exclusion.when.evaluate({}, looked_after) == "home_yot"               # undecidable


def _resettlement(folder: Path, change) -> None:
    edit_rows(folder / "cases" / "resettlement.csv", change)


def test_exclusion_end_to_end_records_the_reason(session, tmp_path):
    folder = copy_example("yot", tmp_path)

    def looked_after_elsewhere(row):
        row["4.1.child.a"] = "yes"
        row["home_yot"] = "no" if row["case_id"].endswith("1") else "yes"
        row["assessment_responsibility"] = "no"
    _resettlement(folder, looked_after_elsewhere)
    _, inspection, result = session.run("yot", folder)
    excluded = [c.case_id for c in inspection.excluded]
    assert excluded and all(case_id.endswith("1") for case_id in excluded)
    assert [e.case_id for e in result.excluded] == excluded
    assert all("excluded from the inspection sample" in e.reason for e in result.excluded)
    resettlement = next(s for s in result.standards if s.id == "4.1")
    assert resettlement.cases == len(inspection.cases_in("resettlement"))
    assert resettlement.role == "rated" and resettlement.score is None


def test_exclusion_needs_home_yot_for_a_looked_after_child(session, tmp_path):
    folder = copy_example("yot", tmp_path)

    def unknown_home(row):
        row["4.1.child.a"] = "yes"
        row["home_yot"] = ""
    _resettlement(folder, unknown_home)
    with pytest.raises(InputError) as caught:
        session.run("yot", folder)
    problems = [str(p) for p in caught.value.problems]
    assert problems and all("column 'home_yot'" in p and "needed to decide whether the case is excluded" in p
                            for p in problems)


def test_resettlement_is_not_rated_without_a_relevant_case(session, tmp_path, inspect_cli):
    folder = copy_example("yot", tmp_path)

    def everyone_excluded(row):
        row.update({"4.1.child.a": "yes", "home_yot": "no", "assessment_responsibility": "no"})
    _resettlement(folder, everyone_excluded)
    with pytest.raises(InputError) as caught:      # the example's judgement of 4.1 is now refused
        session.run("yot", folder)
    assert "standard 4.1 is not rated: no case of the 'resettlement' sample remains" in str(caught.value.problems)
    judgements = folder / "judgements.toml"
    text = judgements.read_text()
    start = text.index('[[judgement]]\nstandard = "4.1"')
    judgements.write_text(text[:start])
    report = run_json(inspect_cli, "--profile", "yot", "--inspection", folder)
    resettlement = next(s for s in report["standards"] if s["id"] == "4.1")
    assert resettlement["rating"] is None and "no relevant case" in resettlement["note"]
    table = inspect_cli("run", "--profile", "yot", "--inspection", folder).stdout
    assert "4.1 Resettlement" in table and "Not rated (not scored)" in table


def test_a_scored_standard_that_cannot_be_rated_is_refused_by_name(session, tmp_path):
    """Scoring 4.1 (not rated without a relevant case) leaves nothing to add to the score."""
    folder = copy_example("yot", tmp_path)
    _resettlement(folder, lambda row: row.update(
        {"4.1.child.a": "yes", "home_yot": "no", "assessment_responsibility": "no"}))
    judgements = folder / "judgements.toml"
    text = judgements.read_text()
    judgements.write_text(text[:text.index('[[judgement]]\nstandard = "4.1"')])
    yot = (ROOT / "plugins" / "profiles" / "yot.toml").read_text(encoding="utf-8")
    scored = (yot.replace('name = "yot"', 'name = "yot-scored"')
              .replace('"3.3", "3.4"]\nrated_beside = ["4.1"]', '"3.3", "3.4", "4.1"]')
              .replace("outstanding = [31, 36]", "outstanding = [31, 39]")
              .replace('example = "examples/yot"\n', ""))
    assert scored.count('"4.1"') == 1
    profile = tmp_path / "yot-scored.toml"
    profile.write_text(scored, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        session.run(str(profile), folder)
    assert "standard 4.1 counts in the score but is not rated: no relevant case" in str(caught.value)


# --------------------------------------------------------------------------------------
# A profile mixing built-in and third-party standards
# --------------------------------------------------------------------------------------

PARTNER_2021 = """
    [catalogue]
    edition = "2021"
    source = "Partner Ltd, example unpaid-work standard for tests"

    [[standard]]
    id = "3.1"
    title = "Unpaid work delivery (partner)"
    domain = 3
    rated_by = "cases"
    sample = "domain2"

    [[standard.key_question]]
    id = "3.1.1"
    text = "Is unpaid work delivered well?"
    applies_to = { disposal = ["upw-only"] }
"""


def test_pdu_profile_extended_with_a_third_party_standard(tmp_path, monkeypatch, inspect_cli):
    FakeSite(tmp_path / "site", monkeypatch).install(
        "partner", CATALOGUE_PLUGIN, files={"standards.toml": PARTNER_2021})
    profile = tmp_path / "pdu-partner.toml"
    profile.write_text('[profile]\nname = "pdu-partner"\nextends = "pdu"\n'
                       'add_plugins = ["partner"]\nadd_standards = ["3.1"]\n', encoding="utf-8")
    folder = copy_example("pdu", tmp_path)

    def answer_partner(row):
        row["3.1.1"] = ("yes" if row["case_id"] < "DOM-030" else "no") if row["disposal"] == "upw-only" else ""
    edit_rows(folder / "cases" / "domain2.csv", answer_partner, new_column="3.1.1")

    before = run_json(inspect_cli, "--profile", "pdu")
    after = run_json(inspect_cli, "--profile", profile, "--inspection", folder)
    partner = next(s for s in after["standards"] if s["id"] == "3.1")
    assert partner["plugin"] == "partner" and partner["role"] == "scored"
    assert partner["key_questions"][0]["applicable"] > 0
    assert after["overall"]["max_score"] == 30
    assert after["overall"]["score"] == before["overall"]["score"] + partner["score"]
    assert [(b["from"], b["to"]) for b in after["overall"]["bands"]] == [(0, 5), (6, 15), (16, 25), (26, 30)]
    assert [s["id"] for s in after["standards"]][-3:] == ["3.1", "2.6", "2.7"]


# --------------------------------------------------------------------------------------
# Court work reference data: the OGRS guideline for RAR days (seed 001, CW 1.15)
# --------------------------------------------------------------------------------------


def test_rar_guideline_bands():
    assert [(b.ogrs_min, b.ogrs_max, b.rar_days_min, b.rar_days_max) for b in load_guideline()] == [
        (0, 24, None, None), (25, 49, 1, 15), (50, 74, 15, 25), (75, 100, 25, 60)]


@pytest.mark.parametrize("ogrs, days", [(0, None), (24, None), (25, (1, 15)), (49, (1, 15)),
                                        (50, (15, 25)), (74, (15, 25)), (75, (25, 60)), (100, (25, 60))])
def test_rar_days_for_each_band_edge(ogrs, days):
    band = rar_days_for(ogrs)
    assert ((band.rar_days_min, band.rar_days_max) if band.recommended else None) == days


@pytest.mark.parametrize("bad, error", [(-1, ValueError), (101, ValueError), (3.5, TypeError), (True, TypeError)])
def test_rar_days_for_refuses_scores_outside_the_scale(bad, error):
    with pytest.raises(error):
        rar_days_for(bad)
