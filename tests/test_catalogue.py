"""The built-in catalogues encode the seeds: numbering, wording, codes and applicability."""

import re
import unicodedata
from pathlib import Path

import pytest
from hmip_inspect.core.catalogue.index import question_index
from hmip_inspect.core.catalogue.records import Evidence, QuestionKind, RatedBy
from hmip_inspect.core.tomlfile import tomllib

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
STANDARDS_SEED = SEEDS / "003_4cedac8a6942953f.txt"
CARAG_2018 = SEEDS / "000_b7599fcf1ea9074c.txt"
CARAG_2021 = SEEDS / "001_fef14ebe9a882ab3.txt"
THAMES_VALLEY = SEEDS / "002_2af1b95d74127f04.txt"
RESETTLEMENT_CAG = SEEDS / "004_d53f4440ec10e73c.txt"

# Framework prompts (kind "prompt") per key question in Appendix A of seed 003.
PROMPT_COUNTS = {
    "1.1.1": 6, "1.1.2": 3, "1.1.3": 5, "1.2.1": 6, "1.2.2": 5, "1.2.3": 4, "1.2.4": 4,
    "1.2.5": 5, "1.3.1": 5, "1.3.2": 5, "1.3.3": 3, "1.4.1": 5, "1.4.2": 3, "1.4.3": 4,
    "1.4.4": 7,
    "2.1.1": 3, "2.1.2": 3, "2.1.3": 3, "2.2.1": 5, "2.2.2": 3, "2.2.3": 4,
    "2.3.1": 7, "2.3.2": 6, "2.3.3": 5, "2.4.1": 3, "2.4.2": 4, "2.4.3": 4,
    "3.1.1": 9, "3.1.2": 3, "3.2.1": 6, "3.2.2": 4, "3.2.3": 4, "3.2.4": 3,
    "4.1.1": 3, "4.1.2": 3, "4.1.3": 4, "4.1.4": 4, "4.2.1": 6, "4.2.2": 4, "4.2.3": 3,
}


@pytest.fixture
def standards(session):
    return {s.id: s for s in session.catalogue.in_edition("2019")}


def framework_prompts(kq):
    """Framework prompts (2.1.1.a ...), not the CARaG questions some of them are made of."""
    return [p for p in kq.prompts if p.kind is QuestionKind.PROMPT
            and re.fullmatch(re.escape(kq.id) + r"\.[a-z]", p.id)]


def test_every_key_question_and_prompt_of_the_2019_standards(standards):
    counts = {kq.id: len(framework_prompts(kq)) for s in standards.values() for kq in s.key_questions}
    assert counts == PROMPT_COUNTS
    for standard in standards.values():
        for kq in standard.key_questions:
            letters = [p.id.rsplit(".", 1)[1] for p in framework_prompts(kq)]
            assert letters == [chr(ord("a") + i) for i in range(len(letters))]
    information = {p.id for s in standards.values() for kq in s.key_questions for p in kq.prompts
                   if p.kind is QuestionKind.INFORMATION}
    assert {"T 1.6", "T 1.7", "T 1.7 level", "U 2.1", "U 3.4", "U 3.7"} <= information


def test_plugins_and_rating_methods(standards):
    assert {sid: (s.plugin, s.rated_by) for sid, s in standards.items()} == {
        **{sid: ("domain1", RatedBy.JUDGEMENT) for sid in ("1.1", "1.2", "1.3", "1.4")},
        **{sid: ("domain2", RatedBy.CASES) for sid in ("2.1", "2.2", "2.3", "2.4")},
        "3.1": ("courtwork", RatedBy.CASES), "3.2": ("victims", RatedBy.CASES),
        "4.1": ("upw", RatedBy.CASES), "4.2": ("ttg", RatedBy.CASES),
    }
    assert (standards["3.1"].sample, standards["3.2"].sample) == ("court", "victims")
    assert standards["4.1"].title == "Unpaid work"
    assert standards["4.2"].sample == "ttg"


