"""Capturing a case question by question: the questions that apply to it, in framework order,
each answer checked (the same validation as an import) and saved as it is given, so a case can
be left and resumed; it is complete once every summary judgement it needs is in.
"""

from __future__ import annotations

from ..catalogue.index import Located
from ..catalogue.records import ANSWER_SEPARATOR
from ..errors import InputError, Problems, shown
from ..inspection.cases import Case
from ..names import name_problem
from .context import FieldworkContext
from .database import COMPLETE, IN_PROGRESS

IMPLIED_REASON = "implied by a rule of the catalogue"


SHORT = {"y": "yes", "n": "no"}


def interpret(raw: str, options: tuple[str, ...], *, multiple: bool = False, what: str = "answer") -> str:
    """An answer as typed, forgiven: ``y``/``n`` for yes/no, the number of a listed answer
    (``1,3`` for several), or any unique beginning of one, whatever its case. Text that
    matches none is returned as typed, for the validation to refuse with the choices; a
    beginning that fits several answers is refused here, naming them."""
    text = raw.strip()
    if not options or not text:
        return text
    parts = [p.strip() for p in text.replace(",", ANSWER_SEPARATOR).split(ANSWER_SEPARATOR)] \
        if multiple else [text]
    lowered = {option.lower(): option for option in options}
    out = []
    for part in parts:
        key = part.lower()
        if not key:
            continue
        if key in lowered:
            out.append(lowered[key])
        elif key.isdigit() and 1 <= int(key) <= len(options):
            out.append(options[int(key) - 1])
        elif key in SHORT and SHORT[key] in lowered:
            out.append(lowered[SHORT[key]])
        else:
            fits = [option for option in options if option.lower().startswith(key)]
            if len(fits) > 1:
                raise InputError(f"{what} {shown(part)} could be {', '.join(fits)}: type more of it")
            out.append(fits[0] if fits else part)
    return ANSWER_SEPARATOR.join(out)


