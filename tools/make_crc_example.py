"""Generate the bundled SYNTHETIC example CRC inspection.

Every case written by this script is invented. No row describes a real person.
The cases are shaped so that, counted the way HM Inspectorate of Probation
counts them, they give the same key-question figures as the published
inspection of Thames Valley CRC (2019):

* domain two (100 cases, 79 of them in the keeping-others-safe sub-sample):
  every key question of standards 2.1 to 2.4 hits the report's yes count
  exactly;
* unpaid work (35 cases): key questions 4.1.1, 4.1.2 and 4.1.4 (4.1.3 is
  judged on qualitative evidence, so it has no per-case columns);
* Through the Gate (14 cases): key questions 4.2.1 to 4.2.3.

Each prompt's yes share (over the cases where it is answered) rounds to the
figure in the report's Annex 4. Prompts lean towards the case's summary
judgement: a "yes" summary mostly carries "yes" prompts.

Run from the repository root:

    python tools/make_crc_example.py

It rewrites plugins/profiles/examples/crc/ (inspection.toml, judgements.toml,
README.md and cases/*.csv), checks every target by counting the rows it wrote,
prints a summary and exits non-zero if a target is missed. The output is
deterministic: a fixed seed and the standard library only.
"""

from __future__ import annotations

import csv
import math
import random
import sys
from pathlib import Path

SEED = 2019
EXAMPLE_DIR = Path(__file__).resolve().parent.parent / "plugins" / "profiles" / "examples" / "crc"

# ---------------------------------------------------------------------------
# Targets. "Report" below means HMI Probation, "An inspection of probation
# services in Thames Valley CRC" (2019).
# ---------------------------------------------------------------------------

# Key question -> (yes cases, applicable cases), "Current inspection" column.
KEY_QUESTION_TARGETS = {
    # 2.1 Assessment, key-question table ("Good"): 65%, 81%, 70% of 79.
    "2.1.1": (65, 100),
    "2.1.2": (81, 100),
    "2.1.3": (55, 79),
    # 2.2 Planning, key-question table: 74%, 74%, 61% of 79 (footnote 28).
    "2.2.1": (74, 100),
    "2.2.2": (74, 100),
    "2.2.3": (48, 79),
    # 2.3 Implementation and delivery, key-question table: 67%, 44%, 47% of 79.
    "2.3.1": (67, 100),
    "2.3.2": (44, 100),
    "2.3.3": (37, 79),
    # 2.4 Reviewing, key-question table: 57%, 59%, 42% of 79.
    "2.4.1": (57, 100),
    "2.4.2": (59, 100),
    "2.4.3": (33, 79),
    # 4.1 Unpaid work, key-question table: 83%, 83%, (4.1.3 qualitative), 74%.
    "4.1.1": (29, 35),
    "4.1.2": (29, 35),
    "4.1.4": (26, 35),
    # 4.2 Through the Gate, key-question table: 93%, 79% (footnote 44), 100%.
    "4.2.1": (13, 14),
    "4.2.2": (11, 14),
    "4.2.3": (14, 14),
}

