"""Issue 12: every question and rule of the seeds, exactly.

Tests that read the seeds' wording follow tests/test_catalogue.py: the seeds sit beside the
checkout (``<repo>/../shared/seeds``) and those tests are skipped when they are absent.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from pathlib import Path

import pytest

from hmip_inspect.core.errors import InputError
from hmip_inspect.core.rating.rate import prompt_result
from hmip_inspect.core.catalogue.records import Evidence, QuestionKind
from hmip_inspect.core.inspection.tally import Tallies

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
CARAG_2018 = SEEDS / "000_b7599fcf1ea9074c.txt"
CARAG_2021 = SEEDS / "001_fef14ebe9a882ab3.txt"
THAMES_VALLEY = SEEDS / "002_2af1b95d74127f04.txt"
needs_seeds = pytest.mark.skipif(not CARAG_2018.exists(), reason="seeds not beside the checkout")


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"</?[a-z]+[^>]*>", " ", text.replace("*", " "))
    return re.sub(r"\s+", " ", text).strip().lower()


def seed_text(path: Path) -> str:
    return _norm(path.read_text(encoding="utf-8"))


def located(session, edition: str, question_id: str):
    from hmip_inspect.core.catalogue.index import question_index
    index, _ = question_index(session.catalogue.in_edition(edition))
    return index[question_id]


def write_rows(path: Path, header: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def read_rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames), list(reader)


# ----------------------------------------------------------------------- item 1: questions


def test_t21_is_an_information_question_of_4_2_2(session):
    where = located(session, "2019", "T 2.1")
    assert where.key_question.id == "4.2.2"
    assert where.question.kind is QuestionKind.INFORMATION
    assert [p.id for p in where.key_question.prompts][:2] == ["T 2.1", "4.2.2.a"]


@needs_seeds
def test_t21_and_t22_answer_wording_stand_in_seed_000(session):
    seed = seed_text(CARAG_2018)
    assert _norm(located(session, "2019", "T 2.1").question.text) in seed
    assert "no, there were no resettlement needs" in seed


def test_no_resettlement_needs_is_left_out_of_the_denominator(session):
    question = located(session, "2019", "4.2.2.a").question
    assert question.answers == ("yes", "no", "no-resettlement-needs")
    assert question.not_counted == ("no-resettlement-needs",)
    rows = [("4.2.2.a", "yes", 6), ("4.2.2.a", "no", 2), ("4.2.2.a", "no-resettlement-needs", 4)]
    result = prompt_result(question, Tallies.from_rows(rows, {"ttg": 12}))
    assert (result.yes, result.answered, result.percent) == (6, 8, 75)
    assert dict(result.counts) == {"yes": 6, "no": 2, "no-resettlement-needs": 4}


def test_i1_diversity_question_is_catalogued(session):
    where = located(session, "2021", "I 1.02")
    assert where.key_question.id == "I 1"
    assert where.key_question.evidence is Evidence.INFORMATION
    assert where.question.kind is QuestionKind.INFORMATION
    assert where.standard.sample == "domain2"


@needs_seeds
def test_i1_wording_stands_in_seed_001(session):
    assert _norm(located(session, "2021", "I 1.02").question.text) in seed_text(CARAG_2021)


PARTS = {("2019", "4.1.1.a"): ("U 1.1", "U 1.2"), ("2019", "4.1.4.a"): ("U 3.1", "U 3.2"),
         ("2019", "2.1.1.b"): ("A 1.02", "A 1.03"), ("2019", "2.2.1.b"): ("P 1.02", "P 1.03")}


@pytest.mark.parametrize("edition, prompt", sorted(PARTS))
def test_each_carag_question_is_its_own_entry(session, edition, prompt):
    joined = located(session, edition, prompt)
    assert joined.question.parts == PARTS[edition, prompt]
    assert not set(joined.question.aliases) & set(PARTS[edition, prompt])
    for part in PARTS[edition, prompt]:
        where = located(session, edition, part)
        assert where.question.id == part and where.key_question.id == joined.key_question.id


def _with_parts(example: Path, answers) -> Path:
    path = example / "cases" / "upw.csv"
    header, rows = read_rows(path)
    at = header.index("4.1.1.a") + 1
    header[at:at] = ["U 1.1", "U 1.2"]
    for row, (prompt, u11, u12) in zip(rows, answers):
        row.update({"4.1.1.a": prompt, "U 1.1": u11, "U 1.2": u12})
    write_rows(path, header, rows)
    return example


def test_a_prompt_is_derived_from_its_parts(session, example):
    _with_parts(example, [("", "yes", "yes"), ("", "yes", "no"), ("no", "no", "")])
    _, inspection, result = session.run("crc", example)
    answers = {case.case_id: case.answers for case in inspection.cases}
    assert answers["UPW-01"]["4.1.1.a"] == "yes"
    assert answers["UPW-02"]["4.1.1.a"] == "no"
    prompts = {p.id: p for s in result.standards for kq in s.key_questions for p in kq.prompts}
    assert (prompts["U 1.2"].yes, prompts["U 1.2"].answered) == (1, 2)


def test_a_prompt_contradicting_its_parts_is_refused(session, example):
    _with_parts(example, [("yes", "yes", "no")])
    with pytest.raises(InputError, match="contradicts its parts"):
        session.run("crc", example)


def test_answer_scales_of_u34_and_u37(session):
    assert located(session, "2019", "U 3.4").question.answers == ("always", "sometimes", "never")
    assert located(session, "2019", "U 3.7").question.answers == ("no", "once", "two-or-more")


@pytest.mark.parametrize("code, linked", [("D 2.05", "A 2.02"), ("D 2.06", "A 2.04"),
                                          ("D 3.07", "A 3.04"), ("O 1.01", "A 2.02"),
                                          ("O 1.02", "A 2.04"), ("O 1.04", "A 3.04")])
def test_per_factor_questions_follow_their_factors(session, code, linked):
    assert located(session, "2021", code).question.per_factor_of == linked


def test_a202_has_its_own_list_with_resettlement_factors(session):
    answers = located(session, "2021", "A 2.02").question.answers
    assert {"mental-health", "domestic-abuse-victim", "previous-sex-worker",
            "personal-relationships-and-community", "other-complex-needs"} <= set(answers)


def test_per_factor_answers_are_counted_per_factor(session):
    question = located(session, "2021", "D 2.05").question
    rows = [("D 2.05", "accommodation=yes;drug-misuse=no", 3), ("D 2.05", "accommodation=no", 1)]
    result = prompt_result(question, Tallies.from_rows(rows, {"domain2": 4}))
    assert dict(result.counts) == {"accommodation=yes": 3, "accommodation=no": 1, "drug-misuse=no": 3}
    assert (result.yes, result.answered, result.percent) == (3, 7, 43)


def test_per_factor_answer_must_match_the_linked_factors(session, tmp_path):
    from hmip_inspect.core.inspection.case_schema import CaseSchema
    from hmip_inspect.core.errors import Problems
    standards = session.catalogue.in_edition("2021")
    schema = CaseSchema.build([s for s in standards if s.sample == "domain2"], session.catalogue)
    problems = Problems()
    schema.make_case("C1", "domain2", {"disposal": "community", "harm_factors": "yes"},
                     {"A 2.02": "accommodation;drug-misuse", "D 2.05": "accommodation=yes"},
                     "row 1", problems, complete=False)
    assert any("one factor each of those recorded at A 2.02" in p for p in map(str, problems.items))
    problems = Problems()
    schema.make_case("C2", "domain2", {"disposal": "community", "harm_factors": "yes"},
                     {"A 2.02": "accommodation;drug-misuse",
                      "D 2.05": "Accommodation=Yes;drug-misuse=no"}, "row 2", problems, complete=False)
    assert not [p for p in map(str, problems.items) if "D 2.05" in p]


def test_supplementary_questions_of_2_1_3_in_the_2019_catalogue(session):
    checks = located(session, "2019", "A 3.01")
    sharing = located(session, "2019", "A 3.02")
    assert checks.key_question.id == sharing.key_question.id == "2.1.3"
    assert checks.question.kind is sharing.question.kind is QuestionKind.INFORMATION
    assert sharing.question.not_counted == ("not-required",)


@needs_seeds
def test_supplementary_question_wording_stands_in_seed_002(session):
    seed = seed_text(THAMES_VALLEY)
    for code in ("A 3.01", "A 3.02"):
        assert _norm(located(session, "2019", code).question.text) in seed


def test_t16_lists_the_seven_pathway_headings(session):
    answers = located(session, "2019", "T 1.6").question.answers
    assert "personal-relationships-and-community" in answers


def test_ambiguities_are_written_beside_the_items():
    ttg = (ROOT / "plugins" / "ttg" / "standards.toml").read_text(encoding="utf-8")
    assert "five core factors" in ttg and "OUR DECISION" in ttg
    attributes = (ROOT / "plugins" / "case_attributes" / "__init__.py").read_text(encoding="utf-8")
    assert "no rehabilitative requirements" in attributes


# ----------------------------------------------------------------------- item 2: rules


def test_profile_assumptions_are_read_checked_and_inherited(session, tmp_path):
    from hmip_inspect.core.profiles.reader import load_profile_text, profile_to_toml
    crc = session.profile("crc")
    assert any("rounded half up" in a for a in crc.assumptions)
    assert any("at most one band" in a for a in crc.assumptions)
    child = tmp_path / "child.toml"
    child.write_text('[profile]\nname = "child"\nextends = "crc"\n'
                     'assumptions = ["A local assumption."]\n', encoding="utf-8")
    loaded = session.profile(str(child))
    assert loaded.assumptions == (*crc.assumptions, "A local assumption.")
    assert load_profile_text(profile_to_toml(loaded), "snapshot").assumptions == loaded.assumptions
    bad = tmp_path / "bad.toml"
    bad.write_text('[profile]\nname = "bad"\nextends = "crc"\nassumptions = "not a list"\n',
                   encoding="utf-8")
    with pytest.raises(Exception, match="assumptions"):
        session.profile(str(bad))


@pytest.mark.parametrize("name, phrase", [
    ("crc", "rounded half up"), ("nps", "NPS round used the CRC round"),
    ("pdu", "reported, not rated"), ("pdu", "23-27"), ("yot", "31-36"), ("yot", "not scored")])
def test_every_shipped_profile_lists_what_it_assumes(session, name, phrase):
    assert any(phrase in a for a in session.profile(name).assumptions)


def test_standards_command_prints_the_assumptions(inspect_cli, session):
    result = inspect_cli("standards", "--profile", "pdu", "--no-prompts")
    assert result.exit_code == 0, result.stderr
    for assumption in session.profile("pdu").assumptions:
        assert assumption in result.stdout


def test_report_notes_carry_the_assumptions(inspect_cli, session):
    result = inspect_cli("report", "--profile", "crc", "--format", "json")
    assert result.exit_code == 0, result.stderr
    text = json.dumps(json.loads(result.stdout))
    for assumption in session.profile("crc").assumptions:
        assert json.dumps(assumption)[1:-1] in text


def test_rule_citations_are_true():
    """Rules not in seed 002 Annex 2 are not cited as Annex 2's; they are called assumptions."""
    rules = (ROOT / "core" / "rating" / "rules.py").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "All from seed 002" not in readme
    assert "whose Annex 2 \"Ratings explained\" states the rules" not in rules
    section = readme[readme.index("## The rating rules"):readme.index("## Profiles")]
    for rule in ("rounded half up", "at most one band in all", "derives them", "0–27"):  # noqa: RUF001
        paragraph = next(p for p in section.split("\n- ") if rule in p)
        assert "**assumption" in paragraph, rule
    assert "ASSUMPTION" in rules.split("Banding the whole percentage")[1].split("*")[0]
    assert "ASSUMPTION" in rules.split("moves at most one band in all")[1].split("*")[0]


