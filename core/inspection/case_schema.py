"""The rules a profile's standards set for cases (:class:`CaseSchema`), worked out once per
catalogue and profile: which questions apply to a case (its sample and attributes), the answers
each takes, the answers implied or derived from parts, exclusions, and the summary judgements a
complete case needs. :meth:`CaseSchema.make_case` checks one case, whatever it was read from
(a case file's row, the store, an answer typed at the terminal or saved in the browser), and
names every problem with its file, row and column; an answer or attribute value is quoted in a
message only when it is short.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, partial
from types import MappingProxyType
from typing import Mapping

from ..catalogue.index import Catalogue, Located, question_index
from ..catalogue.records import (
    ANSWER_SEPARATOR,
    Attribute,
    Evidence,
    Exclusion,
    KeyQuestion,
    Question,
    RatedBy,
    Standard,
)
from ..errors import Problems, shown
from .case_files import cell_problem, cells_fit
from .cases import Case

#: In a question taking several answers, "none" stands alone ("no resettlement needs").
NONE = "none"


class _Elsewhere(Mapping[str, str]):
    """Question id -> standard, for the edition's standards a profile does not rate, worked
    out (reading those plugins' catalogues) only when a column needs explaining."""

    def __init__(self, load: Callable[[], dict[str, str]]) -> None:
        self._load = load

    @cached_property
    def _all(self) -> dict[str, str]:
        return self._load()

    def __getitem__(self, name: str) -> str:
        return self._all[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all)

    def __len__(self) -> int:
        return len(self._all)


def _plain(question: Question) -> frozenset[str]:
    """The answers to ``question`` accepted as they are, before and after normalising: a
    closed single-answer question's own (lower-case) answers (``yes``, ``no`` ...); none for
    free, multiple and per-factor questions, whose every answer goes through the whole of
    :func:`_check_answers`."""
    if question.free or question.multiple or question.per_factor_of:
        return frozenset()
    return frozenset(a for a in question.answers if a == a.lower())


@dataclass(frozen=True)
class CaseSchema:
    """What the profile's standards say about cases, worked out once per inspection.

    :meth:`make_case` checks one case, whatever it was read from (a file row, the store,
    an answer typed at the terminal).
    """

    index: dict[str, Located]               # question id or alias -> question
    by_id: dict[str, Located]               # question id -> question
    key_aliases: dict[str, KeyQuestion]     # "A 1" -> key question 2.1.1
    qualitative: dict[str, str]             # 4.1.3 and its prompts -> 4.1.3
    elsewhere: Mapping[str, str]            # questions of standards the profile does not rate
    samples: frozenset[str]
    needed: dict[str, tuple[str, ...]]      # sample -> attributes its rules depend on (sorted)
    rated: dict[str, tuple[KeyQuestion, ...]]  # sample -> key questions needing a summary
    attributes: Mapping[str, Attribute]     # declared case attributes
    implied: dict[str, tuple[Question, ...]]   # sample -> questions with an implied answer
    exclusions: dict[str, tuple[Exclusion, ...]]  # sample -> exclusions of its standards
    #: question id -> the answers that need no further look (:func:`_plain`), once per schema
    plain: dict[str, frozenset[str]] = field(default_factory=dict, compare=False, repr=False)
    #: the questions made of parts, in framework order
    with_parts: tuple[Question, ...] = field(default=(), compare=False, repr=False)
    #: (sample, the values of the attributes its rules read) -> ids of the questions that apply:
    #: the applicability rules are worked out once per kind of case, not once per answer
    _applicable: dict[tuple[str, tuple[str, ...]], _Kind] = field(
        default_factory=dict, compare=False, repr=False)
    #: every (question id, answer) that needs no normalising: a closed single answer as stored
    plain_pairs: frozenset[tuple[str, str]] = field(default=frozenset(), compare=False, repr=False)
    #: question id -> every name of :attr:`index` for it (its id and its aliases)
    names: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)
    #: every (attribute, value) a declared attribute lists: a case whose attributes are all
    #: among them needs no further look at their values
    plain_attributes: frozenset[tuple[str, str]] = field(default=frozenset(), compare=False, repr=False)

    def _kind(self, sample: str, attributes: Mapping[str, str]) -> _Kind:
        """What the applicability rules give for one kind of case (its sample and the values
        of the attributes they read), worked out the first time such a case is seen: the
        questions that apply, the summary judgements it needs, and every (question, answer)
        pair that passes every check of :func:`_check_answers` as it stands."""
        names = self.needed.get(sample, ())
        key = (sample, tuple(attributes.get(name, "") for name in names))
        found = self._applicable.get(key)
        if found is None:
            ids = frozenset(located.question.id for located in self.questions_of(sample)
                            if located.key_question.applies(attributes)
                            and located.question.applies(attributes))
            found = (ids, tuple(kq for kq in self.rated.get(sample, ()) if kq.id in ids),
                     frozenset((qid, answer) for qid in ids for answer in self.plain[qid]))
            self._applicable[key] = found
        return found

    def make_case(self, case_id: str, sample: str, attributes: dict[str, str],
                  raw_answers: dict[str, str], where: str, problems: Problems, *,
                  complete: bool = True) -> Case:
        """Normalise, complete (implied answers) and check one case's answers.

        ``raw_answers`` maps question ids to answers as given (empty ones omitted). With
        ``complete=False`` (a case being captured) missing summary judgements are allowed.
        """
        by_id = self.by_id
        answers = dict(raw_answers)
        # Only the answers not as stored already (a closed single answer) are normalised, in
        # place: the answers keep their order. (A subset test builds nothing; the difference
        # builds a set of every answer, so it is taken only where there is one to normalise.)
        if not raw_answers.items() <= self.plain_pairs:
            for qid, answer in raw_answers.items() - self.plain_pairs:
                if answer := answer.strip():
                    answers[qid] = _normalise(answer, by_id[qid].question)
                else:
                    del answers[qid]
        _apply_parts(answers, where, self, problems)
        _apply_implied(answers, attributes, sample, where, self, problems)
        excluded = _exclusion(attributes, answers, sample, where, self, problems)
        case = Case(case_id, sample, MappingProxyType(dict(attributes)), MappingProxyType(answers),
                    source=where, excluded=excluded)
        _check_attributes(attributes, where, sample, self, problems)
        _check_answers(case, where, self, problems, complete=complete)
        return case

    def check_answer(self, case: Case, question_id: str, value: str) -> tuple[str, list]:
        """One answer in the context of its case (capture at the terminal, the web
        application's per-answer checks): the answer as it would be stored and the problems
        with it (empty: it may be recorded). The same rules as a whole case's, through
        :meth:`make_case`, so a message is the one an import of the case would give."""
        answers = dict(case.answers)
        answers[question_id] = value
        if not value.strip():
            answers.pop(question_id)
        problems = Problems()
        checked = self.make_case(case.case_id, case.sample, dict(case.attributes), answers,
                                 f"case {case.case_id}", problems, complete=False)
        mine = [p for p in problems.items if f"column {question_id!r}" in p.where]
        return checked.answer(question_id), mine

    def by_name(self, answers: Mapping[str, str]) -> dict[str, str]:
        """Answers reachable by question id and by every alias, for conditions naming either."""
        out = dict(answers)
        names = self.names
        for question_id, answer in answers.items():
            for name in names.get(question_id, ()):
                out[name] = answer
        return out

    def implied_answer(self, question_id: str, attributes: Mapping[str, str],
                       answers: Mapping[str, str]) -> str | None:
        """The answer a catalogue rule implies for this question in this case, if any: the
        question applies to the case and the rule's conditions hold."""
        located = self.by_id[question_id]
        rule = located.question.implied
        if rule is None or not (located.key_question.applies(attributes)
                                and located.question.applies(attributes)):
            return None
        if rule.when.evaluate(attributes, self.by_name(answers)) is not True:
            return None
        return rule.answer

    def attributes_of(self, sample: str) -> list[str]:
        """The case attributes the rules of ``sample`` read: applicability, implied answers,
        exclusions."""
        names = set(self.needed.get(sample, ()))
        conditions = [q.implied.when for q in self.implied.get(sample, ()) if q.implied]
        conditions += [e.when for e in self.exclusions.get(sample, ())]
        names.update(name for condition in conditions for name, _ in condition.rules
                     if name in self.attributes)
        return sorted(names)

    def questions_of(self, sample: str) -> list[Located]:
        """Every per-case question of ``sample`` in framework order."""
        return [located for located in self.by_id.values() if located.standard.sample == sample]

    @classmethod
    def build(cls, standards: list[Standard], catalogue: Catalogue) -> CaseSchema:
        """The schema of ``standards``: compiled once per catalogue and set of standards, and
        shared by every inspection read with them (an import of many folders builds it once)."""
        key = (id(catalogue), *map(id, standards))
        found = _BUILT.get(key)
        if found is not None and found[0] is catalogue and all(
                a is b for a, b in zip(found[1], standards, strict=True)):
            return found[2]
        schema = cls._build(standards, catalogue)
        if len(_BUILT) >= 16:
            _BUILT.clear()
        _BUILT[key] = (catalogue, tuple(standards), schema)
        return schema

    @classmethod
    def _build(cls, standards: list[Standard], catalogue: Catalogue) -> CaseSchema:
        index, key_aliases = question_index(standards)
        plain = {located.question.id: _plain(located.question) for located in index.values()}
        edition = standards[0].edition if standards else ""
        def others() -> list[Standard]:   # read only to explain a column of another standard
            return [s for s in catalogue.in_edition(edition) if s not in standards]
        needed: dict[str, set[str]] = {}
        rated: dict[str, list[KeyQuestion]] = {}
        for standard in standards:
            if standard.rated_by is RatedBy.CASES:
                rated.setdefault(standard.sample or "", []).extend(standard.rated_key_questions)
            for kq in standard.key_questions:
                for question in (kq, *kq.prompts):
                    needed.setdefault(standard.sample or "", set()).update(
                        question.applies_to.attributes)  # type: ignore[attr-defined]  # both have it
        return cls(
            index=index,
            by_id={located.question.id: located for located in index.values()},
            key_aliases=key_aliases,
            qualitative={q: kq.id for s in standards for kq in s.key_questions
                         if kq.evidence is Evidence.QUALITATIVE
                         for q in (kq.id, *(p.id for p in kq.prompts))},
            elsewhere=_Elsewhere(lambda: {name: located.standard.id for name, located in
                                          question_index(others())[0].items()}),
            samples=frozenset(s.sample for s in standards if s.sample),
            needed={sample: tuple(sorted(names)) for sample, names in needed.items()},
            rated={sample: tuple(kqs) for sample, kqs in rated.items()},
            attributes=catalogue.attributes,
            implied=_by_sample(standards, lambda s: (q for q in s.questions() if q.implied)),
            exclusions=_by_sample(standards, lambda s: s.exclusions),
            plain=plain,
            with_parts=tuple({located.question.id: located.question for located in index.values()
                              if located.question.parts}.values()),
            plain_pairs=frozenset((qid, answer) for qid, answers in plain.items() for answer in answers),
            names=_names(index),
            plain_attributes=frozenset((name, value) for name, attribute in catalogue.attributes.items()
                                       for value in attribute.values or () if cell_problem(value) is None),
        )


