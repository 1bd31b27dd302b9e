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
"""

from pathlib import Path

from hmip_inspect.core import hookimpl


@hookimpl
def hmip_catalogues() -> list[Path]:
    return [Path(__file__).with_name("standards.toml")]
