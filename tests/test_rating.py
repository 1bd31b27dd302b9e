"""Rating inspections end to end: the bundled example and the rules that need judgements."""

import csv
import importlib.util
import json
from pathlib import Path

import pytest
from conftest import EXAMPLE
from hmip_inspect.core.errors import InputError

# The Thames Valley CRC report (seed 002): ratings page and key-question tables.
PUBLISHED = {
    "1.1": "Good", "1.2": "Good", "1.3": "Good", "1.4": "Good",
    "2.1": "Good", "2.2": "Good", "2.3": "Inadequate", "2.4": "Inadequate",
    "4.1": "Good", "4.2": "Outstanding",
}
PUBLISHED_KEY_QUESTIONS = {
    "2.1.1": 65, "2.1.2": 81, "2.1.3": 70, "2.2.1": 74, "2.2.2": 74, "2.2.3": 61,
    "2.3.1": 67, "2.3.2": 44, "2.3.3": 47, "2.4.1": 57, "2.4.2": 59, "2.4.3": 42,
    "4.1.1": 83, "4.1.2": 83, "4.1.4": 74, "4.2.1": 93, "4.2.2": 79, "4.2.3": 100,
}


def rate_json(inspect_cli, *args):
    result = inspect_cli("run", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def assert_refused(inspect_cli, example, *fragments):
    result = inspect_cli("run", "--profile", "crc", "--inspection", example)
    assert result.exit_code == 1, result.stdout
    for fragment in fragments:
        assert fragment in result.stderr, f"{fragment!r} not in:\n{result.stderr}"
    assert "Traceback" not in result.stderr + result.stdout
    return result


def by_id(data):
    return {s["id"]: s for s in data["standards"]}


def test_bundled_example_reproduces_the_report(inspect_cli):
    data = rate_json(inspect_cli, "--profile", "crc")
    standards = by_id(data)
    assert {sid: s["rating"] for sid, s in standards.items()} == PUBLISHED
    assert data["overall"] == {
        "score": 17, "max_score": 30, "rating": "Good",
        "bands": [{"rating": "Inadequate", "from": 0, "to": 5},
                  {"rating": "Requires improvement", "from": 6, "to": 15},
                  {"rating": "Good", "from": 16, "to": 25},
                  {"rating": "Outstanding", "from": 26, "to": 30}],
    }
    percents = {kq["id"]: kq["percent"] for s in data["standards"] for kq in s["key_questions"]
                if kq["percent"] is not None}
    assert percents == PUBLISHED_KEY_QUESTIONS
    assert data["synthetic"] is True


def test_keeping_others_safe_excludes_low_rosh_cases(inspect_cli):
    standards = by_id(rate_json(inspect_cli, "--profile", "crc"))
    kqs = {kq["id"]: kq for s in standards.values() for kq in s["key_questions"]}
    for kq_id in ("2.1.3", "2.2.3", "2.3.3", "2.4.3"):
        assert kqs[kq_id]["applicable"] == 79
    assert kqs["2.1.1"]["applicable"] == 100
    assert (kqs["2.2.3"]["yes"], kqs["2.2.3"]["band"]) == (48, "Requires improvement")


def test_panel_uplifts_and_indicative_ratings_are_reported(inspect_cli):
    standards = by_id(rate_json(inspect_cli, "--profile", "crc"))
    planning, ttg = standards["2.2"], standards["4.2"]
    assert planning["indicative_rating"] == "Requires improvement"
    assert planning["lowest_key_question"] == "2.2.3"
    assert planning["judgement_eligibility"]["up"] is True
    [adjustment] = planning["adjustments"]
    assert adjustment["direction"] == "up" and adjustment["applied"] is True
    assert "65%" in adjustment["rationale"]
    assert ttg["indicative_rating"] == "Good" and ttg["rating"] == "Outstanding"
    assert standards["2.3"]["judgement_eligibility"]["eligible"] is False
    assert standards["4.1"]["adjustments"] == []


def test_domain_one_carries_the_lead_inspectors_evidence(inspect_cli):
    standards = by_id(rate_json(inspect_cli, "--profile", "crc"))
    assert standards["1.1"]["rated_by"] == "judgement"
    assert standards["1.1"]["evidence"]
    assert standards["1.1"]["key_questions"] == []


def write_judgements(folder, extra: str, keep_panel: bool = True):
    path = folder / "judgements.toml"
    text = path.read_text()
    if not keep_panel:
        text = text[: text.index("[[panel]]")]
    path.write_text(text + "\n" + extra)


MODERATION = """
[[moderation]]
standard = "4.1"
direction = "{direction}"
rationale = "Observed projects offered {direction} evidence of rehabilitative work."
ratified = {ratified}
"""


@pytest.mark.parametrize("direction, ratified, rating", [
    ("up", "true", "Outstanding"),
    ("down", "true", "Requires improvement"),
    ("up", "false", "Good"),
    ("down", "false", "Good"),
])
def test_unpaid_work_moderation(inspect_cli, example, direction, ratified, rating):
    write_judgements(example, MODERATION.format(direction=direction, ratified=ratified))
    data = rate_json(inspect_cli, "--profile", "crc", "--inspection", example)
    upw = by_id(data)["4.1"]
    assert upw["indicative_rating"] == "Good"
    assert upw["rating"] == rating
    [adjustment] = upw["adjustments"]
    assert adjustment["applied"] is (ratified == "true")
    assert "4.1.3" in adjustment["source"]
    assert data["overall"]["score"] == 17 + {"Outstanding": 1, "Requires improvement": -1, "Good": 0}[rating]


def test_moderation_of_a_standard_without_a_qualitative_key_question_is_refused(inspect_cli, example):
    write_judgements(example, MODERATION.format(direction="up", ratified="true").replace('"4.1"', '"2.3"'))
    assert_refused(inspect_cli, example, "no plugin moderates standard 2.3")


def test_moderation_without_rationale_is_refused(inspect_cli, example):
    write_judgements(example, '[[moderation]]\nstandard = "4.1"\ndirection = "up"\nrationale = ""\nratified = true\n')
    assert_refused(inspect_cli, example, "rationale is required")


def set_summaries(folder, sample, question, answers):
    """Overwrite ``question``'s answers in the first cases of ``cases/<sample>.csv``."""
    path = folder / "cases" / f"{sample}.csv"
    rows = list(csv.reader(path.open(newline="")))
    column = rows[0].index(question)
    changed = 0
    for row in rows[1:]:
        if changed < len(answers) and row[column] != answers[changed]:
            row[column] = answers[changed]
            changed += 1
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)


