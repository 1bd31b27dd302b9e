"""Through the Gate (CRC inspections): standard 4.2, rated from the Through the Gate case sample.

The standard, key questions and prompts (HMI Probation, Revised standards for probation
providers (2019), Appendix A, seed ``003_4cedac8a6942953f.txt``) are data: see
``standards.toml`` beside this file. Prompts carry their 2018/19 CARaG codes (``T 1.1`` ...) as
aliases (seed ``000_b7599fcf1ea9074c.txt``, "2. Through the Gate").

Key question 4.2.1 also holds two *information* questions of the CARaG, identified by their
codes and not rated: ``T 1.6`` (the resettlement needs the person had before release, several
answers from the six pathways, or ``none``) and ``T 1.7`` (was the correct level of need
identified). Together they drive an implied answer: where the CRC correctly identified that
there were no resettlement needs (``T 1.6`` = none, ``T 1.7`` = yes), prompt 4.2.1.a (``T 1.1``)
is answered yes, as the CARaG's T 1.1 guidance directs.

The report gains a section counting the resettlement needs the cases had, by pathway
(``T 1.6``), as the published report's Through the Gate chapter discusses them; a profile may
leave out pathways seen in fewer than ``min_cases`` cases (``[plugins.ttg] min_cases = 3``).
"""

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hmip_inspect.core import Inspection, ReportSection, hookimpl

#: The CARaG information question listing the resettlement needs before release.
NEEDS_QUESTION = "T 1.6"
SETTINGS = {"min_cases": "the fewest cases with a need for its pathway to be listed (default 1)"}


@hookimpl
def hmip_catalogues() -> list[Path]:
    return [Path(__file__).with_name("standards.toml")]


@hookimpl
def hmip_check_settings(settings: Mapping[str, Any]) -> list[str]:
    problems = [f"{key}: unknown setting; known: {', '.join(SETTINGS)}" for key in settings if key not in SETTINGS]
    value = settings.get("min_cases", 1)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        problems.append(f"min_cases: expected a whole number of at least 1, found {value!r}")
    return problems


@hookimpl
def hmip_report_sections(inspection: Inspection, settings: Mapping[str, Any]) -> list[ReportSection] | None:
    cases = inspection.cases_in("ttg")
    if not any(case.answer(NEEDS_QUESTION) for case in cases):
        return None                     # the inspection did not record the needs
    needs = Counter(part for case in cases for part in case.answer(NEEDS_QUESTION).split(";")
                    if part and part != "none")
    none = sum(1 for case in cases if case.answer(NEEDS_QUESTION) == "none")
    least = settings.get("min_cases", 1)
    rows = tuple((pathway, str(count), f"{round(100 * count / len(cases))}%")
                 for pathway, count in sorted(needs.items(), key=lambda item: (-item[1], item[0]))
                 if count >= least)
    paragraphs = [f"Resettlement needs the responsible officer should have identified before release "
                  f"(CARaG {NEEDS_QUESTION}), over the {len(cases)} Through the Gate cases; a case may "
                  f"have several. {none} case(s) had none."]
    if least > 1:
        paragraphs.append(f"Pathways seen in fewer than {least} cases are not listed.")
    return [ReportSection(id="resettlement-needs", title="Resettlement needs by pathway",
                          paragraphs=tuple(paragraphs), header=("Pathway", "Cases", "Share of cases"),
                          rows=rows)]
