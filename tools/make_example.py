"""Generate a bundled SYNTHETIC example inspection for a profile from its catalogue.

Every case written by this script is invented; no row describes a real person. Unlike
``make_crc_example.py``, which reproduces a published report's figures, this generator
only needs a plausible inspection that exercises the profile's rules: each key question
gets its own share of "yes" (so standards land in different bands), applicability rules
are respected (questions that do not apply are left empty), implied answers are written
where their conditions hold, and exclusion rules leave some cases out of their sample.

    python tools/make_example.py nps|pdu|yot [OUTDIR]

Without OUTDIR it rewrites ``plugins/profiles/examples/<profile>/``. The output is
deterministic (a fixed seed per profile, the standard library only), and a test checks
that the bundled examples are exactly this script's output.
"""

from __future__ import annotations

import csv
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

from hmip_inspect.core.catalogue.records import (
    ANSWER_SEPARATOR,
    YES_NO,
    Question,
    RatedBy,
    Rating,
    Standard,
)
from hmip_inspect.core.logconfig import configure as configure_logging
from hmip_inspect.core.plugin.manager import build_plugin_manager
from hmip_inspect.core.session import Session

EXAMPLES = Path(__file__).resolve().parent.parent / "plugins" / "profiles" / "examples"


@dataclass(frozen=True)
class Plan:
    """What one profile's example holds."""

    seed: int
    provider: str
    fieldwork: str
    cases: dict[str, int]                       # sample -> number of cases
    judgements: dict[str, Rating] = field(default_factory=dict)


PLANS = {
    "nps": Plan(2020, "Synthetic NPS division (example)", "2019-11",
                {"domain2": 60, "court": 30, "victims": 20},
                {"1.1": Rating.GOOD, "1.2": Rating.REQUIRES_IMPROVEMENT, "1.3": Rating.GOOD,
                 "1.4": Rating.GOOD}),
    "pdu": Plan(2022, "Synthetic probation delivery unit (example)", "2022-05",
                {"domain2": 60, "victims": 20},
                {"1.1": Rating.GOOD, "1.2": Rating.REQUIRES_IMPROVEMENT,
                 "1.3": Rating.REQUIRES_IMPROVEMENT, "1.4": Rating.GOOD}),
    "yot": Plan(2021, "Synthetic youth offending service (example)", "2022-03",
                {"court-disposals": 30, "out-of-court": 20, "resettlement": 8},
                {"1.1": Rating.GOOD, "1.2": Rating.GOOD, "1.3": Rating.OUTSTANDING,
                 "1.4": Rating.REQUIRES_IMPROVEMENT, "3.4": Rating.GOOD, "4.1": Rating.GOOD}),
}

#: How often each closed attribute value occurs; yes/no attributes say how often "yes".
ATTRIBUTE_WEIGHTS = {
    "disposal": {"community": 6, "post-custody": 3, "upw-only": 1},
    "rosh": {"low": 2, "medium": 5, "high": 2, "very-high": 1},
    "gender": {"male": 8, "female": 2},
}
YES_SHARE = {"harm_factors": 0.85, "compliance_review_needed": 0.7, "court_report": 0.6,
             "victim_opted_in": 0.6, "home_yot": 0.75, "assessment_responsibility": 0.4}
FREE_ANSWERS = ("recorded (synthetic)", "not recorded (synthetic)")
#: Questions catalogued after an example was first generated (issue 12). They draw from a
#: second random stream, so every answer drawn before stays as it was.
LATER_QUESTIONS = {"nps": {"A 3.01", "A 3.02", "2.1.1.b.i", "2.1.1.b.ii"}, "pdu": {"I 1.02"}, "yot": set()}
#: Closed lists that grew after an example was first generated (issue 12: A 2.02 took the
#: resettlement pathways): answers are drawn from the first N options, as before.
DRAWN_FROM_FIRST = {"A 2.02": 9}


def _attribute_value(rng: random.Random, name: str, values: tuple[str, ...]) -> str:
    weights = ATTRIBUTE_WEIGHTS.get(name)
    if weights is None and values == YES_NO:
        return "yes" if rng.random() < YES_SHARE.get(name, 0.5) else "no"
    options = tuple(weights) if weights else values
    return rng.choices(options, weights=[weights[o] for o in options] if weights else None)[0]


def _answer(rng: random.Random, question: Question, yes_share: float) -> str:
    if question.answers == YES_NO:
        return "yes" if rng.random() < yes_share else "no"
    if question.free:
        return rng.choice(FREE_ANSWERS)
    if question.multiple:
        if "none" in question.answers and rng.random() < 0.15:
            return "none"
        options = [a for a in question.answers if a != "none"][:DRAWN_FROM_FIRST.get(question.id)]
        return ANSWER_SEPARATOR.join(sorted(rng.sample(options, k=min(len(options), rng.randint(1, 2))),
                                            key=options.index))
    return rng.choice(question.answers)


def _per_factor(extra: random.Random, base: str, recorded: str) -> str:
    """One yes/no per factor recorded at the linked question; mostly the drawn answer."""
    factors = [f for f in recorded.split(ANSWER_SEPARATOR) if f and f != "none"]
    flip = {"yes": "no", "no": "yes"}
    return ANSWER_SEPARATOR.join(f"{f}={base if extra.random() < 0.8 else flip[base]}" for f in factors)


