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
figure in the report's Annex 4 (4.2.2.a has no published figure: its answers
are invented and not checked). Prompts lean towards the case's summary
judgement: a "yes" summary mostly carries "yes" prompts. The report's other
figures -- Annex 4's supplementary questions and the two halves of 2.4.1 a),
the narrative's sub-group figures, U 3.4 and U 3.7 -- are reproduced too
(NARRATIVE_CHECKS), and Annex 4's previous-inspection figure of every prompt is
written as a prompt comparator.

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
    "2.1.3.a": 56, "2.1.3.b": 63, "2.1.3.c": 51,
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
    "4.2.2.a": None,  # Annex 4: "No aggregated data available" -- no published figure
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
    "4.1.4.c": (31, "appointments were missed"),  # 31: the only n <= 35 fitting 68% and U 3.4's 55%/35%
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

# Invented answers for 4.2.2.a, which has no published figure: the share of "yes" among the
# cases counted, and how many TTG cases answer "no-resettlement-needs" (CARaG T 2.2's "No,
# there were no resettlement needs", left out of the percentage). Not report figures.
UNPUBLISHED_PROMPTS = {"4.2.2.a": (83, 2)}

# Sub-group figures the report prints in its narrative.
# Key question -> (attribute, {value: yes cases}): exact counts over the cases of that value.
KEY_QUESTION_SUBGROUPS = {
    # "More assessments focused sufficiently on engaging with individuals in community sentence
    # (76 per cent) than in licence supervision (47 per cent) cases": 47/62 and 18/38.
    "2.1.1": ("disposal", {"community": 47, "post-custody": 18}),
    # "The engagement of individuals in planning was also stronger for community sentences
    # (82 per cent) than in licence supervision cases (61 per cent)": 51/62 and 23/38.
    "2.2.1": ("disposal", {"community": 51, "post-custody": 23}),
}
# Prompt -> (attribute, {value: published percentage}); values not listed take the rest.
PROMPT_SUBGROUPS = {
    # "men ... were meaningfully engaged in planning in 70 per cent of cases, compared with
    # 57 per cent of women"
    "2.2.1.a": ("gender", {"male": 70, "female": 57}),
    # "diversity and personal circumstances were more often considered for men (76 per cent)
    # than women (54 per cent)"
    "2.2.1.b": ("gender", {"male": 76, "female": 54}),
    # "planning by PSOs setting out appropriate arrangements in only 30 per cent"
    "2.2.3.d": ("officer_grade", {"PSO": 30}),
    # contact offered in licence supervision cases "only deemed sufficient in less than half of
    # cases (48 per cent)"
    "2.3.3.a": ("disposal", {"post-custody": 48}),
}
# Prompts answered on a given number of cases per sub-group. 2.2.1.a (men 70%, women 57%,
# all 67%) and 2.2.1.b (men 76%, women 54%, all 73%) cannot both hold if all 100 cases answer
# both (2.2.1.a would need 21 or 23 women, 2.2.1.b 13; the report does not print the sample's
# gender split): each is answered on the invented numbers below (README explains).
ANSWERED_BY_GROUP = {
    "2.2.1.a": ("gender", {"male": 69, "female": 14}),   # 48/69 men, 8/14 women, 56/83 = 67%
    "2.2.1.b": ("gender", {"male": 86, "female": 13}),   # 65/86 men, 7/13 women, 72/99 = 73%
}

# Questions beyond the framework prompts, with the report's figures.
# Supplementary questions of 2.1.3 (Annex 4, footnotes 49 and 50), asked where 2.1.3 applies:
# A 3.01 on every such case; A 3.02 "in cases where required", on an invented number of them
# (the report does not print how many), the others answering "not-required".
SUPPLEMENTARY = {"A 3.01": (85, None), "A 3.02": (79, 24)}
# 2.4.1.a as Annex 4 prints it, in two questions: (i) considered 70%, (ii) adjusted 53%; the
# prompt (53%) is yes only where both are: (ii)'s "yes" cases are the prompt's.
# 2.1.2.a likewise from the narrative: factors (i) identified in 90%, (ii) analysed in 70%
# (the narrative says 71; Annex 4's 70 is the prompt's figure and is used).
PROMPT_PARTS = {"2.1.2.a": {"2.1.2.a.i": 90, "2.1.2.a.ii": 70},
                "2.4.1.a": {"2.4.1.a.i": 70, "2.4.1.a.ii": 53}}
