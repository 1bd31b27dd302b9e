"""Reading TOML files and checking their tables field by field.

Every TOML file the framework reads (catalogues, profiles, ``inspection.toml``,
``judgements.toml``) goes through :func:`read_toml` and :class:`Table`, so that a syntax
error names the file and line, and an unknown key or a value of the wrong type names the
key and says what was expected. Problems are collected, never raised one at a time.
"""

from __future__ import annotations

import builtins
import codecs
import contextlib
import marshal
import os
import sys
import zlib
from pathlib import Path
from typing import Any, overload

from .errors import Problems

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]


def read_toml(path: Path, problems: Problems, *, cache: bool = False) -> dict[str, Any] | None:
    """Parse ``path``; on failure record a problem naming the file and return None.

    TOML is UTF-8 without a byte-order mark: a file saved otherwise (by an editor on Windows,
    say) is refused with the byte at fault, not a decoding traceback.

    ``cache=True`` is for the files plugins ship (catalogues): their parsed content is kept
    in the user's cache folder (:func:`cache_folder`) and reused while the file's size and
    modification time are unchanged, as Python keeps compiled modules. Never ask it for a
    file that may hold case data.
    """
    entry = _cache_entry(path) if cache else None
    if entry is not None and (cached := _from_cache(entry)) is not None:
        return cached
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
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problems.add(str(path), f"not valid TOML: {exc}")
        return None
    except RecursionError:
        problems.add(str(path), "not valid TOML: arrays or tables nested too deeply")
        return None
    if entry is not None:
        _to_cache(entry, parsed)
    return parsed


# --- The cache of parsed plugin files --------------------------------------------------------

#: Bumped when the cached form changes; part of every cache entry.
_CACHE_FORMAT = 1


def cache_folder() -> Path | None:
    """Where parsed plugin files are kept: ``$HMIP_CACHE_DIR`` if set (empty: no cache), else
    ``$XDG_CACHE_HOME/hmip-inspect``, else ``~/.cache/hmip-inspect``."""
    given = os.environ.get("HMIP_CACHE_DIR")
    if given is not None:
        return Path(given) if given else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "hmip-inspect"


def _cache_entry(path: Path) -> tuple[Path, tuple[Any, ...]] | None:
    """The cache file for ``path`` and the header that must match: format, Python version,
    the file's full name, size and modification time."""
    folder = cache_folder()
    if folder is None:
        return None
    try:
        resolved = str(path.resolve())
        stat = os.stat(resolved)
    except OSError:
        return None
    header = (_CACHE_FORMAT, sys.version_info[:2], resolved, stat.st_size, stat.st_mtime_ns)
    name = f"{path.stem}-{zlib.crc32(resolved.encode('utf-8', 'surrogateescape')):08x}.toml.marshal"
    return folder / "toml" / name, header


def cached_toml(path: Path) -> dict[str, Any] | None:
    """What :func:`read_toml` with ``cache=True`` parsed from ``path`` as it is now, if it is
    in the cache; None otherwise (read the file)."""
    entry = _cache_entry(path)
    return None if entry is None else _from_cache(entry)


def _from_cache(entry: tuple[Path, tuple[Any, ...]]) -> dict[str, Any] | None:
    target, header = entry
    try:
        stored_header, data = marshal.loads(target.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return data if stored_header == header and isinstance(data, dict) else None


def _to_cache(entry: tuple[Path, tuple[Any, ...]], data: dict[str, Any]) -> None:
    """Keep ``data`` for the next run; any failure (a read-only home, a value marshal cannot
    write) only means the file is parsed again next time."""
    target, header = entry
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        payload = marshal.dumps((header, data))
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary.write_bytes(payload)
        os.replace(temporary, target)   # readers see the old entry or the new, never half
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


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
