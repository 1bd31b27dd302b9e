"""Domain one (organisational delivery): standards 1.1-1.4, rated by the lead inspector's judgement.

Two editions, one catalogue file each, beside this file:

* ``standards.toml`` -- the ``2019`` edition (NPS and CRC inspections): standards, key
  questions and prompts from HMI Probation, Revised standards for probation providers (2019),
  Appendix A (seed ``003_4cedac8a6942953f.txt``).
* ``standards-2021.toml`` -- the ``2021`` edition (PDU inspections of the unified Probation
  Service, 2021-23): standards 1.1 Leadership, 1.2 Staff, 1.3 Services and 1.4 Information
  and facilities. No seed holds the 2021 domain one framework and the public material
  consulted does not publish its statements, key questions or prompts, so the file carries
  the standards only and records the gap in its comments and ``[catalogue] source``.
"""

from pathlib import Path

from hmip_inspect.core import hookimpl


@hookimpl
def hmip_catalogues() -> list[Path]:
    return [
        Path(__file__).with_name("standards.toml"),
        Path(__file__).with_name("standards-2021.toml"),
    ]
