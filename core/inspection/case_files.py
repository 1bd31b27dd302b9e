"""Case files in CSV, XLSX or JSON: read into rows of text, written back atomically.

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
import errno
import io
import json
import math
import os
import re
import shutil
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Collection, Iterable, Iterator

import structlog

from ..errors import InputError, Problem, Problems, shown

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
_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")
_QUOTED = re.compile(r"'+[=+\-@\t\r]")
#: What no cell may hold: C0 controls but tab, LF and CR; unpaired surrogates; non-characters.
_BAD_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def cell_problem(text: str) -> str | None:
    """Why ``text`` cannot be a cell of a case file (too long, a forbidden character), or None."""
    if len(text) > MAX_CELL_CHARS:
        return f"has {len(text):,} characters; a cell may have at most {MAX_CELL_CHARS:,}"
    found = _BAD_CHARACTER.search(text)
    if found:
        return f"holds {_character(found.group())} at character {found.start() + 1}; case files hold text only"
    return None


def cells_fit(cells: Collection[str]) -> bool:
    """Whether no cell has a :func:`cell_problem`: one pass over their joined text, so that
    checking every cell costs little where all is well."""
    return max(map(len, cells), default=0) <= MAX_CELL_CHARS and not _BAD_CHARACTER.search("".join(cells))


def escape_cell(text: str) -> str:
    """A CSV cell for ``text`` that no spreadsheet evaluates (the rule in the docstring)."""
    return "'" + text if _NEEDS_QUOTE.match(text) else text


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
        limit = csv.field_size_limit()
        csv.field_size_limit(MAX_FILE_BYTES)
        try:
            reader = csv.reader(io.StringIO(self.text, newline=""))
            next(reader)
            for number, row in enumerate(reader, start=2):
                if "'" in "".join(row):
                    row = [unescape_cell(cell) for cell in row]
                yield from _kept([(f"row {number}", row)], self.name, self.header, self.problems)
        finally:
            csv.field_size_limit(limit)


def _stream_csv(path: Path, name: str, problems: Problems) -> list[Table]:
    """A CSV file checked in one pass that keeps nothing (row count, syntax), then read again
    row by row as its cases are checked: memory stays flat however many rows it has."""
    text = _decoded(path.read_bytes(), name, problems)
    if text is None:
        return []
    count = 0
    header: list[str] | None = None
    limit = csv.field_size_limit()
    csv.field_size_limit(MAX_FILE_BYTES)
    try:
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
    finally:
        csv.field_size_limit(limit)
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
    readers = {".csv": _read_csv, ".xlsx": _read_xlsx, ".json": _read_json}
    if suffix not in readers:
        problems.add(name, f"unknown case file type {suffix!r}; expected one of {', '.join(SUFFIXES)}")
        return []
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.add(name, f"is {size:,} bytes; a case file may have at most {MAX_FILE_BYTES:,}")
            return []
        if stream and suffix == ".csv":
            tables = _stream_csv(path, name, problems)
        else:
            tables = readers[suffix](path, name, problems, samples)
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


def _character(char: str) -> str:
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return f"an unpaired surrogate (U+{code:04X}), which is not Unicode text"
    if code in (0xFFFE, 0xFFFF):
        return f"a Unicode non-character (U+{code:04X})"
    return f"a control character (U+{code:04X})"


def _decoded(data: bytes, name: str, problems: Problems) -> str | None:
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
    text = _decoded(path.read_bytes(), name, problems)
    if text is None:
        return []
    lines: list[list[str]] = []
    limit = csv.field_size_limit()
    csv.field_size_limit(MAX_FILE_BYTES)    # cells are measured in _checked, naming the column
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            if len(lines) > MAX_ROWS:
                problems.add(name, f"has more than {MAX_ROWS:,} rows; split it into several files")
                return []
            lines.append([unescape_cell(cell) for cell in row] if "'" in "".join(row) else row)
    except csv.Error as exc:
        problems.add(f"{name} row {len(lines) + 1}", f"cannot be read as CSV: {exc}")
        return []
    finally:
        csv.field_size_limit(limit)
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


def _read_xlsx(path: Path, name: str, problems: Problems,
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
                row.append(_cell(cell.value))
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
                    rows[number - 1][column - 1] = _cell(cell.value)
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


class _Object(dict):
    """A JSON object that remembers the keys it was given more than once."""

    duplicates: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, object]]) -> _Object:
    out = _Object()
    duplicates = []
    for key, value in pairs:
        if key in out:
            duplicates.append(key)
        out[key] = value
    out.duplicates = tuple(duplicates)
    return out


class _Literal(str):
    """A JSON number or constant as written, checked where its record and key are known."""


class _Constant(_Literal):
    """``NaN``, ``Infinity`` or ``-Infinity``: not JSON, though Python writes them."""


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")


def _json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether arrays and objects nest deeper than ``limit`` (checked before parsing, which
    would recurse once per level); strings are skipped, and the scan stops at the limit."""
    depth = 0
    for bracket in _BRACKET.finditer(_JSON_STRING.sub("", text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > limit:
            return True
    return False


def _read_json(path: Path, name: str, problems: Problems, samples=None) -> list[Table]:
    text = _decoded(path.read_bytes(), name, problems)
    if text is None:
        return []
    if _json_depth_exceeds(text, MAX_JSON_DEPTH):
        problems.add(name, f"nests arrays or objects more than {MAX_JSON_DEPTH} levels deep; "
                           "expected a list of flat case objects")
        return []
    try:
        data = json.loads(text, object_pairs_hook=_object, parse_int=_Literal, parse_float=_Literal,
                          parse_constant=_Constant)
    except json.JSONDecodeError as exc:
        problems.add(name, f"cannot be read as JSON: {exc}")
        return []
    except RecursionError:
        problems.add(name, "nests arrays or objects too deeply; expected a list of flat case objects")
        return []
    if isinstance(data, _Object) and isinstance(data.get("cases"), list):
        if "cases" in data.duplicates:
            problems.add(f"{name}, key 'cases'", "duplicate key: the file gives it more than once")
            return []
        data = data["cases"]
    if not isinstance(data, list):
        problems.add(name, 'expected a list of case objects, or {"cases": [...]}')
        return []
    if len(data) > MAX_ROWS:
        problems.add(name, f"has more than {MAX_ROWS:,} rows; split it into several files")
        return []
    header: dict[str, None] = {}
    records = []
    for number, record in enumerate(data, start=1):
        where = f"record {number}"
        cells = _record(record, f"{name} {where}", problems)
        if cells is not None:
            header.update(dict.fromkeys(cells))
            records.append((where, cells))
    if data and not records:        # every record refused (reported): no header to check
        return []
    columns = list(header)
    return [(name, columns, [(where, [cells.get(c, "") for c in columns]) for where, cells in records])]


def _record(record, where: str, problems: Problems) -> dict[str, str] | None:
    """One JSON case as text by key, or None (every problem of it recorded)."""
    if not isinstance(record, dict):
        problems.add(where, f"expected an object, found {_json_type(record)}")
        return None
    before = len(problems.items)
    for key in getattr(record, "duplicates", ()):
        problems.add(f"{where}, key {shown(key)}", "duplicate key: the record gives it more than once")
    cells = {}
    for key, value in record.items():
        place = f"{where}, key {shown(key)}"     # repr: a control character in it shows escaped
        found = _BAD_CHARACTER.search(key)
        if found:
            problems.add(place, f"the key holds {_character(found.group())}; keys are column names")
        elif isinstance(value, (dict, list)):
            problems.add(place, "expected a text, number, true/false or null value")
        else:
            text = _json_cell(value, place, problems)
            if text is not None:
                cells[key] = text
    return cells if len(problems.items) == before else None


def _json_cell(value, place: str, problems: Problems) -> str | None:
    if value is True or value is False:
        return "yes" if value else "no"
    if isinstance(value, _Constant):
        problems.add(place, f"{value} is not a number JSON allows")
        return None
    if isinstance(value, _Literal):
        digits = sum(char.isdigit() for char in value)
        if digits > MAX_NUMBER_DIGITS:
            problems.add(place, f"a number of {digits:,} digits; at most {MAX_NUMBER_DIGITS} are read "
                                "(write an identifier as a string)")
            return None
        if not any(char in value for char in ".eE"):
            return str(int(value))
        number = float(value)
        if not math.isfinite(number):
            problems.add(place, "a number too large to read")
            return None
        return _cell(number)
    return _cell(value)


def _json_type(value) -> str:
    if isinstance(value, _Literal):
        return "a number"
    return {list: "a list", str: "a string", type(None): "null"}.get(type(value), type(value).__name__)


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def plain_mode(target: Path, default: int = 0o666) -> int:
    """The permissions a plain write of ``target`` would give it: those of the file it
    replaces, else ``default`` as the umask allows (0644 for a file under umask 022)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return default & ~_umask()


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` that replaces it only if the block succeeds.

    The file ends with the permissions a plain write would give it (:func:`plain_mode`);
    the temporary file itself is private while it is written.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = plain_mode(target)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    try:
        yield Path(temporary)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


@contextmanager
def _writing(target: Path) -> Iterator[None]:
    """Report a failed write (disk full, permission denied, a folder in the way) as one
    problem naming ``target``, not a traceback."""
    try:
        yield
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if exc.filename and Path(exc.filename) != target and not Path(exc.filename).name.startswith("."):
            reason += f" ({exc.filename})"
        raise InputError(Problem(str(target), f"cannot be written: {reason}")) from None


def write_tables(target: Path, fmt: str, tables: Tables) -> None:
    """Write named tables (sample -> header, rows): CSV one table, XLSX one sheet each, JSON one list.

    CSV holds a single table; :func:`write_csv_folder` writes one CSV per sample. A failed
    write is an :class:`InputError` naming ``target``, and leaves it as it was.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    writers = {"csv": _write_csv, "json": _write_json, "xlsx": _write_xlsx}
    with _writing(target), atomic_path(target) as temporary:
        writers[fmt](temporary, tables)


def write_csv_folder(folder: Path, tables: Tables) -> list[Path]:
    """Write one CSV file per table (``folder/<name>.csv``), all or nothing.

    The files are written into a temporary folder beside ``folder``; a new (or empty)
    ``folder`` is that folder renamed into place. Into a folder holding other files each file
    is moved in turn, the file it replaces kept until all are in and put back if one fails;
    files of the folder that the export does not write are left alone.
    """
    targets = [folder / f"{name}.csv" for name in tables]
    with _writing(folder):
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
        try:
            for target, (name, table) in zip(targets, tables.items()):
                _write_csv(staging / target.name, {name: table})
                os.chmod(staging / target.name, plain_mode(target))
            if not folder.exists() or (folder.is_dir() and not any(folder.iterdir())):
                os.chmod(staging, plain_mode(folder, 0o777))
                os.replace(staging, folder)
            else:
                _move_into(staging, targets)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return targets


def _move_into(staging: Path, targets: list[Path]) -> None:
    """Move the staged files onto ``targets``; on failure put back every file replaced."""
    done: list[tuple[Path, Path | None, bool]] = []   # target, its old file's backup, moved in
    try:
        for target in targets:
            if target.is_dir():
                raise IsADirectoryError(errno.EISDIR, "it is a folder", str(target))
            backup = staging / f"{target.name}.old" if target.exists() else None
            if backup is not None:
                os.replace(target, backup)
            done.append((target, backup, False))
            os.replace(staging / target.name, target)
            done[-1] = (target, backup, True)
    except BaseException:
        for target, backup, moved in reversed(done):
            try:
                if moved:
                    os.unlink(target)
                if backup is not None:
                    os.replace(backup, target)
            except OSError:         # put back what can be; the first error is the one reported
                continue
        raise


def _write_csv(path: Path, tables: Tables) -> None:
    [(header, rows)] = tables.values()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in (header, *rows):
        writer.writerow([escape_cell(cell) for cell in row])
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _write_json(path: Path, tables: Tables) -> None:
    cases = [dict(zip(header, row)) for header, rows in tables.values() for row in rows]
    path.write_text(json.dumps({"cases": cases}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_xlsx(path: Path, tables: Tables) -> None:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    for title, (header, rows) in tables.items():
        sheet = workbook.create_sheet(title=title[:31])
        for number, row in enumerate((header, *rows), start=1):
            bad = next((index for index, value in enumerate(row)
                        if len(value) > MAX_CELL_CHARS or ILLEGAL_CHARACTERS_RE.search(value)), None)
            if bad is not None:     # openpyxl would cut the text short, or refuse it with a traceback
                column = header[bad] if bad < len(header) else bad + 1
                raise InputError(Problem(f"sheet {sheet.title!r} row {number}, column {column!r}",
                                         f"{cell_problem(row[bad]) or 'holds a control character'}: an "
                                         "XLSX cell cannot hold it; export as CSV or JSON, or correct it"))
            sheet.append([_text_cell(sheet, value) for value in row])
    workbook.save(path)


def _text_cell(sheet, value: str):
    """A cell a spreadsheet shows as text and never evaluates: a string cell, never a formula
    (openpyxl makes a string starting with "=" a formula unless told otherwise); text that
    starts with a trigger character also gets the quote-prefix style, so editing keeps it text."""
    if not value:
        return None
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    if _NEEDS_QUOTE.match(value):
        cell.quotePrefix = True
    return cell
