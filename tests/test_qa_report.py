"""Quality assurance in the profile and the report (issue 15): ``[qa]`` settings checked with
clear errors, the report's "Quality assurance" section in JSON (against the schema), HTML
and Markdown, and the bundled CRC example's synthetic second assessment end to end."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from hmip_inspect.core.errors import InputError
from hmip_inspect.core.profiles.reader import profile_to_toml
from hmip_inspect.core.qa.agreement import KEY_QUESTION, AssessedTwice, Question, measure
from hmip_inspect.core.report.model import report_schema
from hmip_inspect.core.report.quality import quality_section

EXAMPLE_QA = Path(__import__("hmip_inspect.plugins.profiles", fromlist=["x"]).__file__).parent / "examples" / "crc" / "qa"


def profile_file(tmp_path, qa: str) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(f'[profile]\nname = "mine"\nextends = "crc"\n[qa]\n{qa}\n', encoding="utf-8")
    return path


def test_qa_settings_are_read_and_kept_in_the_snapshot(session, tmp_path):
    profile = session.profile(str(profile_file(tmp_path, "kappa_warning = 0.4\npair_minimum = 3")))
    assert (profile.kappa_warning, profile.pair_minimum) == (0.4, 3)
    again = session.profile_from_text(profile_to_toml(profile), "snapshot")
    assert (again.kappa_warning, again.pair_minimum) == (0.4, 3)
    default = session.profile("crc")
    assert (default.kappa_warning, default.pair_minimum) == (0.6, 10)
    assert "[qa]" not in profile_to_toml(default)          # older snapshots stay equal


def test_bad_qa_settings_are_every_one_reported(session, tmp_path):
    path = profile_file(tmp_path, 'kappa_warning = 1.5\npair_minimum = 0\nkappa = "high"')
    with pytest.raises(InputError) as raised:
        session.profile(str(path))
    text = str(raised.value)
    assert "kappa_warning" in text and "expected a kappa from 0 to 1" in text and "1.5" in text
    assert "pair_minimum" in text and "expected a whole number from 1" in text
    assert "unknown key 'kappa'" in text
    with pytest.raises(InputError, match="kappa_warning"):
        session.profile(str(profile_file(tmp_path, 'kappa_warning = "0.6"')))


def pairs(first_second):
    return [AssessedTwice("x", f"C{i}", "s", "a", "b", {"1.1": f}, {"1.1": s})
            for i, (f, s) in enumerate(first_second)]


QUESTION = Question("1.1", KEY_QUESTION, "A key question?", ("yes", "no"))


def test_the_section_notes_a_kappa_below_the_profiles_threshold():
    report = measure(pairs([("yes", "yes")] * 6 + [("no", "no")] * 2 + [("yes", "no"), ("no", "yes")]),
                     [QUESTION])
    kappa = report.key_questions[0].result.kappa      # 8/10 agree: kappa 0.47
    low = quality_section(report, 0.6)
    assert low["cases"] == 10 and low["key_questions"][0]["below_warning"] is True
    assert any("1.1" in note and "below the profile's 0.60" in note for note in low["notes"])
    high = quality_section(report, round(kappa, 2) - 0.01)
    assert high["key_questions"][0]["below_warning"] is False and not high["notes"]
    assert quality_section(measure([], [QUESTION]), 0.6) is None


def test_an_undefined_kappa_is_shown_as_such_and_not_warned_of():
    section = quality_section(measure(pairs([("yes", "yes")] * 4), [QUESTION]), 0.6)
    assert section["key_questions"][0]["kappa"] is None and section["key_questions"][0]["ac1"] == 1.0
    assert section["rows"][0][3] == "n/a"
    assert section["notes"] == ["Kappa is n/a where both assessors gave every case the same answer "
                                "(chance agreement is then certain); AC1 is shown for those."]


@pytest.fixture
def assessed(inspect_cli, store_url, example):
    """The bundled example imported by its first assessor, and its synthetic second
    assessment by another."""
    def cli(*args):
        return inspect_cli(*args, "--db", store_url)
    assert cli("import", example, "--name", "tv", "--user", "first assessor").exit_code == 0
    second = cli("import", EXAMPLE_QA, "--into", "tv", "--second-assessment", "--user", "second assessor")
    assert second.exit_code == 0, second.stderr
    return cli


def test_the_example_ships_ten_synthetic_second_assessments(assessed):
    assert "SYNTHETIC" in (EXAMPLE_QA / "README.md").read_text(encoding="utf-8")
    shown = assessed("qa", "agreement", "--name", "tv")
    assert shown.exit_code == 0, shown.stderr
    assert "Cases assessed twice: 10" in shown.stdout and "Overall" in shown.stdout
    data = json.loads(assessed("qa", "agreement", "--name", "tv", "--format", "json").stdout)
    assert data["cases"] == 10
    assert {"2.1.1", "4.1.1", "4.2.1"} <= {kq["id"] for kq in data["key_questions"]}
    assert data["overall"]["agreement"] < 1 and data["overall"]["kappa"] is not None


def test_the_report_shows_the_section(assessed):
    data = json.loads(assessed("report", "--name", "tv", "--format", "json").stdout)
    jsonschema.Draft202012Validator(report_schema()).validate(data)
    quality = data["quality_assurance"]
    assert quality["cases"] == 10 and quality["kappa_warning"] == 0.6
    below = [kq["id"] for kq in quality["key_questions"] if kq["below_warning"]]
    assert below and all(any(kq in note for note in quality["notes"]) for kq in below)
    html = assessed("report", "--name", "tv").stdout
    assert 'id="quality-assurance"' in html and 'href="#quality-assurance"' in html
    assert "10 cases were assessed twice" in html
    markdown = assessed("report", "--name", "tv", "--format", "markdown").stdout
    assert "## Quality assurance" in markdown and "| Key question | Pairs |" in markdown


def test_the_section_says_how_many_disagreements_are_reconciled(assessed):
    """Not "disagreements were reconciled" while most are still open (a newcomer's finding):
    the section counts them, in its words and its JSON."""
    listed = json.loads(assessed("qa", "disagreements", "--name", "tv", "--format", "json").stdout)
    total = len(listed)
    assert total > 1

    def section():
        data = json.loads(assessed("report", "--name", "tv", "--format", "json").stdout)
        jsonschema.Draft202012Validator(report_schema()).validate(data)
        return data["quality_assurance"]
    before = section()
    assert before["disagreements"] == {"reconciled": 0, "total": total}
    assert f"has reconciled 0 of {total} disagreement(s)" in before["paragraphs"][0]
    first = listed[0]
    done = assessed("qa", "reconcile", first["case_id"], "--name", "tv", "--question", first["question"],
                    "--answer", first["second"], "--reason", "second look", "--user", "lead")
    assert done.exit_code == 0, done.stderr
    after = section()
    assert after["disagreements"] == {"reconciled": 1, "total": total}
    assert f"has reconciled 1 of {total} disagreement(s)" in after["paragraphs"][0]


def test_open_qa_work_is_shown_as_due_and_noted_at_sign_off(assessed):
    """Unreconciled disagreements and second assessments not submitted are listed as still due
    (status, and so the web application's inspection page), and noted when the inspection is
    signed off, which they do not prevent."""
    listed = json.loads(assessed("qa", "disagreements", "--name", "tv", "--format", "json").stdout)
    drawn = assessed("qa", "draw", "--name", "tv", "--share", "10", "--seed", "3", "--user", "lead")
    assert drawn.exit_code == 0, drawn.stderr
    due = json.loads(assessed("status", "--name", "tv", "--format", "json").stdout)["due"]
    assert any(f"{len(listed)} of {len(listed)} disagreement(s) not reconciled" in item for item in due)
    assert any("second assessment(s) not submitted" in item for item in due)
    signed = assessed("signoff", "--name", "tv", "--user", "chair")
    assert signed.exit_code == 0, signed.stderr
    assert "note: quality assurance:" in signed.stderr and "disagreement(s) not reconciled" in signed.stderr


def test_a_report_without_second_assessments_has_no_section(inspect_cli):
    data = json.loads(inspect_cli("report", "--profile", "nps", "--format", "json").stdout)
    assert data["quality_assurance"] is None
    jsonschema.Draft202012Validator(report_schema()).validate(data)
    assert "Quality assurance" not in inspect_cli("report", "--profile", "nps").stdout


def test_the_bundled_example_report_shows_the_section_from_its_folder(inspect_cli):
    data = json.loads(inspect_cli("report", "--profile", "crc", "--format", "json").stdout)
    jsonschema.Draft202012Validator(report_schema()).validate(data)
    assert data["quality_assurance"]["cases"] == 10
    assert "records no reconciliation" in data["quality_assurance"]["paragraphs"][0]
    assert data["quality_assurance"]["disagreements"] is None
    assert 'id="quality-assurance"' in inspect_cli("report", "--profile", "crc").stdout


def test_a_bad_second_assessment_in_a_folder_is_refused_naming_every_problem(inspect_cli, example):
    path = example / "qa" / "upw.csv"
    header, *rows = path.read_text(encoding="utf-8").splitlines()
    rows[0] = rows[0].replace(rows[0].split(",")[0], "UPW-999", 1)
    rows[1] = rows[1].replace(",yes,", ",maybe,", 1)
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    refused = inspect_cli("report", "--profile", "crc", "--inspection", example)
    assert refused.exit_code == 1 and "Traceback" not in refused.stderr
    assert "UPW-999" in refused.stderr and "qa/upw.csv row 2" in refused.stderr
    assert "'maybe'" in refused.stderr and "qa/upw.csv row 3" in refused.stderr


def test_the_second_assessment_is_what_its_generator_writes(tmp_path):
    import importlib.util
    script = Path(__file__).resolve().parents[1] / "tools" / "make_crc_second_assessment.py"
    spec = importlib.util.spec_from_file_location("make_crc_second_assessment", script)
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    assert generator.main([str(tmp_path)]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(p.name for p in EXAMPLE_QA.glob("*.csv"))
    for name in written:
        assert (tmp_path / name).read_bytes() == (EXAMPLE_QA / name).read_bytes(), name


def test_open_qa_work_reads_the_qa_records_once_and_quotes_the_name(inspect_cli, store_url, example, monkeypatch):
    """The status of every inspection (the web home page) reads its QA records once, and the
    command it suggests is ready to paste whatever the inspection's name holds."""
    from hmip_inspect.core.plugin.manager import build_plugin_manager
    from hmip_inspect.core.session import Session
    from hmip_inspect.core.store.database import open_store
    from hmip_inspect.core.store.fieldwork import Fieldwork

    name = "my inspection"
    assert inspect_cli("import", example, "--name", name, "--user", "first", "--db", store_url).exit_code == 0
    assert inspect_cli("import", EXAMPLE_QA, "--into", name, "--second-assessment", "--user", "second",
                       "--db", store_url).exit_code == 0
    store = open_store(store_url)
    try:
        fieldwork = Fieldwork(store, name, Session(pm=build_plugin_manager()))
        reads, real = [], store.qa_cases
        monkeypatch.setattr(store, "qa_cases", lambda *args, **kw: reads.append(args) or real(*args, **kw))
        due = fieldwork.qa_open_work()
        assert len(reads) == 1
        assert "disagreement(s) not reconciled: 'inspect qa disagreements --name 'my inspection''" in due[-1]
    finally:
        store.close()
