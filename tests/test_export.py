"""``inspect export`` is safe and exact: no cell is ever a formula, every export re-imports to
the same answers, and files are written atomically, politely and all or nothing.

What is exported is read from SQLite and from PostgreSQL (``store_url``, tests/conftest.py);
where the files go, what a failed write leaves and how an export reads back in are tested
once, on SQLite (``on_disk``): the store plays no part in them.
"""

from __future__ import annotations

import csv
import errno
import itertools
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from hmip_inspect.core.errors import InputError
from hmip_inspect.core.inspection import case_files_write
from hmip_inspect.core.inspection.case_files import escape_cell, unescape_cell
from hmip_inspect.core.plugin.manager import build_plugin_manager
from hmip_inspect.core.session import Session
from hmip_inspect.core.store.database import open_store
from hmip_inspect.core.store.export import export_cases
from hmip_inspect.core.store.fieldwork import Fieldwork, import_folder

EXAMPLES = Path(__import__("hmip_inspect.plugins.profiles", fromlist=["x"]).__file__).parent / "examples"

#: Free text as inspectors might type it (stored stripped, as capture and import store it).
HOSTILE = [
    "=1+1", "+44 20 7946 0000", "-", "-5", "@SUM(A1:A9)", '=HYPERLINK("http://example.invalid","x")',
    "'=already quoted", "''+two quotes", "it's fine", "'quoted", "line one\nline two",
    "tab\tinside", "=cmd|' /C calc'!A0", "_x0041_ stays as typed", "'", "'-",
]
FREE = "O 2.01"      # pdu: accommodation status at the start, a free answer no other question reads


def stored_pdu(url: str) -> tuple[Fieldwork, dict]:
    """The pdu example in the store at ``url``, with hostile free text in answers; and a case
    record to import whose id and free attribute look like formulas."""
    store = open_store(url, create=True)
    session = Session(pm=build_plugin_manager())
    import_folder(store, session, EXAMPLES / "pdu", "pdu", "importer")
    fieldwork = Fieldwork(store, "pdu", session)
    cases = [c for c in store.cases("pdu")
             if any(located.question.id == FREE for located in fieldwork.questions(c))]
    for case, text in zip(cases, HOSTILE):
        fieldwork.answer(case.case_id, FREE, text, "inspector")
    model = cases[-1]
    record = {"case_id": "=DOM-X", "sample": model.sample, **model.attributes, "note": "-2+3+cmd",
              **model.answers, FREE: "@evil"}
    return fieldwork, record


@pytest.fixture
def pdu(store_url):
    """:func:`stored_pdu` on SQLite and PostgreSQL: what is exported comes from either."""
    fieldwork, record = stored_pdu(store_url)
    yield fieldwork, record
    fieldwork.store.close()


@pytest.fixture(scope="module")
def pdu_sqlite(tmp_path_factory) -> Path:
    """A SQLite store file holding :func:`stored_pdu`, made once for the module."""
    path = tmp_path_factory.mktemp("pdu") / "store.sqlite"
    fieldwork, _ = stored_pdu(f"sqlite:///{path}")
    fieldwork.store.close()
    return path


@pytest.fixture
def on_disk(pdu_sqlite, tmp_path):
    """A copy of :func:`stored_pdu` on SQLite, for the tests of where files go, what a failed
    write leaves and how an export reads back in: the store plays no part in them."""
    path = tmp_path / "store.sqlite"
    shutil.copy(pdu_sqlite, path)
    url = f"sqlite:///{path}"
    store = open_store(url)
    yield Fieldwork(store, "pdu", Session(pm=build_plugin_manager())), url
    store.close()


@pytest.fixture
def hostile(pdu, tmp_path):
    """The ``pdu`` fixture's inspection with a case whose id and free attribute look like formulas."""
    fieldwork, record = pdu
    path = tmp_path / "extra.json"
    path.write_text(json.dumps([record]))
    fieldwork.import_files([path], "importer")
    return fieldwork


def contents(store, name: str) -> dict:
    return {c.case_id: (c.sample, dict(c.attributes), dict(c.answers)) for c in store.cases(name)}