# Prompt -> yes percentage among answered cases: Annex 4, "Current inspection"
# column (the second figure where two are given; 4.1 has one column only).
PROMPT_TARGETS = {
    # Annex 4, 2.1 Assessment
    "2.1.1.a": 73, "2.1.1.b": 54, "2.1.1.c": 68,
    "2.1.2.a": 70, "2.1.2.b": 88, "2.1.2.c": 81,
    "2.1.3.a": 56, "2.1.3.b": 63, "2.1.3.c": 51,  # supplementary DA / safeguarding lines left out
    # Annex 4, 2.2 Planning
    "2.2.1.a": 67, "2.2.1.b": 73, "2.2.1.c": 76, "2.2.1.d": 69, "2.2.1.e": 66,
    "2.2.2.a": 72, "2.2.2.b": 75, "2.2.2.c": 76,
    "2.2.3.a": 59, "2.2.3.b": 59, "2.2.3.c": 59, "2.2.3.d": 46,
    # Annex 4, 2.3 Implementation and delivery
    "2.3.1.a": 66, "2.3.1.b": 67, "2.3.1.c": 76, "2.3.1.d": 37,
    "2.3.1.e": 71, "2.3.1.f": 68, "2.3.1.g": 87,
    "2.3.2.a": 49, "2.3.2.b": 63, "2.3.2.c": 58, "2.3.2.d": 49, "2.3.2.e": 47, "2.3.2.f": 49,
    "2.3.3.a": 61, "2.3.3.b": 53, "2.3.3.c": 49, "2.3.3.d": 47, "2.3.3.e": 39,
    # Annex 4, 2.4 Reviewing. 2.4.1.a: Annex 4 splits it in two (considers
    # compliance 70%, adjustments made 53%); the framework prompt needs both.
    "2.4.1.a": 53, "2.4.1.b": 36, "2.4.1.c": 56,
    "2.4.2.a": 42, "2.4.2.b": 68, "2.4.2.c": 55, "2.4.2.d": 53,
    "2.4.3.a": 31, "2.4.3.b": 45, "2.4.3.c": 18, "2.4.3.d": 40,
    # Annex 4, 4.1 Unpaid work (the repeated 4.1.4 block is used once)
    "4.1.1.a": 83, "4.1.1.b": 71, "4.1.1.c": 86,
    "4.1.2.a": 83, "4.1.2.b": 71, "4.1.2.c": 87,
    "4.1.4.a": 71, "4.1.4.b": 82, "4.1.4.c": 68, "4.1.4.d": 60,
    # Annex 4, 4.2 Through the Gate
    "4.2.1.a": 93, "4.2.1.b": 93, "4.2.1.c": 100, "4.2.1.d": 93, "4.2.1.e": 93, "4.2.1.f": 88,
    "4.2.2.a": 86,  # ASSUMED: Annex 4 says "No aggregated data available"
    "4.2.2.b": 92, "4.2.2.c": 93, "4.2.2.d": 100,
    "4.2.3.a": 86, "4.2.3.b": 92, "4.2.3.c": 88,
}

# Prompts answered on only some of the cases their key question applies to:
# prompt -> (number of cases answered, why the others are not applicable).
# The counts are invented but chosen so each Annex 4 figure is reachable.
PARTLY_ANSWERED = {
    "2.3.1.f": (41, "enforcement action was needed"),
    "2.3.1.g": (30, "there was enforcement action or recall to recover from"),
    "2.3.2.c": (88, "other organisations were delivering services"),
    "2.3.2.d": (90, "key individuals could be engaged"),
    "2.3.3.e": (64, "a home visit was necessary"),
    "2.4.2.c": (85, "other agencies were working with the person"),
    "2.4.3.a": (71, "risk-of-harm factors changed during the sentence"),
    "2.4.3.b": (71, "other agencies were involved in managing risk of harm"),
    "2.4.3.d": (75, "a written risk review was due"),
    "4.1.4.b": (34, "the order had been running long enough to judge"),
    "4.1.4.c": (25, "appointments were missed"),
    "4.1.4.d": (15, "enforcement was warranted"),
    "4.2.2.b": (13, "strengths could be built upon"),
    "4.2.3.b": (13, "a community responsible officer was allocated before release"),
    "4.2.3.c": (8, "handover to local services was needed"),
}

# A prompt answered only on cases where another prompt is answered.
ANSWERED_WITHIN = {
    "2.3.1.g": "2.3.1.f",  # re-engagement follows enforcement
    "4.1.4.d": "4.1.4.c",  # enforcement follows missed appointments
}

