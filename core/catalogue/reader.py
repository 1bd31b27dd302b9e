"""The catalogue: every standard the registered plugins contribute, checked and indexed.

Plugins declare catalogue files through ``hmip_catalogues``; this module reads them
(field by field, every problem reported), refuses a standard id that two plugins both
contribute within one framework edition (naming both), and indexes questions by id and by
CARaG alias.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import structlog

from ..errors import PluginError, Problems
from ..tomlfile import Table, read_toml
from .records import (
    ANSWER_SEPARATOR,
    EVERY_CASE,
    Applicability,
    Attribute,
    Condition,
    Evidence,
    Exclusion,
    ImpliedAnswer,
    KeyQuestion,
    Question,
    QuestionKind,
    RatedBy,
    Standard,
)

log = structlog.get_logger(__name__)

STANDARD_ID = re.compile(r"^\d+\.\d+$")
KEY_QUESTION_ID = re.compile(r"^\d+\.\d+\.\d+$")
PROMPT_ID = re.compile(r"^\d+\.\d+\.\d+\.[a-z]$")
#: A CARaG code used as a question's own id: ``A 1.01``, ``CW 1.15``, ``T 1.6``; a word may
#: follow for a second answer the code's question asks for (``T 1.7 level``).
CODE_ID = re.compile(r"^[A-Z]{1,3} \d+\.\d+( [a-z]+)?$")
#: An information section's id: its CARaG code (``D 4``) or ``<standard>.<word>`` (``4.1.child``).
SECTION_ID = re.compile(r"^([A-Z]{1,3} \d+|\d+\.\d+\.[a-z]+)$")
#: What a CSV column naming a question looks like (an id or a CARaG-style code).
QUESTION_LIKE = re.compile(r"^(\d+(\.\d+)+(\.[a-z])?|[A-Z]{1,3} ?\d+(\.\d+)?( ?S)?)$")


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


def _condition(table: Table, key: str) -> Condition | None:
    """``when = { name = [values] }``; names are checked once the whole file is read."""
    when = table.table(key)
    if when is None:
        table.problems.add(f"{table.where} {key}", "missing: expected a table of conditions, "
                                                   "e.g. { harm_factors = [\"no\"] }")
        return None
    rules = []
    for name in when.data:
        values = when.str_list(name, required=True)
        if values:
            rules.append((name, frozenset(values)))
    if not rules:
        table.problems.add(f"{table.where} {key}", "needs at least one condition")
        return None
    return Condition(tuple(rules))


def _implied(table: Table) -> ImpliedAnswer | None:
    implied = table.table("implied_answer")
    if implied is None:
        return None
    answer = implied.str("answer", required=True, default="", nonempty=True)
    when = _condition(implied, "when")
    note = implied.str("note", required=True, default="", nonempty=True)
    implied.finish()
    return ImpliedAnswer(answer, when, note) if when is not None else None


def _aliases(table: Table, key: str) -> tuple[str, ...]:
    return tuple(table.str_list(key) or ())


#: A part of a framework prompt that a report prints as its own row with no code of its own
#: (seed 002 Annex 4 prints 2.4.1 a) as two questions): ``<prompt>.i``, ``<prompt>.ii``.
PROMPT_PART_ID = re.compile(r"^\d+\.\d+\.\d+\.[a-z]\.(i|ii|iii|iv)$")


def _prompt_id_ok(qid: str, kq_id: str, sections: tuple[str, ...]) -> bool:
    """``<key question>.<letter>``, ``<prompt>.<roman>``, or a CARaG code within the key
    question's section."""
    if PROMPT_PART_ID.match(qid) and qid.rsplit(".", 2)[0] == kq_id:
        return True
    if "." in qid and qid.rsplit(".", 1)[0] == kq_id and (
            PROMPT_ID.match(qid) or (SECTION_ID.match(kq_id) and qid[-1:].isalpha())):
        return True
    return bool(CODE_ID.match(qid)) and qid.split(".")[0] in sections


