"""Reading case files in XLSX (:func:`read_xlsx`), for :func:`.case_files.read_tables`: a
header row per sheet, ``row N`` being the sheet's row number. A workbook with one sheet is read
whatever the sheet is called; in a workbook with several, only the sheets named after a sample
of the profile. Formulas are read as the values the spreadsheet last computed, where it saved
them (see :mod:`.case_files` for the limits and cell checks every format shares).
"""

from __future__ import annotations

from pathlib import Path
from typing import Collection

import structlog

from ..errors import Problems
from .case_files import MAX_COLUMNS, MAX_ROWS, Table, cell_text

log = structlog.get_logger(__name__)


def read_xlsx(path: Path, name: str, problems: Problems,
              samples: Collection[str] | None = None) -> list[Table]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    def open_workbook(data_only: bool):
        return load_workbook(path, read_only=True, data_only=data_only)

    try:
        formulas = open_workbook(False)         # formulas as formulas; values opened if needed
    except (InvalidFileException, BadZipFile, KeyError, ValueError, TypeError) as exc:
        problems.add(name, f"cannot be read as an XLSX workbook: {exc}")
        return []
    tables = []
    before = len(problems.items)
    try:
        for sheet in _sheets(formulas, samples, name, problems):
            read = _sheet_rows(sheet, f"{name} [{sheet.title}]", problems, open_workbook)
            if read and any(read[0]):
                tables.append(_sheet_table(f"{name} [{sheet.title}]", read))
    finally:
        formulas.close()
    if not tables and len(problems.items) == before:
        problems.add(name, "no worksheet with a header row")
    return tables


def _sheets(workbook, samples: Collection[str] | None, name: str, problems: Problems) -> list:
    """The sheets to read: all of a one-sheet workbook; else those named after a sample."""
    sheets = workbook.worksheets
    if samples is None or len(sheets) <= 1:
        return sheets
    wanted = {sample.lower() for sample in samples}
    chosen = [sheet for sheet in sheets if sheet.title.strip().lower() in wanted]
    ignored = [sheet.title for sheet in sheets if sheet not in chosen]
    if not chosen:
        problems.add(name, f"no sheet named after a sample ({', '.join(sorted(samples))}); a workbook "
                           f"of several sheets is read only in those (its sheets: "
                           f"{', '.join(map(repr, ignored))})")
    elif ignored:
        log.warning(f"ignored sheets: {', '.join(ignored)}", file=name,
                    read=", ".join(sheet.title for sheet in chosen),
                    why="a workbook of several sheets is read only in those named after a sample")
    return chosen


def _sheet_rows(sheet, where: str, problems: Problems, open_workbook) -> list[list[str]]:
    """The sheet's rows as text, a row left out (emptied) when a cell of it cannot be read.

    A formula takes the value saved with it, read from the workbook opened for values only
    when the sheet has a formula; a formula saved without a value and an error cell are
    problems. Empty when the sheet breaks the limits or its header cannot be read."""
    sheet.reset_dimensions()    # rows as stored, not as wide as a (possibly false) dimension says
    rows: list[list[str]] = []
    formula_cells: dict[tuple[int, int], str] = {}  # (row, column) -> where
    bad_rows: set[int] = set()
    for number, cells in enumerate(sheet.iter_rows(max_row=MAX_ROWS + 2), start=1):
        if number > MAX_ROWS + 1:
            problems.add(where, f"has more than {MAX_ROWS:,} rows; split it into several files")
            return []
        if len(cells) > MAX_COLUMNS:
            if any(cell.value is not None for cell in cells[MAX_COLUMNS:]):
                problems.add(f"{where} row {number}", f"has values beyond column {MAX_COLUMNS:,}; a "
                                                      f"case file may have at most {MAX_COLUMNS:,} columns")
                return []
            cells = cells[:MAX_COLUMNS]
        row = []
        for column, cell in enumerate(cells, start=1):
            if cell.data_type in ("f", "e"):
                place = f"{where} row {number}, column {_column_name(rows, column)}"
                if cell.data_type == "f":
                    formula_cells[(number, column)] = place
                else:
                    problems.add(place, f"holds the spreadsheet error {cell.value}, not an answer")
                    bad_rows.add(number)
                row.append("")
            else:
                row.append(cell_text(cell.value))
        rows.append(row)
    if formula_cells:
        _formula_values(sheet.title, rows, formula_cells, bad_rows, problems, open_workbook)
    if 1 in bad_rows:       # the header cannot be left out: the sheet is not read
        return []
    return [[] if number in bad_rows else row for number, row in enumerate(rows, start=1)]


def _column_name(rows: list[list[str]], column: int) -> str:
    """A column for messages: its header (the first row read) when known, else its number."""
    header = rows[0] if rows else []
    if column <= len(header) and header[column - 1]:
        return repr(header[column - 1])
    from openpyxl.utils import get_column_letter
    return get_column_letter(column)


def _formula_values(title: str, rows: list[list[str]], cells: dict[tuple[int, int], str],
                    bad_rows: set[int], problems: Problems, open_workbook) -> None:
    """Fill formula cells with the values saved with them; report those saved without one.

    openpyxl gives a cell's formula or its saved value, not both: the values come from the
    workbook opened a second time, for values."""
    values = open_workbook(True)
    try:
        sheet = values[title]
        sheet.reset_dimensions()
        last = max(row for row, _ in cells)
        for number, found in enumerate(sheet.iter_rows(max_row=last), start=1):
            for column, cell in enumerate(found, start=1):
                if (number, column) not in cells:
                    continue
                place = cells[(number, column)]
                if cell.data_type == "e":
                    problems.add(place, f"holds a formula whose value is the spreadsheet error "
                                        f"{cell.value}, not an answer")
                    bad_rows.add(number)
                elif cell.value is None:
                    problems.add(place, "holds a formula saved without its value (the file was not "
                                        "last saved by a spreadsheet that calculates): enter the "
                                        "answer as text, or open and save the file in a spreadsheet")
                    bad_rows.add(number)
                else:
                    rows[number - 1][column - 1] = cell_text(cell.value)
    finally:
        values.close()


def _sheet_table(name: str, rows: list[list[str]]) -> Table:
    header = rows[0]
    while header and not header[-1]:
        header = header[:-1]
    width = len(header)
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if not row:         # left out: a cell could not be read (reported)
            continue
        extra = [cell for cell in row[width:] if cell]
        out.append((f"row {number}", row[:width] + [""] * (width - len(row)) + extra))
    return name, header, out
