"""Hostile or broken input is refused with every problem in one pass, naming file, row or
record, and column or key, without a traceback and without repeating free text.

Case files are checked as every import reads them (``read_case_files`` with the CRC profile's
rules), before any store is involved; the tests of what reaches the store (names, the audit
trail, ``case add``, ``inspect import``) take ``store_url`` and run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from hmip_inspect.core.errors import InputError, Problems
from hmip_inspect.core.inspection import case_files
from hmip_inspect.core.inspection.case_reading import read_case_files
from hmip_inspect.core.inspection.case_schema import CaseSchema
from hmip_inspect.core.inspection.folder import profile_standards
from hmip_inspect.core.names import checked_name
from hmip_inspect.core.plugin.manager import build_plugin_manager
from hmip_inspect.core.session import Session
from hmip_inspect.core.store.database import open_store
from hmip_inspect.core.store.fieldwork import Fieldwork, import_folder


@pytest.fixture
def schema(session) -> CaseSchema:
    """The CRC profile's rules for cases, as an import into a CRC inspection checks them."""
    return CaseSchema.build(profile_standards(session.profile("crc"), session.catalogue), session.catalogue)


@pytest.fixture
def crc(store_url, example):
    """The bundled CRC example imported as inspection 'tv'."""
    store = open_store(store_url, create=True)
    import_folder(store, Session(pm=build_plugin_manager()), example, "tv", "importer")
    yield Fieldwork(store, "tv", Session(pm=build_plugin_manager()))
    store.close()


def upw_rows(example: Path, count: int = 2) -> tuple[list[str], list[list[str]]]:
    """Header and ``count`` valid unpaid-work rows of the example, with new case ids."""
    with (example / "cases" / "upw.csv").open(newline="") as handle:
        rows = list(csv.reader(handle))
    body = [[f"U-9{n:02d}", *row[1:]] for n, row in enumerate(rows[1:count + 1])]
    return rows[0], body


def write_cases(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """Write a case file in the format its suffix names."""
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([header, *rows])
    elif path.suffix == ".json":
        path.write_text(json.dumps([dict(zip(header, row)) for row in rows]), encoding="utf-8")
    else:
        from openpyxl import Workbook
        workbook = Workbook()
        workbook.active.title = "upw"
        for row in (header, *rows):
            workbook.active.append(row)
        workbook.save(path)
    return path


def read(schema: CaseSchema, *paths: Path):
    """The cases of ``paths`` and the problems found reading them."""
    problems = Problems()
    cases = read_case_files(list(paths), schema, problems)
    return cases, [str(p) for p in problems.items]


def refused(schema: CaseSchema, *paths: Path) -> list[str]:
    """The problems of reading ``paths``; there must be some."""
    _, problems = read(schema, *paths)
    assert problems
    return problems


def assert_cli_refused(result, *fragments):
    assert result.exit_code == 1, result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, f"{fragment!r} not in:\n{result.stderr}"


# --------------------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [33, 100_000])
def test_deeply_nested_json_is_refused_clearly(inspect_cli, example, depth):
    (example / "cases" / "deep.json").write_text("[" * depth + "]" * depth)
    result = inspect_cli("run", "--inspection", example)
    assert_cli_refused(result, "cases/deep.json: nests arrays or objects more than 32 levels deep")
    assert "RecursionError" not in result.stderr


def test_json_that_python_would_accept_but_json_does_not_is_refused_by_record_and_key(schema, example, tmp_path):
    header, [first, second, third, fourth] = upw_rows(example, 4)
    records = [dict(zip(header, row)) for row in (first, second, third, fourth)]
    text = json.dumps(records)
    answer = f'"4.1.1.a": "{first[header.index("4.1.1.a")]}"'
    text = text.replace(answer, answer + ", " + answer, 1)                        # record 1: duplicate key
    text = text.replace(f'"case_id": "{second[0]}"', '"case_id": NaN')            # record 2: NaN
    text = text.replace(f'"case_id": "{third[0]}"', '"case_id": ' + "9" * 5000)   # record 3: 5,000 digits
    text = text.replace(f'"case_id": "{fourth[0]}", "sample": "upw"',
                        f'"case_id": "{fourth[0]}", "sample": "upw", "note": "\\ud800", "size": -Infinity')
    path = tmp_path / "odd.json"
    path.write_text(text)
    problems = refused(schema, path)
    assert "odd.json record 1, key '4.1.1.a': duplicate key: the record gives it more than once" in problems
    assert "odd.json record 2, key 'case_id': NaN is not a number JSON allows" in problems
    assert "odd.json record 3, key 'case_id': a number of 5,000 digits; at most 30 are read (write an " \
           "identifier as a string)" in problems
    assert "odd.json record 4, key 'size': -Infinity is not a number JSON allows" in problems
    assert len(problems) == 4, problems         # record 4's surrogate: its record is refused already


def test_a_lone_surrogate_is_refused_naming_record_and_column(schema, example, tmp_path):
    header, [row, other] = upw_rows(example, 2)
    path = tmp_path / "surrogate.json"
    path.write_text(json.dumps([{**dict(zip(header, row)), "note": "x\ud800y"},
                                {**dict(zip(header, other)), "n\ud800te": "x"}]))
    assert refused(schema, path) == [
        "surrogate.json record 2, key 'n\\ud800te': the key holds an unpaired surrogate (U+D800), which "
        "is not Unicode text; keys are column names",
        "surrogate.json record 1, column 'note': holds an unpaired surrogate (U+D800), which is not "
        "Unicode text at character 2; case files hold text only"]


# --------------------------------------------------------------------------------------
# TOML
# --------------------------------------------------------------------------------------


def test_toml_with_a_byte_order_mark_is_refused_by_name(inspect_cli, example):
    path = example / "inspection.toml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert_cli_refused(inspect_cli("run", "--inspection", example),
                       "inspection.toml: starts with a byte-order mark; save it as UTF-8 without BOM")


