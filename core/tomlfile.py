"""Reading TOML files and checking their tables field by field.

Every TOML file the framework reads (catalogues, profiles, ``inspection.toml``,
``judgements.toml``) goes through :func:`read_toml` and :class:`Table`, so that a syntax
error names the file and line, and an unknown key or a value of the wrong type names the
key and says what was expected. Problems are collected, never raised one at a time.
"""

from __future__ import annotations

import builtins
import codecs
import sys
from pathlib import Path
from typing import Any, overload

from .errors import Problems

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]


def read_toml(path: Path, problems: Problems) -> dict[str, Any] | None:
    """Parse ``path``; on failure record a problem naming the file and return None.

    TOML is UTF-8 without a byte-order mark: a file saved otherwise (by an editor on Windows,
    say) is refused with the byte at fault, not a decoding traceback.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problems.add(str(path), "file not found")
        return None
    except OSError as exc:
        problems.add(str(path), f"cannot be read: {exc.strerror or exc}")
        return None
    if data.startswith(codecs.BOM_UTF8):
        problems.add(str(path), "starts with a byte-order mark; save it as UTF-8 without BOM")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.add(str(path), f"not UTF-8 text (line {line}, byte {exc.start + 1:,}); save it as UTF-8")
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problems.add(str(path), f"not valid TOML: {exc}")
    except RecursionError:
        problems.add(str(path), "not valid TOML: arrays or tables nested too deeply")
    return None


_TYPE_NAMES = {str: "a string", bool: "true or false", int: "a whole number", list: "a list",
               dict: "a table", float: "a number"}


class Table:
    """A view of one TOML table that records a problem for each bad or unknown key.

    ``where`` names the table for messages, e.g. ``crc.toml [profile]``. Call the typed
    getters for every key the table may hold, then :meth:`finish` to report the rest as
    unknown.
    """

    def __init__(self, data: Any, where: str, problems: Problems, dotted: str = "") -> None:
        self.file = where
        self.dotted = dotted
        self.where = f"{where} [{dotted}]" if dotted else where
        self.problems = problems
        if not isinstance(data, dict):
            problems.add(self.where, f"expected a table, found {type(data).__name__}")
            data = {}
        self.data = data
        self.seen: set[str] = set()

    def _get(self, key: str, kind: type, required: bool, default: Any) -> Any:
        self.seen.add(key)
        if key not in self.data:
            if required:
                self.problems.add(self.where, f"missing key {key!r} ({_TYPE_NAMES[kind]})")
            return default
        value = self.data[key]
        wrong_bool = kind is int and isinstance(value, bool)
        if not isinstance(value, kind) or wrong_bool:
            self.problems.add(
                f"{self.where} {key}",
                f"expected {_TYPE_NAMES[kind]}, found {value!r}",
            )
            return default
        return value

    # The getters return the default when the key is missing or bad (after recording a
    # problem), so a getter given a string or number default always returns one.
    @overload
    def str(self, key: builtins.str, *, required: builtins.bool = ..., default: builtins.str,
            choices: tuple[builtins.str, ...] | None = ..., nonempty: builtins.bool = ...) -> builtins.str: ...
    @overload
    def str(self, key: builtins.str, *, required: builtins.bool = ..., default: None = ...,
            choices: tuple[builtins.str, ...] | None = ...,
            nonempty: builtins.bool = ...) -> builtins.str | None: ...
    def str(self, key: str, *, required: bool = False, default: str | None = None,
            choices: tuple[str, ...] | None = None, nonempty: bool = False) -> str | None:
        present = isinstance(self.data.get(key), str)  # "" in the file is not the default ""
        value = self._get(key, str, required, default)
        if not present:
            return value
        value = value.strip()
        if nonempty and not value:
            self.problems.add(f"{self.where} {key}", "must not be empty")
        if choices is not None and value not in choices:
            self.problems.add(
                f"{self.where} {key}",
                f"expected one of {', '.join(map(repr, choices))}, found {value!r}",
            )
            return default
        return value

    def bool(self, key: builtins.str, *, required: builtins.bool = False, default: builtins.bool = False) -> builtins.bool:
        return self._get(key, bool, required, default)

    @overload
    def int(self, key: builtins.str, *, required: builtins.bool = ..., default: builtins.int,
            minimum: builtins.int | None = ..., maximum: builtins.int | None = ...) -> builtins.int: ...
    @overload
    def int(self, key: builtins.str, *, required: builtins.bool = ..., default: None = ...,
            minimum: builtins.int | None = ..., maximum: builtins.int | None = ...) -> builtins.int | None: ...
    def int(self, key: builtins.str, *, required: builtins.bool = False, default: builtins.int | None = None,
            minimum: builtins.int | None = None, maximum: builtins.int | None = None) -> builtins.int | None:
        value = self._get(key, int, required, default)
        if value is default:
            return value
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self.problems.add(f"{self.where} {key}",
                              f"expected a whole number from {minimum} to {maximum}, found {value}")
            return default
        return value

    def str_list(self, key: builtins.str, *, required: builtins.bool = False) -> list[builtins.str] | None:
        value = self._get(key, list, required, None)
        if value is None:
            return None
        bad = [item for item in value if not isinstance(item, str)]
        if bad:
            self.problems.add(f"{self.where} {key}", f"expected a list of strings, found {bad[0]!r}")
            return None
        return [item.strip() for item in value]

    def table(self, key: builtins.str) -> Table | None:
        value = self._get(key, dict, False, None)
        if value is None:
            return None
        return Table(value, self.file, self.problems, f"{self.dotted}.{key}".lstrip("."))

    def tables(self, key: builtins.str) -> list[Table]:
        """An array of tables (``[[key]]``), each a :class:`Table` named by its position."""
        value = self._get(key, list, False, [])
        out = []
        for index, item in enumerate(value, start=1):
            out.append(Table(item, f"{self.where} [[{key}]] #{index}", self.problems))
        return out

    def finish(self) -> None:
        """Record a problem for every key that no getter asked for."""
        for key in self.data:
            if key not in self.seen:
                self.problems.add(self.where, f"unknown key {key!r}")