# Comparators. Each key-question table of the report prints, beside the
# "Current inspection" figure, the figure from Thames Valley's "Previous
# inspection" (2018) and from "All CRCs" (footnotes 24, 26, 31, 34 and 42:
# "From inspection data for all HMI Probation inspections, June 2018 - June
# 2019"). Unpaid work (4.1) has no comparison columns.
# Key question -> (previous inspection %, all CRCs %).
COMPARATOR_FIGURES = {
    "2.1.1": (74, 68), "2.1.2": (79, 63), "2.1.3": (68, 55),   # 2.1 Assessment
    "2.2.1": (69, 63), "2.2.2": (69, 64), "2.2.3": (57, 46),   # 2.2 Planning
    "2.3.1": (65, 70), "2.3.2": (51, 52), "2.3.3": (34, 41),   # 2.3 Implementation and delivery
    "2.4.1": (62, 65), "2.4.2": (62, 62), "2.4.3": (44, 44),   # 2.4 Reviewing
    "4.2.1": (77, 69), "4.2.2": (68, 62), "4.2.3": (55, 59),   # 4.2 Through the Gate
}
# Neither column gives its number of cases, which the Z-score test needs.
# ASSUMED: the previous inspection used this inspection's sample design (Annex
# 2 sizes the sample from the eligible population, for 80% confidence and a
# margin of error of 5): the same n per key question as now. All CRCs:
# seed 003 (5.1) says the 2018/2019 programme inspected "all 21 CRCs"; each is
# assumed to have a sample like this one, so 21 times this inspection's n.
ALL_CRCS = 21
COMPARATORS = [
    ("previous", "Previous inspection (2018)", 0, 1),
    ("all-providers", "All CRCs (June 2018 to June 2019)", 1, ALL_CRCS),
]

# The previous inspection's rating per standard, where the report states it: domain one
# "maintained" at Good for leadership, staffing and information and facilities (the
# executive summary; services rose to a "higher rating than we gave last year", which the
# report does not name, so 1.3 is left out); unpaid work "Inadequate" and Through the
# Gate "Requires improvement" ("In our previous inspection, we rated ..."). Case
# supervision is "similar" to the previous inspection, with no ratings given.
PREVIOUS_RATINGS = {
    "1.1": "Good", "1.2": "Good", "1.4": "Good",
    "4.1": "Inadequate", "4.2": "Requires improvement",
}


def comparators_toml() -> str:
    """The [[comparator]] tables of inspection.toml, every n marked as assumed."""
    lines = []
    for name, label, column, multiple in COMPARATORS:
        lines += ["", "[[comparator]]", f"name = {toml_string(name)}", f"label = {toml_string(label)}",
                  "[comparator.key_questions]"]
        for key_question, figures in COMPARATOR_FIGURES.items():
            n = multiple * KEY_QUESTION_TARGETS[key_question][1]
            lines.append(f"{toml_string(key_question)} = {{ percent = {figures[column]}, n = {n}, "
                         "n_assumed = true }")
        if name == "previous":
            lines += ["[comparator.standards]"]
            lines += [f"{toml_string(sid)} = {toml_string(rating)}" for sid, rating in PREVIOUS_RATINGS.items()]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# Framework layout and applicability rules.
# ---------------------------------------------------------------------------

# sample -> key question -> prompt letters, in framework order.
FRAMEWORK = {
    "domain2": {
        "2.1.1": "abc", "2.1.2": "abc", "2.1.3": "abc",
        "2.2.1": "abcde", "2.2.2": "abc", "2.2.3": "abcd",
        "2.3.1": "abcdefg", "2.3.2": "abcdef", "2.3.3": "abcde",
        "2.4.1": "abc", "2.4.2": "abcd", "2.4.3": "abcd",
    },
    "upw": {"4.1.1": "abc", "4.1.2": "abc", "4.1.4": "abcd"},
    "ttg": {"4.2.1": "abcdef", "4.2.2": "abcd", "4.2.3": "abc"},
}

# Key questions inspected only in the keeping-others-safe sub-sample.
NOT_FOR_LOW_ROSH = {"2.1.3", "2.2.3", "2.3.3", "2.4.3"}

# Prompts that apply only to cases with a given attribute.
PROMPT_CONDITIONS = {
    "2.3.1.d": lambda case: case["disposal"] == "post-custody",  # "post-custody cases only"
    "4.1.2.c": lambda case: case["disposal"] == "community",  # officer also supervising
    "4.2.1.f": lambda case: case["rosh"] != "low",  # there were risk-of-harm factors
    "4.2.2.d": lambda case: case["rosh"] != "low",
}

