"""``inspect report``: the report model and its HTML, Markdown and JSON renderings, checked
against the rated inspection, the statistics module and the bundled examples."""

import html
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from hmip_inspect.core import stats
from hmip_inspect.core.errors import InputError
from hmip_inspect.core.inspection.comparators import (
    Comparator,
    ComparatorFigure,
    comparator_from_results,
)
from hmip_inspect.core.report.model import build_report

FORMATS = ("html", "markdown", "json")


@pytest.fixture
def crc(session):
    """The bundled CRC example: (profile, inspection, result)."""
    return session.run("crc")


def report_text(inspect_cli, *args):
    result = inspect_cli("report", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def report_json(inspect_cli, *args):
    return json.loads(report_text(inspect_cli, "--format", "json", *args))


def plain(text: str) -> str:
    """HTML as the reader sees it: tags dropped, entities decoded, spaces collapsed."""
    text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def markdown_row(text: str, first_cell: str) -> str:
    """The one table row of ``text`` whose first cell is ``first_cell``."""
    [row] = [line for line in text.splitlines() if line.startswith(f"| {first_cell} |")]
    return row


def label(question) -> str:
    """A key question's or prompt's first cell: its id and text."""
    return f"{question.id} {question.text}"


def html_row(text: str, row_id: str) -> str:
    """The cells of the row whose id is ``row_id`` slugified (``kq-2.1.1`` -> ``kq-2-1-1``)."""
    row_id = re.sub(r"[^a-z0-9]+", "-", row_id.lower()).strip("-")
    match = re.search(rf'<tr id="{re.escape(row_id)}"[^>]*>(.*?)</tr>', text, re.S)
    assert match, row_id
    return match.group(1)


def rated_key_questions(result):
    return [kq for s in result.standards for kq in s.key_questions if kq.evidence == "cases"]


# --------------------------------------------------------------------------------------
# Footnotes: the panel's two uplifts, with their rationale, in every format.
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_two_panel_uplifts_are_footnoted_with_their_rationale(inspect_cli, crc, fmt):
    _, _, result = crc
    text = report_text(inspect_cli, "--profile", "crc", "--format", fmt)
    uplifts = {s.id: s for s in result.standards if s.adjustments}
    assert set(uplifts) == {"2.2", "4.2"}
    if fmt == "json":
        notes = json.loads(text)["footnotes"]
        assert [(n["number"], n["standard"]) for n in notes] == [(1, "2.2"), (2, "4.2")]
        for note in notes:
            [adjustment] = uplifts[note["standard"]].adjustments
            assert note["rationale"] == adjustment.rationale and note["applied"] is True
            assert adjustment.rationale in note["text"]
        return
    readable = plain(text) if fmt == "html" else text
    for number, sid in enumerate(("2.2", "4.2"), start=1):
        standard = uplifts[sid]
        [adjustment] = standard.adjustments
        lowest = next(kq for kq in standard.key_questions if kq.id == standard.lowest_key_question)
        assert adjustment.rationale in readable
        assert (f"Although this {lowest.percent} per cent score ({lowest.id}) would normally lead "
                f"to a rating of '{standard.indicative_rating.label}'") in readable
        # the mark sits on the lowest key question's figure
        if fmt == "markdown":
            assert f"{lowest.percent}% ({lowest.yes}/{lowest.applicable})[^{number}]" in \
                markdown_row(text, label(lowest))
            assert f"[^{number}]: Although" in text
        else:
            assert f'<a href="#fn-{number}" aria-label="Note {number}">{number}</a>' in html_row(text, f"kq-{lowest.id}")
            assert f'<li id="fn-{number}" value="{number}">' in text


def test_a_moderation_the_panel_did_not_ratify_is_footnoted_as_not_applied(inspect_cli, example):
    with (example / "judgements.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[[moderation]]\nstandard = "4.1"\ndirection = "up"\n'
                     'rationale = "Projects observed offered strong rehabilitative work."\nratified = false\n')
    data = report_json(inspect_cli, "--profile", "crc", "--inspection", example)
    [note] = [n for n in data["footnotes"] if n["standard"] == "4.1"]
    assert note["applied"] is False
    assert "not applied" in note["text"] and "Projects observed" in note["text"]
    [upw] = [s for s in data["ratings"] if s["id"] == "4.1"]
    assert upw["rating"] == "Good" and upw["footnotes"] == [note["number"]]


# --------------------------------------------------------------------------------------
# Headings, domain one, prompts.
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ("html", "markdown"))
def test_reads_like_a_published_report(inspect_cli, crc, fmt):
    _, inspection, result = crc
    text = report_text(inspect_cli, "--profile", "crc", "--format", fmt)
    readable = plain(text) if fmt == "html" else text
    for standard in result.standards:
        assert f"Standard {standard.id} {standard.title}" in readable
        assert f"Rating: {standard.rating_label}" in readable
    assert f"{result.rating.label} (score {result.score}/{result.max_score})" in readable.replace("**", "")
    for judgement in inspection.judgements.judgements:  # domain one: the lead inspector's evidence
        assert " ".join(judgement.evidence.split()) in readable
    assert "Indicative rating from the cases: Requires improvement" in readable  # 2.2


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_prompt_is_in_the_prompt_table(inspect_cli, crc, fmt):
    _, _, result = crc
    text = report_text(inspect_cli, "--profile", "crc", "--format", fmt)
    prompts = [p for kq in rated_key_questions(result) for p in kq.prompts]
    if fmt == "json":
        listed = {p["id"]: p for s in json.loads(text)["standards"]
                  for kq in s["key_questions"] for p in kq["prompts"]}
        # format 2: a prompt's count of answers is its n; Annex 4's prompt comparators added
        assert {pid: without_comparisons(p) for pid, p in listed.items()} == {
            p.id: {("n" if k == "answered" else k): v for k, v in p.to_dict().items()} for p in prompts}
        return
    assert sum(p.percent is not None for p in prompts) > 60
    for prompt in prompts:       # then the previous inspection's figure, where Annex 4 gives one
        if fmt == "markdown":
            row = markdown_row(text, label(prompt))
            assert row.startswith(f"| {label(prompt)} | " + " | ".join(prompt_cells(prompt)) + " |")
        else:
            cells = re.findall(r"<td[^>]*>(.*?)</td>", html_row(text, f"prompt-{prompt.id}"))
            assert cells[:3] == prompt_cells(prompt)