#: One kind of case (:meth:`CaseSchema._kind`): the ids of the questions that apply, the key
#: questions needing a summary judgement, the (question, answer) pairs that need no check.
_Kind = tuple[frozenset[str], tuple[KeyQuestion, ...], frozenset[tuple[str, str]]]

#: Schemas built, by the identity of the catalogue and the standards (kept alive here, so an
#: id is never reused while its entry stands): see :meth:`CaseSchema.build`.
_BUILT: dict[tuple[int, ...], tuple[Catalogue, tuple[Standard, ...], CaseSchema]] = {}


def _names(index: Mapping[str, Located]) -> dict[str, tuple[str, ...]]:
    names: dict[str, list[str]] = {}
    for name, located in index.items():
        names.setdefault(located.question.id, []).append(name)
    return {question_id: tuple(found) for question_id, found in names.items()}


def _by_sample(standards: list[Standard], items) -> dict[str, tuple]:
    out: dict[str, list] = {}
    for standard in standards:
        out.setdefault(standard.sample or "", []).extend(items(standard))
    return {sample: tuple(values) for sample, values in out.items()}


def _check_answers(case: Case, where: str, schema: CaseSchema, problems: Problems, *,
                   complete: bool = True) -> None:
    """Check one case's answers against the samples and applicability rules."""
    applicable, required, fine = schema._kind(case.sample, case.attributes)
    if not case.answers.items() <= fine:    # else an allowed answer to a question that applies, each
        _check_each(case, where, schema, applicable, fine, problems)
    _check_required(case, where, required, problems, complete=complete)


