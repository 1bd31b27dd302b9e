"""Youth offending services, domain three (out-of-court disposals): standards 3.1-3.4.

Edition ``youth-2021``: HM Inspectorate of Probation's standards for inspecting youth
offending services as refreshed in 2021. Standards 3.1 Assessment, 3.2 Planning and
3.3 Implementation and delivery are rated from the key-question percentages over the
``out-of-court`` case sample. Standard 3.4 is "Out-of-court disposal policy and provision",
the title used from the 2021 refresh (the 2018 framework's 3.4 was "Joint working"): an
organisational policy-and-provision standard, rated by the lead inspector's judgement with no
case sample.

None of this framework is in the seeds (``shared/seeds/README.md``; seed 003, para 1.3: the
2019 consultation "does not include how we inspect youth offending services"). Titles, key
questions and guidance come from public HMIP material, cited beside each standard in
``standards.toml``; the key questions' exact published wording was not found verbatim and the
prompts (3.1.1.a ...), the statements and the key questions of 3.4 were not found at all, and
the catalogue says so rather than inventing them. No applicability rule was found, so no case
attribute is declared.
"""

from pathlib import Path

from hmip_inspect.core import hookimpl


@hookimpl
def hmip_catalogues() -> list[Path]:
    return [Path(__file__).with_name("standards.toml")]