def without_comparisons(prompt: dict) -> dict:
    """A report's prompt entry less the comparator figures the report adds."""
    return {key: value for key, value in prompt.items() if key != "comparisons"}


def prompt_cells(prompt):
    """Yes, answered, result: a yes/no prompt's share of "yes"; an information question's
    count of each answer; "not answered" where no case answered it."""
    if not prompt.answered:
        return ["", "0", "not answered"]
    counts = "; ".join(f"{a}: {n}" for a, n in prompt.counts)
    if prompt.counts and prompt.percent is not None:   # a share over some answers, with the counts
        return [str(prompt.yes), str(prompt.answered), f"{prompt.percent}% ({counts})"]
    if prompt.counts:
        return ["", str(prompt.answered), counts]
    if prompt.percent is None:
        return ["", str(prompt.answered), "free answers"]
    return [str(prompt.yes), str(prompt.answered), f"{prompt.percent}%"]


def test_information_questions_show_their_answer_counts(inspect_cli, session):
    _, _, result = session.run("pdu")
    informed = [p for s in result.standards for kq in s.key_questions for p in kq.prompts
                if p.counts and p.answered]
    assert informed, "the pdu example answers information questions with listed answers"
    text = report_text(inspect_cli, "--profile", "pdu", "--format", "markdown")
    for prompt in informed:
        row = markdown_row(text, label(prompt))
        assert "; ".join(f"{answer}: {count}" for answer, count in prompt.counts) in row


# --------------------------------------------------------------------------------------
# HTML is one self-contained file.
# --------------------------------------------------------------------------------------


def test_html_is_one_self_contained_file_with_an_svg_chart(inspect_cli, crc):
    _, _, result = crc
    text = report_text(inspect_cli, "--profile", "crc")  # html is the default
    assert text.startswith("<!DOCTYPE html>") and text.count("<html") == 1
    assert text.rstrip().endswith("</html>")
    for reference in ("http", "src=", "<link", "<script", "url(", "@import", "<img", "<iframe"):
        assert reference not in text, reference
    ids = set(re.findall(r'\sid="([^"]+)"', text))
    for target in re.findall(r'href="([^"]*)"', text):
        assert target.startswith("#") and target[1:] in ids, target
    [svg] = re.findall(r"<svg.*?</svg>", text, re.S)
    bars = re.findall(r'<tspan class="kq"[^>]*>([^<]+)</tspan>', svg)
    assert bars == [kq.id for kq in rated_key_questions(result) if kq.percent is not None]
    for boundary in (50, 65, 80):
        assert f">{boundary}%</text>" in svg