# Case mix per sample: attribute -> [(value, number of cases)].
CASE_MIX = {
    "domain2": {
        # Report, domain two: 79 of 100 cases had factors related to harm.
        # A CRC holds low/medium RoSH cases; a few escalated to high.
        "rosh": [("low", 21), ("medium", 74), ("high", 5)],
        # Report, 1.3 table: 14% of the caseload is female.
        "gender": [("male", 86), ("female", 14)],
        # Report, domain two: 62 community sentences, 38 post-release cases
        # (14 of 38 rounds to Annex 4's 37% for 2.3.1.d).
        "disposal": [("community", 62), ("post-custody", 38)],
    },
    "upw": {
        "rosh": [("low", 22), ("medium", 13)],
        "gender": [("male", 30), ("female", 5)],
        "disposal": [("upw-only", 20), ("community", 15)],
    },
    "ttg": {
        "rosh": [("low", 6), ("medium", 7), ("high", 1)],
        "gender": [("male", 12), ("female", 2)],
        "disposal": [("post-custody", 14)],
    },
}

CASE_ID_FORMAT = {"domain2": "D2-{:03d}", "upw": "UPW-{:02d}", "ttg": "TTG-{:02d}"}
ATTRIBUTES = {
    "domain2": ["gender", "disposal", "rosh", "officer_grade"],
    "upw": ["gender", "disposal", "rosh"],
    "ttg": ["gender", "disposal", "rosh"],
}

SUMMARY_YES_WEIGHT = 5.0  # how much more likely a prompt is "yes" under a "yes" summary


# ---------------------------------------------------------------------------
# Small helpers.
# ---------------------------------------------------------------------------


def percent(yes: int, total: int) -> int:
    """Whole-number percentage, rounded half up as the report does."""
    return (200 * yes + total) // (2 * total)


def yes_count_for(target: int, answered: int) -> int:
    """The yes count whose percentage is closest to target (exact if possible)."""
    return min(range(answered + 1), key=lambda k: (abs(percent(k, answered) - target), abs(100 * k - target * answered)))


def weighted_pick(rng: random.Random, items: list, count: int, weight) -> list:
    """Choose count items without replacement, favouring heavier weights."""
    keyed = [(rng.random() ** (1.0 / weight(item)), index) for index, item in enumerate(items)]
    chosen = sorted(keyed, reverse=True)[:count]
    return [items[index] for _, index in sorted(chosen, key=lambda pair: pair[1])]


def spread(rng: random.Random, mix: list[tuple[str, int]]) -> list[str]:
    """A shuffled list holding each value the given number of times."""
    values = [value for value, count in mix for _ in range(count)]
    rng.shuffle(values)
    return values


def question_columns(sample: str) -> list[str]:
    """Question ids in framework order: each key question, then its prompts."""
    columns = []
    for key_question, letters in FRAMEWORK[sample].items():
        columns.append(key_question)
        columns.extend(f"{key_question}.{letter}" for letter in letters)
    return columns


# ---------------------------------------------------------------------------
# Building the cases.
# ---------------------------------------------------------------------------


def make_cases(rng: random.Random, sample: str) -> list[dict]:
    """Invented cases with their attributes and a hidden quality score."""
    columns = {name: spread(rng, mix) for name, mix in CASE_MIX[sample].items()}
    size = len(columns["rosh"])
    cases = []
    for number in range(size):
        case = {"case_id": CASE_ID_FORMAT[sample].format(number + 1), "sample": sample}
        case.update({name: values[number] for name, values in columns.items()})
        case["quality"] = rng.gauss(0.0, 1.0)  # drives correlated judgements; not written
        cases.append(case)
    if sample == "domain2":
        assign_officer_grades(rng, cases)
    return cases


def assign_officer_grades(rng: random.Random, cases: list[dict]) -> None:
    """Half PO, half PSO; high-RoSH cases always sit with a PO."""
    high = [case for case in cases if case["rosh"] == "high"]
    others = [case for case in cases if case["rosh"] != "high"]
    rng.shuffle(others)
    po_needed = len(cases) // 2 - len(high)
    for case in high + others[:po_needed]:
        case["officer_grade"] = "PO"
    for case in others[po_needed:]:
        case["officer_grade"] = "PSO"


def key_question_applies(key_question: str, case: dict) -> bool:
    return not (key_question in NOT_FOR_LOW_ROSH and case["rosh"] == "low")


