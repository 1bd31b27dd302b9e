"""Case files in CSV, XLSX or JSON: read into rows of text, written back atomically.

This module holds what every format shares (the limits, the cell checks, CSV escaping) and
reads CSV; XLSX and JSON are read by :mod:`.case_files_xlsx` and :mod:`.case_files_json`
(imported when a file of theirs comes), and every format is written by
:mod:`.case_files_write`.

Every format becomes the same thing, a header and rows of strings, so one validator
(:mod:`.case_reading`, with the rules of :mod:`.case_schema`) checks them all and names each
problem by file, row and column:

* CSV (UTF-8, a header row), ``row N`` being the line number;
* XLSX, a header row per sheet, ``row N`` being the sheet's row number. A workbook with one
  sheet is read whatever the sheet is called; in a workbook with several, only the sheets
  named after one of the profile's samples are read, and the others (an "Instructions"
  tab) are ignored with a warning naming them. A formula is read by the value the
  spreadsheet saved with it; a formula saved without a value, or a cell holding a
  spreadsheet error (``#N/A``), is a problem naming the cell, never an empty answer;
* JSON, a list of flat objects (or ``{"cases": [...]}``), one per case, ``record N``
  counting from 1; the header is every key in order of first appearance. Duplicate keys,
  ``NaN`` / ``Infinity``, numbers of more than :data:`MAX_NUMBER_DIGITS` digits and nesting
  deeper than :data:`MAX_JSON_DEPTH` are refused.

**Limits** (the same for every format; a file breaking them is refused, not truncated):
:data:`MAX_FILE_BYTES` per file, :data:`MAX_ROWS` rows and :data:`MAX_COLUMNS` columns per
table, :data:`MAX_CELL_CHARS` characters per cell (32,767: what a spreadsheet cell holds, so
that every answer exports to XLSX, and opens in a spreadsheet, whole). A cell may not hold a
control character other than tab and line breaks, nor an unpaired surrogate or a Unicode
non-character (:func:`cell_problem`, which also checks answers typed at the terminal); line
breaks are read as ``\\n`` (a CR LF or CR from Windows or an old Mac becomes LF), so an answer
reads back the same from every format. A row with a cell that cannot be read is reported for
that cell and not checked further (its other columns would only give follow-on problems).
Problems never quote a cell's text, only where it is.

**Formula injection.** Free text comes from inspectors and case records, and a spreadsheet
would run text such as ``=HYPERLINK(...)`` as a formula. Exports therefore never write a
formula:

* XLSX: every cell is written as a string cell (``t="inlineStr"``, never ``<f>``), and one
  starting with a trigger character also gets the "quote prefix" style, so that editing it
  in the spreadsheet keeps it text. The text itself is unchanged.
* CSV (OWASP's advice, as a CSV cell has no type): a cell starting with a trigger
  character, ``=`` ``+`` ``-`` ``@`` tab or carriage return, is written with a single quote
  ``'`` in front. To keep the rule reversible, text that already starts with quotes
  followed by a trigger character gets one more quote. Reading a CSV cell undoes it: a
  cell of one or more quotes followed by a trigger character loses its first quote.
  Formally, ``escape(t) = "'" + t`` when ``t`` matches ``'*[=+\\-@\\t\\r]``, and
  ``unescape(c) = c[1:]`` when ``c`` matches ``'+[=+\\-@\\t\\r]``: ``=1+1`` is written
  ``'=1+1`` and read back ``=1+1``; ``'=1+1`` is written ``''=1+1``; ``it's`` and ``'quoted``
  are written as they are. ``-`` alone (a possible free answer) and ``-5`` are escaped too
  (``'-``): one rule without exceptions, undone on import.

Writers go through a temporary file beside the target and ``os.replace``, so a failed
export never leaves a half-written file, and several CSV files are written all or nothing
(:func:`write_csv_folder`). Files get the permissions a plain write would give them.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Collection, Iterable, Iterator

import structlog

from ..errors import Problems

log = structlog.get_logger(__name__)

SUFFIXES = (".csv", ".xlsx", ".json")
FORMATS = ("csv", "xlsx", "json")

#: Input limits, the same for every format (see the module's docstring).
MAX_FILE_BYTES = 100_000_000
MAX_ROWS = 100_000
MAX_COLUMNS = 1_000
MAX_CELL_CHARS = 32_767      # the most a spreadsheet cell holds: every answer exports to XLSX whole
MAX_JSON_DEPTH = 32
MAX_NUMBER_DIGITS = 30

Row = tuple[str, list[str]]  # (where in the file, e.g. "row 7", cells)
Table = tuple[str, list[str], list[Row]]  # (name for messages, header, rows)
Tables = dict[str, tuple[list[str], list[list[str]]]]  # sample -> (header, rows), to write

#: Text a spreadsheet would read as a formula (OWASP: CSV injection), escaped on export.
NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")
_QUOTED = re.compile(r"'+[=+\-@\t\r]")
#: What no cell may hold: C0 controls but tab, LF and CR; unpaired surrogates; non-characters.
BAD_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def cell_problem(text: str) -> str | None:
    """Why ``text`` cannot be a cell of a case file (too long, a forbidden character), or None."""
    if len(text) > MAX_CELL_CHARS:
        return f"has {len(text):,} characters; a cell may have at most {MAX_CELL_CHARS:,}"
    found = BAD_CHARACTER.search(text)
    if found:
        return f"holds {described_character(found.group())} at character {found.start() + 1}; case files hold text only"
    return None


def cells_fit(cells: Collection[str]) -> bool:
    """Whether no cell has a :func:`cell_problem`: one pass over their joined text, so that
    checking every cell costs little where all is well."""
    return max(map(len, cells), default=0) <= MAX_CELL_CHARS and not BAD_CHARACTER.search("".join(cells))


def escape_cell(text: str) -> str:
    """A CSV cell for ``text`` that no spreadsheet evaluates (the rule in the docstring)."""
    return "'" + text if NEEDS_QUOTE.match(text) else text


def unescape_cell(cell: str) -> str:
    """The text a CSV cell written by :func:`escape_cell` stands for."""
    return cell[1:] if cell[:1] == "'" and _QUOTED.match(cell) else cell


def case_files(folder: Path) -> list[Path]:
    """The case files of a folder, in name order."""
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())


# --------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------


class StreamedRows:
    """A CSV file's rows, parsed as they are read (:func:`read_tables` with ``stream=True``):
    the file was parsed once already, so its limits and syntax are known to be fine. Rows
    with a bad cell are reported in :attr:`problems` (the caller adds them where an eager read
    would have put them: before the rows' own problems) and left out."""

    def __init__(self, text: str, name: str, header: list[str]) -> None:
        self.text, self.name, self.header = text, name, header
        self.problems = Problems()

    def __iter__(self) -> Iterator[Row]:
        with _whole_cells():
            reader = csv.reader(io.StringIO(self.text, newline=""))
            next(reader)
            for number, row in enumerate(reader, start=2):
                if "'" in "".join(row):
                    row = [unescape_cell(cell) for cell in row]
                yield from _kept([(f"row {number}", row)], self.name, self.header, self.problems)


@contextmanager
def _whole_cells() -> Iterator[None]:
    """The CSV reader's field limit raised to a whole file's size while a file is read: cells
    are measured in :func:`_checked`, which names the column."""
    limit = csv.field_size_limit()
    csv.field_size_limit(MAX_FILE_BYTES)
    try:
        yield
    finally:
        csv.field_size_limit(limit)


def _stream_csv(path: Path, name: str, problems: Problems) -> list[Table]:
    """A CSV file checked in one pass that keeps nothing (row count, syntax), then read again
    row by row as its cases are checked: memory stays flat however many rows it has."""
    text = decoded_text(path.read_bytes(), name, problems)
    if text is None:
        return []
    count = 0
    header: list[str] | None = None
    try:
        with _whole_cells():
            for row in csv.reader(io.StringIO(text, newline="")):
                if count > MAX_ROWS:
                    problems.add(name, f"has more than {MAX_ROWS:,} rows; split it into several files")
                    return []
                if header is None:
                    header = [unescape_cell(cell) for cell in row]
                count += 1
    except csv.Error as exc:
        problems.add(f"{name} row {count + 1}", f"cannot be read as CSV: {exc}")
        return []
    if header is None:
        problems.add(name, "empty file: expected a header row")
        return []
    return [(name, header, StreamedRows(text, name, header))]  # type: ignore[list-item]


def read_tables(path: Path, problems: Problems, name: str | None = None,
                samples: Collection[str] | None = None, *, stream: bool = False) -> list[Table]:
    """Read ``path`` as tables of strings (an XLSX workbook: one per non-empty sheet read).

    ``samples`` are the profile's samples: a workbook of several sheets is read only in the
    sheets named after one (without it, every sheet is read). An unreadable file gives no
    table and a problem naming it; a row with an unreadable cell is left out of its table.
    """
    name = name or path.name
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        problems.add(name, f"unknown case file type {suffix!r}; expected one of {', '.join(SUFFIXES)}")
        return []
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.add(name, f"is {size:,} bytes; a case file may have at most {MAX_FILE_BYTES:,}")
            return []
        if stream and suffix == ".csv":
            tables = _stream_csv(path, name, problems)
        elif suffix == ".csv":
            tables = _read_csv(path, name, problems, samples)
        elif suffix == ".xlsx":     # each format's reader is imported when a file of it comes
            from .case_files_xlsx import read_xlsx
            tables = read_xlsx(path, name, problems, samples)
        else:
            from .case_files_json import read_json
            tables = read_json(path, name, problems, samples)
    except OSError as exc:
        problems.add(name, f"cannot be read: {exc.strerror or exc}")
        return []
    return [checked for table in tables if (checked := _checked(table, problems)) is not None]


def _checked(table: Table, problems: Problems) -> Table | None:
    """The table within the limits: rows with a bad cell reported and left out, line breaks
    made ``\\n``. None when the header itself is bad."""
    name, header, rows = table
    if len(header) > MAX_COLUMNS:
        problems.add(name, f"has {len(header):,} columns; a case file may have at most {MAX_COLUMNS:,} "
                           "columns")
        return None
    if not isinstance(rows, StreamedRows) and len(rows) > MAX_ROWS:   # streamed: counted already
        problems.add(name, f"has more than {MAX_ROWS:,} rows; split it into several files")
        return None
    if _bad_cells(header, name, [], problems, what="column name "):    # named by position
        return None
    if isinstance(rows, StreamedRows):
        return table
    return name, header, list(_kept(rows, name, header, problems))


def _kept(rows: Iterable[Row], name: str, header: list[str], problems: Problems) -> Iterator[Row]:
    """The rows without a bad cell (each reported), line breaks made ``\\n``."""
    for label, row in rows:
        if _bad_cells(row, f"{name} {label}", header, problems):
            continue
        if "\r" in "".join(row):
            row = [cell.replace("\r\n", "\n").replace("\r", "\n") for cell in row]
        yield label, row


def _bad_cells(cells: list[str], where: str, header: list[str], problems: Problems, *,
               what: str = "") -> bool:
    """Record a problem for each cell over the size limit or holding a forbidden character;
    True if there was one."""
    if cells_fit(cells):
        return False
    for position, cell in enumerate(cells):
        column = header[position] if position < len(header) and header[position] else ""
        problem = cell_problem(cell)
        if problem:
            problems.add(f"{where}, column {column!r}" if column else f"{where}, column {position + 1}",
                         what + problem)
    return True


def described_character(char: str) -> str:
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return f"an unpaired surrogate (U+{code:04X}), which is not Unicode text"
    if code in (0xFFFE, 0xFFFF):
        return f"a Unicode non-character (U+{code:04X})"
    return f"a control character (U+{code:04X})"


def decoded_text(data: bytes, name: str, problems: Problems) -> str | None:
    """UTF-8 text (a byte-order mark is allowed and dropped), or a problem naming the byte."""
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[start:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = start + exc.start
        line = data.count(b"\n", 0, offset) + 1
        problems.add(name, f"not UTF-8 text (line {line}, byte {offset + 1:,}); save it as UTF-8")
        return None


def _read_csv(path: Path, name: str, problems: Problems, samples=None) -> list[Table]:
    text = decoded_text(path.read_bytes(), name, problems)
    if text is None:
        return []
    lines: list[list[str]] = []
    try:
        with _whole_cells():
            for row in csv.reader(io.StringIO(text, newline="")):
                if len(lines) > MAX_ROWS:
                    problems.add(name, f"has more than {MAX_ROWS:,} rows; split it into several files")
                    return []
                lines.append([unescape_cell(cell) for cell in row] if "'" in "".join(row) else row)
    except csv.Error as exc:
        problems.add(f"{name} row {len(lines) + 1}", f"cannot be read as CSV: {exc}")
        return []
    if not lines:
        problems.add(name, "empty file: expected a header row")
        return []
    return [(name, lines[0], [(f"row {number}", row) for number, row in enumerate(lines[1:], start=2)])]


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
