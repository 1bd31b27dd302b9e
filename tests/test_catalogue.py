"""The built-in catalogues encode the seeds: numbering, wording, codes and applicability."""

import re
from hmip_inspect.core.tomlfile import tomllib
import unicodedata
from pathlib import Path

import pytest

from hmip_inspect.core.catalogue import question_index
from hmip_inspect.core.standards import Evidence, QuestionKind, RatedBy

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
STANDARDS_SEED = SEEDS / "003_4cedac8a6942953f.txt"

# Prompts per key question in Appendix A of seed 003.
PROMPT_COUNTS = {
    "1.1.1": 6, "1.1.2": 3, "1.1.3": 5, "1.2.1": 6, "1.2.2": 5, "1.2.3": 4, "1.2.4": 4,
    "1.2.5": 5, "1.3.1": 5, "1.3.2": 5, "1.3.3": 3, "1.4.1": 5, "1.4.2": 3, "1.4.3": 4,
    "1.4.4": 7,
    "2.1.1": 3, "2.1.2": 3, "2.1.3": 3, "2.2.1": 5, "2.2.2": 3, "2.2.3": 4,
    "2.3.1": 7, "2.3.2": 6, "2.3.3": 5, "2.4.1": 3, "2.4.2": 4, "2.4.3": 4,
    "4.1.1": 3, "4.1.2": 3, "4.1.3": 4, "4.1.4": 4, "4.2.1": 6, "4.2.2": 4, "4.2.3": 3,
}


@pytest.fixture
def standards(session):
    return {s.id: s for s in session.catalogue.in_edition("2019")}


def test_every_key_question_and_prompt_of_the_2019_standards(standards):
    counts = {kq.id: len(kq.prompts) for s in standards.values() for kq in s.key_questions}
    assert counts == PROMPT_COUNTS
    for standard in standards.values():
        for kq in standard.key_questions:
            letters = [p.id.rsplit(".", 1)[1] for p in kq.prompts]
            assert letters == [chr(ord("a") + i) for i in range(len(letters))]


def test_plugins_and_rating_methods(standards):
    assert {sid: (s.plugin, s.rated_by) for sid, s in standards.items()} == {
        **{sid: ("domain1", RatedBy.JUDGEMENT) for sid in ("1.1", "1.2", "1.3", "1.4")},
        **{sid: ("domain2", RatedBy.CASES) for sid in ("2.1", "2.2", "2.3", "2.4")},
        "4.1": ("upw", RatedBy.CASES), "4.2": ("ttg", RatedBy.CASES),
    }
    assert standards["4.1"].title == "Unpaid work"
    assert standards["4.2"].sample == "ttg"


def test_applicability_as_data(standards):
    kqs = {kq.id: kq for s in standards.values() for kq in s.key_questions}
    keeping_safe = {kq_id for kq_id, kq in kqs.items() if kq.applies_to.rules}
    assert keeping_safe == {"2.1.3", "2.2.3", "2.3.3", "2.4.3"}
    for kq_id in keeping_safe:
        assert not kqs[kq_id].applies({"rosh": "low"})
        assert kqs[kq_id].applies({"rosh": "medium"})
        assert kqs[kq_id].applies({"rosh": "very-high"})
    [post_custody] = [p for kq in kqs.values() for p in kq.prompts if p.applies_to.rules]
    assert post_custody.id == "2.3.1.d"
    assert post_custody.applies({"disposal": "post-custody"})
    assert not post_custody.applies({"disposal": "community"})
    assert kqs["4.1.3"].evidence is Evidence.QUALITATIVE
    assert kqs["4.1.3"].case_questions == ()
    assert [kq.id for kq in standards["4.1"].rated_key_questions] == ["4.1.1", "4.1.2", "4.1.4"]


def test_carag_codes_resolve_to_questions(standards):
    index, key_aliases = question_index(list(standards.values()))
    assert index["A 1 S"].question.id == "2.1.1"
    assert index["A 1 S"].question.kind is QuestionKind.SUMMARY
    assert index["A 1.01"].question.id == "2.1.1.a"
    assert index["U 1.1"].question.id == "4.1.1.a"
    assert index["U 3 S"].question.id == "4.1.4"
    assert index["T 1 S"].question.id == "4.2.1"
    assert key_aliases["A 1"].id == "2.1.1"
    assert key_aliases["R 3"].id == "2.4.3"


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("*", " ")
    text = re.sub(r"-\s+", "-", text)        # words hyphenated across a PDF line break
    text = re.sub(r"'\s+s\b", "'s", text)    # "organisation' s" in the PDF text
    return re.sub(r"\s+", " ", text).strip().lower()


@pytest.mark.skipif(not STANDARDS_SEED.exists(), reason="seeds not beside the checkout")
def test_wording_is_the_published_wording(standards):
    """Every title, statement, key question and prompt stands in Appendix A of seed 003."""
    seed = _normalise(STANDARDS_SEED.read_text(encoding="utf-8"))
    missing = []
    for standard in standards.values():
        texts = [standard.statement] + [kq.text for kq in standard.key_questions]
        texts += [p.text for kq in standard.key_questions for p in kq.prompts]
        missing += [t for t in texts if _normalise(t) not in seed]
    assert missing == []


def test_catalogue_files_parse_and_carry_their_source():
    for path in sorted((ROOT / "plugins").glob("*/standards.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert data["catalogue"]["edition"] == "2019"
        assert "Appendix A" in data["catalogue"]["source"]


def test_every_plugin_folder_is_packaged():
    """pyproject.toml lists every package under the hmip_inspect namespace, nothing bare."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    packages = set(config["packages"])
    assert all(p.startswith("hmip_inspect.") for p in packages)
    folders = {f"hmip_inspect.plugins.{p.parent.name}" for p in (ROOT / "plugins").glob("*/__init__.py")}
    assert folders <= packages
    assert config["package-dir"] == {"hmip_inspect.core": "core", "hmip_inspect.plugins": "plugins"}