def _check_each(case: Case, where: str, schema: CaseSchema, applicable: frozenset[str],
                fine: frozenset[tuple[str, str]], problems: Problems) -> None:
    """Check the case's answers one by one: each given for a question of its sample that
    applies, fit for a cell, and one the question takes."""
    unfit = {} if cells_fit(case.answers.values()) else \
        {qid: problem for qid, answer in case.answers.items() if (problem := cell_problem(answer))}
    # An allowed answer to a question that applies (``fine``) in a cell that is fit passes
    # every check below: the others are looked at, in the answers' order (so the problems
    # come in it).
    for qid, answer in case.answers.items():
        if (qid, answer) in fine and qid not in unfit:
            continue
        located = schema.by_id[qid]
        standard, kq, question = located.standard, located.key_question, located.question
        col = f"{where}, column {qid!r}"
        given = answer.split(ANSWER_SEPARATOR) if question.multiple else [answer]
        wrong = [a for a in given if a not in question.answers]
        if question.per_factor_of:
            factor_problem = _per_factor_problem(answer, question, case, schema)
            if factor_problem:
                problems.add(col, factor_problem)
                continue
            wrong = []
        if qid in unfit:        # typed at the terminal: checked as a file's cell would be
            problems.add(col, f"the answer {unfit[qid]}")
        elif not question.free and wrong:
            several = f" (several separated by {ANSWER_SEPARATOR!r})" if question.multiple else ""
            problems.add(col, f"answer {', '.join(map(shown, wrong))} is not allowed; expected "
                              f"{', '.join(question.answers)}{several} or empty (not applicable)")
        elif question.multiple and NONE in given and len(given) > 1:
            problems.add(col, f"{NONE!r} cannot be combined with other answers ({shown(answer)})")
        elif standard.sample != case.sample:
            problems.add(col, f"question {qid} belongs to the {standard.sample!r} sample, but "
                              f"case {case.case_id} is in the {case.sample!r} sample")
        elif qid in applicable:
            continue
        elif not kq.applies(case.attributes):      # the rule that failed, for the message
            problems.add(col, f"answered, but key question {kq.id} does not apply to this case "
                              f"(applies to {kq.applies_to.describe()})")
        else:
            problems.add(col, f"answered, but {qid} does not apply to this case "
                              f"(applies to {question.applies_to.describe()})")