# ----------------------------------------------------------------------- item 3: youth wording

YOUTH_KEY_QUESTIONS = {f"{s}.{k}" for s in ("2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3")
                       for k in (1, 2, 3)}


def test_every_unconfirmed_youth_key_question_is_flagged_in_data(session):
    standards = session.catalogue.in_edition("youth-2021")
    flagged = {kq.id for s in standards for kq in s.key_questions if not kq.wording_confirmed}
    assert flagged == YOUTH_KEY_QUESTIONS                 # the 21 of the research notes
    unconfirmed = {s.id for s in standards if not s.wording_confirmed}
    assert unconfirmed == {"1.1", "1.2", "1.3", "1.4", "2.2", "2.3", "2.4",
                           "3.1", "3.2", "3.3", "3.4", "4.1"}
    adult = session.catalogue.in_edition("2019")
    assert all(s.wording_confirmed and all(kq.wording_confirmed for kq in s.key_questions)
               for s in adult)


def test_wording_confirmed_must_be_a_boolean(tmp_path):
    from hmip_inspect.core.catalogue.reader import read_catalogue
    from hmip_inspect.core.errors import PluginError
    path = tmp_path / "bad.toml"
    path.write_text('[catalogue]\nedition = "x"\n\n[[standard]]\nid = "9.1"\ntitle = "T"\n'
                    'domain = 1\nrated_by = "judgement"\nwording_confirmed = "no"\n', encoding="utf-8")
    with pytest.raises(PluginError, match="wording_confirmed"):
        read_catalogue(path, "test", {})