def test_toml_that_is_not_utf8_is_refused_by_name(inspect_cli, example):
    path = example / "judgements.toml"
    path.write_bytes(b'# Judgements\n[[judgement]]\nstandard = "1.1"\nevidence = "Caf\xe9"\n')
    assert_cli_refused(inspect_cli("run", "--inspection", example),
                       "judgements.toml: not UTF-8 text (line 4, byte 60); save it as UTF-8")


# --------------------------------------------------------------------------------------
# Limits, the same for every format
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix, limit", [(".csv", 32_767), (".json", 32_767), (".xlsx", 20_000)])
def test_an_oversized_cell_is_refused_naming_row_and_column(schema, example, tmp_path, monkeypatch, suffix, limit):
    monkeypatch.setattr(case_files, "MAX_CELL_CHARS", limit)  # openpyxl cuts what it writes to 32,767
    header, rows = upw_rows(example, 3)
    column = header.index("4.1.1.a")
    rows[0][column] = "x" * (limit + 1)
    rows[2][column] = "y" * (200_000 if suffix != ".xlsx" else 30_000)   # CSV: past the csv module's limit
    problems = refused(schema, write_cases(tmp_path / f"big{suffix}", header, rows))
    where = "record" if suffix == ".json" else "row"
    first, third = (1, 3) if suffix == ".json" else (2, 4)
    sheet = " [upw]" if suffix == ".xlsx" else ""
    assert problems == [
        f"big{suffix}{sheet} {where} {first}, column '4.1.1.a': has {limit + 1:,} characters; a cell may "
        f"have at most {limit:,}",
        f"big{suffix}{sheet} {where} {third}, column '4.1.1.a': has {len(rows[2][column]):,} characters; a "
        f"cell may have at most {limit:,}"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
def test_rows_and_columns_are_limited(schema, example, tmp_path, monkeypatch, suffix):
    header, rows = upw_rows(example, 4)
    monkeypatch.setattr(case_files, "MAX_ROWS", 3)
    problems = refused(schema, write_cases(tmp_path / f"long{suffix}", header, rows))
    assert len(problems) == 1 and "has more than 3 rows; split it into several files" in problems[0]
    monkeypatch.setattr(case_files, "MAX_ROWS", 10)
    monkeypatch.setattr(case_files, "MAX_COLUMNS", 5)
    problems = refused(schema, write_cases(tmp_path / f"wide{suffix}", header, rows))
    assert len(problems) == 1 and "a case file may have at most 5 columns" in problems[0], problems


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_control_characters_are_refused_by_row_and_column(schema, example, tmp_path, suffix):
    header, rows = upw_rows(example, 2)
    rows[0][header.index("case_id")] = "U-9\x0000"     # NUL: PostgreSQL cannot store it
    rows[1][header.index("4.1.1.a")] = "yes\x1b[2J"
    problems = refused(schema, write_cases(tmp_path / f"ctl{suffix}", header, rows))
    where = ("record 1", "record 2") if suffix == ".json" else ("row 2", "row 3")
    assert problems == [
        f"ctl{suffix} {where[0]}, column 'case_id': holds a control character (U+0000) at character 4; "
        "case files hold text only",
        f"ctl{suffix} {where[1]}, column '4.1.1.a': holds a control character (U+001B) at character 4; "
        "case files hold text only"]


def test_line_breaks_read_the_same_from_every_format(schema, example, tmp_path):
    header, [row] = upw_rows(example, 1)
    header.append("note")
    notes = {}
    for suffix in (".csv", ".xlsx", ".json"):
        path = write_cases(tmp_path / f"lines{suffix}", header, [[*row, "one\r\ntwo\rthree"]])
        [case], problems = read(schema, path)
        assert problems == []
        notes[suffix] = case.attributes["note"]
    assert notes == {".csv": "one\ntwo\nthree", ".xlsx": "one\ntwo\nthree", ".json": "one\ntwo\nthree"}


def test_a_long_closed_answer_is_not_repeated_in_the_message(schema, example, tmp_path):
    header, rows = upw_rows(example, 2)
    rows[0][header.index("4.1.1.a")] = "the person told me about their family " * 3
    rows[1][header.index("4.1.1.a")] = "maybe"
    problems = refused(schema, write_cases(tmp_path / "long.csv", header, rows))
    assert any("answer of 113 characters is not allowed" in p for p in problems)
    assert any("answer 'maybe' is not allowed" in p for p in problems)
    assert not any("family" in p for p in problems)


# --------------------------------------------------------------------------------------
# XLSX workbooks
# --------------------------------------------------------------------------------------


def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    from openpyxl import Workbook
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_only_sheets_named_after_a_sample_are_read(crc, example, inspect_cli, store_url, tmp_path):
    header, rows = upw_rows(example, 2)
    path = workbook(tmp_path / "book.xlsx", {"Instructions": [["Fill in one row per case"], ["case_id: ..."]],
                                             "upw": [header, *rows], "Notes": [["free text"]]})
    result = inspect_cli("import", path, "--db", store_url, "--into", "tv")
    assert result.exit_code == 0, result.stderr
    assert "imported 2 case(s)" in result.stdout
    assert "ignored sheets: Instructions, Notes" in result.stderr
    assert crc.store.case("tv", rows[1][0])[1] == "complete"


def test_a_workbook_of_one_sheet_is_read_whatever_its_name(schema, example, tmp_path):
    header, rows = upw_rows(example, 2)
    cases, problems = read(schema, workbook(tmp_path / "one.xlsx", {"Sheet1": [header, *rows]}))
    assert problems == [] and [case.case_id for case in cases] == [rows[0][0], rows[1][0]]


def test_a_workbook_without_a_sample_sheet_is_refused_naming_its_sheets(schema, example, tmp_path):
    header, rows = upw_rows(example, 2)
    path = workbook(tmp_path / "none.xlsx", {"Instructions": [["x"]], "Unpaid": [header, *rows]})
    assert refused(schema, path) == [
        "none.xlsx: no sheet named after a sample (domain2, ttg, upw); a workbook of several sheets is "
        "read only in those (its sheets: 'Instructions', 'Unpaid')"]


def test_a_formula_is_read_by_the_value_saved_with_it(schema, example, tmp_path):
    import re
    import zipfile
    header, rows = upw_rows(example, 1)
    rows[0][header.index("4.1.1")] = '=IF(TRUE,"yes","no")'
    path = workbook(tmp_path / "saved.xlsx", {"upw": [header, *rows]})
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"          # give the formula a saved value, as Excel does
    parts[sheet], count = re.subn(rb'<c r="([A-Z]+2)"><f>(IF\(TRUE[^<]*)</f><v ?/>',
                                  rb'<c r="\1" t="str"><f>\2</f><v>yes</v>', parts[sheet])
    assert count == 1
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    [case], problems = read(schema, path)
    assert problems == [] and case.answer("4.1.1") == "yes"


def test_spreadsheet_errors_are_refused_by_cell(schema, example, tmp_path):
    header, rows = upw_rows(example, 2)
    rows[1][header.index("4.1.1")] = "#N/A"
    problems = refused(schema, workbook(tmp_path / "err.xlsx", {"upw": [header, *rows]}))
    assert problems == ["err.xlsx [upw] row 3, column '4.1.1': holds the spreadsheet error #N/A, not an answer"]


# --------------------------------------------------------------------------------------
# Names of people and case ids
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, accepted", [
    ("  Zoë O'Neill ", "Zoë O'Neill"), ("Ana\u00a0María", "Ana\u00a0María"), ("李小龍", "李小龍")])