def _check_required(case: Case, where: str, required: tuple[KeyQuestion, ...], problems: Problems, *,
                    complete: bool) -> None:
    """Every summary judgement a complete case needs (not for a case excluded or in capture)."""
    if case.excluded or not complete:
        return
    for kq in required:
        if not case.answer(kq.id):
            problems.add(f"{where}, column {kq.id!r}",
                         f"summary judgement missing: key question {kq.id} applies to this case")


def _per_factor_problem(answer: str, question: Question, case: Case, schema: CaseSchema) -> str | None:
    """A per-factor answer: ``factor=yes;factor=no``, one item for each factor recorded at the
    question it follows up (``per_factor_of``), each yes or no."""
    link = question.per_factor_of
    items = [item.partition("=") for item in answer.split(ANSWER_SEPARATOR)]
    bad = [f + eq + v for f, eq, v in items if not eq or not f or v not in question.answers]
    if bad:
        return (f"expected one {'|'.join(question.answers)} per factor recorded at {link}, as "
                f"'factor=yes{ANSWER_SEPARATOR}factor=no'; found {', '.join(map(repr, bad))}")
    recorded = schema.by_name(case.answers).get(link, "")
    expected = {f.strip().lower() for f in recorded.split(ANSWER_SEPARATOR) if f.strip()} - {NONE}
    given = [f.lower() for f, _, _ in items]
    if sorted(given) != sorted(expected):
        return (f"answers one factor each of those recorded at {link} "
                f"({', '.join(sorted(expected)) or 'none recorded'}); found {', '.join(given)}")
    return None