def test_standards_command_flags_unconfirmed_wording(inspect_cli):
    result = inspect_cli("standards", "--profile", "yot", "--no-prompts")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    for kq_id in YOUTH_KEY_QUESTIONS:
        line = next(l for l in lines if l.startswith(f"  {kq_id} "))
        assert "(wording not confirmed)" in line
    assert "(wording not confirmed)" not in next(l for l in lines if l.startswith("2.1 "))


def test_json_results_carry_wording_confirmed_false(inspect_cli):
    result = inspect_cli("run", "--profile", "yot", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    kqs = {kq["id"]: kq for s in data["standards"] for kq in s["key_questions"]}
    assert all(kqs[k]["wording_confirmed"] is False for k in YOUTH_KEY_QUESTIONS if k in kqs)
    assert set(kqs) >= YOUTH_KEY_QUESTIONS
    standards = {s["id"]: s for s in data["standards"]}
    assert standards["2.2"]["wording_confirmed"] is False and "wording_confirmed" not in standards["2.1"]
    crc = json.loads(inspect_cli("run", "--profile", "crc", "--format", "json").stdout)
    assert "wording_confirmed" not in json.dumps(crc)


def test_report_marks_unconfirmed_wording(inspect_cli):
    result = inspect_cli("report", "--profile", "yot", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert "Does planning focus sufficiently on keeping the child safe? (wording not confirmed)" in result.stdout


# ----------------------------------------------------------------------- item 4: Thames Valley

CRC_EXAMPLE = ROOT / "plugins" / "profiles" / "examples" / "crc"

#: Every report figure issue 12 asks the example to reproduce: (label in the script's output,
#: published percentage).
REPORT_FIGURES = [
    ("A 3.01 domestic abuse checks undertaken", 85),
    ("A 3.02 child safeguarding information sharing", 79),
    ("2.1.1.b analysis of diversity and personal circumstances", 74),
    ("2.1.1.b impact considered, relevant cases", 58),
    ("2.1.2.a factors related to offending identified", 90),
    ("2.4.1.a (i) reviewing considers compliance", 70),
    ("2.4.1.a (ii) adjustments made to the plan", 53),
    ("2.1.1 community sentences", 76), ("2.1.1 licence supervision", 47),
    ("2.2.1 community sentences", 82), ("2.2.1 licence supervision", 61),
    ("2.2.1.a men", 70), ("2.2.1.a women", 57), ("2.2.1.b men", 76), ("2.2.1.b women", 54),
    ("2.2.3.d cases managed by PSOs", 30), ("2.3.3.a licence supervision", 48),
    ("U 3.7 work withdrawn or sent home, any occasion (20 of 35)", 57),
    ("U 3.4 reasons always recorded", 55), ("U 3.4 reasons sometimes recorded", 35),
]


def _generator():
    import importlib.util
    spec = importlib.util.spec_from_file_location("make_crc_example_12", ROOT / "tools" / "make_crc_example.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generator_checks_every_report_figure(tmp_path, capsys):
    generator = _generator()
    checked = {label: published for label, *_, published in generator.NARRATIVE_CHECKS}
    for label, published in REPORT_FIGURES:
        assert checked[label] == published, label
    assert generator.main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for label, published in REPORT_FIGURES:
        line = next(l for l in out.splitlines() if l.startswith(label))
        assert line.split()[-1] == f"{published}%" and f"{published}%" in line.split()[-2], line
    assert "4.2.2.a" in out and "no published figure" in next(l for l in out.splitlines() if "4.2.2.a" in l)


def test_generator_fails_when_a_report_figure_is_missed(tmp_path, capsys):
    generator = _generator()
    label, question, counted, among, where, published = generator.NARRATIVE_CHECKS[0]
    generator.NARRATIVE_CHECKS[0] = (label, question, counted, among, where, published + 1)
    assert generator.main([str(tmp_path)]) == 1
    assert f"ERROR: {label}" in capsys.readouterr().err


def test_4_2_2_a_has_no_assumed_figure():
    generator = _generator()
    assert generator.PROMPT_TARGETS["4.2.2.a"] is None
    readme = (CRC_EXAMPLE / "README.md").read_text(encoding="utf-8")
    assert "no published figure" in readme and "86%" not in readme


def test_prompt_comparators_are_read_and_reported(session, inspect_cli):
    generator = _generator()
    profile = session.profile("crc")
    inspection = session.inspection(profile)
    [previous] = [c for c in inspection.info.comparators if c.name == "previous"]
    assert {p: f.percent for p, f in previous.prompts.items()} == generator.PROMPT_PREVIOUS
    assert previous.prompt_figure("4.2.2.a").percent == 65         # Annex 4 previous column
    assert previous.prompt_figure("2.1.1.b") is None                 # "No data available"
    assert len(generator.PROMPT_PREVIOUS) == 62
    result = inspect_cli("report", "--profile", "crc", "--format", "json")
    data = json.loads(result.stdout)
    prompts = {p["id"]: p for s in data["standards"] for kq in s["key_questions"] for p in kq["prompts"]}
    assert prompts["2.1.1.a"]["comparisons"] == [{"label": previous.label, "percent": 76}]
    assert "comparisons" not in prompts["2.1.1.b"]


def test_prompt_comparator_figures_are_checked(tmp_path):
    from hmip_inspect.core.inspection.comparators import read_comparators
    from hmip_inspect.core.errors import Problems
    from hmip_inspect.core.tomlfile import Table, tomllib
    problems = Problems()
    data = tomllib.loads('[[comparator]]\nname = "previous"\nlabel = "P"\n[comparator.key_questions]\n'
                         '[comparator.prompts]\n"2.1.1.a" = { percent = 176 }\n')
    read_comparators(Table(data, "inspection.toml", problems))
    assert any("prompts" in str(p) and "percent" in str(p) for p in problems.items)


def test_bundled_crc_example_still_reproduces_17_of_30(session):
    _, _, result = session.run("crc")
    assert (result.score, result.rating.label) == (17, "Good")
    kqs = {kq.id: (kq.yes, kq.applicable) for s in result.standards for kq in s.key_questions
           if kq.evidence == "cases"}
    assert kqs == _generator().KEY_QUESTION_TARGETS


# ----------------------------------------------------------------------- item 5: court work


@pytest.mark.parametrize("edition, question_id", [("2021", "CW 1.15"), ("2019", "3.1.1.h")])
def test_capture_guidance_shows_the_rar_guideline(session, edition, question_id):
    """Capture shows a question's guidance on '?': CW 1.15's carries the OGRS table, kept
    equal to rar_guideline.csv (the data the courtwork plugin reads)."""
    from hmip_inspect.plugins.courtwork.guideline import load_guideline
    guidance = located(session, edition, question_id).question.guidance
    assert "guideline.py" not in guidance
    for band in load_guideline():
        assert f"OGRS {band.ogrs_min}–{band.ogrs_max}%: {band.guideline}" in guidance  # noqa: RUF001
    if edition == "2019":
        assert "whether the 2019 round used it is not in the seeds" in guidance


def test_run_output_lists_unconfirmed_wording(inspect_cli):
    for fmt in ("table", "markdown"):
        out = inspect_cli("run", "--profile", "yot", "--format", fmt).stdout
        line = next(l for l in out.splitlines() if l.startswith("Wording not confirmed"))
        assert "2.2.2" in line and "3.3.3" in line and "1.1" in line
    assert "Wording not confirmed" not in inspect_cli("run", "--profile", "crc").stdout


def test_standards_command_shows_how_questions_count(inspect_cli):
    out = inspect_cli("standards", "--profile", "crc").stdout
    line = next(l for l in out.splitlines() if l.strip().startswith("4.1.1.a "))
    assert "[made of U 1.1, U 1.2: yes only where all are yes]" in line
    line = next(l for l in out.splitlines() if l.strip().startswith("4.2.2.a "))
    assert "[no-resettlement-needs: left out of the percentage]" in line
    pdu = inspect_cli("standards", "--profile", "pdu").stdout
    assert "[yes or no for each factor recorded at A 2.02]" in next(
        l for l in pdu.splitlines() if l.strip().startswith("D 2.05 "))


def test_capture_prompt_explains_per_factor_answers(session, monkeypatch, capsys):
    import typer
    from hmip_inspect.core.cli import case as cli_store
    seen = []
    monkeypatch.setattr(typer, "prompt", lambda text, **_: seen.append(text) or "q")
    item = located(session, "2021", "D 2.05")
    assert cli_store._ask(None, "C1", item, 1, 1, "", "me", "") == "stop"
    assert "factor=yes or factor=no for each factor recorded at A 2.02" in seen[0]


def test_the_report_annex_shows_each_prompts_previous_figure(inspect_cli):
    """Annex 4 prints the previous inspection's figure per prompt; so does the report's annex."""
    html = inspect_cli("report", "--profile", "crc").stdout
    row = html[html.index('<tr id="prompt-2-1-1-a">'):]
    row = row[:row.index("</tr>")]
    assert row.endswith('<td class="num">76%</td>')                     # previous inspection
    markdown = inspect_cli("report", "--profile", "crc", "--format", "markdown").stdout
    line = next(line for line in markdown.splitlines() if line.startswith("| 2.1.1.a "))
    assert line.rstrip(" |").endswith("76%")
    assert "Previous inspection (2018)" in markdown


def test_the_report_counts_court_reports_outside_the_rar_guideline(inspect_cli, tmp_path):
    """CW 1.15's OGRS guideline: cases recording ogrs and rar_days are checked against it."""
    import csv
    import shutil
    folder = tmp_path / "nps"
    shutil.copytree(Path(__import__("hmip_inspect.plugins.profiles", fromlist=["x"]).__file__).parent
                    / "examples" / "nps", folder)
    path = folder / "cases" / "court.csv"
    rows = list(csv.reader(path.open(newline="")))
    rows[0] += ["ogrs", "rar_days"]
    recorded = [("30", "10"), ("30", "20"), ("10", "0"), ("10", "5"), ("80", "40"), ("x", "3")]
    for row, (ogrs, days) in zip(rows[1:], recorded + [("", "")] * len(rows)):
        row += [ogrs, days]
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    result = inspect_cli("report", "--inspection", folder, "--format", "json")
    assert result.exit_code == 0, result.stderr
    [section] = [s for s in json.loads(result.stdout)["sections"] if s["plugin"] == "courtwork"]
    assert section["paragraphs"][0].startswith("2 of 5 court reports")      # 30%: 20 days; 10%: 5 days
    assert [row[0] for row in section["rows"]] == [rows[2][0], rows[4][0]]
    assert "1 case(s) recorded an OGRS score or RAR days" in section["paragraphs"][1]
    plain = inspect_cli("report", "--profile", "nps", "--format", "json")      # records neither
    assert not [s for s in json.loads(plain.stdout)["sections"] if s["plugin"] == "courtwork"]


def test_capture_shows_the_guideline_for_the_cases_ogrs_score(inspect_cli, tmp_path, store_url):
    """CW 1.15 / 3.1.1.h: '?' at capture adds the guideline's days for the case's OGRS score
    (the courtwork plugin's hmip_capture_guidance), beside the whole table."""
    import csv
    import shutil
    folder = tmp_path / "nps"
    shutil.copytree(Path(__import__("hmip_inspect.plugins.profiles", fromlist=["x"]).__file__).parent
                    / "examples" / "nps", folder)
    path = folder / "cases" / "court.csv"
    rows = list(csv.reader(path.open(newline="")))
    rows[0] += ["ogrs"]
    for number, row in enumerate(rows[1:]):
        row.append("62" if number == 0 else "")
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    assert inspect_cli("import", folder, "--db", store_url, "--name", "nps").exit_code == 0
    guided = inspect_cli("case", "edit", rows[1][0], "--name", "nps", "--db", store_url,
                         "--question", "3.1.1.h", input="?\nq\n")
    assert guided.exit_code == 0, guided.stderr
    assert "OGRS 50–74%: 15–25 days" in guided.stdout  # noqa: RUF001 (the table, as the seed prints it)
    assert "This case: OGRS 62% - guideline 15–25 days" in guided.stdout  # noqa: RUF001
    other = inspect_cli("case", "edit", rows[2][0], "--name", "nps", "--db", store_url,
                        "--question", "3.1.1.h", input="?\nq\n")
    assert "This case records no usable OGRS score (none)" in other.stdout