def _parts(extra: random.Random, joined: str, count: int) -> list[str]:
    """Answers for the parts of a prompt, consistent with it (yes only if every part is yes)."""
    if joined == "yes":
        return ["yes"] * count
    answers = ["yes" if extra.random() < 0.5 else "no" for _ in range(count)]
    if "no" not in answers:
        answers[extra.randrange(count)] = "no"
    return answers


def _sample_rows(rng: random.Random, sample: str, count: int, standards: list[Standard],
                 catalogue, later: set[str] = frozenset(), extra: random.Random | None = None
                 ) -> tuple[list[str], list[dict[str, str]]]:
    questions = [(s, kq, q) for s in standards for kq in s.key_questions for q in kq.case_questions]
    attributes = sorted({name for _, kq, q in questions for name in (*kq.applies_to.attributes,
                                                                       *q.applies_to.attributes)}
                        | {name for s in standards for e in s.exclusions for name, _ in e.when.rules
                           if name in catalogue.attributes}
                        | {name for _, _, q in questions if q.implied
                           for name, _ in q.implied.when.rules if name in catalogue.attributes}
                        | {"gender"})
    share = {kq.id: (extra if kq.prompts and all(q.id in later for q in kq.prompts) else rng
                     ).uniform(0.45, 0.92) for s in standards for kq in s.key_questions}
    header = ["case_id", "sample", *attributes, *(q.id for _, _, q in questions)]
    rows = []
    for number in range(1, count + 1):
        row = {"case_id": f"{sample[:3].upper()}-{number:03d}", "sample": sample}
        for name in attributes:
            row[name] = _attribute_value(rng, name, catalogue.attributes[name].values)
        part_of = {part: q for _, _, q in questions for part in q.parts}
        for _standard, kq, question in questions:
            if not (kq.applies(row) and question.applies(row)):
                continue
            if question.id in part_of:
                joined = part_of[question.id]
                if joined.id in row and question.id not in row:
                    row.update(zip(joined.parts, _parts(extra, row[joined.id], len(joined.parts))))
            elif question.id in later:
                row[question.id] = _answer(extra, question, share[kq.id])
            elif question.per_factor_of:
                base = _answer(rng, question.__class__(question.id, question.text), share[kq.id])
                answer = _per_factor(extra, base, row.get(question.per_factor_of, ""))
                if answer:
                    row[question.id] = answer
            else:
                row[question.id] = _answer(rng, question, share[kq.id])
        for _, _kq, question in questions:  # implied answers may depend on later questions
            rule = question.implied
            if rule and question.id in row and rule.when.evaluate(row, row) is True:
                row[question.id] = rule.answer
        rows.append(row)
    return header, rows


def generate(name: str, outdir: Path) -> None:
    plan = PLANS[name]
    rng = random.Random(plan.seed)
    extra = random.Random(plan.seed + 1)  # questions catalogued later (LATER_QUESTIONS, parts)
    session = Session(pm=build_plugin_manager(load_entry_points=False))
    profile = session.profile(name)
    standards = [session.catalogue.standard(profile.edition, sid) for sid in profile.all_standards]
    (outdir / "cases").mkdir(parents=True, exist_ok=True)
    for sample, count in plan.cases.items():
        members = [s for s in standards if s.sample == sample]
        header, rows = _sample_rows(rng, sample, count, members, session.catalogue,
                                    LATER_QUESTIONS[name], extra)
        with open(outdir / "cases" / f"{sample}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    judged = [s for s in standards if s.rated_by is RatedBy.JUDGEMENT]
    lines = ["# SYNTHETIC judgements for a synthetic inspection: no real provider or case.", ""]
    for standard in judged:
        rating = plan.judgements[standard.id]
        lines += ["[[judgement]]", f'standard = "{standard.id}"', f'rating = "{rating.label}"',
                  f'evidence = "Synthetic evidence summary for {standard.title.lower()}: '
                  'meetings, documents and survey returns (invented for this example)."', ""]
    (outdir / "judgements.toml").write_text("\n".join(lines), encoding="utf-8")
    (outdir / "inspection.toml").write_text(
        "# SYNTHETIC example inspection, generated by tools/make_example.py: every case is invented.\n"
        "[inspection]\n"
        f'provider = "{plan.provider}"\n'
        f'profile = "{name}"\n'
        "synthetic = true\n"
        f'fieldwork = "{plan.fieldwork}"\n'
        f'notes = "Generated by tools/make_example.py {name} (seed {plan.seed}); no real cases."\n',
        encoding="utf-8")
    samples = ", ".join(f"{count} {sample}" for sample, count in plan.cases.items())
    (outdir / "README.md").write_text(
        f"# Synthetic example inspection: {profile.title}\n\n"
        "Every case here is invented by `tools/make_example.py` "
        f"(`python tools/make_example.py {name}`); no row describes a real person or provider.\n"
        f"It holds {samples} cases and the lead inspector's judgements, and exercises the "
        "profile's rules (applicability, implied answers, exclusions); its figures are not "
        "those of any published inspection.\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in PLANS or len(argv) > 2:
        print(f"usage: python tools/make_example.py {'|'.join(PLANS)} [OUTDIR]", file=sys.stderr)
        return 2
    configure_logging(verbose=False)
    name = argv[0]
    outdir = Path(argv[1]) if len(argv) == 2 else EXAMPLES / name
    generate(name, outdir)
    print(f"wrote {outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
