"""Catalogue rules beyond yes/no prompts, on a third-party plugin of its own edition.

The plugin ``ward`` ships one catalogue (edition ``ward-1``) using every newer field of
``docs/catalogue-format.md``: an information section, closed, several-answer and free
answers, implied answers conditioned on an attribute and on another question, a sample
exclusion, and a judgement-rated standard illustrated by cases that is "not rated" without
them. A user profile rates two standards, rates one beside the score and reports one.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from hmip_inspect.core.errors import InputError, PluginError
from hmip_inspect.core.plugin.manager import build_plugin_manager
from hmip_inspect.core.session import Session
from plugin_fixtures import FakeSite, checked_catalogue

WARD_PLUGIN = """
    from pathlib import Path

    from hmip_inspect.core import hookimpl
    from hmip_inspect.core.catalogue.records import Attribute


    @hookimpl
    def hmip_catalogues():
        return [Path(__file__).with_name("standards.toml")]


    @hookimpl
    def hmip_case_attributes():
        return [Attribute("harm_factors", "any factor related to risk of harm", ("yes", "no")),
                Attribute("home_unit", "the inspected unit is the home unit", ("yes", "no"))]
"""

WARD_CATALOGUE = """
    [catalogue]
    edition = "ward-1"
    source = "synthetic test catalogue"

    [[standard]]
    id = "5.1"
    title = "Assessment"
    domain = 5
    rated_by = "cases"
    sample = "ward"

    [[standard.key_question]]
    id = "5.1.1"
    text = "Does assessment keep other people safe?"
    aliases = ["W 1"]
    summary_aliases = ["W 1 S"]
    implied_answer = { answer = "yes", when = { harm_factors = ["no"] }, note = "no harm factors" }

    [[standard.key_question.prompt]]
    id = "W 1.01"
    text = "Were checks made?"

    [[standard.key_question.prompt]]
    id = "W 1.02"
    text = "What is the classification?"
    kind = "information"
    answers = ["high", "medium", "low"]

    [[standard.key_question.prompt]]
    id = "W 1.03"
    text = "Which needs did the person have?"
    kind = "information"
    answers = ["housing", "work", "none"]
    multiple = true

    [[standard.key_question.prompt]]
    id = "W 1.04"
    text = "Was a plan made?"
    implied_answer = { answer = "yes", when = { "W 1.03" = ["none"] }, note = "no needs" }

    [[standard.key_question]]
    id = "W 2"
    text = "Additional information"
    evidence = "information"

    [[standard.key_question.prompt]]
    id = "W 2.01"
    text = "What language does the person prefer?"
    kind = "information"
    answers = []

    [[standard]]
    id = "5.2"
    title = "Reviewing"
    domain = 5
    rated_by = "cases"
    sample = "ward"

    [[standard.key_question]]
    id = "5.2.1"
    text = "Does reviewing happen?"

    [[standard]]
    id = "5.3"
    title = "Resettlement"
    domain = 5
    rated_by = "judgement"
    sample = "moves"
    not_rated_without_cases = true

    [[standard.exclusion]]
    when = { "5.3.info.a" = ["yes"], home_unit = ["no"] }
    reason = "looked after elsewhere"

    [[standard.key_question]]
    id = "5.3.1"
    text = "Is resettlement well led?"
    evidence = "qualitative"

    [[standard.key_question]]
    id = "5.3.info"
    text = "Information about the person"
    evidence = "information"

    [[standard.key_question.prompt]]
    id = "5.3.info.a"
    text = "Was the person looked after?"
    kind = "information"

    [[standard]]
    id = "5.4"
    title = "Outcomes"
    domain = 5
    rated_by = "cases"
    sample = "ward"

    [[standard.key_question]]
    id = "5.4.1"
    text = "Was there progress?"
"""

WARD_PROFILE = """
    [profile]
    name = "ward"
    edition = "ward-1"
    plugins = ["ward"]
    standards = ["5.1", "5.2"]
    rated_beside = ["5.3"]
    reported = ["5.4"]