def empty_copy(fieldwork: Fieldwork, tmp_path: Path, name: str) -> Fieldwork:
    """A new inspection of the same profile in the same store, with no cases yet."""
    folder = tmp_path / f"empty-{name}"
    shutil.copytree(EXAMPLES / "pdu", folder, ignore=shutil.ignore_patterns("cases"))
    import_folder(fieldwork.store, fieldwork.session, folder, name, "importer")
    return Fieldwork(fieldwork.store, name, fieldwork.session)


def sheet_xml(path: Path, sheet: str) -> str:
    with zipfile.ZipFile(path) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        titles = re.findall(r'<sheet [^>]*name="([^"]+)"', workbook)
        return archive.read(f"xl/worksheets/sheet{titles.index(sheet) + 1}.xml").decode()


# --------------------------------------------------------------------------------------
# No formula, ever
# --------------------------------------------------------------------------------------


def test_the_csv_escaping_rule_is_reversible():
    alphabet = ["'", "=", "-", "+", "@", "\t", "\r", "a", " "]
    for length in range(5):
        for letters in itertools.product(alphabet, repeat=length):
            text = "".join(letters)
            written = escape_cell(text)
            assert unescape_cell(written) == text, repr(text)
            assert not re.match(r"[=+\-@\t\r]", written), repr(text)     # never starts with a trigger
    assert escape_cell("=1+1") == "'=1+1" and escape_cell("'=1+1") == "''=1+1"
    assert escape_cell("it's") == "it's" and escape_cell("'quoted") == "'quoted"
    assert escape_cell("-") == "'-" and unescape_cell("'-") == "-"


def test_xlsx_cells_are_text_never_formulas(hostile, tmp_path):
    [path] = export_cases(hostile, tmp_path / "pdu.xlsx", "xlsx")
    xml = sheet_xml(path, "domain2")
    assert "<f>" not in xml and "<f " not in xml
    cells = re.findall(r'<c r="[A-Z]+\d+"( s="\d+")? t="inlineStr"><is><t[^>]*>([^<]*)</t>', xml)
    texts = {text for _, text in cells}
    for value in ["=1+1", "@SUM(A1:A9)", "=cmd|' /C calc'!A0", "-", "=DOM-X", "-2+3+cmd", "@evil"]:
        assert value in texts, value
    styled = {text for style, text in cells if style}
    assert {"=1+1", "-", "=DOM-X"} <= styled and "it's fine" not in styled     # quote prefix on triggers only
    with zipfile.ZipFile(path) as archive:
        assert 'quotePrefix="1"' in archive.read("xl/styles.xml").decode()


def test_csv_cells_that_a_spreadsheet_would_evaluate_start_with_a_quote(hostile, tmp_path):
    export_cases(hostile, tmp_path / "out", "csv")
    with (tmp_path / "out" / "domain2.csv").open(newline="") as handle:
        rows = list(csv.reader(handle))
    cells = {cell for row in rows for cell in row}
    assert {"'=1+1", "'@SUM(A1:A9)", "'-", "'-5", "'+44 20 7946 0000", "''=already quoted",
            "'''+two quotes", "'=DOM-X", "'-2+3+cmd", "''-"} <= cells
    assert {"it's fine", "'quoted", "'", "line one\nline two"} <= cells
    assert not [cell for cell in cells if re.match(r"[=+\-@\t\r]", cell)]


# --------------------------------------------------------------------------------------
# Round trip
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_every_export_reimports_to_the_same_answers(hostile, tmp_path, fmt):
    original = contents(hostile.store, "pdu")
    assert original["=DOM-X"][1]["note"] == "-2+3+cmd"
    for headers in ("ids", "codes", "labels"):
        written = export_cases(hostile, tmp_path / f"{headers}.{fmt}" if fmt != "csv" else tmp_path / headers,
                               fmt, headers=headers)
        copy = empty_copy(hostile, tmp_path, f"copy-{headers}")
        copy.import_files(written, "importer")
        assert contents(hostile.store, copy.name) == original, headers