def _prompt(table: Table, kq_id: str, sections: tuple[str, ...],
            attributes: dict[str, Attribute]) -> Question:
    qid = table.str("id", required=True, default="")
    if qid and not _prompt_id_ok(qid, kq_id, sections):
        codes = " or ".join(f"'{section}.<nn>'" for section in sections)
        table.problems.add(f"{table.where} id", f"expected {kq_id}.<letter>"
                                                f"{' or ' + codes if codes else ''}, found {qid!r}")
    kind = table.str("kind", default="prompt",
                     choices=(QuestionKind.PROMPT.value, QuestionKind.INFORMATION.value))
    listed = table.str_list("answers")
    answers = ("yes", "no") if listed is None else tuple(a.strip().lower() for a in listed)
    for answer in answers:
        if not answer or ANSWER_SEPARATOR in answer:
            table.problems.add(f"{table.where} answers",
                               f"an answer must be non-empty and free of {ANSWER_SEPARATOR!r}: {answer!r}")
    multiple = table.bool("multiple")
    if multiple and not answers:
        table.problems.add(f"{table.where} multiple", "needs a closed list of answers")
    per_factor_of = table.str("per_factor_of", default="") or ""
    if per_factor_of and (multiple or answers != ("yes", "no")):
        table.problems.add(f"{table.where} per_factor_of",
                           "a per-factor question answers yes or no for each factor (no 'multiple')")
    question = Question(
        id=qid,
        text=table.str("text", required=True, default="", nonempty=True),
        kind=QuestionKind(kind or "prompt"),
        answers=answers,
        aliases=_aliases(table, "aliases"),
        applies_to=_applicability(table, attributes),
        guidance=table.str("guidance", default=""),
        multiple=multiple,
        implied=_implied(table),
        not_counted=tuple(a.strip().lower() for a in table.str_list("not_counted") or ()),
        parts=_aliases(table, "parts"),
        per_factor_of=per_factor_of,
    )
    table.finish()
    unknown = [a for a in question.not_counted if a not in question.answers]
    if unknown:
        table.problems.add(f"{table.where} not_counted",
                           f"{', '.join(unknown)} not among its answers ({', '.join(question.answers)})")
    if question.not_counted and question.counted_answers != ("yes", "no"):
        table.problems.add(f"{table.where} not_counted",
                           "the answers left once these are taken out must be yes and no")
    if question.parts and question.answers != ("yes", "no"):
        table.problems.add(f"{table.where} parts", "a prompt made of parts answers yes or no")
    if question.implied and question.answers and question.implied.answer not in question.answers:
        table.problems.add(f"{table.where} implied_answer answer",
                           f"{question.implied.answer!r} is not one of its answers ({', '.join(question.answers)})")
    return question


def _key_question(table: Table, standard_id: str, attributes: dict[str, Attribute]) -> KeyQuestion:
    kq_id = table.str("id", required=True, default="")
    evidence = Evidence(table.str("evidence", default="cases",
                                  choices=tuple(e.value for e in Evidence)) or "cases")
    if evidence is Evidence.INFORMATION:
        if kq_id and not (SECTION_ID.match(kq_id) and (" " in kq_id or kq_id.startswith(standard_id + "."))):
            table.problems.add(f"{table.where} id", f"an information section is named by its CARaG code "
                                                    f"('D 4') or {standard_id}.<word>, found {kq_id!r}")
    elif kq_id and not (KEY_QUESTION_ID.match(kq_id) and kq_id.rsplit(".", 1)[0] == standard_id):
        table.problems.add(f"{table.where} id", f"expected {standard_id}.<n>, found {kq_id!r}")
    aliases = _aliases(table, "aliases")
    sections = (kq_id, *aliases) if " " in kq_id else aliases
    kq = KeyQuestion(
        id=kq_id,
        text=table.str("text", required=True, default="", nonempty=True),
        aliases=aliases,
        summary_aliases=_aliases(table, "summary_aliases"),
        evidence=evidence,
        applies_to=_applicability(table, attributes),
        guidance=table.str("guidance", default=""),
        implied=_implied(table),
        prompts=tuple(_prompt(t, kq_id, sections, attributes) for t in table.tables("prompt")),
        wording_confirmed=table.bool("wording_confirmed", default=True),
    )
    table.finish()
    ids = {p.id: p for p in kq.prompts}
    for prompt in kq.prompts:
        for part in prompt.parts:
            if part == prompt.id or part not in ids or ids[part].answers != ("yes", "no"):
                table.problems.add(f"{table.where} prompt {prompt.id} parts",
                                   f"{part!r} is not a yes/no question of key question {kq_id}")
    if evidence is not Evidence.CASES:
        for key, present in (("summary_aliases", kq.summary_aliases), ("implied_answer", kq.implied)):
            if present:
                table.problems.add(f"{table.where} {key}",
                                   f"a key question with {evidence.value} evidence has no summary judgement")
    if evidence is Evidence.INFORMATION and any(p.kind is not QuestionKind.INFORMATION for p in kq.prompts):
        table.problems.add(table.where, "an information section holds only questions of kind 'information'")
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
    not_rated = table.bool("not_rated_without_cases")
    if not_rated and not (rated_by is RatedBy.JUDGEMENT and sample):
        table.problems.add(f"{table.where} not_rated_without_cases",
                           "only for a judgement-rated standard with an illustrative sample")
    exclusions = []
    for entry in table.tables("exclusion"):
        when = _condition(entry, "when")
        reason = entry.str("reason", required=True, default="", nonempty=True)
        entry.finish()
        if when is not None:
            exclusions.append(Exclusion(when, reason))
    if exclusions and not sample:
        table.problems.add(f"{table.where} exclusion", "exclusions need a case sample")
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
        exclusions=tuple(exclusions),
        not_rated_without_cases=not_rated,
        wording_confirmed=table.bool("wording_confirmed", default=True),
    )
    table.finish()
    if rated_by is RatedBy.JUDGEMENT and standard.rated_key_questions and sample:
        table.problems.add(table.where, "a judgement-rated standard's cases illustrate it: its key "
                                        "questions take qualitative or information evidence")
    if rated_by is RatedBy.CASES and not standard.rated_key_questions:
        table.problems.add(table.where, "a standard rated by cases needs a key question with case evidence")
    return standard


