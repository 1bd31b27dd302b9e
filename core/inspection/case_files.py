"""Case files in CSV, XLSX or JSON: read into rows of text, written back atomically.

Every format becomes the same thing, a header and rows of strings, so one validator
(:mod:`.cases`) checks them all and names each problem by file, row and column:

* CSV (UTF-8, a header row), ``row N`` being the line number;
* XLSX, the first worksheet, a header row, ``row N`` being the sheet's row number;
* JSON, a list of flat objects (or ``{"cases": [...]}``), one per case, ``record N``
  counting from 1; the header is every key in order of first appearance.

Writers go through a temporary file beside the target and ``os.replace``, so a failed
export never leaves a half-written file.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..errors import Problems

SUFFIXES = (".csv", ".xlsx", ".json")
FORMATS = ("csv", "xlsx", "json")

Row = tuple[str, list[str]]  # (where in the file, e.g. "row 7", cells)
Table = tuple[str, list[str], list[Row]]  # (name for messages, header, rows)


def case_files(folder: Path) -> list[Path]:
    """The case files of a folder, in name order."""
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())


def read_tables(path: Path, problems: Problems, name: str | None = None) -> list[Table]:
    """Read ``path`` as tables of strings (an XLSX workbook: one per non-empty sheet).

    An unreadable file gives no table and a problem naming it.
    """
    name = name or path.name
    suffix = path.suffix.lower()
    readers = {".csv": _read_csv, ".xlsx": _read_xlsx, ".json": _read_json}
    if suffix not in readers:
        problems.add(name, f"unknown case file type {suffix!r}; expected one of {', '.join(SUFFIXES)}")
        return []
    try:
        return readers[suffix](path, name, problems)
    except OSError as exc:
        problems.add(name, f"cannot be read: {exc.strerror or exc}")
        return []


def _read_csv(path: Path, name: str, problems: Problems):
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            lines = list(csv.reader(handle))
    except (UnicodeDecodeError, csv.Error) as exc:
        problems.add(name, f"cannot be read as UTF-8 CSV: {exc}")
        return []
    if not lines:
        problems.add(name, "empty file: expected a header row")
        return []
    return [(name, lines[0], [(f"row {number}", row) for number, row in enumerate(lines[1:], start=2)])]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(path: Path, name: str, problems: Problems):
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, ValueError) as exc:
        problems.add(name, f"cannot be read as an XLSX workbook: {exc}")
        return []
    tables = []
    try:
        for sheet in workbook.worksheets:
            rows = [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
            if rows and any(rows[0]):
                tables.append(_sheet_table(f"{name} [{sheet.title}]", rows))
    finally:
        workbook.close()
    if not tables:
        problems.add(name, "no worksheet with a header row")
    return tables


def _sheet_table(name: str, rows: list[list[str]]) -> Table:
    header = rows[0]
    while header and not header[-1]:
        header = header[:-1]
    width = len(header)
    out = []
    for number, row in enumerate(rows[1:], start=2):
        extra = [cell for cell in row[width:] if cell]
        out.append((f"row {number}", row[:width] + [""] * (width - len(row)) + extra))
    return name, header, out


def _read_json(path: Path, name: str, problems: Problems):
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.add(name, f"cannot be read as JSON: {exc}")
        return []
    if isinstance(data, dict) and isinstance(data.get("cases"), list):
        data = data["cases"]
    if not isinstance(data, list):
        problems.add(name, 'expected a list of case objects, or {"cases": [...]}')
        return []
    header: dict[str, None] = {}
    records = []
    for number, record in enumerate(data, start=1):
        where = f"record {number}"
        if not isinstance(record, dict):
            problems.add(f"{name} {where}", f"expected an object, found {type(record).__name__}")
            continue
        cells = {}
        for key, value in record.items():
            if isinstance(value, (dict, list)):
                problems.add(f"{name} {where}, key {key!r}", "expected a text, number, true/false or "
                                                            "null value")
                continue
            header.setdefault(key, None)
            cells[key] = "yes" if value is True else "no" if value is False else _cell(value)
        records.append((where, cells))
    columns = list(header)
    return [(name, columns, [(where, [cells.get(c, "") for c in columns]) for where, cells in records])]


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` that replaces it only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    try:
        yield Path(temporary)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def write_tables(target: Path, fmt: str, tables: dict[str, tuple[list[str], list[list[str]]]]) -> None:
    """Write named tables (sample -> header, rows): CSV one table, XLSX one sheet each, JSON one list.

    CSV holds a single table; callers write one CSV per sample.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    with atomic_path(target) as temporary:
        if fmt == "csv":
            [(header, rows)] = tables.values()
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
            temporary.write_text(buffer.getvalue(), encoding="utf-8")
        elif fmt == "json":
            cases = [dict(zip(header, row)) for header, rows in tables.values() for row in rows]
            temporary.write_text(json.dumps({"cases": cases}, indent=1, ensure_ascii=False) + "\n",
                                 encoding="utf-8")
        else:
            from openpyxl import Workbook

            workbook = Workbook(write_only=True)
            for title, (header, rows) in tables.items():
                sheet = workbook.create_sheet(title=title[:31])
                sheet.append(header)
                for row in rows:
                    sheet.append(row)
            workbook.save(temporary)
