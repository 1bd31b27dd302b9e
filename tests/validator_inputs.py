"""Deliberately broken case files, and what the case validator makes of them: the golden set
behind tests/test_validator_golden.py (issue 16: a faster validator must give the same
messages for the same bad input).

``python tests/validator_inputs.py`` rewrites ``tests/data/validator_golden.json`` from the
validator as it is; it was captured from the validator before issue 16 changed it.

Every input is a copy of a bundled example's case files (CRC 2019, PDU 2021 with per-factor
answers, YOT with an exclusion rule) with cells set to chosen or seeded-random values, plus
broken headers and rows. What is kept for each: every problem (where, message) in order, and a
digest of the cases read (ids, samples, attributes, normalised and implied answers, exclusion).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
from pathlib import Path

EXAMPLES = Path(__import__("hmip_inspect.plugins.profiles", fromlist=["x"]).__file__).parent / "examples"
GOLDEN = Path(__file__).parent / "data" / "validator_golden.json"

#: Values a random cell may be set to: valid, wrongly cased, not allowed, multi-answer,
#: per-factor, control characters, over-long, empty.
PALETTE = ("", "yes", "no", " YES ", "No", "maybe", "none", "none;yes", "yes;no", "a=yes",
           "risk=yes;other=no", "n/a", "\x07bell", "x" * 300, "low", "high", "male", "PO",
           "post-custody", "two-or-more", "never", "not-required", "recorded", " ; ")


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _random_cells(rows: list[list[str]], rng: random.Random, count: int) -> list[list[str]]:
    rows = [list(r) for r in rows]
    for _ in range(count):
        r = rng.randrange(1, len(rows))
        c = rng.randrange(0, len(rows[0]))
        if rng.random() < 0.5:      # a value another case gave in this column
            rows[r][c] = rows[rng.randrange(1, len(rows))][c]
        else:
            rows[r][c] = rng.choice(PALETTE)
    return rows


def _set(rows: list[list[str]], row: int, column: str, value: str) -> list[list[str]]:
    rows = [list(r) for r in rows]
    rows[row][rows[0].index(column)] = value
    return rows


def inputs() -> list[tuple[str, str, dict[str, str]]]:
    """(label, profile, {case file name: text}) for every input of the golden set."""
    out: list[tuple[str, str, dict[str, str]]] = []
    for profile in ("crc", "pdu", "yot", "nps"):
        files = {path.name: _read(path) for path in sorted((EXAMPLES / profile / "cases").glob("*.csv"))}
        out.append((f"{profile}: as bundled", profile, {n: _write(r) for n, r in files.items()}))
        for seed in range(6):
            rng = random.Random(f"{profile}-{seed}")
            out.append((f"{profile}: random cells, seed {seed}", profile,
                        {n: _write(_random_cells(r, rng, 25 + 10 * seed)) for n, r in files.items()}))
        for name, rows in files.items():
            header = rows[0]
            broken = {
                "unknown column": [header + ["9.9.9"]] + [r + [""] for r in rows[1:]],
                "duplicate column": [header + [header[-1]]] + [r + [r[-1]] for r in rows[1:]],
                "free attribute column": [header + ["team"]] + [r + ["north"] for r in rows[1:]],
                "empty column name": [header + [" "]] + [r + [""] for r in rows[1:]],
                "no case_id column": [row[:0] + row[1:] for row in rows],
                "no sample column": [row[:1] + row[2:] for row in rows],
                "short row": rows[:2] + [rows[2][:-3]] + rows[3:],
                "duplicate case id": rows + [rows[1]],
                "missing case id": _set(rows, 1, "case_id", ""),
                "unknown sample": _set(rows, 2, "sample", "elsewhere"),
                "blank rows": rows[:2] + [[""] * len(header)] + rows[2:],
                "every answer cleared": [rows[0]] + [r[:len(r) // 3] + [""] * (len(r) - len(r) // 3)
                                                     for r in rows[1:4]],
            }
            for what, changed in broken.items():
                out.append((f"{profile}: {name}: {what}", profile,
                            {**{n: _write(r) for n, r in files.items()}, name: _write(changed)}))
            for column in header[2:]:       # every column emptied in one case, then "maybe"
                for value in ("", "maybe"):
                    out.append((f"{profile}: {name}: column {column!r} = {value!r} in row 2", profile,
                                {**{n: _write(r) for n, r in files.items()},
                                 name: _write(_set(rows, 1, column, value))}))
    return out


def digest(cases) -> str:
    """A digest of the cases read: everything the store would keep of them."""
    text = json.dumps([[c.case_id, c.sample, sorted(c.attributes.items()), sorted(c.answers.items()),
                        c.excluded, c.source] for c in cases], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def validate(session, profile_name: str, files: dict[str, str], folder: Path, *,
             complete: bool = True, stream: bool = False) -> dict:
    """Read ``files`` as an inspection's case files with the validator; problems and digest."""
    from hmip_inspect.core.errors import Problems
    from hmip_inspect.core.inspection.case_reading import iter_case_files
    from hmip_inspect.core.inspection.case_schema import CaseSchema
    from hmip_inspect.core.inspection.folder import profile_standards

    profile = session.profile(profile_name)
    schema = CaseSchema.build(profile_standards(profile, session.catalogue), session.catalogue)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8", newline="")
        paths.append(path)
    problems = Problems()
    cases = list(iter_case_files(paths, schema, problems, complete=complete, stream=stream))
    return {"problems": [[p.where, p.message] for p in problems.items], "cases": digest(cases)}


def golden(session, folder: Path) -> dict[str, dict]:
    out = {}
    for number, (label, profile, files) in enumerate(inputs()):
        out[label] = validate(session, profile, files, folder / str(number))
        if label.endswith("as bundled") or "random cells" in label:
            out[label + " (in progress)"] = validate(session, profile, files, folder / f"{number}p",
                                                     complete=False)
    return out


if __name__ == "__main__":
    import tempfile

    from hmip_inspect.core.session import Session

    with tempfile.TemporaryDirectory() as scratch:
        found = golden(Session(), Path(scratch))
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(json.dumps(found, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(found)} inputs, {sum(len(v['problems']) for v in found.values())} problems -> {GOLDEN}")