def names_of(standard: Standard):
    yield standard.id
    for kq in standard.key_questions:
        yield from (kq.id, *kq.aliases, *kq.summary_aliases)
        for prompt in kq.prompts:
            yield from (prompt.id, *prompt.aliases)


def _check_unique(standards: list[Standard], where: str, problems: Problems) -> None:
    counts = Counter(name for standard in standards for name in names_of(standard))
    for name, count in counts.items():
        if count > 1:
            problems.add(where, f"id or alias {name!r} is used {count} times")


def _check_factor_links(standards: list[Standard], where: str, problems: Problems) -> None:
    """``per_factor_of`` names a question of the same sample that takes several answers."""
    by_sample: dict[str | None, dict[str, Question]] = {}
    for standard in standards:
        for kq in standard.key_questions:
            for question in kq.case_questions:
                by_sample.setdefault(standard.sample, {}).update(
                    {name: question for name in (question.id, *question.aliases)})
    for standard in standards:
        for kq in standard.key_questions:
            for question in kq.prompts:
                if not question.per_factor_of:
                    continue
                target = by_sample.get(standard.sample, {}).get(question.per_factor_of)
                if target is None or not (target.multiple or target.free):
                    problems.add(f"{where} question {question.id} per_factor_of",
                                 f"{question.per_factor_of!r} is not a question of the "
                                 f"{standard.sample!r} sample taking several answers "
                                 f"(a closed list with multiple = true, or a free answer)")


def _check_conditions(standards: list[Standard], where: str, attributes: dict[str, Attribute],
                      problems: Problems) -> None:
    """Names in ``when`` must be declared attributes or questions of the same sample."""
    by_sample: dict[str | None, set[str]] = {}
    for standard in standards:
        names = by_sample.setdefault(standard.sample, set())
        for kq in standard.key_questions:
            for question in kq.case_questions:
                names.update((question.id, *question.aliases))
    for standard in standards:
        conditions = [(f"standard {standard.id} exclusion", e.when) for e in standard.exclusions]
        for kq in standard.key_questions:
            conditions += [(f"question {q.id} implied_answer", q.implied.when)
                           for q in kq.case_questions if q.implied]
        known = by_sample.get(standard.sample, set())
        for label, condition in conditions:
            for name, _ in condition.rules:
                if name not in attributes and name not in known:
                    problems.add(f"{where} {label}", f"{name!r} is neither a declared case attribute "
                                                     f"nor a question of the {standard.sample!r} sample")


def read_catalogue(path: Path, plugin: str, attributes: dict[str, Attribute]) -> list[Standard]:
    """Read one catalogue file; raise :class:`PluginError` listing every problem in it."""
    problems = Problems()
    data = read_toml(path, problems, cache=True)
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
        _check_conditions(standards, path.name, attributes, problems)
        _check_factor_links(standards, path.name, problems)
    if problems:
        detail = "\n".join(f"  - {p}" for p in problems.items)
        raise PluginError(plugin, f"catalogue {path} has problems:\n{detail}")
    return standards


def collect_attributes(declared: Iterable[tuple[str, Attribute]]) -> tuple[dict[str, Attribute], dict[str, str]]:
    """The case attributes plugins declare, by name, and the plugins refused (plugin -> why):
    two plugins may declare one attribute only with the same values; the later one is refused,
    naming the first."""
    attributes: dict[str, Attribute] = {}
    refused: dict[str, str] = {}
    for plugin, attribute in declared:
        other = attributes.get(attribute.name)
        if other is not None and other.values != attribute.values:
            refused[plugin] = (f"case attribute {attribute.name!r} is declared with other values by "
                               f"plugin {other.plugin!r}")
            continue
        attributes.setdefault(attribute.name, Attribute(
            attribute.name, attribute.description, attribute.values, plugin=plugin))
    return attributes, refused