def _normalise(answer: str, question: Question) -> str:
    """Closed answers compare case-insensitively; a free answer is kept as written."""
    if question.free:
        return answer
    if question.per_factor_of:
        items = [item.partition("=") for item in answer.split(ANSWER_SEPARATOR) if item.strip()]
        return ANSWER_SEPARATOR.join(f"{factor.strip()}{eq}{value.strip().lower()}"
                                     for factor, eq, value in items)
    if not question.multiple:
        return answer.lower()       # given stripped and non-empty
    parts = (part.strip().lower() for part in answer.split(ANSWER_SEPARATOR))
    return ANSWER_SEPARATOR.join(part for part in parts if part)


def _apply_parts(answers: dict[str, str], where: str, schema: CaseSchema, problems: Problems) -> None:
    """Derive a prompt made of CARaG parts (``parts``) from their answers: "no" when any part
    is "no", "yes" when every part is "yes", left as given otherwise. ASSUMPTION: the seeds
    print no rule; the conjunctive wording of the prompts and seed 002's 2.1.1.b figures
    (halves 74% and 58%, joint prompt 54%) point to "yes only if every part is yes"."""
    for question in schema.with_parts:
        for part in question.parts:
            if answers.get(part):
                break
        else:
            continue
        given = [answers.get(part, "") for part in question.parts]
        derived = "no" if "no" in given else "yes" if all(a == "yes" for a in given) else ""
        if not derived:
            continue
        _fill(answers, question.id, derived, where, problems,
              partial(_parts_contradicted, question, given, derived))


def _apply_implied(answers: dict[str, str], attributes: dict[str, str], sample: str, where: str,
                   schema: CaseSchema, problems: Problems) -> None:
    """Fill or check the answers that a rule of the catalogue implies for this case."""
    for question in schema.implied.get(sample, ()):
        implied = schema.implied_answer(question.id, attributes, answers)
        if implied is None:
            continue
        rule = question.implied
        assert rule is not None  # schema.implied holds questions with an implied answer
        _fill(answers, question.id, implied, where, problems, partial(_rule_contradicted, rule))


def _parts_contradicted(question: Question, given: list[str], derived: str) -> str:
    return (f"answer {CURRENT} contradicts its parts ({', '.join(question.parts)}: "
            f"{', '.join(a or 'empty' for a in given)}), which give {derived!r}")


def _rule_contradicted(rule) -> str:
    return (f"answer {CURRENT} contradicts the rule: where {rule.when.describe()}, "
            f"the answer is {rule.answer!r} ({rule.note})")


#: Stands for the answer given, in a contradiction message of :func:`_fill`.
CURRENT = "\x00answer\x00"


def _fill(answers: dict[str, str], question_id: str, value: str, where: str, problems: Problems,
          contradiction: Callable[[], str]) -> None:
    """Record the answer a rule gives where none was given; refuse one that differs, saying
    why (``contradiction()``, worked out only then, where :data:`CURRENT` stands for the
    answer given)."""
    current = answers.get(question_id, "")
    if not current:
        answers[question_id] = value
    elif current != value:
        problems.add(f"{where}, column {question_id!r}", contradiction().replace(CURRENT, shown(current)))


def _exclusion(attributes: dict[str, str], answers: dict[str, str], sample: str, where: str,
               schema: CaseSchema, problems: Problems) -> str:
    """The reason the case is excluded from its sample, or empty."""
    exclusions = schema.exclusions.get(sample, ())
    named = schema.by_name(answers) if exclusions else {}
    for exclusion in exclusions:
        result = exclusion.when.evaluate(attributes, named)
        if result is True:
            return exclusion.reason
        if isinstance(result, str):
            problems.add(f"{where}, column {result!r}",
                         f"missing: needed to decide whether the case is excluded ({exclusion.reason})")
    return ""


def _check_attributes(attributes: dict[str, str], where: str, sample: str, schema: CaseSchema,
                      problems: Problems) -> None:
    # values that are each a declared attribute's own pass every check below at once
    for name, value in (() if attributes.items() <= schema.plain_attributes else attributes.items()):
        declared = schema.attributes.get(name)
        if problem := cell_problem(value):
            problems.add(f"{where}, column {name!r}", f"the value {problem}")
        elif value and declared is not None and declared.values and value not in declared.values:
            problems.add(f"{where}, column {name!r}",
                         f"bad attribute value {shown(value)}; expected one of {', '.join(declared.values)}")
    for name in schema.needed.get(sample, ()):     # sorted when the schema is built
        if not attributes.get(name):
            problems.add(f"{where}, column {name!r}",
                         f"missing: {name} decides which questions apply to this case")