@pytest.mark.parametrize("moderation, panel, expected", [
    ("up", "up", "Outstanding"),        # one band in all, not two
    ("down", "up", "Good"),             # opposite moves cancel
])
def test_a_moderation_and_a_panel_decision_on_one_standard_move_it_one_band_at_most(
        inspect_cli, example, moderation, panel, expected):
    """rules.combined_move: seed 002 footnote 39 and Annex 2 "Rating unpaid work"."""
    set_summaries(example, "upw", "4.1.4", ["yes"])  # 26/35 (74%) -> 27/35 (77%): eligible up
    data = rate_json(inspect_cli, "--profile", "crc", "--inspection", example)
    unpaid = by_id(data)["4.1"]
    assert unpaid["rating"] == "Good" and unpaid["judgement_eligibility"]["up"] is True
    write_judgements(example, MODERATION.format(direction=moderation, ratified="true")
                     + f'[[panel]]\nstandard = "4.1"\ndirection = "{panel}"\nrationale = "x"\n')
    rated = by_id(rate_json(inspect_cli, "--profile", "crc", "--inspection", example))["4.1"]
    assert rated["rating"] == expected
    assert [(a["source"].split(" (")[0], a["direction"], a["applied"]) for a in rated["adjustments"]] == [
        ("qualitative moderation", moderation, True), ("professional judgement", panel, True)]


def test_panel_decision_on_an_ineligible_standard_is_refused(inspect_cli, example):
    write_judgements(example, '[[panel]]\nstandard = "2.3"\ndirection = "up"\nrationale = "We liked it."\n')
    assert_refused(inspect_cli, example, "standard 2.3 is not eligible for professional judgement up", "2.3.2 is at 44% (44/100)")