def judge_key_questions(rng: random.Random, sample: str, cases: list[dict]) -> None:
    """Give each applicable case its summary judgement, hitting the target count."""
    for key_question in FRAMEWORK[sample]:
        applicable = [case for case in cases if key_question_applies(key_question, case)]
        yes_target, size = KEY_QUESTION_TARGETS[key_question]
        assert len(applicable) == size, f"{key_question}: {len(applicable)} applicable, expected {size}"
        good = weighted_pick(rng, applicable, yes_target, lambda case: math.exp(case["quality"]))
        for case in applicable:
            case[key_question] = "no"
        for case in good:
            case[key_question] = "yes"


def eligible_for_prompt(prompt: str, cases: list[dict]) -> list[dict]:
    """Cases on which a prompt could be answered at all."""
    key_question = prompt.rsplit(".", 1)[0]
    condition = PROMPT_CONDITIONS.get(prompt, lambda case: True)
    pool = [case for case in cases if key_question_applies(key_question, case) and condition(case)]
    parent = ANSWERED_WITHIN.get(prompt)
    if parent:
        pool = [case for case in pool if case.get(parent)]
    return pool


def answer_prompts(rng: random.Random, sample: str, cases: list[dict]) -> None:
    """Answer every prompt: choose the answered cases, then the yes cases."""
    for key_question, letters in FRAMEWORK[sample].items():
        for letter in letters:
            prompt = f"{key_question}.{letter}"
            pool = eligible_for_prompt(prompt, cases)
            size = PARTLY_ANSWERED.get(prompt, (len(pool), ""))[0]
            answered = sorted(rng.sample(pool, size), key=lambda case: case["case_id"])
            def weight(case, key_question=key_question):
                return (SUMMARY_YES_WEIGHT if case[key_question] == "yes" else 1.0) * math.exp(0.3 * case["quality"])
            good = weighted_pick(rng, answered, yes_count_for(PROMPT_TARGETS[prompt], size), weight)
            for case in answered:
                case[prompt] = "no"
            for case in good:
                case[prompt] = "yes"


def build_sample(rng: random.Random, sample: str) -> list[dict]:
    cases = make_cases(rng, sample)
    judge_key_questions(rng, sample, cases)
    answer_prompts(rng, sample, cases)
    return cases


# ---------------------------------------------------------------------------
# Writing files.
# ---------------------------------------------------------------------------


def write_cases(folder: Path, sample: str, cases: list[dict]) -> Path:
    header = ["case_id", "sample", *ATTRIBUTES[sample], *question_columns(sample)]
    path = folder / "cases" / f"{sample}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for case in cases:
            writer.writerow([case.get(column, "") for column in header])
    return path


def toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


INSPECTION_HEAD = """\
# SYNTHETIC example: invented cases modelled on the published HMI Probation report on Thames Valley CRC (2019).
#
# [[comparator]]: the report's "Previous inspection" and "All CRCs" figures per key
# question. The report does not print their numbers of cases: every n here is assumed
# (see README.md). The [inspection] table follows them.
"""

INSPECTION_TOML = f"""\

[inspection]
provider = "Thames Valley CRC (synthetic example)"
profile = "crc"
synthetic = true
fieldwork = "2019-07"
notes = {toml_string(
    "Synthetic cases generated by tools/make_crc_example.py that reproduce the key-question "
    "figures of the published Thames Valley CRC inspection report (2019)."
)}
"""

# Domain one: the lead inspector's judgement per standard (all "Good" in the
# report's ratings table); evidence is paraphrased from the domain one section.
DOMAIN_ONE_JUDGEMENTS = [
    ("1.1", "Good",
     "Leaders hold to a clear vision built on quality and evidence-based practice, and the annual "
     "service plan turns learning from audit and inspection into tracked actions. Key risks such as "
     "staffing and unpaid work safety sit on a current risk register with mitigations, and the new "
     "case management system was introduced with staff involved throughout. Weaknesses in how cases "
     "are implemented and reviewed kept the rating below Outstanding."),
    ("1.2", "Good",
     "Staff turnover fell over the year and the CRC grew its PSO workforce, with routes into the "
     "probation officer qualification, to offset the shortage of qualified officers. Training is broad "
     "and well regarded and most staff feel engaged and recognised, although some caseloads remain "
     "high and management oversight was rarely effective where inspectors judged it was needed."),
    ("1.3", "Good",
     "Waits for accredited programmes have shortened and several new group interventions have been "
     "added, each evaluated by the in-house psychology team, while supply chain partners and police "
     "information sharing work well. Diversity data could be analysed further for disproportionality, "
     "and the full range of services was not always used in the cases inspected."),
    ("1.4", "Good",
     "Policies are easy to find and reviewed regularly, most offices give private interview space, "
     "and the ICT and management information systems are a notable strength. A thorough quality audit "
     "framework and learning from serious further offence reviews drive improvement, though case "
     "recording is sometimes late and one office is not fully accessible to disabled staff."),
]

