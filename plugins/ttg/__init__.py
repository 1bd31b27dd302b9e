"""Through the Gate (CRC inspections): standard 4.2, rated from the Through the Gate case sample.

The standards, key questions and prompts are data: see ``standards.toml`` beside this file.
"""

from pathlib import Path

from hmip_inspect.core import hookimpl


@hookimpl
def hmip_catalogues():
    return [Path(__file__).with_name("standards.toml")]