def test_panel_can_move_an_eligible_standard_down(inspect_cli, example):
    # 2.1's lowest key question, 2.1.1, is at 65%: on the boundary, so eligible down.
    write_judgements(example, '[[panel]]\nstandard = "2.1"\ndirection = "down"\nrationale = "Assessment of diversity was weak."\n')
    data = rate_json(inspect_cli, "--profile", "crc", "--inspection", example)
    assessment = by_id(data)["2.1"]
    assert assessment["judgement_eligibility"]["down"] is True
    assert assessment["rating"] == "Requires improvement"
    assert data["overall"]["score"] == 16


def test_panel_without_uplifts_rates_the_example_lower(inspect_cli, example):
    write_judgements(example, "", keep_panel=False)
    data = rate_json(inspect_cli, "--profile", "crc", "--inspection", example)
    assert by_id(data)["2.2"]["rating"] == "Requires improvement"
    assert by_id(data)["4.2"]["rating"] == "Good"
    assert data["overall"]["score"] == 15
    assert data["overall"]["rating"] == "Requires improvement"


def test_panel_decision_needs_a_rationale(inspect_cli, example):
    write_judgements(example, '[[panel]]\nstandard = "2.1"\ndirection = "down"\n')
    assert_refused(inspect_cli, example, "[[panel]] #3", "rationale")


def test_missing_judgements_list_every_missing_standard(inspect_cli, example):
    text = (example / "judgements.toml").read_text()
    start = text.index("[[judgement]]")
    end = text.index("[[panel]]")
    (example / "judgements.toml").write_text(text[:start] + text[end:])
    assert_refused(inspect_cli, example, "missing judgement for standard(s) 1.1, 1.2, 1.3, 1.4")


def test_judgement_for_a_case_rated_standard_is_refused(inspect_cli, example):
    write_judgements(example, '[[judgement]]\nstandard = "2.3"\nrating = "Good"\nevidence = "x"\n')
    assert_refused(inspect_cli, example, "standard 2.3 is rated from its cases")


def test_judgement_rating_must_be_spelled_as_published(inspect_cli, example):
    text = (example / "judgements.toml").read_text().replace('rating = "Good"', 'rating = "Satisfactory"', 1)
    (example / "judgements.toml").write_text(text)
    assert_refused(inspect_cli, example, "'Satisfactory'", "Requires improvement")


def test_markdown_and_table_formats(inspect_cli):
    table = inspect_cli("run", "--profile", "crc")
    assert table.exit_code == 0
    assert "Overall: Good (17/30)" in table.stdout
    assert "2.3 Implementation and delivery" in table.stdout
    markdown = inspect_cli("run", "--profile", "crc", "--format", "markdown")
    assert "| 4.2 Through the Gate | Outstanding[^2] |" in markdown.stdout
    assert "**Overall rating: Good** (score 17/30)" in markdown.stdout


def test_unknown_format_is_refused(inspect_cli):
    result = inspect_cli("run", "--profile", "crc", "--format", "xml")
    assert result.exit_code == 1
    assert "table, json, markdown" in result.stderr


def test_rate_api_refuses_with_all_problems(session, example):
    write_judgements(example,
                     '[[panel]]\nstandard = "2.3"\ndirection = "up"\nrationale = "a"\n'
                     '[[panel]]\nstandard = "2.4"\ndirection = "up"\nrationale = "b"\n')
    with pytest.raises(InputError) as caught:
        session.run("crc", example)
    assert {p.where for p in caught.value.problems} == {
        "judgements.toml [[panel]] #3", "judgements.toml [[panel]] #4"}


def test_bundled_example_is_what_the_generator_writes(tmp_path):
    """The committed CSVs and TOML are exactly tools/make_crc_example.py's output."""
    script = Path(__file__).resolve().parents[1] / "tools" / "make_crc_example.py"
    spec = importlib.util.spec_from_file_location("make_crc_example", script)
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    assert generator.main([str(tmp_path)]) == 0
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert written == sorted(p.relative_to(EXAMPLE) for p in EXAMPLE.rglob("*")
                             if p.is_file() and p.relative_to(EXAMPLE).parts[0] != "qa")
    # qa/: the synthetic second assessment, tools/make_crc_second_assessment.py's (test_qa_report.py)
    for relative in written:
        assert (tmp_path / relative).read_bytes() == (EXAMPLE / relative).read_bytes(), relative
