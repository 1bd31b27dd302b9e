"""Domain two (case supervision), rated from the domain-two case sample, in two editions.

* ``standards.toml``: edition 2019, the ASPIRE standards 2.1-2.4 for NPS and CRC inspections
  (seed 003, Appendix A of the 2019 revised standards).
* ``standards-2021.toml``: edition 2021, the unified Probation Service standards 2.2
  Assessment, 2.3 Planning, 2.4 Implementation and delivery (with the D 4 information
  section), 2.5 Reviewing and 2.6 Outcomes (with the O 2 information section), from the
  Domain two CARaG of September 2021 (seed 001). Every CARaG question is a prompt under its
  key question, with its CARaG code as id.

The standards, key questions and prompts are data: see the two catalogue files beside this
file. This module also declares the two case attributes the 2021 summary judgements depend
on (seed 001, A 3 S, P 3 S, D 3 S, R 3 S and R 1 S): where a case had no factors related to
risk of harm, or needed no reviewing of compliance and engagement, the summary is 'yes'.
"""

from pathlib import Path

from hmip_inspect.core import Attribute, hookimpl

ATTRIBUTES = (
    Attribute(
        name="harm_factors",
        description="Whether the inspector found any factors related to risk of harm to "
        "others in the case (not only risk of serious harm); 'no' implies 'yes' for the "
        "2021 'keeping other people safe' summaries A 3 S, P 3 S, D 3 S and R 3 S",
        values=("yes", "no"),
    ),
    Attribute(
        name="compliance_review_needed",
        description="Whether the case needed any reviewing of compliance and engagement; "
        "'no' implies 'yes' for the 2021 summary R 1 S",
        values=("yes", "no"),
    ),
)


@hookimpl
def hmip_catalogues() -> list[Path]:
    return [
        Path(__file__).with_name("standards.toml"),
        Path(__file__).with_name("standards-2021.toml"),
    ]


@hookimpl
def hmip_case_attributes() -> tuple[Attribute, ...]:
    return ATTRIBUTES
