"""Youth offending services, domain two (court disposals): standards 2.1-2.4.

Edition ``youth-2021``: HM Inspectorate of Probation's standards for inspecting youth
offending services as refreshed in 2021. The four standards -- 2.1 Assessment, 2.2 Planning,
2.3 Implementation and delivery, 2.4 Reviewing -- are rated from the key-question percentages
over the ``court-disposals`` case sample, like the adult domain two (``plugins/domain2``).

None of this framework is in the seeds (``shared/seeds/README.md``; seed 003, para 1.3: the
2019 consultation "does not include how we inspect youth offending services"). The titles,
the three key questions of each standard (the child's desistance, keeping the child safe,
keeping other people safe) and their guidance come from public HMIP material, cited beside
each standard in ``standards.toml``. The key questions' exact published wording was not found
verbatim there and the prompts (2.1.1.a ...) were not found at all: the catalogue says so
rather than inventing them. No applicability rule was found, so no case attribute is declared.
"""

from pathlib import Path

from hmip_inspect.core import hookimpl


@hookimpl
def hmip_catalogues() -> list[Path]:
    return [Path(__file__).with_name("standards.toml")]