def test_printable_names_are_accepted(name, accepted):
    assert checked_name(name, "--user") == accepted


@pytest.mark.parametrize("name, problem", [
    ("", "--user: must not be empty"),
    ("bob\nfake", "--user: must be printable text on one line, but holds a line break (U+000A) at character 4"),
    ("bob\u2028x", "holds a line break (U+2028)"),
    ("bob\x1b[31m", "holds a control character (U+001B) at character 4"),
    ("bob\u202egnal", "holds an invisible formatting character (U+202E)"),
    ("x" * 201, "--user: has 201 characters; at most 200 are allowed"),
])
def test_names_that_could_forge_a_line_are_refused(name, problem):
    with pytest.raises(InputError) as caught:
        checked_name(name, "--user")
    assert problem in str(caught.value)


def test_user_by_and_hmip_user_are_checked(crc, inspect_cli, store_url, monkeypatch):
    forged = "panel chair\n2026-01-01T00:00:00  auditor      unlock"
    assert_cli_refused(inspect_cli("signoff", "--db", store_url, "--name", "tv", "--by", forged),
                       "--by: must be printable text on one line, but holds a line break (U+000A) at character 12")
    assert_cli_refused(inspect_cli("judgement", "--db", store_url, "--name", "tv", "--standard", "1.1",
                                   "--rating", "Good", "--evidence", "x", "--user", "lead\r"
                                   "x"), "--user: must be printable text on one line")
    monkeypatch.setenv("HMIP_USER", "a\tb")
    assert_cli_refused(inspect_cli("unlock", "--db", store_url, "--name", "tv", "--reason", "r"),
                       "$HMIP_USER: must be printable text on one line, but holds a control character (U+0009)")
    assert [e.who for e in crc.store.audit_trail("tv")] == ["importer"]