PANEL_DECISIONS = [
    ("2.2", "up",
     "The lowest planning key question, keeping other people safe at 61%, would normally mean "
     "Requires improvement; the panel raised the standard to Good because 61% is within five "
     "percentage points of the 65% boundary and the wider planning findings were encouraging."),
    ("4.2", "up",
     "The lowest Through the Gate key question, resettlement activity at 79%, would normally mean "
     "Good; the panel raised the standard to Outstanding because 79% is within five percentage "
     "points of the 80% boundary."),
]


def judgements_toml() -> str:
    lines = ["# SYNTHETIC example: judgements and panel decisions as the Thames Valley CRC report (2019) gives them."]
    for standard, rating, evidence in DOMAIN_ONE_JUDGEMENTS:
        lines += ["", "[[judgement]]              # domain one: rated by the lead inspector's judgement",
                  f"standard = {toml_string(standard)}", f"rating = {toml_string(rating)}",
                  f"evidence = {toml_string(evidence)}"]
    for standard, direction, rationale in PANEL_DECISIONS:
        lines += ["", "[[panel]]                  # professional judgement of the ratings panel",
                  f"standard = {toml_string(standard)}", f"direction = {toml_string(direction)}",
                  f"rationale = {toml_string(rationale)}"]
    lines += ["",
              "# No [[moderation]] entries: the report rates unpaid work at its indicative 'Good'",
              "# from the case data, with no change made on the 4.1.3 qualitative evidence."]
    return "\n".join(lines) + "\n"


README = """\
# Synthetic example: a CRC inspection

**Every case here is invented.** No row describes a real person. The data is
modelled on the published HM Inspectorate of Probation report on Thames Valley
CRC (2019) and exists to exercise the `crc` profile end to end.

## Files

- `inspection.toml`: inspection metadata (`synthetic = true`) and the
  report's comparison figures (`[[comparator]]`, see below).
- `cases/domain2.csv`: 100 case-supervision cases (79 with RoSH above low).
- `cases/upw.csv`: 35 unpaid work cases (no 4.1.3 columns: that key question
  is judged on qualitative evidence).
- `cases/ttg.csv`: 14 Through the Gate cases.
- `judgements.toml`: the domain one ratings and the ratings panel's two upward
  adjustments (2.2 and 4.2) as the report gives them, paraphrased.

## How it was made

`python tools/make_crc_example.py` (run from the repository root) writes all of
these files from a fixed seed using the standard library only, so reruns are
byte-identical. The targets sit in a table at the top of that script, each
with a note on where in the report it comes from.

## What it reproduces

- Every key-question yes count for standards 2.1-2.4, 4.1 (4.1.1, 4.1.2,
  4.1.4) and 4.2 exactly, as in the report's key-question tables; the script
  checks this after writing and fails if any is off.
- Each prompt's yes share rounds to the report's Annex 4 figure (4.2.2.a has
  no published figure; 86% is assumed).
- The ratings follow: 2.1 Good, 2.2 Requires improvement raised to Good by the
  panel, 2.3 and 2.4 Inadequate, 4.1 Good, 4.2 Good raised to Outstanding.

Attributes (gender, disposal, RoSH, officer grade), which cases are answered
"yes", and where a prompt is not applicable are invented.

## Comparators and what is assumed

`inspection.toml` carries, for every key question of 2.1-2.4 and 4.2, the
"Previous inspection" (2018) and "All CRCs" figures printed beside the current
ones in the report's key-question tables (unpaid work has none). `inspect
report` sets them beside this inspection's figures and calls a difference
"significant" only where the Z-score test passes at the 0.1 level, as the
report's Annex 2 ("Comparative data") describes.

The test needs each figure's number of cases, which the report does not print,
so every `n` is **assumed** and marked `n_assumed = true`:

- previous inspection: the same n as this inspection (100 cases, 79 for the
  keeping-other-people-safe key questions, 14 Through the Gate cases), because
  Annex 2 sizes every sample the same way (80% confidence, margin of error 5)
  from an eligible population that changes little in a year;
- all CRCs: 21 times this inspection's n, since the 2018/2019 programme
  inspected "all 21 CRCs" (consultation on revised standards, 2019, 5.1) and a
  sample of this size is assumed for each.

The "yes" counts behind a comparator are derived from its rounded percentage.
"""


