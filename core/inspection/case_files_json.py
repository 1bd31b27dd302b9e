"""Reading case files in JSON (:func:`read_json`), for :func:`.case_files.read_tables`: an
object of samples, each a list of records of text; depth, numbers and duplicate keys are
limited or refused (see :mod:`.case_files` for the limits and cell checks every format shares).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from ..errors import Problems, shown
from .case_files import (
    BAD_CHARACTER,
    MAX_JSON_DEPTH,
    MAX_NUMBER_DIGITS,
    MAX_ROWS,
    Table,
    cell_text,
    decoded_text,
    described_character,
)


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


def read_json(path: Path, name: str, problems: Problems, samples=None) -> list[Table]:
    text = decoded_text(path.read_bytes(), name, problems)
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
        found = BAD_CHARACTER.search(key)
        if found:
            problems.add(place, f"the key holds {described_character(found.group())}; keys are column names")
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
        return cell_text(number)
    return cell_text(value)


def _json_type(value) -> str:
    if isinstance(value, _Literal):
        return "a number"
    return {list: "a list", str: "a string", type(None): "null"}.get(type(value), type(value).__name__)
