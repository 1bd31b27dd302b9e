"""``inspect export``: a stored inspection's cases in framework order, as CSV, XLSX or JSON.

One table per sample: case id, sample, attributes, then every question of the sample in
framework order, named by id (re-importable), by CARaG code where there is one (also
re-importable), or by id and wording (for reading). CSV writes one file per sample into a
folder; XLSX one sheet per sample; JSON one list of cases. Files are written atomically.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, Problem
from ..inspection.case_files import FORMATS, write_tables

HEADERS = ("ids", "codes", "labels")


def export_cases(fieldwork, output: Path, fmt: str, headers: str = "ids") -> list[Path]:
    problems = []
    if fmt not in FORMATS:
        problems.append(f"--format: expected one of {', '.join(FORMATS)}, found {fmt!r}")
    if headers not in HEADERS:
        problems.append(f"--headers: expected one of {', '.join(HEADERS)}, found {headers!r}")
    if problems:
        raise InputError([Problem("", message) for message in problems], summary="nothing was exported")
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
    if fmt == "csv":
        if output.suffix.lower() == ".csv":
            raise InputError(f"--output: CSV export writes one file per sample into a folder, "
                             f"not {output}")
        paths = []
        for sample, table in tables.items():
            path = output / f"{sample}.csv"
            write_tables(path, "csv", {sample: table})
            paths.append(path)
        return paths
    write_tables(output, fmt, tables)
    return [output]


def _name(question, headers: str) -> str:
    if headers == "codes" and question.aliases:
        return question.aliases[0]
    if headers == "labels":
        return f"{question.id} {question.text}"
    return question.id
