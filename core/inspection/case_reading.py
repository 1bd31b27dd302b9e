"""Reading case files (``cases/*.csv``, ``.xlsx``, ``.json``) into cases, one row per case,
checked in one pass against the profile's rules (:mod:`.case_schema`).

Columns: ``case_id``, ``sample``, case attributes (``disposal``, ``rosh``, ``gender`` …,
any other name is kept as a free attribute), then one column per question, named by its id
(``2.1.1`` for a key question's summary judgement, ``2.1.1.a`` for a prompt) or by a CARaG
alias (``A 1 S``, ``A 1.01``). Answers are ``yes`` / ``no`` or, for an information
question, one of its listed answers (several, ``;``-separated, where it takes several) or
free text; empty means not applicable. Where a question's implied answer applies (CARaG:
"where there were no factors related to risk of harm, inspectors answer 'yes'") an empty
cell takes that answer and any other answer is refused. A case that meets one of its
standard's exclusions is kept out of the sample, with the reason recorded.

A column may also be named as ``inspect export --headers labels`` names it, the question's id
and its wording (``2.1.1 Does assessment focus sufficiently ...``): the wording must be the
catalogue's. A case id is one line of printable text of at most 200 characters
(:mod:`.names`).

Every problem is reported with file, row (the line number in the file) and column; an answer
or attribute value is quoted in a message only when it is short.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

from ..catalogue.index import Catalogue, Located
from ..catalogue.reader import QUESTION_LIKE
from ..catalogue.records import (
    Standard,
)
from ..errors import Problems, shown
from ..names import name_problem
from .case_files import StreamedRows, case_files, read_tables
from .case_schema import CaseSchema
from .cases import Case

REQUIRED_COLUMNS = ("case_id", "sample")
#: A column named by a question's id and wording (``--headers labels``): "2.1.1 Does ...".
LABEL = re.compile(rf"^(?P<id>{QUESTION_LIKE.pattern[1:-1]}) (?P<wording>.+)$", re.S)


@dataclass
class _Columns:
    questions: dict[int, Located]
    attributes: dict[int, str]


def _read_header(header: list[str], where: str, schema: CaseSchema, problems: Problems) -> _Columns:
    columns = _Columns({}, {})
    seen: dict[str, int] = {}
    for position, raw in enumerate(header):
        name = raw.strip()
        col = f"{where}, column {position + 1} {name!r}"
        if not name:
            problems.add(col, "empty column name")
            continue
        located = schema.index.get(name)
        label = LABEL.match(name) if located is None else None
        if label and _known(label["id"], schema):
            name, located = label["id"], schema.index.get(label["id"])
            if located is not None and label["wording"].split() != located.question.text.split():
                problems.add(col, f"named by question {name} and a wording that is not this catalogue's; "
                                  f"name the column {name!r}")
                continue
        canonical = located.question.id if located else name
        if canonical in seen:
            problems.add(col, f"duplicate column (also column {seen[canonical] + 1})")
            continue
        seen[canonical] = position
        if located is not None:
            columns.questions[position] = located
        elif name in schema.qualitative:
            problems.add(col, f"{name} belongs to key question {schema.qualitative[name]}, which is judged "
                              "on qualitative evidence, not per case")
        elif name in schema.key_aliases:
            problems.add(col, f"{name} names key question {schema.key_aliases[name].id}; its summary "
                              f"judgement column is {schema.key_aliases[name].id!r}")
        elif name not in schema.attributes and name in schema.elsewhere:   # declared attributes
            # are never another standard's questions: the rest of the edition is read only here
            problems.add(col, f"question {name} belongs to standard {schema.elsewhere[name]}, which this "
                              "inspection's profile does not rate")
        elif QUESTION_LIKE.match(name):
            problems.add(col, "unknown question: not an id or CARaG code of any standard "
                              "in this inspection's profile")
        elif name not in REQUIRED_COLUMNS:
            columns.attributes[position] = name
    for required in REQUIRED_COLUMNS:
        if required not in seen:
            problems.add(where, f"missing required column {required!r}")
    return columns


def _known(name: str, schema: CaseSchema) -> bool:
    """Whether ``name`` is a question of the catalogue, in this profile or not."""
    return name in schema.index or name in schema.qualitative or name in schema.elsewhere


def iter_table(table, schema: CaseSchema, first_seen: dict[str, str], problems: Problems, *,
               complete: bool = True) -> Iterator[Case]:
    """Check one table of case rows (see :mod:`.case_files`), a case at a time; the cases of
    good rows are given. ``complete=False``: cases still being captured (summary judgements
    may be missing)."""
    name, header, rows = table
    columns = _read_header(header, name, schema, problems)
    positions = {n.strip(): i for i, n in enumerate(header) if n.strip()}
    asked = tuple(located.question.id for located in columns.questions.values())
    # an itemgetter of one position gives no tuple, of none is an error
    cells = itemgetter(*columns.questions) if len(asked) > 1 else \
        (lambda row: tuple(row[p] for p in columns.questions))
    for label, row in rows:
        where = f"{name} {label}"
        if not "".join(row).strip():    # no cell with anything but white space
            continue
        if len(row) != len(header):
            problems.add(where, f"has {len(row)} fields; the header has {len(header)}")
            continue
        case_id = row[positions["case_id"]].strip() if "case_id" in positions else ""
        sample = row[positions["sample"]].strip() if "sample" in positions else ""
        if not case_id:
            problems.add(f"{where}, column 'case_id'", "missing case id")
        elif problem := name_problem(case_id):
            problems.add(f"{where}, column 'case_id'", f"case id {problem}")
        elif case_id in first_seen:
            problems.add(f"{where}, column 'case_id'",
                         f"duplicate case id {case_id!r} (first in {first_seen[case_id]})")
        else:
            first_seen[case_id] = where
        if sample not in schema.samples:
            problems.add(f"{where}, column 'sample'",
                         f"unknown sample {shown(sample)}; this profile's samples: "
                         f"{', '.join(sorted(schema.samples))}")
            continue
        attributes = {n: row[p].strip() for p, n in columns.attributes.items() if row[p].strip()}
        answers = dict(filter(itemgetter(1), zip(asked, cells(row))))    # the cells given
        yield schema.make_case(case_id, sample, attributes, answers, where, problems, complete=complete)


def read_case_files(paths: list[Path], schema: CaseSchema, problems: Problems,
                    first_seen: dict[str, str] | None = None, relative_to: Path | None = None,
                    *, complete: bool = True) -> list[Case]:
    """Read and check case files (CSV, XLSX, JSON); ``first_seen`` carries ids already taken."""
    return list(iter_case_files(paths, schema, problems, first_seen, relative_to, complete=complete))


def iter_case_files(paths: list[Path], schema: CaseSchema, problems: Problems,
                    first_seen: dict[str, str] | None = None, relative_to: Path | None = None,
                    *, complete: bool = True, stream: bool = False) -> Iterator[Case]:
    """:func:`read_case_files`, a case at a time. With ``stream``, a CSV file's rows are read
    as they are checked (nothing of the file is kept but its text); the problems come in the
    order a whole read gives them (every bad cell of a file before its rows' own problems)."""
    first_seen = {} if first_seen is None else first_seen
    for path in paths:
        name = str(path.relative_to(relative_to)) if relative_to else path.name
        for table in read_tables(path, problems, name, samples=schema.samples, stream=stream):
            rows = table[2]
            if not isinstance(rows, StreamedRows):
                yield from iter_table(table, schema, first_seen, problems, complete=complete)
                continue
            mine = Problems()
            yield from iter_table(table, schema, first_seen, mine, complete=complete)
            problems.extend(rows.problems)
            problems.extend(mine)


def read_cases(folder: Path, standards: list[Standard], catalogue: Catalogue,
               problems: Problems, *, required: bool = True) -> list[Case]:
    """Read every case file in ``folder/cases`` for the given standards (one edition).

    ``required=False`` accepts a folder with no case files yet (fieldwork starting).
    """
    return list(iter_cases(folder, standards, catalogue, problems, required=required))


def iter_cases(folder: Path, standards: list[Standard], catalogue: Catalogue,
               problems: Problems, *, required: bool = True, stream: bool = False) -> Iterator[Case]:
    """:func:`read_cases`, a case at a time (``stream``: see :func:`iter_case_files`)."""
    directory = folder / "cases"
    files = case_files(directory) if directory.is_dir() else []
    if not files and required:
        problems.add(str(directory), "no case files (*.csv, *.xlsx, *.json) found")
    return iter_case_files(files, CaseSchema.build(standards, catalogue), problems,
                           relative_to=folder, stream=stream)
