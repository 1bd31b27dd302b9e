"""The report's structure without a browser: escaping of every free text in HTML and
Markdown, accessibility (landmarks, captions, row headers, ids, footnote back links, the
chart's title, description and contrast), the draft status and the content items of the
published report (ratings by domain, previous ratings, sample, methodology annex)."""

from __future__ import annotations

import json
import re

import pytest
from hmip_inspect.core.report import charts
from hmip_inspect.core.report.html import css_string
from hmip_inspect.core.report.markdown import md

PAYLOADS = ('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>',
            '[click](javascript:alert(1))', '| pipes | in text |', "</style><b>x</b>", "a & b")
PAYLOAD = " ".join(PAYLOADS)


def toml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture
def hostile(example):
    """The CRC example with the payloads in the provider, notes, a comparator label, the
    lead inspector's evidence and the panel's rationale."""
    toml = (example / "inspection.toml").read_text(encoding="utf-8")
    toml = toml.replace('provider = "Thames Valley CRC (synthetic example)"', f"provider = {toml_text(PAYLOAD)}")
    toml = re.sub(r"^notes = .*$", f"notes = {toml_text(PAYLOAD)}", toml, flags=re.M)
    toml = toml.replace('label = "All CRCs (June 2018 to June 2019)"', f"label = {toml_text('All ' + PAYLOAD)}")
    (example / "inspection.toml").write_text(toml, encoding="utf-8")
    judgements = (example / "judgements.toml").read_text(encoding="utf-8")
    judgements = re.sub(r"^evidence = .*$", f"evidence = {toml_text(PAYLOAD)}", judgements, count=1, flags=re.M)
    judgements = re.sub(r"^rationale = .*$", f"rationale = {toml_text(PAYLOAD)}", judgements, count=1, flags=re.M)
    (example / "judgements.toml").write_text(judgements, encoding="utf-8")
    return example


def render(inspect_cli, folder, fmt):
    result = inspect_cli("report", "--profile", "crc", "--inspection", folder, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_html_escapes_every_free_text(inspect_cli, hostile):
    text = render(inspect_cli, hostile, "html")
    assert "<script" not in text and "<img" not in text and "<b>" not in text
    assert text.count("</style>") == 1
    assert re.findall(r'href="([^"]*)"', text) and all(h.startswith("#") for h in re.findall(r'href="([^"]*)"', text))
    assert not re.search(r'(href|src|action)\s*=\s*"?\s*javascript:', text)
    assert text.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 5  # title, h1, notes, evidence, note...
    assert css_string(PAYLOAD)[:-1] in text  # the running header, hex-escaped


def unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def test_markdown_escapes_every_free_text(inspect_cli, hostile):
    text = render(inspect_cli, hostile, "markdown")
    assert "<script" not in text and "<img" not in text and "<b>" not in text and "</style" not in text
    assert not re.search(r"(?<!\\)\]\(javascript:", text)  # no link can be made
    assert text.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 5
    table: list[str] = []
    for line in text.splitlines() + [""]:  # every row of a table has its header's columns
        if line.startswith("|"):
            table.append(line)
            continue
        if table:
            assert {unescaped_pipes(row) for row in table} == {unescaped_pipes(table[0])}, table[0]
        table = []


def test_md_and_css_string():
    assert md("<a href='x'>[y](javascript:z)</a> & `c`") == \
        "&lt;a href='x'&gt;\\[y\\](javascript:z)&lt;/a&gt; &amp; \\`c\\`"
    assert css_string('</style>"x"\\') == '"\\3c /style\\3e \\22 x\\22 \\5c "'


# --------------------------------------------------------------------------------------
# Accessibility.
# --------------------------------------------------------------------------------------


@pytest.fixture
def crc_html(inspect_cli):
    result = inspect_cli("report", "--profile", "crc")
    assert result.exit_code == 0
    return result.stdout


def test_landmarks_and_table_of_contents(crc_html):
    for landmark in ("<header>", '<nav aria-label="Contents">', "<main>", "<footer>"):
        assert crc_html.count(landmark) == 1, landmark
    assert crc_html.index("<header>") < crc_html.index("<nav") < crc_html.index("<main>") < crc_html.index("<footer>")
    nav = crc_html.split("<nav", 1)[1].split("</nav>", 1)[0]
    for sid in ("1-1", "2-1", "4-2"):
        assert f'href="#standard-{sid}"' in nav


def test_tables_have_captions_and_row_headers(crc_html):
    tables = re.findall(r"<table.*?</table>", crc_html, re.S)
    assert len(tables) > 10
    for table in tables:
        assert "<caption>" in table
        body = table.split("<tbody>", 1)[1]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
            assert row.startswith("<th scope=\"row\">") or row.startswith("<th scope=\"colgroup\""), row[:80]


def test_ids_are_unique_and_without_spaces_or_dots(crc_html):
    ids = re.findall(r'\sid="([^"]+)"', crc_html)
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][a-z0-9-]*", i) for i in ids), [i for i in ids if not re.fullmatch(r"[a-z][a-z0-9-]*", i)]
    assert 'id="kq-2-1-1"' in crc_html and 'id="standard-2-1"' in crc_html


