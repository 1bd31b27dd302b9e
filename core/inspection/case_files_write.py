"""Writing case files (CSV, XLSX, JSON) for ``inspect export``, atomically: through a temporary
file beside the target and ``os.replace``, so a failed export never leaves a half-written file,
and several CSV files all or nothing (:func:`write_csv_folder`). Formulas are never written
(:mod:`.case_files`, "Formula injection"); files get the permissions a plain write would give.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import shutil
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..errors import InputError, Problem
from .case_files import FORMATS, MAX_CELL_CHARS, NEEDS_QUOTE, Tables, cell_problem, escape_cell


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
    if NEEDS_QUOTE.match(value):
        cell.quotePrefix = True
    return cell