class CaptureService(FieldworkContext):
    def guidance(self, case_id: str, question_id: str) -> str:
        """What capture shows on ``?``: the question's (or its key question's) paraphrased
        guidance, and what the profile's plugins add for this case (``hmip_capture_guidance``)."""
        located = self.schema.by_id[question_id]
        text = located.question.guidance or located.key_question.guidance or "No guidance for this question."
        case, _ = self.store.case(self.name, case_id)
        extra = self.session.pm.capture_guidance(self.profile.plugins, question=located.question, case=case,
                                                 settings=self.profile.plugin_settings)
        return "\n".join([text, *extra])

    def interpret_answer(self, question_id: str, raw: str) -> str:
        """An answer to ``question_id`` as typed at the terminal, forgiven (:func:`interpret`)."""
        question = self.schema.by_id[question_id].question
        if question.free or question.per_factor_of:     # free text; factor=yes;factor=no
            return raw.strip()
        return interpret(raw, tuple(question.answers), multiple=question.multiple)

    def check_attribute(self, sample: str, name: str, raw: str) -> str:
        """One attribute value as typed, forgiven and checked; InputError if it is not allowed."""
        declared = self.schema.attributes.get(name)
        values = tuple(declared.values) if declared is not None else ()
        value = interpret(raw, values, what=f"{name}") if values else raw.strip()
        problems = Problems()
        if not value and name in self.schema.needed.get(sample, ()):
            problems.add(name, f"required: {name} decides which questions apply to this case")
        elif values and value not in values:
            problems.add(name, f"bad value {shown(value)}; expected one of {', '.join(values)}")
        problems.raise_if_any()
        return value

    def attributes_needed(self, sample: str) -> list[str]:
        """The attributes a new case of ``sample`` is asked for: those its rules read."""
        return self.schema.attributes_of(sample)

    def start(self, case_id: str, sample: str, attributes: dict[str, str], who: str) -> None:
        problems = Problems()
        case_id = case_id.strip()
        where = f"case {case_id}"
        if problem := name_problem(case_id):
            where = "case id"
            problems.add(where, problem)
        if sample not in self.schema.samples:
            problems.add(where, f"unknown sample {sample!r}; this profile's samples: "
                                f"{', '.join(sorted(self.schema.samples))}")
        else:
            self.schema.make_case(case_id, sample, attributes, {}, where, problems, complete=False)
        problems.raise_if_any("the case cannot be added")
        self.store.start_case(self.name, case_id, sample, attributes, who)

    def questions(self, case: Case) -> list[Located]:
        """The questions that apply to ``case``, in framework order."""
        return [located for located in self.schema.questions_of(case.sample)
                if located.key_question.applies(case.attributes)
                and located.question.applies(case.attributes)]

    def capture_order(self, case: Case) -> list[Located]:
        """The applicable questions in the order they are asked: each key question's prompts,
        then its summary judgement (as the CARaG asks them); and a question whose answer a rule
        implies comes after the questions its rule reads (T 1.6 and T 1.7 before 4.2.1.a), so
        the rule can fill it in."""
        groups: dict[str, list[Located]] = {}
        for item in self.questions(case):
            groups.setdefault(item.key_question.id, []).append(item)
        order = [item for group in groups.values()
                 for item in sorted(group, key=lambda i: i.question.id == i.key_question.id)]
        for item in [i for i in order if i.question.implied is not None]:
            rule = item.question.implied
            assert rule is not None  # the list holds questions with an implied answer
            needs = {self.schema.index[name].question.id for name, _ in rule.when.rules
                     if name in self.schema.index}
            position = order.index(item)
            later = [i for i in order[position + 1:] if i.question.id in needs]
            for dependency in later:
                order.remove(dependency)
            for offset, dependency in enumerate(later):
                order.insert(position + offset, dependency)
        return order

    def answer(self, case_id: str, question_id: str, value: str, who: str, reason: str = "",
               based_on: int | None = None) -> str:
        """Check and record one answer (empty clears it); return the answer as stored.
        ``based_on``: the answer's version it was given from (the web application's
        optimistic concurrency, :mod:`.answer_versions`)."""
        case, _ = self.store.case(self.name, case_id)
        stored, mine = self.schema.check_answer(case, question_id, value)
        if mine:
            raise InputError(mine, summary=f"answer to {question_id} not recorded")
        self.store.record_answer(self.name, case_id, question_id, stored, who, reason, based_on)
        self._withdraw_implied(case_id, question_id, who)
        return stored

    def _withdraw_implied(self, case_id: str, changed: str, who: str) -> None:
        """Clear an answer a rule filled in once the rule no longer holds because ``changed``
        was answered differently (going back at the terminal, a correction): the question is
        then asked, not left with the rule's answer. Only an answer the audit shows the rule
        recorded is cleared; an inspector's own answer is left alone."""
        case, _ = self.store.case(self.name, case_id)
        readers = [q for q in self.schema.implied.get(case.sample, ())
                   if q.implied is not None and changed in {
                       self.schema.index[name].question.id
                       for name, _ in q.implied.when.rules if name in self.schema.index}]
        stale = [q for q in readers if case.answer(q.id)
                 and self.schema.implied_answer(q.id, case.attributes, case.answers) is None]
        if not stale:
            return
        trail = self.store.audit_trail(self.name, case_id)
        for question in stale:
            entries = [e for e in trail if e.action == "answer" and e.item == question.id]
            if entries and entries[-1].reason == IMPLIED_REASON and entries[-1].new == case.answer(question.id):
                self.store.record_answer(self.name, case_id, question.id, "", who,
                                         reason=f"no longer implied: {changed} was changed")

    def finish(self, case_id: str, who: str) -> list[str]:
        """Mark the case complete if it is; else keep it in progress. Returns what is missing.

        Answers implied by a rule (and not given) are recorded as such on completion.
        """
        case, status = self.store.case(self.name, case_id)
        problems = Problems()
        checked = self.schema.make_case(case.case_id, case.sample, dict(case.attributes),
                                        dict(case.answers), f"case {case_id}", problems)
        for question_id, value in checked.answers.items():
            if case.answer(question_id) != value:
                self.store.record_answer(self.name, case_id, question_id, value, who,
                                         reason=IMPLIED_REASON)
        missing = [str(p) for p in problems.items]
        status_now = IN_PROGRESS if missing else COMPLETE
        if (status, case.excluded) != (status_now, checked.excluded):   # else nothing to write
            self.store.finish_case(self.name, case_id, status_now, checked.excluded, who)
        return missing