# 2.1.1.b's halves in the narrative (information questions; no published question): analysis
# 74% (100 - 26) of all cases, impact 58% (100 - 42) "of relevant cases". The number of
# relevant cases is not printed: 86 is invented (50/86 = 58%); the 14 others are cases where
# the prompt is "yes" with no factor whose impact needed considering.
HALVES_2_1_1_B = {"analysis": ("2.1.1.b.i", 74), "impact": ("2.1.1.b.ii", 58, 86)}
# Unpaid work information questions, answered with the report's counts:
# U 3.4 "Where absence occurred, the reasons were always recorded in 55 per cent of cases, and
# sometimes recorded in 35 per cent": on the 31 cases with missed appointments (those answering
# 4.1.4.c), 17 always (55%), 11 sometimes (35%), 3 never (invented remainder).
# U 3.7 "Of the 35 cases we inspected, 20 (57 per cent) had experienced occasions ... in 15
# cases, this had happened on 2 or more occasions": 15 no, 5 once, 15 two-or-more.
INFORMATION_COUNTS = {
    "U 3.4": ("4.1.4.c", {"always": 17, "sometimes": 11, "never": 3}),
    "U 3.7": (None, {"no": 15, "once": 5, "two-or-more": 15}),
}
# The report's figures for them, checked against the rows written: (label, question,
# answers counted as the figure, answers forming the denominator or None for all answered,
# attribute filter, published percent).
NARRATIVE_CHECKS = [
    ("U 3.4 reasons always recorded", "U 3.4", {"always"}, None, None, 55),
    ("U 3.4 reasons sometimes recorded", "U 3.4", {"sometimes"}, None, None, 35),
    ("U 3.7 work withdrawn or sent home, any occasion (20 of 35)", "U 3.7", {"once", "two-or-more"}, None, None, 57),
    ("U 3.7 two or more occasions (15 of 35)", "U 3.7", {"two-or-more"}, None, None, 43),
    ("A 3.01 domestic abuse checks undertaken", "A 3.01", {"yes"}, None, None, 85),
    ("A 3.02 child safeguarding information sharing", "A 3.02", {"yes"}, {"yes", "no"}, None, 79),
    ("2.1.1.b analysis of diversity and personal circumstances", "2.1.1.b.i", {"yes"}, None, None, 74),
    ("2.1.1.b impact considered, relevant cases", "2.1.1.b.ii", {"yes"}, None, None, 58),
    ("2.1.2.a factors related to offending identified", "2.1.2.a.i", {"yes"}, None, None, 90),
    ("2.1.2.a factors related to offending analysed", "2.1.2.a.ii", {"yes"}, None, None, 70),
    ("2.4.1.a (i) reviewing considers compliance", "2.4.1.a.i", {"yes"}, None, None, 70),
    ("2.4.1.a (ii) adjustments made to the plan", "2.4.1.a.ii", {"yes"}, None, None, 53),
    ("2.1.1 community sentences", "2.1.1", {"yes"}, None, ("disposal", "community"), 76),
    ("2.1.1 licence supervision", "2.1.1", {"yes"}, None, ("disposal", "post-custody"), 47),
    ("2.2.1 community sentences", "2.2.1", {"yes"}, None, ("disposal", "community"), 82),
    ("2.2.1 licence supervision", "2.2.1", {"yes"}, None, ("disposal", "post-custody"), 61),
    ("2.2.1.a men", "2.2.1.a", {"yes"}, None, ("gender", "male"), 70),
    ("2.2.1.a women", "2.2.1.a", {"yes"}, None, ("gender", "female"), 57),
    ("2.2.1.b men", "2.2.1.b", {"yes"}, None, ("gender", "male"), 76),
    ("2.2.1.b women", "2.2.1.b", {"yes"}, None, ("gender", "female"), 54),
    ("2.2.3.d cases managed by PSOs", "2.2.3.d", {"yes"}, None, ("officer_grade", "PSO"), 30),
    ("2.3.3.a licence supervision", "2.3.3.a", {"yes"}, None, ("disposal", "post-custody"), 48),
]
EXTRA_COLUMNS = {"domain2": {"2.1.1": ["2.1.1.b.i", "2.1.1.b.ii"], "2.1.2": ["2.1.2.a.i", "2.1.2.a.ii"],
                             "2.1.3": ["A 3.01", "A 3.02"], "2.4.1": ["2.4.1.a.i", "2.4.1.a.ii"]},
                 "upw": {"4.1.4": ["U 3.4", "U 3.7"]}, "ttg": {}}

