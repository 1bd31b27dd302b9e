"""Undo and correction on a stored inspection: deleting a case, changing its attributes (the
answers that no longer apply cleared, implied answers worked out again), withdrawing a
decision, changing the inspection's own facts. Each is audited with who, when, the old and
new values and a reason, and refused once the inspection is signed off.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError, Problems
from .capture import IMPLIED_REASON
from .context import FieldworkContext

#: The inspection facts ``inspect inspection edit`` may change.
EDITABLE = ("provider", "fieldwork", "notes")


@dataclass(frozen=True)
class AttributeChange:
    """What changing a case's attributes would do, worked out before anything is written."""

    case_id: str
    attributes: dict[str, str]      #: the attributes given (only those that change)
    cleared: list[str]              #: answered questions that would no longer apply
    implied: dict[str, str]         #: implied answers that change (question -> new, "" clears)


def parse_assignments(items: list[str], option: str = "--attribute") -> dict[str, str]:
    """``NAME=VALUE`` items as a dict; every malformed one reported at once."""
    problems = Problems()
    values: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            problems.add(option, f"expected NAME=VALUE, found {item!r}")
            continue
        values[key.strip()] = value.strip()
    problems.raise_if_any()
    return values


class CorrectionService(FieldworkContext):
    def delete_case(self, case_id: str, who: str, reason: str) -> None:
        """Delete a case and its answers; the audit keeps the values deleted."""
        problems = Problems()
        if not reason.strip():
            problems.add("--reason", "deleting a case needs a reason")
        self._writable(problems)
        problems.raise_if_any(f"case {case_id} was not deleted")
        self.store.delete_case(self.name, case_id, who, reason)

    def plan_attribute_change(self, case_id: str, attributes: dict[str, str]) -> AttributeChange:
        """Check new attribute values for a case and work out which of its answers would no
        longer apply and which implied answers would change; nothing is written."""
        self.store.ensure_writable(self.name)
        case, _ = self.store.case(self.name, case_id)
        problems = Problems()
        where = f"case {case_id}"
        needed = set(self.attributes_needed(case.sample)) | set(case.attributes)
        for key in sorted(attributes):
            if key not in needed and key not in self.schema.attributes:
                problems.add(f"{where}, attribute {key!r}",
                             f"unknown attribute; this case's attributes: {', '.join(sorted(needed)) or 'none'}")
        new = {**case.attributes, **attributes}
        probe = self.schema.make_case(case.case_id, case.sample, new, {}, where, problems, complete=False)
        problems.raise_if_any(f"the attributes of case {case_id} were not changed")
        applicable = {item.question.id for item in self.questions(probe)}
        cleared = sorted(qid for qid in case.answers if qid not in applicable)
        kept = {qid: value for qid, value in case.answers.items() if qid in applicable}
        implied: dict[str, str] = {}
        for question in self.schema.implied.get(case.sample, ()):
            before = self.schema.implied_answer(question.id, case.attributes, case.answers)
            after = self.schema.implied_answer(question.id, new, kept)
            current = kept.get(question.id, "")
            if after is not None and after != current:
                implied[question.id] = after
            elif after is None and before is not None and current == before:
                implied[question.id] = ""       # it was the rule's answer; the rule no longer holds
        changed = {k: v for k, v in attributes.items() if case.attributes.get(k) != v}
        return AttributeChange(case_id, changed, cleared, implied)

    def change_attributes(self, change: AttributeChange, who: str, reason: str = "") -> list[str]:
        """Apply a planned attribute change: the attributes, the answers that no longer apply
        cleared, implied answers recorded again; each audited. Returns what is still missing."""
        why = reason or "case attributes changed"
        answers = {qid: ("", f"no longer applies: {why}") for qid in change.cleared}
        for qid, value in change.implied.items():
            if qid not in change.cleared:
                answers[qid] = (value, IMPLIED_REASON if value else f"no longer implied: {why}")
        self.store.set_attributes(self.name, change.case_id, change.attributes, who, reason, answers)
        return self.finish(change.case_id, who)

    def withdraw(self, kind: str, standard: str, who: str, reason: str) -> None:
        """Withdraw a judgement, moderation or panel decision (audited with its old values)."""
        problems = Problems()
        if kind not in ("judgement", "moderation", "panel"):
            problems.add("--kind", f"expected judgement, moderation or panel, found {kind!r}")
        if not reason.strip():
            problems.add("--reason", "withdrawing a decision needs a reason")
        self._writable(problems)
        problems.raise_if_any("nothing was withdrawn")
        self.store.withdraw_decision(self.name, kind, standard, who, reason)

    def edit_inspection(self, changes: dict[str, str | None], who: str, reason: str = "") -> list[str]:
        """Change the inspection's provider, fieldwork or notes (each change audited);
        returns the fields that changed."""
        given = {field: value.strip() for field, value in changes.items() if value is not None}
        problems = Problems()
        for field in given:
            if field not in EDITABLE:
                problems.add(field, f"cannot be changed; these can: {', '.join(EDITABLE)}")
        if "provider" in given and not given["provider"]:
            problems.add("--provider", "cannot be empty")
        if not given:
            problems.add("", f"nothing to change: give one of {', '.join('--' + f for f in EDITABLE)}")
        self._writable(problems)
        problems.raise_if_any(f"inspection {self.name!r} was not changed")
        return self.store.edit_inspection(self.name, given, who, reason)

    def _writable(self, problems: Problems) -> None:
        """Add the lock's refusal (signed off) to ``problems``, so every refusal comes at once."""
        try:
            self.store.ensure_writable(self.name)
        except InputError as exc:
            problems.extend(exc.problems)
