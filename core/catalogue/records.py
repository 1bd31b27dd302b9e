"""The contract: standards, key questions and questions as small immutable records.

Ids follow the published numbering: standard ``2.1``, key question ``2.1.1``, prompt
``2.1.1.a``. A key question's own id is also the id of its *summary judgement*, the
inspector's overall yes/no for that key question in one case: that is the answer the
ratings count. CARaG codes (``A 1``, ``A 1.01``, ``A 1 S``, ``U 1.1`` …) are aliases.

Plugins never build these by hand: they ship a catalogue file that
:mod:`hmip_inspect.core.catalogue.reader` turns into records.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Mapping


class Rating(enum.IntEnum):
    """A rating band; its value is the score it adds to the overall rating (0–3)."""

    INADEQUATE = 0
    REQUIRES_IMPROVEMENT = 1
    GOOD = 2
    OUTSTANDING = 3

    @property
    def label(self) -> str:
        return _LABELS[self]

    @classmethod
    def from_label(cls, text: str) -> Rating:
        """Parse a rating as published (case-insensitive); raise ValueError otherwise."""
        for rating, label in _LABELS.items():
            if text.strip().lower() == label.lower():
                return rating
        raise ValueError(f"expected one of {', '.join(LABELS)}, found {text!r}")

    def moved(self, steps: int) -> Rating:
        return Rating(self + steps)


_LABELS = {
    Rating.INADEQUATE: "Inadequate",
    Rating.REQUIRES_IMPROVEMENT: "Requires improvement",
    Rating.GOOD: "Good",
    Rating.OUTSTANDING: "Outstanding",
}
LABELS = tuple(_LABELS[r] for r in sorted(_LABELS, reverse=True))


class QuestionKind(str, enum.Enum):
    """What a question is for."""

    PROMPT = "prompt"                    #: underpins a key question; reported, not rated
    INFORMATION = "information"          #: recorded for information only
    SUMMARY = "summary"                  #: the summary judgement of a key question; rated


class RatedBy(str, enum.Enum):
    """How a standard gets its rating."""

    CASES = "cases"          #: from key-question percentages over a case sample
    JUDGEMENT = "judgement"  #: by the lead inspector's judgement (domain one)


class Evidence(str, enum.Enum):
    """Where a key question's evidence comes from."""

    CASES = "cases"              #: a summary judgement per case
    QUALITATIVE = "qualitative"  #: observations and meetings, not per case (e.g. 4.1.3)
    INFORMATION = "information"  #: a section of information questions (D 4): no summary, not rated


@dataclass(frozen=True)
class Applicability:
    """Which cases a question or key question applies to, declared as data.

    ``rules`` maps a case attribute to the values it must take, e.g.
    ``{"rosh": {"medium", "high", "very-high"}}``; every rule must hold. No rules means
    every case of the sample.
    """

    rules: tuple[tuple[str, frozenset[str]], ...] = ()
    note: str = ""

    def applies(self, attributes: Mapping[str, str]) -> bool:
        return all(attributes.get(name, "") in values for name, values in self.rules)

    def describe(self) -> str:
        text = "; ".join(f"{name} in {', '.join(sorted(values))}" for name, values in self.rules)
        return f"{text} ({self.note})" if self.note and text else text or "all cases"

    @property
    def attributes(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.rules)


EVERY_CASE = Applicability()
YES_NO = ("yes", "no")
#: Separates the answers of a question that takes several (``multiple = true``).
ANSWER_SEPARATOR = ";"


@dataclass(frozen=True)
class Condition:
    """Conditions on a case, all of which must hold: ``((name, values), ...)``.

    A name is a case attribute or the id of a question of the same sample; the case meets
    a condition when that attribute's value or that question's answer is one of ``values``
    (for a question taking several answers, when any of its answers is).
    """

    rules: tuple[tuple[str, frozenset[str]], ...]

    def evaluate(self, attributes: Mapping[str, str], answers: Mapping[str, str]) -> bool | str:
        """True or False, or the name whose value is missing when the result depends on it.

        Conditions are read in order, so a rule that already fails decides the result
        even if a later name is missing.
        """
        for name, values in self.rules:
            value = attributes.get(name) or answers.get(name, "")
            if not value:
                return name
            if not set(value.split(ANSWER_SEPARATOR)) & values:
                return False
        return True

    def describe(self) -> str:
        return " and ".join(f"{name} is {' or '.join(sorted(values))}" for name, values in self.rules)