# Annex 4 "Previous inspection" column: every prompt it prints a previous figure for ("No data
# available" for 2.1.1.b, 2.1.3.b and the supplementary questions; unpaid work has none).
PROMPT_PREVIOUS = {
    "2.1.1.a": 76, "2.1.1.c": 67, "2.1.2.a": 71, "2.1.2.b": 76, "2.1.2.c": 66,
    "2.1.3.a": 57, "2.1.3.c": 43,
    "2.2.1.a": 56, "2.2.1.b": 70, "2.2.1.c": 74, "2.2.1.d": 70, "2.2.1.e": 73,
    "2.2.2.a": 71, "2.2.2.b": 78, "2.2.2.c": 72,
    "2.2.3.a": 65, "2.2.3.b": 68, "2.2.3.c": 58, "2.2.3.d": 52,
    "2.3.1.a": 65, "2.3.1.b": 70, "2.3.1.c": 85, "2.3.1.d": 54, "2.3.1.e": 57, "2.3.1.f": 55,
    "2.3.1.g": 83,
    "2.3.2.a": 53, "2.3.2.b": 76, "2.3.2.c": 67, "2.3.2.d": 56, "2.3.2.e": 49, "2.3.2.f": 67,
    "2.3.3.a": 45, "2.3.3.b": 39, "2.3.3.c": 59, "2.3.3.d": 43, "2.3.3.e": 34,
    "2.4.1.a.i": 66, "2.4.1.a.ii": 55, "2.4.1.b": 48, "2.4.1.c": 62,
    "2.4.2.a": 46, "2.4.2.b": 64, "2.4.2.c": 65, "2.4.2.d": 60,
    "2.4.3.a": 35, "2.4.3.b": 49, "2.4.3.c": 23, "2.4.3.d": 40,
    "4.2.1.a": 100, "4.2.1.b": 91, "4.2.1.c": 100, "4.2.1.d": 100, "4.2.1.e": 86, "4.2.1.f": 77,
    "4.2.2.a": 65, "4.2.2.b": 89, "4.2.2.c": 80, "4.2.2.d": 70,
    "4.2.3.a": 81, "4.2.3.b": 59, "4.2.3.c": 46,
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
            lines.append("[comparator.prompts]         # Annex 4, \"Previous inspection\" column")
            lines += [f"{toml_string(prompt)} = {{ percent = {figure} }}"
                      for prompt, figure in PROMPT_PREVIOUS.items()]
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
        columns.extend(EXTRA_COLUMNS[sample].get(key_question, ()))
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
        balance_licence_cases(cases, LICENCE_KEEPING_SAFE)
        assign_officer_grades(rng, cases)
    return cases


# Invented sizes of two sub-groups of the 79 keeping-others-safe cases, chosen so the report's
# sub-group figures are reachable as whole percentages: 14/29 licence cases = 48% (2.3.3.a;
# 30 cases could give only 47% or 50%), and 12/40 PSO cases = 30% (2.2.3.d).
LICENCE_KEEPING_SAFE = 29
PSO_KEEPING_SAFE = 40


def balance_licence_cases(cases: list[dict], wanted: int) -> None:
    """Swap disposals between low-RoSH and other cases until ``wanted`` licence (post-custody)
    cases have RoSH above low; the totals of each disposal stay as they are."""
    def count() -> int:
        return sum(c["disposal"] == "post-custody" and c["rosh"] != "low" for c in cases)
    while count() != wanted:
        more = count() < wanted
        giver = next(c for c in cases if c["rosh"] == ("low" if more else "medium")
                     and c["disposal"] == "post-custody")
        taker = next(c for c in cases if c["rosh"] == ("medium" if more else "low")
                     and c["disposal"] == "community")
        giver["disposal"], taker["disposal"] = "community", "post-custody"


def assign_officer_grades(rng: random.Random, cases: list[dict]) -> None:
    """Half PO, half PSO; high-RoSH cases always sit with a PO; PSO_KEEPING_SAFE of the
    cases with RoSH above low sit with a PSO."""
    medium = [case for case in cases if case["rosh"] == "medium"]
    low = [case for case in cases if case["rosh"] == "low"]
    rng.shuffle(medium)
    rng.shuffle(low)
    pso = medium[:PSO_KEEPING_SAFE] + low[:len(cases) // 2 - PSO_KEEPING_SAFE]
    for case in cases:
        case["officer_grade"] = "PSO" if any(case is p for p in pso) else "PO"


def key_question_applies(key_question: str, case: dict) -> bool:
    return not (key_question in NOT_FOR_LOW_ROSH and case["rosh"] == "low")


def judge_key_questions(rng: random.Random, sample: str, cases: list[dict]) -> None:
    """Give each applicable case its summary judgement, hitting the target count."""
    for key_question in FRAMEWORK[sample]:
        applicable = [case for case in cases if key_question_applies(key_question, case)]
        yes_target, size = KEY_QUESTION_TARGETS[key_question]
        assert len(applicable) == size, f"{key_question}: {len(applicable)} applicable, expected {size}"
        def weight(case):
            return math.exp(case["quality"])
        if key_question in KEY_QUESTION_SUBGROUPS:
            attribute, counts = KEY_QUESTION_SUBGROUPS[key_question]
            assert sum(counts.values()) == yes_target, key_question
            good = [case for value, count in counts.items()
                    for case in weighted_pick(rng, [c for c in applicable if c[attribute] == value], count, weight)]
        else:
            good = weighted_pick(rng, applicable, yes_target, weight)
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
            if prompt in ANSWERED_BY_GROUP:
                attribute, sizes = ANSWERED_BY_GROUP[prompt]
                answered = [case for value, n in sizes.items()
                            for case in rng.sample([c for c in pool if c[attribute] == value], n)]
                answered.sort(key=lambda case: case["case_id"])
            else:
                size = PARTLY_ANSWERED.get(prompt, (len(pool), ""))[0]
                answered = sorted(rng.sample(pool, size), key=lambda case: case["case_id"])
            if prompt in UNPUBLISHED_PROMPTS:   # no published figure: invented answers
                share, excluded = UNPUBLISHED_PROMPTS[prompt]
                for case in rng.sample(answered, excluded):
                    case[prompt] = "no-resettlement-needs"
                answered = [case for case in answered if not case.get(prompt)]
                target = share
            else:
                target = PROMPT_TARGETS[prompt]
            def weight(case, key_question=key_question):
                return (SUMMARY_YES_WEIGHT if case[key_question] == "yes" else 1.0) * math.exp(0.3 * case["quality"])
            total_yes = yes_count_for(target, len(answered))
            good = []
            if prompt in PROMPT_SUBGROUPS:
                attribute, shares = PROMPT_SUBGROUPS[prompt]
                for value, percent_target in shares.items():
                    group = [case for case in answered if case[attribute] == value]
                    good += weighted_pick(rng, group, yes_count_for(percent_target, len(group)), weight)
                rest = [case for case in answered if case[attribute] not in shares]
                if rest:
                    good += weighted_pick(rng, rest, total_yes - len(good), weight)
            else:
                good = weighted_pick(rng, answered, total_yes, weight)
            for case in answered:
                case[prompt] = "no"
            for case in good:
                case[prompt] = "yes"
    answer_extras(rng, sample, cases)


def answer_2_1_1_b_halves(rng: random.Random, cases: list[dict], weight) -> None:
    """2.1.1.b's analysis and impact halves, consistent with the prompt: a "yes" prompt has
    analysis "yes" and impact "yes" or not relevant; a "no" prompt misses at least one."""
    analysis, analysis_target = HALVES_2_1_1_B["analysis"]
    impact, impact_target, relevant = HALVES_2_1_1_B["impact"]
    yes = [case for case in cases if case["2.1.1.b"] == "yes"]
    no = [case for case in cases if case["2.1.1.b"] == "no"]
    analysed = yes + weighted_pick(rng, no, yes_count_for(analysis_target, len(cases)) - len(yes), weight)
    for case in cases:
        case[analysis] = "yes" if any(case is c for c in analysed) else "no"
    not_relevant = rng.sample(yes, len(cases) - relevant)
    impact_yes = yes_count_for(impact_target, relevant)
    with_impact = [case for case in yes if not any(case is c for c in not_relevant)]
    unanalysed = [case for case in no if case[analysis] == "no"]
    impact_cases = with_impact + weighted_pick(rng, unanalysed, impact_yes - len(with_impact), weight)
    for case in cases:
        if any(case is c for c in not_relevant):
            continue
        case[impact] = "yes" if any(case is c for c in impact_cases) else "no"


def answer_extras(rng: random.Random, sample: str, cases: list[dict]) -> None:
    """The questions beyond the framework prompts (supplementary, parts, information)."""
    def weight(case):
        return math.exp(0.3 * case["quality"])
    if sample == "domain2":
        applicable = [case for case in cases if key_question_applies("2.1.3", case)]
        for question, (target, required) in SUPPLEMENTARY.items():
            asked = applicable if required is None else sorted(
                rng.sample(applicable, required), key=lambda case: case["case_id"])
            for case in applicable:
                case[question] = "not-required"
            for case in asked:
                case[question] = "no"
            for case in weighted_pick(rng, asked, yes_count_for(target, len(asked)), weight):
                case[question] = "yes"
        for prompt, parts in PROMPT_PARTS.items():
            (first, first_target), (second, _) = parts.items()
            answered = [case for case in cases if case.get(prompt)]
            for case in answered:   # (ii) is the prompt; (i) holds wherever (ii) does, and more
                case[second] = case[prompt]
                case[first] = case[prompt]
            extra = yes_count_for(first_target, len(answered)) - sum(c[prompt] == "yes" for c in answered)
            for case in weighted_pick(rng, [c for c in answered if c[prompt] == "no"], extra, weight):
                case[first] = "yes"
        answer_2_1_1_b_halves(rng, cases, weight)
    for question, (within, counts) in INFORMATION_COUNTS.items():
        if sample != "upw":
            continue
        asked = [case for case in cases if within is None or case.get(within)]
        assert len(asked) == sum(counts.values()), (question, len(asked))
        answers = [answer for answer, n in counts.items() for _ in range(n)]
        rng.shuffle(answers)
        for case, answer in zip(asked, answers):
            case[question] = answer


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
- Each prompt's yes share rounds to the report's Annex 4 figure. 4.2.2.a has
  **no published figure** (Annex 4: "No aggregated data available"): its
  answers are invented, two cases answer "no-resettlement-needs" (CARaG T 2.2's
  "No, there were no resettlement needs", left out of the percentage), and the
  script prints "no published figure" for it instead of checking it.
- Annex 4's supplementary questions of 2.1.3: domestic abuse checks (A 3.01)
  85% (67 of the 79 keeping-others-safe cases) and child safeguarding
  information sharing where required (A 3.02) 79% (19 of 24; the 24 cases where
  it was required are invented, the others answer "not-required").
- 2.4.1.a in Annex 4's two questions: (i) reviewing considers compliance 70%,
  (ii) adjustments made 53%; the prompt (53%) is yes only where both are.
- 2.1.1.b's halves (analysis 74%, impact 58% of relevant cases) and 2.1.2.a's
  (factors identified 90%, analysed 70%), from the narrative (see below).
- The narrative's sub-group figures: 2.1.1 community 76% (47/62) / licence 47%
  (18/38); 2.2.1 community 82% (51/62) / licence 61% (23/38); 2.2.1.a men 70% /
  women 57%; 2.2.1.b men 76% / women 54%; 2.2.3.d PSO cases 30%; 2.3.3.a licence
  cases 48%.
- Unpaid work: U 3.4 reasons for absence always recorded 55% / sometimes 35%
  (17 and 11 of the 31 cases with missed appointments, 3 never); U 3.7 work
  withdrawn or sent home in 20 of 35 cases, on two or more occasions in 15.
- The ratings follow: 2.1 Good, 2.2 Requires improvement raised to Good by the
  panel, 2.3 and 2.4 Inadequate, 4.1 Good, 4.2 Good raised to Outstanding;
  17/30, Good.

`python tools/make_crc_example.py` checks every one of these figures against
the published value after writing and fails if any is missed.

### What cannot be reproduced together, and what is not reproduced

- 2.2.1.a (men 70%, women 57%, all 67%) and 2.2.1.b (men 76%, women 54%, all
  73%) cannot both hold if every one of the 100 cases answers both prompts:
  2.2.1.a would need 21 or 23 women in the sample, 2.2.1.b 13. The report does
  not print the sample's gender split, so with 14 women (the caseload's 14%)
  2.2.1.a is answered on 69 men and 14 women (48 + 8 = 56/83 = 67%) and 2.2.1.b
  on 86 men and 13 women (65 + 7 = 72/99 = 73%). The numbers answering are
  invented.
- 2.3.3.a licence 48% needs an odd number of licence cases among the 79 (30
  could give only 47% or 50%): 29 are used. 2.2.3.d PSO 30%: 40 of the 79 sit
  with a PSO. Both sizes are invented.
- U 3.4's 55% / 35% fit only 20 or 31 cases with missed appointments; 31 also
  fits 4.1.4.c's 68% (21/31), so 4.1.4.c is answered on those 31 cases.
- The halves of 2.1.1.b (analysis 74%, impact 58%: the complements of the
  narrative's 26% and "42 per cent of relevant cases") and of 2.1.2.a (factors
  identified 90%, analysed 70%) are reproduced in questions whose ids and
  wording are the catalogue's own (2.1.1.b.i/ii, 2.1.2.a.i/ii): the report
  prints these halves in its narrative, not as questions. The impact half is
  answered on 86 "relevant" cases (invented; the report does not print how
  many). The narrative says 2.1.2.a's factors were "sufficiently analysed in 71
  per cent", Annex 4 70%: the example follows Annex 4. The catalogue's CARaG
  parts of 2.1.1.b (A 1.02 / A 1.03: protected characteristics / personal
  circumstances) split it differently and are not answered in this example.

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

The "previous" comparator also carries Annex 4's "Previous inspection" figure
for every prompt it prints one for (`[comparator.prompts]`, no n: prompt
figures are shown, not tested). Annex 4 prints "No data available" for 2.1.1.b,
2.1.3.b and the two supplementary questions, and no previous figures for unpaid
work.
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


#: Answers that leave a case out of a percentage (the catalogue's ``not_counted``).
NOT_COUNTED = {"no-resettlement-needs", "not-required"}


def tally(rows: list[dict], question: str) -> tuple[int, int]:
    answers = [row[question] for row in rows if row[question] and row[question] not in NOT_COUNTED]
    assert set(answers) <= {"yes", "no"}, f"{question}: unexpected answers {set(answers)}"
    return answers.count("yes"), len(answers)


def check_narrative(rows_by_sample: dict[str, list[dict]]) -> list[str]:
    """The report's narrative and supplementary figures (NARRATIVE_CHECKS), from the rows."""
    problems = []
    print(f"\n{'report figure':<62}{'count':>6}{'of':>5}{'%':>6}{'published':>11}")
    for label, question, counted, among, where, published in NARRATIVE_CHECKS:
        rows = [row for sample_rows in rows_by_sample.values() for row in sample_rows
                if row.get(question)]
        if where is not None:
            rows = [row for row in rows if row.get(where[0]) == where[1]]
        if among is not None:
            rows = [row for row in rows if row[question] in among]
        count = sum(row[question] in counted for row in rows)
        got = percent(count, len(rows)) if rows else None
        flag = "" if got == published else "  MISSED"
        print(f"{label:<62}{count:>6}{len(rows):>5}{got!s:>5}%{published:>10}%{flag}")
        if flag:
            problems.append(f"{label}: {got}%, published {published}%")
    return problems


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
                if target is None:
                    print(f"  {prompt:<8}{yes:>5}{total:>5}{percent(yes, total):>5}%  no published figure (invented)")
                    continue
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
    problems += check_narrative({sample: read_back(folder, sample) for sample in FRAMEWORK})
    for problem in problems:
        print(f"ERROR: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
