"""The catalogue: every standard the registered plugins contribute, checked and indexed.

Plugins declare catalogue files through ``hmip_catalogues``; this module reads them
(field by field, every problem reported), refuses a standard id that two plugins both
contribute within one framework edition (naming both), and indexes questions by id and by
CARaG alias.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import structlog

from .errors import PluginError, Problems
from .plugins import PluginManager, call_each
from .standards import (
    EVERY_CASE, Applicability, Attribute, Evidence, KeyQuestion, Question, QuestionKind,
    RatedBy, Standard,
)
from .tomlfile import Table, read_toml

log = structlog.get_logger(__name__)

STANDARD_ID = re.compile(r"^\d+\.\d+$")
KEY_QUESTION_ID = re.compile(r"^\d+\.\d+\.\d+$")
PROMPT_ID = re.compile(r"^\d+\.\d+\.\d+\.[a-z]$")
#: What a CSV column naming a question looks like (an id or a CARaG-style code).
QUESTION_LIKE = re.compile(r"^(\d+(\.\d+)+(\.[a-z])?|[A-Z]{1,3} ?\d+(\.\d+)?( ?S)?)$")


@dataclass(frozen=True)
class Located:
    """A per-case question with the key question and standard it belongs to."""

    standard: Standard
    key_question: KeyQuestion
    question: Question


@dataclass
class Catalogue:
    """Standards by (edition, id), case attributes by name, questions by id and alias."""

    standards: dict[tuple[str, str], Standard] = field(default_factory=dict)
    attributes: dict[str, Attribute] = field(default_factory=dict)

    def editions(self) -> list[str]:
        return sorted({edition for edition, _ in self.standards})

    def standard(self, edition: str, standard_id: str) -> Standard | None:
        return self.standards.get((edition, standard_id))

    def in_edition(self, edition: str) -> list[Standard]:
        return [s for (e, _), s in self.standards.items() if e == edition]

    def add(self, standard: Standard) -> None:
        key = (standard.edition, standard.id)
        if key in self.standards:
            other = self.standards[key]
            raise PluginError(
                standard.plugin,
                f"standard {standard.id} ({standard.edition} edition) is also contributed by "
                f"plugin {other.plugin!r}; standard ids must be unique within an edition",
            )
        self.standards[key] = standard


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


# --------------------------------------------------------------------------------------
# Reading catalogue files
# --------------------------------------------------------------------------------------


def _applicability(table: Table, attributes: dict[str, Attribute]) -> Applicability:
    rules_table = table.table("applies_to")
    note = table.str("applies_note", default="")
    if rules_table is None:
        if note:
            table.problems.add(f"{table.where} applies_note", "given without applies_to")
        return EVERY_CASE
    rules = []
    for name in rules_table.data:
        values = rules_table.str_list(name) or []
        attribute = attributes.get(name)
        if attribute is None:
            table.problems.add(f"{rules_table.where} {name}",
                               f"unknown case attribute; declared: {', '.join(sorted(attributes))}")
            continue
        unknown = [v for v in values if attribute.values and v not in attribute.values]
        if unknown:
            table.problems.add(f"{rules_table.where} {name}",
                               f"unknown value(s) {', '.join(unknown)}; expected some of "
                               f"{', '.join(attribute.values)}")
        rules.append((name, frozenset(values)))
    return Applicability(tuple(rules), note)


def _aliases(table: Table, key: str) -> tuple[str, ...]:
    return tuple(table.str_list(key) or ())


def _prompt(table: Table, kq_id: str, attributes: dict[str, Attribute]) -> Question:
    qid = table.str("id", required=True, default="")
    if qid and not (PROMPT_ID.match(qid) and qid.rsplit(".", 1)[0] == kq_id):
        table.problems.add(f"{table.where} id", f"expected {kq_id}.<letter>, found {qid!r}")
    kind = table.str("kind", default="prompt",
                     choices=(QuestionKind.PROMPT.value, QuestionKind.INFORMATION.value))
    question = Question(
        id=qid,
        text=table.str("text", required=True, default="", nonempty=True),
        kind=QuestionKind(kind or "prompt"),
        answers=tuple(table.str_list("answers") or ("yes", "no")),
        aliases=_aliases(table, "aliases"),
        applies_to=_applicability(table, attributes),
        guidance=table.str("guidance", default=""),
    )
    table.finish()
    return question


def _key_question(table: Table, standard_id: str, attributes: dict[str, Attribute]) -> KeyQuestion:
    kq_id = table.str("id", required=True, default="")
    if kq_id and not (KEY_QUESTION_ID.match(kq_id) and kq_id.rsplit(".", 1)[0] == standard_id):
        table.problems.add(f"{table.where} id", f"expected {standard_id}.<n>, found {kq_id!r}")
    evidence = table.str("evidence", default="cases", choices=tuple(e.value for e in Evidence))
    kq = KeyQuestion(
        id=kq_id,
        text=table.str("text", required=True, default="", nonempty=True),
        aliases=_aliases(table, "aliases"),
        summary_aliases=_aliases(table, "summary_aliases"),
        evidence=Evidence(evidence or "cases"),
        applies_to=_applicability(table, attributes),
        guidance=table.str("guidance", default=""),
        prompts=tuple(_prompt(t, kq_id, attributes) for t in table.tables("prompt")),
    )
    table.finish()
    return kq


def _standard(table: Table, edition: str, source: str, plugin: str,
              attributes: dict[str, Attribute]) -> Standard:
    sid = table.str("id", required=True, default="")
    if sid and not STANDARD_ID.match(sid):
        table.problems.add(f"{table.where} id", f"expected a standard id like 2.1, found {sid!r}")
    rated_by = RatedBy(table.str("rated_by", required=True, default="cases",
                                 choices=tuple(r.value for r in RatedBy)) or "cases")
    sample = table.str("sample")
    if rated_by is RatedBy.CASES and not sample:
        table.problems.add(table.where, "a standard rated by cases needs a 'sample'")
    if rated_by is RatedBy.JUDGEMENT and sample:
        table.problems.add(f"{table.where} sample", "a judgement-rated standard has no case sample")
    standard = Standard(
        id=sid,
        title=table.str("title", required=True, default="", nonempty=True),
        statement=table.str("statement", default=""),
        domain=table.int("domain", required=True, default=0, minimum=1, maximum=9),
        rated_by=rated_by,
        sample=sample,
        key_questions=tuple(_key_question(t, sid, attributes) for t in table.tables("key_question")),
        edition=edition,
        plugin=plugin,
        source=source,
    )
    table.finish()
    if rated_by is RatedBy.CASES and not standard.rated_key_questions:
        table.problems.add(table.where, "a standard rated by cases needs a key question with case evidence")
    return standard


def _names(standard: Standard):
    yield standard.id
    for kq in standard.key_questions:
        yield from (kq.id, *kq.aliases, *kq.summary_aliases)
        for prompt in kq.prompts:
            yield from (prompt.id, *prompt.aliases)


def _check_unique(standards: list[Standard], where: str, problems: Problems) -> None:
    counts = Counter(name for standard in standards for name in _names(standard))
    for name, count in counts.items():
        if count > 1:
            problems.add(where, f"id or alias {name!r} is used {count} times")


def read_catalogue(path: Path, plugin: str, attributes: dict[str, Attribute]) -> list[Standard]:
    """Read one catalogue file; raise :class:`PluginError` listing every problem in it."""
    problems = Problems()
    data = read_toml(path, problems)
    standards: list[Standard] = []
    if data is not None:
        top = Table(data, path.name, problems)
        head = top.table("catalogue")
        if head is None:
            problems.add(path.name, "missing the [catalogue] table (edition, source)")
            edition, source = "", ""
        else:
            edition = head.str("edition", required=True, default="")
            source = head.str("source", default="")
            head.finish()
        standards = [_standard(t, edition, source, plugin, attributes) for t in top.tables("standard")]
        top.finish()
        _check_unique(standards, path.name, problems)
    if problems:
        detail = "\n".join(f"  - {p}" for p in problems.items)
        raise PluginError(plugin, f"catalogue {path} has problems:\n{detail}")
    return standards


def collect_attributes(pm: PluginManager) -> dict[str, Attribute]:
    attributes: dict[str, Attribute] = {}
    for plugin, declared in call_each(pm, "hmip_case_attributes"):
        for attribute in declared:
            other = attributes.get(attribute.name)
            if other is not None and other.values != attribute.values:
                raise PluginError(plugin, f"case attribute {attribute.name!r} is declared with "
                                          f"other values by plugin {other.plugin!r}")
            attributes.setdefault(attribute.name, Attribute(
                attribute.name, attribute.description, attribute.values, plugin=plugin))
    return attributes


def build_catalogue(pm: PluginManager) -> Catalogue:
    """Collect attributes and standards from every registered plugin."""
    catalogue = Catalogue(attributes=collect_attributes(pm))
    for plugin, paths in call_each(pm, "hmip_catalogues"):
        for path in paths:
            for standard in read_catalogue(Path(path), plugin, catalogue.attributes):
                catalogue.add(standard)
    log.debug("catalogue built", standards=len(catalogue.standards))
    return catalogue