@dataclass(frozen=True)
class ImpliedAnswer:
    """The answer a question takes whenever ``when`` holds (CARaG: "inspectors answer 'yes'")."""

    answer: str
    when: Condition
    note: str = ""


@dataclass(frozen=True)
class Exclusion:
    """Cases of a standard's sample left out of it, with the reason recorded."""

    when: Condition
    reason: str


@dataclass(frozen=True)
class Question:
    """A question answered per case: a prompt, an information question or a summary."""

    id: str
    text: str
    kind: QuestionKind = QuestionKind.PROMPT
    answers: tuple[str, ...] = YES_NO
    aliases: tuple[str, ...] = ()
    applies_to: Applicability = EVERY_CASE
    guidance: str = ""
    multiple: bool = False              #: several answers from ``answers``, ";"-separated
    implied: ImpliedAnswer | None = None
    #: answers that leave the case out of the question's percentage (not applicable)
    not_counted: tuple[str, ...] = ()
    #: CARaG questions this prompt is made of: its answer is derived from theirs (all yes: yes;
    #: any no: no), an ASSUMPTION inferred from seed 002 (see docs/catalogue-format.md)
    parts: tuple[str, ...] = ()
    #: asked once per factor recorded at that question: answers read ``factor=yes;factor=no``
    per_factor_of: str = ""

    @property
    def counted_answers(self) -> tuple[str, ...]:
        """The answers a percentage is taken over (``answers`` less ``not_counted``)."""
        return tuple(a for a in self.answers if a not in self.not_counted)

    @property
    def free(self) -> bool:
        """Whether any answer is accepted (an information question with no closed list)."""
        return not self.answers

    def applies(self, attributes: Mapping[str, str]) -> bool:
        """Whether the question's own rule admits a case (its key question's rule is separate)."""
        return self.applies_to.applies(attributes)


@dataclass(frozen=True)
class KeyQuestion:
    """A key question: its summary judgement is rated, its prompts underpin it."""

    id: str
    text: str
    prompts: tuple[Question, ...] = ()
    aliases: tuple[str, ...] = ()
    summary_aliases: tuple[str, ...] = ()
    evidence: Evidence = Evidence.CASES
    applies_to: Applicability = EVERY_CASE
    guidance: str = ""
    implied: ImpliedAnswer | None = None  #: of the summary judgement
    #: False where no cited source confirms the published wording (youth key questions)
    wording_confirmed: bool = True

    @property
    def summary(self) -> Question:
        """The summary judgement, answered in the column named by the key question's id."""
        return Question(
            id=self.id,
            text=self.text,
            kind=QuestionKind.SUMMARY,
            aliases=self.summary_aliases,
            applies_to=self.applies_to,
            guidance=self.guidance,
            implied=self.implied,
        )

    @property
    def case_questions(self) -> tuple[Question, ...]:
        """The questions answered per case, in framework order (summary first)."""
        if self.evidence is Evidence.INFORMATION:
            return self.prompts
        if self.evidence is not Evidence.CASES:
            return ()
        return (self.summary, *self.prompts)

    def applies(self, attributes: Mapping[str, str]) -> bool:
        return self.applies_to.applies(attributes)


@dataclass(frozen=True)
class Standard:
    """A standard, e.g. ``2.1 Assessment``, as contributed by one plugin."""

    id: str
    title: str
    statement: str
    domain: int
    rated_by: RatedBy
    key_questions: tuple[KeyQuestion, ...]
    sample: str | None = None
    edition: str = ""
    plugin: str = ""
    source: str = ""
    exclusions: tuple[Exclusion, ...] = ()
    #: a judgement-rated standard with an illustrative sample is "not rated" without cases
    not_rated_without_cases: bool = False
    #: False where no cited source confirms the title or statement (youth standards)
    wording_confirmed: bool = True

    @property
    def rated_key_questions(self) -> tuple[KeyQuestion, ...]:
        """Key questions whose case percentages set the indicative rating."""
        return tuple(kq for kq in self.key_questions if kq.evidence is Evidence.CASES)

    def questions(self) -> tuple[Question, ...]:
        """Every per-case question of the standard in framework order."""
        return tuple(q for kq in self.key_questions for q in kq.case_questions)


@dataclass(frozen=True)
class Attribute:
    """A case attribute (a CSV column that is not a question), e.g. ``rosh``.

    ``values`` empty means any value is accepted.
    """

    name: str
    description: str
    values: tuple[str, ...] = ()
    plugin: str = field(default="", compare=False)
