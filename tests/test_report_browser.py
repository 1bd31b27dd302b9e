"""The HTML report in a browser and on the page: a phone's width (Chromium through
Playwright), print (Chromium's print media and WeasyPrint's page layout) and the PDF.

Every bundled profile's report is checked. Chromium is Debian's, installed by
tests/install_system_packages.sh when missing (as the store's tests install PostgreSQL); nothing
is skipped."""

from __future__ import annotations

import io

import pytest
from browser import (
    PROFILES,
    boxes,
    report_html,
    report_model,
    system_packages,
)

PHONE_WIDTHS = (390, 420)
MIN_CHART_TEXT_PX = 11


@pytest.fixture(scope="module")
def reports():
    return {name: report_html(name) for name in PROFILES}


@pytest.fixture
def phone(chromium):
    def open_report(html: str, width: int = 390):
        page = chromium.new_page(viewport={"width": width, "height": 844})
        page.set_content(html)
        return page
    pages = []
    yield lambda html, width=390: pages.append(open_report(html, width)) or pages[-1]
    for page in pages:
        page.close()


# --------------------------------------------------------------------------------------
# A phone: nothing wider than the screen, tables scroll in their own region, legible chart.
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", PHONE_WIDTHS)
@pytest.mark.parametrize("profile", PROFILES)
def test_no_horizontal_page_scroll_on_a_phone(reports, phone, profile, width):
    page = phone(reports[profile], width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # whatever is wider than the screen sits in a region that scrolls on its own
    outside = page.evaluate(f"""Array.from(document.querySelectorAll('body *'))
        .filter(e => e.getBoundingClientRect().right > {width} + 0.5 && !e.closest('.table-wrap'))
        .map(e => e.tagName)""")
    assert outside == []


@pytest.mark.parametrize("profile", PROFILES)
def test_every_table_is_in_a_focusable_labelled_region(reports, phone, profile):
    page = phone(reports[profile])
    regions = page.evaluate("""Array.from(document.querySelectorAll('table')).map(t => {
        const w = t.parentElement;
        return [w.className, w.getAttribute('tabindex'), w.getAttribute('role'),
                w.getAttribute('aria-label') || '', getComputedStyle(w).overflowX,
                !!t.querySelector('caption')]; })""")
    assert regions
    for css, tabindex, role, label, overflow, caption in regions:
        assert (css, tabindex, role, overflow, caption) == ("table-wrap", "0", "region", "auto", True)
        assert label
    nowrap = page.evaluate("""Array.from(document.querySelectorAll('td, th'))
        .filter(c => getComputedStyle(c).whiteSpace === 'nowrap').length""")
    assert nowrap == 0


@pytest.mark.parametrize("profile", PROFILES)
def test_chart_text_is_legible_on_a_phone(reports, phone, profile):
    page = phone(reports[profile])
    sizes = page.evaluate("""(() => {
        const svg = document.querySelector('svg.chart');
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return Array.from(svg.querySelectorAll('text, tspan')).map(
            t => parseFloat(getComputedStyle(t).fontSize) * scale); })()""")
    assert sizes and min(sizes) >= MIN_CHART_TEXT_PX, min(sizes)
    svg_box = page.evaluate("document.querySelector('svg.chart').getBoundingClientRect().right")
    assert svg_box <= 390
    axis = page.evaluate("Array.from(document.querySelectorAll('svg.chart text')).map(t => t.textContent)")
    for tick in ("0%", "25%", "50%", "75%", "100%"):
        assert tick in axis


def test_the_chart_marks_the_bars_the_panel_moved(reports):
    svg = reports["crc"].split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "2.2.3</tspan> 61% (48/79) raised by the panel (note 1)" in svg
    assert "4.2.2</tspan> 79% (11/14) raised by the panel (note 2)" in svg


# --------------------------------------------------------------------------------------
# Print: Chromium's print media, WeasyPrint's pages.
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
def test_print_media_keeps_rows_and_headings_together(reports, phone, profile):
    page = phone(reports[profile])
    page.emulate_media(media="print")
    styles = page.evaluate("""({
        thead: getComputedStyle(document.querySelector('thead')).display,
        tr: getComputedStyle(document.querySelector('tbody tr')).breakInside,
        h2: getComputedStyle(document.querySelector('h2')).breakAfter,
        h3: getComputedStyle(document.querySelector('main h3')).breakAfter,
        nav: getComputedStyle(document.querySelector('nav')).display,
        wrap: getComputedStyle(document.querySelector('.table-wrap')).overflowX })""")
    assert styles == {"thead": "table-header-group", "tr": "avoid", "h2": "avoid", "h3": "avoid",
                      "nav": "none", "wrap": "visible"}
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")


@pytest.fixture(scope="module")
def laid_out(reports):
    system_packages()
    import weasyprint
    return {name: weasyprint.HTML(string=html).render() for name, html in reports.items()}


@pytest.mark.parametrize("profile", PROFILES)
def test_no_table_row_is_split_across_pages(laid_out, profile):
    document = laid_out[profile]
    pages_of: dict[int, set[int]] = {}
    header_rows = set()
    for number, page in enumerate(document.pages):
        for box in boxes(page._page_box):
            if getattr(box, "element_tag", None) == "thead":
                header_rows.update(id(row.element) for row in box.children)
            if type(box).__name__ == "TableRowBox":
                pages_of.setdefault(id(box.element), set()).add(number)
    split = [element for element, pages in pages_of.items()
             if len(pages) > 1 and element not in header_rows]
    assert pages_of and not split
    repeated = [element for element in header_rows if len(pages_of[element]) > 1]
    assert repeated, "a long table repeats its header row on the next page"


@pytest.mark.parametrize("profile", PROFILES)
def test_no_heading_is_left_at_a_page_foot(laid_out, profile):
    content = {"h2", "h3", "h4", "p", "tr", "li", "blockquote", "caption", "svg", "figure"}
    for number, page in enumerate(laid_out[profile].pages[:-1]):
        last = None
        for box in boxes(page._page_box):
            if getattr(box, "element_tag", None) in content and type(box).__name__ in (
                    "BlockBox", "TableRowBox", "TableCaptionBox", "BlockReplacedBox", "SVGBox"):
                last = box.element_tag
        assert last not in ("h2", "h3", "h4"), f"page {number + 1} ends with a {last}"


def test_a4_pages_with_running_header_page_numbers_and_draft(laid_out):
    document = laid_out["crc"]
    first = document.pages[0]
    assert (round(first.width * 25.4 / 96), round(first.height * 25.4 / 96)) == (210, 297)
    texts = []
    for page in document.pages:
        margin = [box for box in page._page_box.children if type(box).__name__ == "MarginBox"]
        texts.append(" ".join(b.text for m in margin for b in boxes(m) if hasattr(b, "text")))
    total = len(document.pages)
    for number, text in enumerate(texts, start=1):
        assert "Thames Valley CRC (synthetic example)" in text
        assert f"Page {number} of {total}" in text
        assert "DRAFT" in text


# --------------------------------------------------------------------------------------
# The PDF.
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=PROFILES)
def profile_pdf(request, tmp_path_factory):
    """(profile, the bytes ``inspect report --profile P --format pdf --output FILE`` wrote)."""
    system_packages()
    from hmip_inspect.core import cli
    from typer.testing import CliRunner
    target = tmp_path_factory.mktemp("pdf") / "report.pdf"
    result = CliRunner().invoke(cli.build_app(), ["report", "--profile", request.param, "--format", "pdf",
                                          "--output", str(target)])
    assert result.exit_code == 0, result.stderr
    return request.param, target.read_bytes()