def write_text(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


# ---------------------------------------------------------------------------
# Checking what was written.
# ---------------------------------------------------------------------------


def read_back(folder: Path, sample: str) -> list[dict]:
    with (folder / "cases" / f"{sample}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def tally(rows: list[dict], question: str) -> tuple[int, int]:
    answers = [row[question] for row in rows if row[question]]
    assert set(answers) <= {"yes", "no"}, f"{question}: unexpected answers {set(answers)}"
    return answers.count("yes"), len(answers)


def check_rules(sample: str, rows: list[dict]) -> list[str]:
    """Applicability rules the loader enforces."""
    problems = []
    for row in rows:
        for key_question, letters in FRAMEWORK[sample].items():
            applies = key_question_applies(key_question, row)
            if applies != bool(row[key_question]):
                problems.append(f"{row['case_id']} {key_question}: summary present={bool(row[key_question])}, applies={applies}")
            for letter in letters:
                prompt = f"{key_question}.{letter}"
                if row[prompt] and not applies:
                    problems.append(f"{row['case_id']} {prompt}: answered where the key question does not apply")
                if row[prompt] and not PROMPT_CONDITIONS.get(prompt, lambda case: True)(row):
                    problems.append(f"{row['case_id']} {prompt}: answered where the prompt does not apply")
    return problems


def check_and_report(folder: Path, samples: list[str]) -> list[str]:
    """Print the summary table; return a list of missed targets."""
    problems = []
    print(f"{'question':<10}{'yes':>5}{'of':>5}{'%':>6}{'target':>8}")
    for sample in samples:
        rows = read_back(folder, sample)
        problems += check_rules(sample, rows)
        for key_question, letters in FRAMEWORK[sample].items():
            yes, total = tally(rows, key_question)
            target_yes, target_total = KEY_QUESTION_TARGETS[key_question]
            flag = "" if (yes, total) == (target_yes, target_total) else "  MISSED"
            print(f"{key_question:<10}{yes:>5}{total:>5}{percent(yes, total):>5}%"
                  f"{f'{target_yes}/{target_total}':>8}{flag}")
            if flag:
                problems.append(f"{key_question}: {yes}/{total}, target {target_yes}/{target_total}")
            for letter in letters:
                prompt = f"{key_question}.{letter}"
                yes, total = tally(rows, prompt)
                target = PROMPT_TARGETS[prompt]
                flag = "" if percent(yes, total) == target else "  MISSED"
                print(f"  {prompt:<8}{yes:>5}{total:>5}{percent(yes, total):>5}%{target:>7}%{flag}")
                if flag:
                    problems.append(f"{prompt}: {percent(yes, total)}%, target {target}%")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Write the example into the bundled folder, or into the folder given as argument."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else EXAMPLE_DIR
    rng = random.Random(SEED)
    (folder / "cases").mkdir(parents=True, exist_ok=True)
    for sample in FRAMEWORK:
        write_cases(folder, sample, build_sample(rng, sample))
    write_text(folder / "inspection.toml", INSPECTION_HEAD + comparators_toml() + INSPECTION_TOML)
    write_text(folder / "judgements.toml", judgements_toml())
    write_text(folder / "README.md", README)
    problems = check_and_report(folder, list(FRAMEWORK))
    for problem in problems:
        print(f"ERROR: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
