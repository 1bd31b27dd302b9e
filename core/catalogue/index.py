"""The catalogue: every standard of the plugins' catalogue files, indexed by (edition, id),
with the case attributes plugins declare and questions by id and CARaG alias. Files are read
one framework edition at a time, when a standard of that edition is first asked for; a
plugin whose file is refused is recorded as broken and stops only the profiles that list it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import structlog

from ..errors import PluginError
from ..tomlfile import cached_toml, tomllib
from .reader import collect_attributes, names_of, read_catalogue
from .records import (
    Attribute,
    KeyQuestion,
    Question,
    Standard,
)

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Located:
    """A per-case question with the key question and standard it belongs to."""

    standard: Standard
    key_question: KeyQuestion
    question: Question


@dataclass
class Catalogue:
    """Standards by (edition, id), case attributes by name, questions by id and alias.

    Catalogue files are read one edition at a time, when a standard of that edition is
    first asked for: a CRC run does not parse the youth or 2021 catalogues. Every file of
    an edition is read together, so clashes within an edition are always found.
    """

    standards: dict[tuple[str, str], Standard] = field(default_factory=dict)
    attributes: dict[str, Attribute] = field(default_factory=dict)
    #: plugin -> why its catalogue was refused: it stops the profiles that list it, no other
    broken: dict[str, str] = field(default_factory=dict)
    _names: dict[tuple[str, str], Standard] = field(default_factory=dict, repr=False)
    _unread: dict[str, list[tuple[str, Path]]] = field(default_factory=dict, repr=False)

    def editions(self) -> list[str]:
        return sorted({edition for edition, _ in self.standards} | set(self._unread))

    def standard(self, edition: str, standard_id: str) -> Standard | None:
        """The standard, reading the edition's remaining files only if it is not known yet."""
        found = self.standards.get((edition, standard_id))
        if found is None:
            self._read(edition)
            found = self.standards.get((edition, standard_id))
        return found

    def read_plugins(self, edition: str, plugins: Iterable[str]) -> None:
        """Read the files of ``edition`` that ``plugins`` ship (a profile's), leaving the other
        plugins' files unread until something asks for the whole edition."""
        wanted = set(plugins)
        unread = self._unread.get(edition, [])
        mine = [(plugin, path) for plugin, path in unread if plugin in wanted]
        self._unread[edition] = [item for item in unread if item[0] not in wanted]
        for plugin, path in mine:
            self.read_file(plugin, path)

    def profile_standard(self, edition: str, standard_id: str) -> Standard:
        """A standard a checked profile lists: checking the profile made sure it exists."""
        standard = self.standard(edition, standard_id)
        if standard is None:
            raise KeyError(f"standard {standard_id} ({edition} edition) is not in the catalogue")
        return standard

    def in_edition(self, edition: str) -> list[Standard]:
        self._read(edition)
        return [s for (e, _), s in self.standards.items() if e == edition]

    def every_standard(self) -> list[Standard]:
        for edition in list(self._unread):
            self._read(edition)
        return list(self.standards.values())

    def raise_if_broken(self, plugins: Iterable[str] | None = None) -> None:
        """Raise the PluginError of a refused plugin (of those named, or any)."""
        for plugin, error in self.broken.items():
            if plugins is None or plugin in plugins:
                raise PluginError(plugin, error.removeprefix(f"plugin {plugin!r}: "))

    def defer(self, edition: str, plugin: str, path: Path) -> None:
        """Note a catalogue file of ``edition`` to read when that edition is needed."""
        self._unread.setdefault(edition, []).append((plugin, path))

    def _read(self, edition: str) -> None:
        for plugin, path in self._unread.pop(edition, ()):
            self.read_file(plugin, path)

    def read_file(self, plugin: str, path: Path) -> None:
        """Read one catalogue file of ``plugin``; a file with problems, or a standard clashing
        with another plugin's, marks the plugin broken (with every problem) instead of
        stopping the profiles that do not use it."""
        if plugin in self.broken:
            return
        try:
            for standard in read_catalogue(path, plugin, self.attributes):
                self.add(standard)
        except PluginError as exc:
            self.broken[plugin] = str(exc)
            log.warning("plugin catalogue refused", plugin=plugin)

    def add(self, standard: Standard) -> None:
        key = (standard.edition, standard.id)
        if key in self.standards:
            other = self.standards[key]
            raise PluginError(
                standard.plugin,
                f"standard {standard.id} ({standard.edition} edition) is also contributed by "
                f"plugin {other.plugin!r}; standard ids must be unique within an edition",
            )
        names = [name for name in names_of(standard) if name != standard.id]
        clash = next((name for name in names if (standard.edition, name) in self._names), None)
        if clash is not None:
            name, other = clash, self._names[(standard.edition, clash)]
            raise PluginError(
                standard.plugin,
                f"question id or code {name!r} of standard {standard.id} ({standard.edition} edition) "
                f"is also used by standard {other.id} of plugin {other.plugin!r}; ids and CARaG codes "
                "must be unique within an edition",
            )
        self.standards[key] = standard
        for name in names:
            self._names[(standard.edition, name)] = standard


def question_index(standards: list[Standard]) -> tuple[dict[str, Located], dict[str, KeyQuestion]]:
    """Index per-case questions of ``standards`` by id and alias.

    Also returns key questions by their section alias (``A 1``), so that a CSV column
    naming a key question rather than its summary can be explained.
    """
    by_name: dict[str, Located] = {}
    key_aliases: dict[str, KeyQuestion] = {}
    for standard in standards:
        for kq in standard.key_questions:
            for alias in kq.aliases:
                key_aliases[alias] = kq
            for question in kq.case_questions:
                located = Located(standard, kq, question)
                by_name[question.id] = located
                for alias in question.aliases:
                    by_name[alias] = located
    return by_name, key_aliases



def file_edition(path: Path) -> str | None:
    """The edition a catalogue file declares, read from its head (the text before its first
    ``[[standard]]``) or from its whole parse kept by an earlier run; None when the head
    cannot tell (the whole file is then read at once, so its problems are reported)."""
    data = cached_toml(path)
    if data is None:
        try:
            text = path.read_text(encoding="utf-8")
            data = tomllib.loads(re.split(r"^\[\[standard\]\]", text, maxsplit=1, flags=re.M)[0])
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return None
    head = data.get("catalogue")
    edition = head.get("edition") if isinstance(head, dict) else None
    return edition if isinstance(edition, str) and edition.strip() else None


def build_catalogue(files: Iterable[tuple[str, Path]], attributes: Iterable[tuple[str, Attribute]]
                    ) -> Catalogue:
    """A catalogue of the plugins' ``files`` ((plugin, path) pairs, as the plugin manager's
    facade gives them) with the case ``attributes`` they declare; files are noted, and read
    one edition at a time when a standard of that edition is first asked for."""
    known, refused = collect_attributes(attributes)
    catalogue = Catalogue(attributes=known, broken=dict(refused))
    for plugin, path in files:
        edition = file_edition(path)
        if edition is None:       # the head cannot tell: read it now, so its problems are known
            catalogue.read_file(plugin, path)
        else:
            catalogue.defer(edition, plugin, path)
    log.debug("catalogue files found", editions=catalogue.editions())
    return catalogue