def test_footnotes_link_back_to_their_reference(crc_html):
    ids = set(re.findall(r'\sid="([^"]+)"', crc_html))
    for number in (1, 2):
        note = re.search(rf'<li id="fn-{number}"[^>]*>(.*?)</li>', crc_html, re.S).group(1)
        [back] = re.findall(r'href="#(fnref-\d+)"', note)
        assert back in ids and "\u21a9" in note
        reference = re.search(rf'<a href="#fn-{number}" id="{back}"', crc_html)
        assert reference


def test_chart_colours_meet_3_to_1_and_its_text_lists_the_figures(crc_html):
    for band in charts.BAND_FILLS:
        assert charts.contrast_ratio(charts.BAR_FILL, band) >= 3, band
        assert charts.contrast_ratio(charts.WHISKER, band) >= 3, band
        assert charts.contrast_ratio(charts.TEXT_FILL, band) >= 4.5, band
    assert round(charts.contrast_ratio("#000000", "#ffffff"), 2) == 21
    svg = re.search(r"<svg.*?</svg>", crc_html, re.S).group(0)
    assert '<title id="chart-title">' in svg and 'aria-labelledby="chart-title chart-desc"' in svg
    desc = re.search(r'<desc id="chart-desc">(.*?)</desc>', svg, re.S).group(1)
    for figure in ("2.1.1 ", "65% of 100 cases", "2.2.3 ", "raised by the panel (note 1)", "4.2.3 "):
        assert figure in desc


# --------------------------------------------------------------------------------------
# Content.
# --------------------------------------------------------------------------------------


