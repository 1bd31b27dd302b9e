"""Youth offending services, domain one (organisational delivery): standards 1.1-1.4.

Edition ``youth-2021``: HM Inspectorate of Probation's standards for inspecting youth
offending services as refreshed in 2021 (revised standards consulted on in April 2020).
The four standards are rated by the lead inspector's judgement, with no case sample, like
the adult domain one (``plugins/domain1``).

None of this framework is in the seeds (``shared/seeds/README.md``): the standard titles come
from public HMIP material, and the statements, key questions and prompts could not be found
there, so ``standards.toml`` holds the titles only and says so beside each standard.
"""

from pathlib import Path

from hmip_inspect.core import hookimpl


@hookimpl
def hmip_catalogues() -> list[Path]:
    return [Path(__file__).with_name("standards.toml")]
