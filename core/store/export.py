"""``inspect export``: a stored inspection's cases in framework order, as CSV, XLSX or JSON.

One table per sample: case id, sample, attributes, then every question of the sample in
framework order, named by id, by CARaG code where there is one, or by id and wording (easier
to read). All three re-import to the same answers, free text included (a labels column must
keep the catalogue's wording). CSV writes one file per sample into a folder; XLSX one sheet
per sample; JSON one list of cases.

Safe and exact (:mod:`.case_files` has the rule): no cell is ever a formula, whatever an
inspector typed; a CSV cell a spreadsheet would evaluate gets a leading ``'``, which import
takes off again.

Where it goes: ``--output`` names a folder for CSV, a file for XLSX and JSON, or a folder for
them when it ends with ``/`` or is an existing folder (``FOLDER/NAME.xlsx``, NAME being the
inspection's name). Existing output is never replaced without ``--force``: an XLSX or JSON
file, or for CSV any of the sample files the export writes (other files in the folder are left
alone). Files are written atomically, and the CSV files all or nothing; a failed write (disk
full, permission denied) is one problem naming the path, and nothing is left behind.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..errors import InputError, Problem
from ..inspection.case_files import FORMATS
from ..inspection.case_files_write import write_csv_folder, write_tables

HEADERS = ("ids", "codes", "labels")


def export_cases(fieldwork, output: Path | str, fmt: str, headers: str = "ids", *,
                 force: bool = False) -> list[Path]:
    """Write the inspection's cases to ``output``; return the files written."""
    problems = []
    if fmt not in FORMATS:
        problems.append(f"--format: expected one of {', '.join(FORMATS)}, found {fmt!r}")
    if headers not in HEADERS:
        problems.append(f"--headers: expected one of {', '.join(HEADERS)}, found {headers!r}")
    if problems:
        raise InputError([Problem("", message) for message in problems], summary="nothing was exported")
    target = output_path(output, fmt, fieldwork.name)
    tables = _tables(fieldwork, headers)
    if fmt == "csv":
        _refuse_existing([target / f"{sample}.csv" for sample in tables], force)
        return _exporting(lambda: write_csv_folder(target, tables))
    _refuse_existing([target], force)
    _exporting(lambda: write_tables(target, fmt, tables))
    return [target]


def output_path(output: Path | str, fmt: str, name: str) -> Path:
    """The folder (CSV) or file (XLSX, JSON) that ``--output`` names, checked before anything
    is read from the store."""
    text = str(output)
    path = Path(text)
    if fmt == "csv":
        if path.suffix.lower() == ".csv":
            raise _problem(path, "CSV export writes one file per sample into a folder; give a folder")
        if path.exists() and not path.is_dir():
            raise _problem(path, "is a file; CSV export writes one file per sample into a folder")
        return path
    suffix = f".{fmt}"
    if text.endswith(("/", os.sep)) or (path.is_dir() and path.suffix.lower() != suffix):
        path = path / f"{file_name(name)}{suffix}"
    if path.is_dir():
        raise _problem(path, f"is a folder; give a file name, or end it with / to write "
                             f"{path / (file_name(name) + suffix)}")
    if path.suffix.lower() in (".csv", ".xlsx", ".json") and path.suffix.lower() != suffix:
        raise _problem(path, f"the name ends in {path.suffix} but --format is {fmt}")
    return path


def file_name(name: str) -> str:
    """The inspection's name made a safe file name: letters, digits, '.', '-', '_'."""
    return re.sub(r"[^\w.-]+", "_", name).strip("._") or "inspection"


def _refuse_existing(paths: list[Path], force: bool) -> None:
    existing = [path for path in paths if path.exists() or path.is_symlink()]
    if existing and not force:
        names = ", ".join(str(path) for path in existing)
        raise InputError(Problem(f"--output {names}", f"already exist{'s' if len(existing) == 1 else ''}; "
                                 "give --force to replace"), summary="nothing was exported")


def _exporting(write):
    try:
        return write()
    except InputError as exc:
        raise InputError(exc.problems, summary="nothing was exported") from None


def _problem(path: Path, message: str) -> InputError:
    return InputError(Problem(f"--output {path}", message), summary="nothing was exported")


def _tables(fieldwork, headers: str):
    cases = fieldwork.store.cases(fieldwork.name)
    tables = {}
    for sample in sorted(fieldwork.schema.samples):
        members = [case for case in cases if case.sample == sample]
        questions = [located.question for located in fieldwork.schema.questions_of(sample)]
        attributes = sorted({name for case in members for name in case.attributes})
        header = ["case_id", "sample", *attributes, *(_name(q, headers) for q in questions)]
        rows = [[case.case_id, case.sample, *(case.attributes.get(a, "") for a in attributes),
                 *(case.answer(q.id) for q in questions)] for case in members]
        tables[sample] = (header, rows)
    return tables


def _name(question, headers: str) -> str:
    if headers == "codes" and question.aliases:
        return question.aliases[0]
    if headers == "labels":
        return f"{question.id} {question.text}"
    return question.id