def report_json(inspect_cli, *args):
    result = inspect_cli("report", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_ratings_grouped_by_domain_with_previous_ratings(inspect_cli, crc_html):
    data = report_json(inspect_cli, "--profile", "crc")
    assert [(d["title"], d["standards"]) for d in data["domains"]] == [
        ("Organisational delivery", ["1.1", "1.2", "1.3", "1.4"]),
        ("Case supervision", ["2.1", "2.2", "2.3", "2.4"]),
        ("CRC-specific work", ["4.1", "4.2"])]
    previous = {s["id"]: s["previous_rating"] for s in data["ratings"]}
    # seed 002: domain one maintained at Good (1.3 rose, to a rating it does not name);
    # unpaid work was Inadequate and Through the Gate Requires improvement
    assert previous == {"1.1": "Good", "1.2": "Good", "1.3": None, "1.4": "Good", "2.1": None,
                        "2.2": None, "2.3": None, "2.4": None, "4.1": "Inadequate",
                        "4.2": "Requires improvement"}
    ratings = crc_html.split('id="ratings"', 1)[1].split("</section>", 1)[0]
    assert ratings.index("1. Organisational delivery") < ratings.index("2. Case supervision") \
        < ratings.index("3. CRC-specific work") < ratings.index("Overall rating")
    assert "Previous inspection</th>" in ratings


def test_youth_standards_sharing_a_title_are_told_apart_by_domain(inspect_cli):
    data = report_json(inspect_cli, "--profile", "yot")
    titles = {s["id"]: s["display_title"] for s in data["standards"]}
    assert titles["2.1"] == "Assessment (Court disposals)"
    assert titles["3.1"].startswith("Assessment (Out-of-court disposals)")  # and flagged unconfirmed
    assert titles["1.1"].startswith("Governance and leadership")


def test_significance_is_phrased_from_the_current_figure(inspect_cli):
    data = report_json(inspect_cli, "--profile", "crc")
    words = {c["wording"] for s in data["standards"] for kq in s["key_questions"] for c in kq["comparisons"]}
    assert "significantly higher than all CRCs (June 2018 to June 2019)" in words
    assert all(w == "" or re.fullmatch(r"significantly (higher|lower) than .+", w) for w in words)


def test_lowest_key_question_and_sample_and_method_annex(inspect_cli, crc_html):
    assert re.search(r'<tr id="kq-2-2-3" class="lowest">.*?lowest: sets the rating', crc_html, re.S)
    data = report_json(inspect_cli, "--profile", "crc")
    samples = {s["sample"]: s for s in data["sample"]}
    assert samples["domain2"]["cases"] == 100
    assert sum(samples["domain2"]["by"]["gender"].values()) == 100
    assert set(samples["domain2"]["by"]) == {"disposal", "rosh", "gender"}
    method = data["method"]
    assert method["judgement_window"] == 5 and method["scoring"]["max_score"] == 30
    assert [b["from"] for b in method["key_question_bands"]] == [0, 50, 65, 80]
    assert "Annex: methodology" in crc_html and "Points per standard" in crc_html


# --------------------------------------------------------------------------------------
# Draft until signed off.
# --------------------------------------------------------------------------------------


def test_a_folder_inspection_is_always_a_draft(inspect_cli, crc_html):
    data = report_json(inspect_cli, "--profile", "crc")
    assert data["status"] == {"signed_off": False, "signed_off_at": None, "signed_off_by": None, "draft": True,
                              "line": "Draft: this inspection has not been signed off."}
    assert '@top-right { content: "DRAFT"' in crc_html and 'class="draft"' in crc_html
    markdown = inspect_cli("report", "--profile", "crc", "--format", "markdown").stdout
    assert "> **Draft**: this inspection has not been signed off." in markdown


def test_a_stored_inspection_is_signed_off_by_its_audit_trail(inspect_cli, example, tmp_path):
    db = str(tmp_path / "store.sqlite")
    assert inspect_cli("import", example, "--db", db, "--name", "tv", "--user", "alice").exit_code == 0
    assert report_json(inspect_cli, "--name", "tv", "--db", db)["status"]["draft"] is True
    assert inspect_cli("signoff", "--db", db, "--name", "tv", "--by", "panel chair").exit_code == 0
    status = report_json(inspect_cli, "--name", "tv", "--db", db)["status"]
    assert status["signed_off"] is True and status["draft"] is False
    assert status["signed_off_by"] == "panel chair" and status["signed_off_at"]
    html = inspect_cli("report", "--name", "tv", "--db", db).stdout
    assert "DRAFT" not in html and "Signed off by panel chair" in html
    assert inspect_cli("unlock", "--db", db, "--name", "tv", "--reason", "typo", "--user", "chair").exit_code == 0
    assert report_json(inspect_cli, "--name", "tv", "--db", db)["status"]["draft"] is True


def test_comparator_standards_are_read_and_checked(session, example, inspect_cli):
    _, inspection, _ = session.run("crc", example)
    [previous] = [c for c in inspection.info.comparators if c.name == "previous"]
    assert previous.label == "Previous inspection (2018)"
    assert dict(previous.standards)["4.2"] == "Requires improvement"
    toml = (example / "inspection.toml").read_text(encoding="utf-8")
    (example / "inspection.toml").write_text(toml.replace('"4.1" = "Inadequate"', '"4.1" = "Poor"'), encoding="utf-8")
    result = inspect_cli("report", "--profile", "crc", "--inspection", example)
    assert result.exit_code == 1
    assert 'standards."4.1"' in result.stderr and "found 'Poor'" in result.stderr


# --------------------------------------------------------------------------------------
# The JSON and its schema.
# --------------------------------------------------------------------------------------


def keys(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from keys(item)


@pytest.mark.parametrize("profile", ["crc", "nps", "pdu", "yot"])
def test_the_json_matches_the_shipped_schema(inspect_cli, profile):
    import jsonschema
    from hmip_inspect.core.report.model import FORMAT_VERSION, report_schema
    schema = report_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    data = report_json(inspect_cli, "--profile", profile, "--by", "gender")
    jsonschema.Draft202012Validator(schema).validate(data)
    assert data["report"]["format_version"] == FORMAT_VERSION == 2
    assert not {"applicable", "answered"} & set(keys(data))  # one name for counts: yes and n
    percents = [kq["interval"] for s in data["standards"] for kq in s["key_questions"] if kq["interval"]]
    assert all(1 < i["high"] <= 100 and i["confidence"] == 95 for i in percents)
    assert data["report"]["confidence"] == 95 and data["report"]["significance_level"] == 10


def test_the_schema_refuses_an_old_or_mixed_report(inspect_cli):
    import jsonschema
    from hmip_inspect.core.report.model import report_schema
    data = report_json(inspect_cli, "--profile", "crc")
    kq = data["standards"][4]["key_questions"][0]
    kq["applicable"] = kq.pop("n")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, report_schema(), cls=jsonschema.Draft202012Validator)


def test_inspect_run_json_keeps_its_names(inspect_cli):
    result = inspect_cli("run", "--profile", "crc", "--format", "json")
    assert result.exit_code == 0
    assert "applicable" in set(keys(json.loads(result.stdout)))


# --------------------------------------------------------------------------------------
# Narrative: [[finding]] and [[recommendation]] in judgements.toml.
# --------------------------------------------------------------------------------------

NARRATIVE = '''
[[finding]]
text = "The CRC has maintained the standards of its previous inspection."

[[finding]]
text = "Plans are not delivered <script>alert(1)</script> in too many cases."
kind = "improvement"
domain = 2

[[finding]]
text = "Unpaid work is delivered safely."
domain = 3

[[recommendation]]
text = "Make sure that sentence plans are delivered in all cases."

[[recommendation]]
text = "Review cases when circumstances change."
domain = 2
'''


def test_findings_and_recommendations_per_domain_and_for_the_inspection(inspect_cli, example):
    with (example / "judgements.toml").open("a", encoding="utf-8") as handle:
        handle.write(NARRATIVE)
    data = report_json(inspect_cli, "--profile", "crc", "--inspection", example)
    assert [(f["domain"], f["kind"]) for f in data["narrative"]["findings"]] == [
        (None, "strength"), (2, "improvement"), (3, "strength")]
    assert [r["domain"] for r in data["narrative"]["recommendations"]] == [None, 2]
    import jsonschema
    from hmip_inspect.core.report.model import report_schema
    jsonschema.validate(data, report_schema(), cls=jsonschema.Draft202012Validator)
    html = render(inspect_cli, example, "html")
    summary = html.split('<section id="summary"', 1)[1].split("</section>", 1)[0]
    assert "maintained the standards" in summary and "<ol><li>Make sure" in summary
    case_supervision = html.split('id="domain-2"', 1)[1].split('id="standard-2-1"', 1)[0]
    assert "Areas for improvement" in case_supervision and "&lt;script&gt;" in case_supervision
    assert "<script" not in html
    markdown = render(inspect_cli, example, "markdown")
    assert "## Summary" in markdown and "1. Make sure that sentence plans" in markdown
    assert "- Plans are not delivered &lt;script&gt;" in markdown


def test_a_finding_for_a_domain_the_profile_lacks_is_refused(inspect_cli, example):
    original = (example / "judgements.toml").read_text(encoding="utf-8")
    (example / "judgements.toml").write_text(original + '\n[[finding]]\ntext = "y"\nkind = "weakness"\n',
                                             encoding="utf-8")
    result = inspect_cli("report", "--profile", "crc", "--inspection", example)
    assert result.exit_code == 1 and "[[finding]] #1 kind" in result.stderr and "weakness" in result.stderr
    (example / "judgements.toml").write_text(original + '\n[[finding]]\ntext = "x"\ndomain = 7\n',
                                             encoding="utf-8")
    result = inspect_cli("report", "--profile", "crc", "--inspection", example)
    assert result.exit_code == 1 and "[[finding]] #1 domain" in result.stderr and "found 7" in result.stderr


def test_the_store_keeps_the_narrative_of_an_imported_inspection(inspect_cli, example, tmp_path):
    with (example / "judgements.toml").open("a", encoding="utf-8") as handle:
        handle.write(NARRATIVE)
    folder = report_json(inspect_cli, "--profile", "crc", "--inspection", example)["narrative"]
    db = str(tmp_path / "store.sqlite")
    assert inspect_cli("import", example, "--db", db, "--name", "tv", "--user", "alice").exit_code == 0
    assert report_json(inspect_cli, "--name", "tv", "--db", db)["narrative"] == folder
