"""Domain two (case supervision): the 2019 ASPIRE standards 2.1-2.4, rated from the domain-two case sample.

The standards, key questions and prompts are data: see ``standards.toml`` beside this file.
"""

from pathlib import Path

from hmip_inspect.core import hookimpl


@hookimpl
def hmip_catalogues():
    return [Path(__file__).with_name("standards.toml")]