def test_a_labels_column_with_other_wording_is_refused(on_disk, tmp_path):
    fieldwork, _ = on_disk
    [path] = export_cases(fieldwork, tmp_path / "labels.json", "json", headers="labels")
    text = path.read_text().replace("Does assessment identify strengths", "Does it find strengths")
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        empty_copy(fieldwork, tmp_path, "copy").import_files([path], "importer")
    problems = [str(p) for p in caught.value.problems]
    assert any(p.startswith("labels.json, column") and "'A 2.03 Does it find strengths" in p
               and "a wording that is not this catalogue's; name the column 'A 2.03'" in p for p in problems)


def test_an_xlsx_formula_saved_without_its_value_is_refused_naming_the_cell(on_disk, tmp_path):
    from openpyxl import Workbook, load_workbook
    fieldwork, _ = on_disk
    [exported] = export_cases(fieldwork, tmp_path / "pdu.xlsx", "xlsx")
    source = load_workbook(exported)
    workbook = Workbook()            # as the exporter wrote it before: text starting "=" a formula
    sheet = workbook.active
    sheet.title = "domain2"
    rows = list(source["domain2"].iter_rows(values_only=True))
    header = rows[0]
    for row in rows:
        sheet.append(list(row))
    summary = header.index("2.2.2") + 1
    sheet.cell(row=3, column=summary, value="=IF(TRUE,\"yes\",\"no\")")
    workbook.save(tmp_path / "old.xlsx")
    formula_rows = [number for number, row in enumerate(rows, start=1) if str(row[header.index(FREE)]).startswith("=")]
    with pytest.raises(InputError) as caught:
        empty_copy(fieldwork, tmp_path, "copy").import_files([tmp_path / "old.xlsx"], "importer")
    problems = [str(p) for p in caught.value.problems]
    assert f"old.xlsx [domain2] row {formula_rows[0]}, column '{FREE}': holds a formula saved without " \
           "its value" in "\n".join(problems)
    assert any(p.startswith("old.xlsx [domain2] row 3, column '2.2.2': holds a formula") for p in problems)
    assert not any("summary judgement missing" in p for p in problems)
    assert not any("=1+1" in p or "=cmd" in p for p in problems)         # free text is not echoed


# --------------------------------------------------------------------------------------
# Where the files go, and what a failure leaves
# --------------------------------------------------------------------------------------


def export(inspect_cli, on_disk, *args):
    return inspect_cli("export", "--db", on_disk[1], "--name", "pdu", *args)


def assert_one_problem(result, *fragments):
    assert result.exit_code == 1, result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: nothing was exported: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], f"{fragment!r} not in {lines[0]!r}"


def test_existing_output_is_replaced_only_with_force(on_disk, inspect_cli, tmp_path):
    target = tmp_path / "pdu.xlsx"
    assert export(inspect_cli, on_disk, "-f", "xlsx", "-o", target).exit_code == 0
    before = target.read_bytes()
    assert_one_problem(export(inspect_cli, on_disk, "-f", "xlsx", "-o", target),
                       f"--output {target}: already exists; give --force to replace")
    assert target.read_bytes() == before
    assert export(inspect_cli, on_disk, "-f", "xlsx", "-o", target, "--force").exit_code == 0
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    assert export(inspect_cli, on_disk, "-o", folder).exit_code == 0          # beside other files
    assert_one_problem(export(inspect_cli, on_disk, "-o", folder),
                       f"{folder / 'domain2.csv'}, {folder / 'victims.csv'}: already exist; give --force")
    assert export(inspect_cli, on_disk, "-o", folder, "--force").exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == ["domain2.csv", "notes.txt", "victims.csv"]


def test_a_folder_output_gets_the_inspections_name(on_disk, inspect_cli, tmp_path):
    result = export(inspect_cli, on_disk, "-f", "xlsx", "-o", f"{tmp_path / 'new'}/")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "new" / "pdu.xlsx").is_file()
    assert export(inspect_cli, on_disk, "-f", "json", "-o", tmp_path / "new").exit_code == 0
    assert (tmp_path / "new" / "pdu.json").is_file()