def test_the_audit_table_prints_one_line_per_change(crc, inspect_cli, store_url):
    assert inspect_cli("signoff", "--db", store_url, "--name", "tv", "--by", "chair").exit_code == 0
    reason = "typo\n2026-01-01T00:00:00  mallory      sign-off"
    assert inspect_cli("unlock", "--db", store_url, "--name", "tv", "--reason", reason,
                       "--user", "chair").exit_code == 0
    shown = inspect_cli("audit", "--db", store_url, "--name", "tv").stdout
    assert len(shown.splitlines()) == len(crc.store.audit_trail("tv")) == 3
    assert "(typo\\n2026-01-01T00:00:00  mallory      sign-off)" in shown


def test_case_ids_in_files_are_stripped_and_checked(schema, example, tmp_path):
    header, rows = upw_rows(example, 3)
    rows[0][0] = "U-9\n01"
    rows[1][0] = "U-" + "9" * 199                   # 201 characters: longer than the store's column
    rows[2][0] = "  U-903  "
    cases, problems = read(schema, write_cases(tmp_path / "ids.json", header, rows))
    assert problems == [
        "ids.json record 1, column 'case_id': case id must be printable text on one line, but holds a "
        "line break (U+000A) at character 4",
        "ids.json record 2, column 'case_id': case id has 201 characters; at most 200 are allowed"]
    assert [case.case_id for case in cases][-1] == "U-903"


def test_case_ids_are_checked_at_the_terminal(crc, inspect_cli, store_url):
    added = inspect_cli("case", "add", " U-904 ", "--db", store_url, "--name", "tv", "--sample", "upw",
                        "-a", "disposal=community", input="q\n")
    assert added.exit_code == 0, added.stderr
    assert crc.store.case("tv", "U-904")[1] == "in-progress"
    assert_cli_refused(inspect_cli("case", "add", "U-9\x1b05", "--db", store_url, "--name", "tv",
                                   "--sample", "upw", "-a", "disposal=community", input="q\n"),
                       "case id: must be printable text on one line, but holds a control character (U+001B)")


def test_a_new_inspections_name_is_checked(inspect_cli, store_url, example):
    assert_cli_refused(inspect_cli("import", example, "--db", store_url, "--name", "n" * 201),
                       "--name: has 201 characters; at most 200 are allowed")
    assert_cli_refused(inspect_cli("import", example, "--db", store_url, "--name", "tv\nx"),
                       "--name: must be printable text on one line")