def test_the_pdf_is_tagged_a4_with_a_bookmark_per_standard(profile_pdf):
    import pypdf
    profile, pdf = profile_pdf
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en-GB"

    def titles(outline):
        for item in outline:
            yield from titles(item) if isinstance(item, list) else [item.title]
    bookmarks = list(titles(reader.outline))
    for standard in report_model(profile)["standards"]:
        assert f"Standard {standard['id']} {standard['display_title']}" in bookmarks
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts[font["/BaseFont"]] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
    assert all("+" in name for name in fonts), "subsets"
    assert "Rating: " in "".join(page.extract_text() for page in reader.pages)


def test_pdf_needs_output_and_says_how_to_install_weasyprint(inspect_cli, monkeypatch, tmp_path):
    refused = inspect_cli("report", "--profile", "crc", "--format", "pdf")
    assert refused.exit_code == 1 and "--output" in refused.stderr
    monkeypatch.setitem(__import__("sys").modules, "weasyprint", None)  # import fails
    missing = inspect_cli("report", "--profile", "crc", "--format", "pdf", "--output", tmp_path / "r.pdf")
    assert missing.exit_code == 1
    assert 'pip install "hmip-inspect[pdf]"' in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.parametrize("profile", PROFILES)
def test_the_printed_chart_is_whole_on_the_page_of_its_heading(laid_out, profile):
    found: dict[str, set[int]] = {"figure": set(), "heading": set()}
    for number, page in enumerate(laid_out[profile].pages):
        page_box = page._page_box
        bottom = page_box.content_box_y() + page_box.height
        for box in boxes(page_box):
            element = getattr(box, "element", None)
            if element is None or type(box).__name__ != "BlockBox":
                continue
            if box.element_tag == "figure":  # the chart's only content
                found["figure"].add(number)
                assert box.position_y + box.height <= bottom + 1
            if box.element_tag == "h2" and element.get("id") == "chart-h":
                found["heading"].add(number)
    assert len(found["figure"]) == 1 and found["figure"] == found["heading"], found