def test_a_folder_as_a_file_and_a_file_as_a_folder_are_refused(on_disk, inspect_cli, tmp_path):
    (tmp_path / "taken.xlsx").mkdir()
    assert_one_problem(export(inspect_cli, on_disk, "-f", "xlsx", "-o", tmp_path / "taken.xlsx"),
                       "taken.xlsx: is a folder; give a file name, or end it with /")
    (tmp_path / "plain").write_text("")
    assert_one_problem(export(inspect_cli, on_disk, "-o", tmp_path / "plain"),
                       "plain: is a file; CSV export writes one file per sample into a folder")
    assert_one_problem(export(inspect_cli, on_disk, "-f", "json", "-o", tmp_path / "x.xlsx"),
                       "the name ends in .xlsx but --format is json")


def test_a_failed_write_is_one_line_and_leaves_nothing(on_disk, inspect_cli, tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    folder.mkdir()
    for fmt, error in itertools.product(("csv", "xlsx", "json"), (errno.ENOSPC, errno.EACCES)):
        def fail(path, tables, error=error):
            raise OSError(error, os.strerror(error), str(path))
        monkeypatch.setattr(case_files_write, f"_write_{fmt}", fail)
        target = folder / ("out" if fmt == "csv" else f"out.{fmt}")
        assert_one_problem(export(inspect_cli, on_disk, "-f", fmt, "-o", target),
                           f"{target}: cannot be written: {os.strerror(error)}")
        assert list(folder.iterdir()) == []
        monkeypatch.undo()


def test_permission_denied_on_the_folder_is_one_line(on_disk, inspect_cli, tmp_path, monkeypatch):
    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path))
    monkeypatch.setattr(case_files_write.tempfile, "mkstemp", denied)
    monkeypatch.setattr(case_files_write.tempfile, "mkdtemp", denied)
    for fmt, target in (("xlsx", tmp_path / "a.xlsx"), ("csv", tmp_path / "a")):
        assert_one_problem(export(inspect_cli, on_disk, "-f", fmt, "-o", target),
                           f"{target}: cannot be written: Permission denied")


def test_a_csv_export_is_all_or_nothing(on_disk, tmp_path, monkeypatch):
    fieldwork, _ = on_disk
    written = []
    real = case_files_write._write_csv

    def second_fails(path, tables):
        if written:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        written.append(path)
        real(path, tables)

    monkeypatch.setattr(case_files_write, "_write_csv", second_fails)
    exports = tmp_path / "exports"
    exports.mkdir()
    with pytest.raises(InputError, match="No space left on device"):
        export_cases(fieldwork, exports / "new", "csv")
    assert written and list(exports.iterdir()) == []            # no folder, no staging left
    monkeypatch.setattr(case_files_write, "_write_csv", real)

    folder = exports / "old"
    export_cases(fieldwork, folder, "csv")
    (folder / "domain2.csv").write_text("previous export\n")
    before = {p.name: p.read_text() for p in folder.iterdir()}
    real_replace = os.replace

    def second_move_fails(source, target):
        if Path(target) == folder / "victims.csv" and not failed:
            failed.append(target)
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(target))
        real_replace(source, target)

    failed = []

    monkeypatch.setattr(case_files_write.os, "replace", second_move_fails)
    with pytest.raises(InputError, match="Input/output error"):
        export_cases(fieldwork, folder, "csv", force=True)
    monkeypatch.setattr(case_files_write.os, "replace", real_replace)
    assert {p.name: p.read_text() for p in folder.iterdir()} == before
    assert sorted(p.name for p in exports.iterdir()) == ["old"]


# --------------------------------------------------------------------------------------
# Permissions: what a plain write would give
# --------------------------------------------------------------------------------------


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_files_follow_the_umask(on_disk, tmp_path, umask_022, inspect_cli):
    fieldwork, _ = on_disk
    written = export_cases(fieldwork, tmp_path / "csv", "csv")
    written += export_cases(fieldwork, tmp_path / "pdu.xlsx", "xlsx")
    written += export_cases(fieldwork, tmp_path / "pdu.json", "json")
    assert {mode(path) for path in written} == {0o644}
    assert mode(tmp_path / "csv") == 0o755
    report = tmp_path / "report.html"
    assert inspect_cli("report", "--profile", "crc", "--output", report).exit_code == 0
    assert mode(report) == 0o644
    os.chmod(tmp_path / "pdu.json", 0o640)                    # a replaced file keeps its mode
    export_cases(fieldwork, tmp_path / "pdu.json", "json", force=True)
    assert mode(tmp_path / "pdu.json") == 0o640
