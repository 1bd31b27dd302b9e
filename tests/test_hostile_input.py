"""Hostile or broken input is refused with every problem in one pass, naming file, row or
record, and column or key, without a traceback.

Case files are checked as every import reads them (``read_case_files`` with the CRC profile's
rules), before any store is involved; the tests of what reaches the store (names, the audit
trail, ``case add``, ``inspect import``) take ``store_url`` and run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from hmip_inspect.core.capture import Fieldwork, import_folder
from hmip_inspect.core.cases import CaseSchema, read_case_files
from hmip_inspect.core.errors import InputError, Problems
from hmip_inspect.core.inspection import profile_standards
from hmip_inspect.core.names import checked_name
from hmip_inspect.core.plugins import build_plugin_manager
from hmip_inspect.core.session import Session
from hmip_inspect.core.store import open_store


@pytest.fixture
def schema(session) -> CaseSchema:
    """The CRC profile's rules for cases, as an import into a CRC inspection checks them."""
    return CaseSchema.build(profile_standards(session.profile("crc"), session.catalogue), session.catalogue)


@pytest.fixture
def crc(store_url, example):
    """The bundled CRC example imported as inspection 'tv'."""
    store = open_store(store_url)
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