def test_applicability_as_data(standards):
    kqs = {kq.id: kq for s in standards.values() for kq in s.key_questions}
    keeping_safe = {kq_id for kq_id, kq in kqs.items() if kq.applies_to.attributes == ("rosh",)}
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
    assert index["U 1.1"].question.id == "U 1.1"          # its own question (issue 12)
    assert index["4.1.1.a"].question.parts == ("U 1.1", "U 1.2")
    assert index["U 3 S"].question.id == "4.1.4"
    assert index["T 1 S"].question.id == "4.2.1"
    assert key_aliases["A 1"].id == "2.1.1"
    assert key_aliases["R 3"].id == "2.4.3"


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("*", " ")
    text = re.sub(r"</?[a-z]+[^>]*>", " ", text)   # the CARaG text keeps its table cells' HTML
    text = re.sub(r"-\s+", "-", text)        # words hyphenated across a PDF line break
    text = re.sub(r"'\s+s\b", "'s", text)    # "organisation' s" in the PDF text
    return re.sub(r"\s+", " ", text).strip().lower()


#: Which seed each catalogue file's wording comes from: framework wording (titles,
#: statements, key questions, prompts) and the CARaG / CAG questions.
WORDING_SOURCES = {
    "domain1/standards.toml": (STANDARDS_SEED,),
    "domain2/standards.toml": (STANDARDS_SEED, CARAG_2021, THAMES_VALLEY),  # A/P parts; A 3.01-3.02
    "upw/standards.toml": (STANDARDS_SEED, CARAG_2018),
    "ttg/standards.toml": (STANDARDS_SEED, CARAG_2018),
    "courtwork/standards.toml": (STANDARDS_SEED,),
    "victims/standards.toml": (STANDARDS_SEED,),
    "domain2/standards-2021.toml": (CARAG_2021,),
    "courtwork/standards-2021.toml": (CARAG_2021,),
    "victims/standards-2021.toml": (CARAG_2021,),
    "youth_resettlement/standards.toml": (RESETTLEMENT_CAG,),
}
#: Information questions whose text is the project's label for a second answer, not seed text.
OWN_LABELS = {"T 1.7 level",
              # halves of 2.1.1.b and 2.1.2.a that seed 002 reports in its narrative with no
              # published question: the prompt's own words split at "and" (issue 12)
              "2.1.1.b.i", "2.1.1.b.ii", "2.1.2.a.i", "2.1.2.a.ii"}
#: Questions whose "?" the seed's text extraction lost (seed 000, U 3.1), restored in the catalogue.
RESTORED_QUESTION_MARK = {"U 3.1"}


@pytest.mark.skipif(not STANDARDS_SEED.exists(), reason="seeds not beside the checkout")
@pytest.mark.parametrize("relative", sorted(WORDING_SOURCES))
def test_wording_is_the_published_wording(session, relative):
    """Every title, key question and question of a catalogue stands in its seed.

    Statements are checked where the seed prints them (Appendix A for 2019); key
    questions of the 2021 CARaG may carry a "Summary judgement:" prefix in the seed.
    """
    seeds = " ".join(_normalise(path.read_text(encoding="utf-8")) for path in WORDING_SOURCES[relative])
    plugin, filename = relative.split("/")
    path = ROOT / "plugins" / plugin / filename
    edition = tomllib.loads(path.read_text(encoding="utf-8"))["catalogue"]["edition"]
    standards = [s for s in session.catalogue.in_edition(edition) if s.plugin == plugin]
    assert standards
    missing = []
    for standard in standards:
        texts = [standard.statement] if standard.statement else []
        texts += [kq.text for kq in standard.key_questions if kq.evidence is not Evidence.INFORMATION
                  or " " in kq.id]
        texts += [p.text.rstrip("?") if p.id in RESTORED_QUESTION_MARK else p.text
                  for kq in standard.key_questions for p in kq.prompts if p.id not in OWN_LABELS]
        missing += [t for t in texts if not _stands_in(_normalise(t), seeds)]
    assert missing == []


def _stands_in(text: str, seed: str) -> bool:
    """Verbatim, or in two pieces where the seed's table layout breaks a question's cell in
    two (CARaG A 1.02, U 3.7: the guidance column's text sits between the halves)."""
    if text in seed:
        return True
    words = text.split()
    return any(" ".join(words[:cut]) in seed and " ".join(words[cut:]) in seed
               for cut in range(3, len(words) - 2))


def test_catalogue_files_parse_and_carry_their_source():
    files = sorted((ROOT / "plugins").glob("*/standards*.toml"))
    assert len(files) >= 14
    for path in files:
        head = tomllib.loads(path.read_text(encoding="utf-8"))["catalogue"]
        assert head["edition"] in {"2019", "2021", "youth-2021"}
        assert head["source"].strip()
        if "-" in path.stem:                                    # standards-2021.toml
            assert head["edition"] == path.stem.split("-", 1)[1]
