"""Domain one (organisational delivery): standards 1.1-1.4, rated by the lead inspector's judgement.

The standards, key questions and prompts are data: see ``standards.toml`` beside this file.
"""

from pathlib import Path

from hmip_inspect.core import hookimpl


@hookimpl
def hmip_catalogues():
    return [Path(__file__).with_name("standards.toml")]