def test_html_escapes_inspection_text(inspect_cli, example):
    toml = (example / "inspection.toml").read_text(encoding="utf-8")
    (example / "inspection.toml").write_text(
        toml.replace('provider = "Thames Valley CRC (synthetic example)"',
                     'provider = "<script>alert(1)</script> & Co"'), encoding="utf-8")
    text = report_text(inspect_cli, "--profile", "crc", "--inspection", example)
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in text


# --------------------------------------------------------------------------------------
# Figures: the JSON is the InspectionResult's; intervals are stats.wilson's.
# --------------------------------------------------------------------------------------


def test_json_figures_equal_the_inspection_result(inspect_cli, crc):
    _, _, result = crc
    data = report_json(inspect_cli, "--profile", "crc")
    assert data["overall"] == result.to_dict()["overall"]
    assert data["provider"] == result.provider and data["synthetic"] is True
    assert [(s["id"], s["rating"], s["score"]) for s in data["ratings"]] == \
        [(s.id, s.rating.label if s.rating is not None else None, s.score) for s in result.standards]
    expected = {s.id: s.to_dict() for s in result.standards}
    for standard in data["standards"]:
        want = expected[standard["id"]]
        for key in ("rating", "indicative_rating", "role", "adjustments", "evidence", "cases",
                    "lowest_key_question", "judgement_eligibility"):
            assert standard[key] == want[key], (standard["id"], key)
        for got, kq in zip(standard["key_questions"], want["key_questions"], strict=True):
            for key in ("id", "yes", "percent", "exact_percent", "band"):
                assert got[key] == kq[key], (kq["id"], key)
            assert got["n"] == kq["applicable"]  # format 2: one name for the cases counted
            # the report adds Annex 4's prompt comparators ([comparator.prompts]) to the results
            assert [without_comparisons(p) for p in got["prompts"]] == [
                {("n" if k == "answered" else k): v for k, v in p.items()} for p in kq["prompts"]], kq["id"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_intervals_are_stats_wilson(inspect_cli, crc, fmt):
    _, _, result = crc
    text = report_text(inspect_cli, "--profile", "crc", "--format", fmt)
    data = json.loads(text) if fmt == "json" else None
    got = ({kq["id"]: kq["interval"] for s in data["standards"] for kq in s["key_questions"]}
           if data else {})
    for kq in rated_key_questions(result):
        if not kq.applicable:
            continue
        interval = stats.wilson(kq.yes, kq.applicable, 0.95)
        shown = f"{interval.low * 100:.0f}-{interval.high * 100:.0f}%"
        if fmt == "json":
            # format 2: percent (0-100)
            assert got[kq.id] == {"low": interval.low * 100, "high": interval.high * 100, "confidence": 95}
        elif fmt == "markdown":
            assert f"| {shown} |" in markdown_row(text, label(kq))
        else:
            assert f">{shown}</td>" in html_row(text, f"kq-{kq.id}")


# --------------------------------------------------------------------------------------
# "significant" exactly where the Z-score test says so.
# --------------------------------------------------------------------------------------


def expected_significant(inspection, result):
    """(key question, comparator) pairs passing the Z-score test at 0.1, from the comparators'
    published percentages and sample sizes and the inspection's own counts."""
    out = set()
    for kq in rated_key_questions(result):
        for comparator in inspection.info.comparators:
            figure = comparator.key_questions.get(kq.id)
            if figure is None or figure.n is None or not kq.applicable:
                continue
            other_yes = round(figure.percent * figure.n / 100)
            if stats.significant(kq.yes, kq.applicable, other_yes, figure.n, alpha=0.1):
                out.add((kq.id, comparator.name))
    return out


def test_the_tested_set_agrees_with_the_published_report(crc):
    _, inspection, result = crc
    expected = expected_significant(inspection, result)
    # Seed 002: 2.1.3 is "significantly better than the aggregated findings from CRCs" and
    # 2.2.3's 61% "significantly higher than the aggregate score of 46 per cent"; 2.1.3
    # against the previous inspection is "on a par".
    assert {("2.1.3", "all-providers"), ("2.2.3", "all-providers")} <= expected
    assert ("2.1.3", "previous") not in expected
    assert 0 < len(expected) < 2 * len(rated_key_questions(result))


@pytest.mark.parametrize("fmt", FORMATS)
def test_significant_appears_exactly_where_stats_says_so(inspect_cli, crc, fmt):
    _, inspection, result = crc
    expected = expected_significant(inspection, result)
    text = report_text(inspect_cli, "--profile", "crc", "--format", fmt)
    if fmt == "json":
        found = {(kq["id"], c["name"]) for s in json.loads(text)["standards"]
                 for kq in s["key_questions"] for c in kq["comparisons"] if c["significant"]}
        assert found == expected
        words = {(kq["id"], c["name"]) for s in json.loads(text)["standards"]
                 for kq in s["key_questions"] for c in kq["comparisons"] if "significant" in c["wording"]}
        assert words == expected
        return
    per_kq = Counter(kq for kq, _ in expected)
    for kq in rated_key_questions(result):
        row = markdown_row(text, label(kq)) if fmt == "markdown" else plain(html_row(text, f"kq-{kq.id}"))
        assert row.count("significant") == per_kq[kq.id], kq.id
    # nowhere else but in the notes that explain the word
    body = text if fmt == "markdown" else plain(text)
    assert body.split("About the figures")[0].count("significant") == len(expected)


# --------------------------------------------------------------------------------------
# Sub-groups.
# --------------------------------------------------------------------------------------


def test_by_gender_groups_add_up_and_small_groups_are_flagged(inspect_cli, crc):
    _, inspection, result = crc
    data = report_json(inspect_cli, "--profile", "crc", "--by", "gender")
    [breakdown] = data["breakdowns"]
    assert breakdown["attribute"] == "gender"
    rows = {row["id"]: row for row in breakdown["key_questions"]}
    kqs = [kq for kq in rated_key_questions(result) if kq.applicable]
    assert set(rows) == {kq.id for kq in kqs}
    flagged = set()
    for kq in kqs:
        groups = rows[kq.id]["groups"]
        assert sum(g["n"] for g in groups) == kq.applicable
        assert sum(g["yes"] for g in groups) == kq.yes
        for group in groups:  # each group counted from the cases independently
            cases = [c for c in inspection.cases if c.attributes.get("gender") == group["value"]
                     and c.answer(kq.id) and not c.excluded]
            assert group["n"] == len(cases)
            assert group["yes"] == sum(c.answer(kq.id) == "yes" for c in cases)
            assert group["small"] is (group["n"] < 10)
            assert group["interval"]["low"] == stats.wilson(group["yes"], group["n"]).low * 100
            if group["small"]:
                flagged.add((kq.id, group["value"]))
    assert ("4.2.1", "female") in flagged  # two women in the Through the Gate sample
    assert {g["value"] for g in breakdown["small_groups"]} == {value for _, value in flagged}
    markdown = report_text(inspect_cli, "--profile", "crc", "--format", "markdown", "--by", "gender")
    assert "### By gender" in markdown and "Warning: fewer than 10 cases" in markdown
    female_cell = markdown_row(markdown, "4.2.1").split("|")[3]  # | 4.2.1 | all | female | male |
    assert "small group" in female_cell


def test_the_small_group_threshold_is_a_parameter(inspect_cli):
    data = report_json(inspect_cli, "--profile", "crc", "--by", "gender", "--small-group", "3")
    groups = [g for row in data["breakdowns"][0]["key_questions"] for g in row["groups"]]
    assert {g["n"] for g in groups if g["small"]} == {n for n in (g["n"] for g in groups) if n < 3}
    assert any(g["small"] for g in groups) and any(g["n"] == 5 and not g["small"] for g in groups)


def test_several_attributes_and_a_free_attribute(inspect_cli):
    data = report_json(inspect_cli, "--profile", "crc", "--by", "officer_grade", "--by", "disposal")
    assert [b["attribute"] for b in data["breakdowns"]] == ["officer_grade", "disposal"]
    grades = {row["id"]: {g["value"] for g in row["groups"]} for row in data["breakdowns"][0]["key_questions"]}
    assert grades["2.1.1"] == {"PO", "PSO"}
    assert grades["4.1.1"] == {"(not recorded)"}  # unpaid work cases carry no officer grade


def test_an_unknown_by_attribute_is_a_clear_error(inspect_cli):
    result = inspect_cli("report", "--profile", "crc", "--by", "gender", "--by", "shoe_size")
    assert result.exit_code == 1
    assert "--by shoe_size: no case has this attribute" in result.stderr
    assert "gender" in result.stderr and "officer_grade" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout and result.stdout == ""


# --------------------------------------------------------------------------------------
# --output, formats, the other profiles.
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_writes_the_file_atomically(inspect_cli, tmp_path, fmt):
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / f"report.{fmt}"
    target.write_text("an older report", encoding="utf-8")
    result = inspect_cli("report", "--profile", "crc", "--format", fmt, "--output", target)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8") == report_text(inspect_cli, "--profile", "crc", "--format", fmt)
    assert sorted(p.name for p in folder.iterdir()) == [target.name]


def test_a_failed_report_leaves_the_output_untouched(inspect_cli, tmp_path):
    target = tmp_path / "report.html"
    target.write_text("an older report", encoding="utf-8")
    result = inspect_cli("report", "--profile", "crc", "--by", "nope", "--output", target)
    assert result.exit_code == 1
    assert target.read_text(encoding="utf-8") == "an older report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_an_unknown_format_is_refused(inspect_cli):
    result = inspect_cli("report", "--profile", "crc", "--format", "docx")
    assert result.exit_code == 1
    assert "--format: expected one of html, markdown, json, pdf" in result.stderr


@pytest.mark.parametrize("name", ["nps", "pdu", "yot"])
def test_the_other_profiles_examples_produce_a_report(inspect_cli, session, name):
    _, _, result = session.run(name)
    data = report_json(inspect_cli, "--profile", name, "--by", "gender")
    assert [s["id"] for s in data["standards"]] == [s.id for s in result.standards]
    assert data["overall"]["score"] == result.score
    assert data["breakdowns"][0]["key_questions"]
    page = report_text(inspect_cli, "--profile", name)
    assert "<svg" in page and "http" not in page
    markdown = report_text(inspect_cli, "--profile", name, "--format", "markdown")
    for standard in result.standards:
        assert f"### Standard {standard.id} {standard.title}" in markdown


def test_not_rated_reported_and_excluded_are_shown_as_the_results_mark_them(inspect_cli, session):
    _, _, pdu = session.run("pdu")
    reported = [s for s in pdu.standards if s.role == "reported"]
    assert reported
    markdown = report_text(inspect_cli, "--profile", "pdu", "--format", "markdown")
    for standard in reported:
        assert f"| {standard.id} {standard.title} | Reported, not rated |" in markdown
    _, _, yot = session.run("yot")
    assert yot.excluded
    data = report_json(inspect_cli, "--profile", "yot")
    assert data["excluded_cases"] == [c.to_dict() for c in yot.excluded]
    [beside] = [s for s in data["ratings"] if s["role"] == "rated"]
    assert beside["score"] is None
    markdown = report_text(inspect_cli, "--profile", "yot", "--format", "markdown")
    assert f"Rating: {beside['rating_label']} (rated, not scored)" in markdown
    assert "## Excluded cases" in markdown
    for case in yot.excluded:
        assert f"| {case.case_id} | {case.sample} |" in markdown


# --------------------------------------------------------------------------------------
# Comparators: inspection.toml and pooled results.
# --------------------------------------------------------------------------------------


def test_comparators_are_read_from_inspection_toml(crc):
    _, inspection, _ = crc
    previous, every = inspection.info.comparators
    assert (previous.name, every.name) == ("previous", "all-providers")
    assert previous.figure("2.2.3") == ComparatorFigure(57, 79, True)
    assert every.figure("2.2.3").percent == 46 and every.figure("4.1.1") is None


def test_bad_comparators_are_reported_together_with_their_keys(inspect_cli, example):
    with (example / "inspection.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[[comparator]]\nname = "elsewhere"\nlabel = ""\ncolour = "red"\n'
                     '[comparator.key_questions]\n"2.1.1" = { percent = 140, n = 0, extra = 1 }\n'
                     '"2.1.2" = { n_assumed = true }\n'
                     '\n[[comparator]]\nname = "previous"\nlabel = "Again"\n'
                     '[comparator.key_questions]\n"2.1.1" = { percent = 50 }\n')
    result = inspect_cli("run", "--profile", "crc", "--inspection", example)
    assert result.exit_code == 1
    for fragment in (
        "[[comparator]] #3 name: expected one of 'previous', 'all-providers', found 'elsewhere'",
        "[[comparator]] #3 label: must not be empty",
        "[[comparator]] #3: unknown key 'colour'",
        '[[comparator]] #3 [key_questions."2.1.1"] percent: expected a number from 0 to 100, found 140',
        '[[comparator]] #3 [key_questions."2.1.1"] n: expected a whole number from 1',
        '[[comparator]] #3 [key_questions."2.1.1"]: unknown key \'extra\'',
        '[[comparator]] #3 [key_questions."2.1.2"]: missing key \'percent\'',
        '[[comparator]] #3 [key_questions."2.1.2"] n_assumed: n_assumed = true needs the assumed n',
        "[[comparator]] #4 name: a second 'previous' comparator (first: inspection.toml [[comparator]] #1)",
    ):
        assert fragment in result.stderr, fragment
    assert "Traceback" not in result.stderr


def test_a_comparator_naming_a_key_question_the_profile_does_not_rate_is_refused(inspect_cli, example):
    toml = (example / "inspection.toml").read_text(encoding="utf-8")
    (example / "inspection.toml").write_text(toml.replace('"4.2.3" = { percent = 55,', '"4.1.3" = { percent = 55,')
                                             .replace('"2.1.1" = { percent = 68,', '"9.9.9" = { percent = 68,'),
                                             encoding="utf-8")
    result = inspect_cli("report", "--profile", "crc", "--inspection", example)
    assert result.exit_code == 1
    assert 'inspection.toml [[comparator]] #1 [key_questions."4.1.3"]: key question 4.1.3 is not rated' in result.stderr
    assert 'inspection.toml [[comparator]] #2 [key_questions."9.9.9"]' in result.stderr


def test_comparator_from_results_pools_yes_and_applicable(crc, session):
    profile, inspection, result = crc
    pooled = comparator_from_results([result, result], "All CRCs")
    assert pooled.name == "all-providers" and pooled.label == "All CRCs"
    for kq in rated_key_questions(result):
        if not kq.applicable:
            assert pooled.figure(kq.id) is None
            continue
        figure = pooled.figure(kq.id)
        assert (figure.yes, figure.n, figure.n_assumed) == (2 * kq.yes, 2 * kq.applicable, False)
        assert figure.percent == kq.percent
    assert pooled.figure("4.1.3") is None  # qualitative: no figure
    # the same proportions as this inspection: no change is significant
    data = build_report(result, inspection, profile, [pooled])
    assert not any(c["significant"] for s in data["standards"] for kq in s["key_questions"]
                   for c in kq["comparisons"])
    with pytest.raises(ValueError, match="one profile"):
        comparator_from_results([result, session.run("nps")[2]], "Mixed")
    assert comparator_from_results([], "None yet").key_questions == {}


def test_a_comparator_without_n_is_shown_but_not_tested(crc):
    profile, inspection, result = crc
    untested = Comparator("previous", "Previous (no n)", {"2.1.1": ComparatorFigure(20)})
    data = build_report(result, inspection, profile, [untested])
    [comparison] = [c for s in data["standards"] for kq in s["key_questions"]
                    for c in kq["comparisons"]]
    assert comparison["percent"] == 20 and comparison["significant"] is None
    assert comparison["direction"] == "higher" and comparison["wording"] == ""


def test_build_report_refuses_bad_options(crc):
    profile, inspection, result = crc
    with pytest.raises(InputError) as raised:
        build_report(result, inspection, profile, by=["nope"], small_group=0)
    assert "--by nope" in str(raised.value) and "--small-group" in str(raised.value)


def test_report_is_registered_and_documented(inspect_cli):
    result = inspect_cli("report", "--help")
    assert result.exit_code == 0
    for option in ("--profile", "--inspection", "--format", "--by", "--output", "--small-group"):
        assert option in result.stdout
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "## The report" in readme and readme.index("## The report") < readme.index("## Development")