"""

HEADER = "case_id,sample,harm_factors,W 1 S,W 1.01,W 1.02,W 1.03,W 1.04,W 2.01,5.2.1,5.4.1\n"
GOOD_ROWS = [
    "c1,ward,yes,yes,yes,High,housing;work,yes,Cymraeg,yes,yes",
    "c2,ward,no,,no,low,none,,,yes,no",
    "c3,ward,yes,no,no,medium,work,no,English,no,no",
]
MOVES = "case_id,sample,home_unit,5.3.info.a\nm1,moves,yes,yes\nm2,moves,no,yes\nm3,moves,no,no\n"
JUDGEMENT = '[[judgement]]\nstandard = "5.3"\nrating = "Good"\nevidence = "Meetings and cases."\n'


@pytest.fixture
def ward(tmp_path, monkeypatch) -> Path:
    FakeSite(tmp_path / "site", monkeypatch).install(
        "ward", WARD_PLUGIN, files={"standards.toml": WARD_CATALOGUE})
    profile = tmp_path / "ward.toml"
    profile.write_text(textwrap.dedent(WARD_PROFILE), encoding="utf-8")
    return profile


def inspection(root: Path, rows=GOOD_ROWS, moves: str | None = MOVES,
               judgements: str = JUDGEMENT) -> Path:
    folder = root / "inspection"
    (folder / "cases").mkdir(parents=True)
    (folder / "inspection.toml").write_text(
        '[inspection]\nprovider = "Ward (synthetic)"\nprofile = "ward"\nsynthetic = true\n')
    (folder / "cases" / "ward.csv").write_text(HEADER + "\n".join(rows) + "\n")
    if moves is not None:
        (folder / "cases" / "moves.csv").write_text(moves)
    (folder / "judgements.toml").write_text(judgements)
    return folder


def rate(profile: Path, folder: Path):
    session = Session(pm=build_plugin_manager())
    return session.run(str(profile), folder)


def problems_of(excinfo) -> str:
    return "\n".join(str(p) for p in excinfo.value.problems)


def test_closed_multiple_and_free_answers_are_tallied(ward, tmp_path):
    _, loaded, result = rate(ward, inspection(tmp_path))
    c1 = next(c for c in loaded.cases if c.case_id == "c1")
    assert c1.answer("W 1.02") == "high"             # closed answers compare case-insensitively
    assert c1.answer("W 2.01") == "Cymraeg"          # a free answer is kept as written
    assessment = next(s for s in result.standards if s.id == "5.1")
    kq, info = assessment.key_questions
    prompts = {p.id: p for p in kq.prompts}
    assert dict(prompts["W 1.02"].counts) == {"high": 1, "medium": 1, "low": 1}
    assert dict(prompts["W 1.03"].counts) == {"housing": 1, "work": 2, "none": 1}
    assert prompts["W 1.02"].percent is None and prompts["W 1.01"].percent == 33
    assert info.evidence == "information" and info.band is None
    assert [(p.id, p.answered, p.counts) for p in info.prompts] == [("W 2.01", 2, ())]


def test_implied_answers_fill_empty_cells(ward, tmp_path):
    _, loaded, result = rate(ward, inspection(tmp_path))
    c2 = next(c for c in loaded.cases if c.case_id == "c2")
    assert c2.answer("5.1.1") == "yes"               # no harm factors: summary implied 'yes'
    assert c2.answer("W 1.04") == "yes"              # no needs (W 1.03 = none): plan implied 'yes'
    kq = next(s for s in result.standards if s.id == "5.1").key_questions[0]
    assert (kq.yes, kq.applicable) == (2, 3)


def test_an_answer_contradicting_an_implied_one_is_refused(ward, tmp_path):
    rows = [GOOD_ROWS[0], "c2,ward,no,no,no,low,none,no,,yes,no", GOOD_ROWS[2]]
    with pytest.raises(InputError) as excinfo:
        rate(ward, inspection(tmp_path, rows))
    text = problems_of(excinfo)
    assert "cases/ward.csv row 3, column '5.1.1'" in text
    assert "contradicts the rule: where harm_factors is no, the answer is 'yes'" in text
    assert "column 'W 1.04'" in text and "W 1.03 is none" in text


def test_answers_outside_the_list_are_reported_each(ward, tmp_path):
    rows = ["c1,ward,yes,yes,yes,extreme,housing;garden,yes,,yes,yes", GOOD_ROWS[1],
            "c3,ward,yes,no,no,medium,work;none,no,English,no,no"]
    with pytest.raises(InputError) as excinfo:
        rate(ward, inspection(tmp_path, rows))
    text = problems_of(excinfo)
    assert "column 'W 1.02'" in text and "'extreme' is not allowed; expected high, medium, low" in text
    assert "'garden' is not allowed" in text and "several separated by ';'" in text
    assert "row 4, column 'W 1.03': 'none' cannot be combined with other answers" in text


def test_exclusion_leaves_a_case_out_with_its_reason(ward, tmp_path):
    _, loaded, result = rate(ward, inspection(tmp_path))
    assert [(c.case_id, c.excluded) for c in loaded.excluded] == [("m2", "looked after elsewhere")]
    assert [c.case_id for c in loaded.cases_in("moves")] == ["m1", "m3"]
    assert [(e.case_id, e.reason) for e in result.excluded] == [("m2", "looked after elsewhere")]
    resettlement = next(s for s in result.standards if s.id == "5.3")
    assert resettlement.cases == 2 and resettlement.rating.label == "Good"


def test_exclusion_needing_a_missing_value_is_reported(ward, tmp_path):
    moves = "case_id,sample,home_unit,5.3.info.a\nm1,moves,,yes\nm2,moves,,no\n"
    with pytest.raises(InputError) as excinfo:
        rate(ward, inspection(tmp_path, moves=moves))
    text = problems_of(excinfo)
    assert "cases/moves.csv row 2, column 'home_unit'" in text
    assert "needed to decide whether the case is excluded" in text
    assert "row 3" not in text   # m2 was not looked after: home_unit does not matter


def test_judgement_standard_without_relevant_cases_is_not_rated(ward, tmp_path):
    moves = "case_id,sample,home_unit,5.3.info.a\nm2,moves,no,yes\n"   # its only case is excluded
    _, _, result = rate(ward, inspection(tmp_path, moves=moves, judgements=""))
    resettlement = next(s for s in result.standards if s.id == "5.3")
    assert resettlement.rating is None and resettlement.rating_label == "Not rated"
    assert "no relevant case" in resettlement.note


def test_a_judgement_for_a_standard_that_is_not_rated_is_refused(ward, tmp_path):
    with pytest.raises(InputError) as excinfo:
        rate(ward, inspection(tmp_path, moves=None))
    assert "standard 5.3 is not rated: no case of the 'moves' sample remains" in problems_of(excinfo)


def test_a_judgement_is_required_once_there_are_cases(ward, tmp_path):
    with pytest.raises(InputError) as excinfo:
        rate(ward, inspection(tmp_path, judgements=""))
    assert "missing judgement for standard(s) 5.3" in problems_of(excinfo)


def test_rated_beside_and_reported_standards_stay_out_of_the_score(ward, tmp_path):
    profile, _, result = rate(ward, inspection(tmp_path))
    roles = {s.id: (s.role, s.rating_label, s.score) for s in result.standards}
    assert roles["5.3"] == ("rated", "Good", None)
    assert roles["5.4"] == ("reported", "Reported, not rated", None)
    assert roles["5.1"][0] == roles["5.2"][0] == "scored"
    assert result.score == roles["5.1"][2] + roles["5.2"][2]
    assert result.max_score == profile.max_score == 6
    outcomes = next(s for s in result.standards if s.id == "5.4")
    assert (outcomes.key_questions[0].yes, outcomes.key_questions[0].applicable) == (1, 3)


def test_a_panel_decision_on_a_reported_standard_is_refused(ward, tmp_path):
    panel = JUDGEMENT + '[[panel]]\nstandard = "5.4"\ndirection = "up"\nrationale = "x"\n'
    with pytest.raises(InputError) as excinfo:
        rate(ward, inspection(tmp_path, judgements=panel))
    assert "standard '5.4' is not rated by this profile" in problems_of(excinfo)


def test_cli_shows_roles_and_exclusions(ward, tmp_path, inspect_cli):
    folder = inspection(tmp_path)
    table = inspect_cli("run", "--profile", ward, "--inspection", folder)
    assert table.exit_code == 0, table.stderr
    assert "Good (not scored)" in table.stdout
    assert "Reported, not rated" in table.stdout
    assert "Excluded from the 'moves' sample: case m2 (looked after elsewhere)" in table.stdout
    data = json.loads(inspect_cli("run", "--profile", ward, "--inspection", folder,
                                  "--format", "json").stdout)
    assert data["excluded_cases"] == [{"case_id": "m2", "sample": "moves",
                                       "reason": "looked after elsewhere"}]
    listing = inspect_cli("standards", "--profile", ward)
    assert "5.3 Resettlement  [lead inspector's judgement, illustrated by moves cases; rated, not scored" \
        in listing.stdout
    assert "['yes' where harm_factors is no]" in listing.stdout
    assert "[information]  [one or more of: housing, work, none]" in listing.stdout


@pytest.mark.parametrize("field, value, message", [
    ('implied_answer = { answer = "maybe", when = { harm_factors = ["no"] }, note = "n" }',
     None, "'maybe' is not one of its answers"),
    ('implied_answer = { answer = "yes", when = { weather = ["wet"] }, note = "n" }',
     None, "'weather' is neither a declared case attribute nor a question of the 'ward' sample"),
    ('multiple = true\nanswers = []', None, "needs a closed list of answers"),
])
def test_bad_rule_fields_are_reported_with_the_plugin(tmp_path, monkeypatch, field, value, message):
    catalogue = WARD_CATALOGUE.replace('    text = "Were checks made?"',
                                       '    text = "Were checks made?"\n    ' + field)
    FakeSite(tmp_path / "site", monkeypatch).install(
        "ward", WARD_PLUGIN, files={"standards.toml": catalogue})
    with pytest.raises(PluginError) as excinfo:
        checked_catalogue()
    assert "ward" in str(excinfo.value) and message in str(excinfo.value)


def test_bad_ids_and_sections_are_reported(tmp_path, monkeypatch):
    catalogue = (WARD_CATALOGUE.replace('id = "W 1.01"', 'id = "X 9.01"')
                 .replace('id = "W 2"', 'id = "5.1.2"\n    summary_aliases = ["W 2 S"]'))
    FakeSite(tmp_path / "site", monkeypatch).install(
        "ward", WARD_PLUGIN, files={"standards.toml": catalogue})
    with pytest.raises(PluginError) as excinfo:
        checked_catalogue()
    text = str(excinfo.value)
    assert "expected 5.1.1.<letter> or 'W 1.<nn>', found 'X 9.01'" in text
    assert "an information section is named by its CARaG code" in text
    assert "a key question with information evidence has no summary judgement" in text
