"""The built-in inspection profiles (inspection types) and their bundled example inspections.

Each profile is a TOML file beside this module; its ``example`` key points at a synthetic
example inspection under ``examples/`` that ``inspect run --profile NAME`` rates when no
``--inspection`` folder is given.
"""

from pathlib import Path

from hmip_inspect.core import hookimpl


@hookimpl
def hmip_profiles() -> list[Path]:
    return sorted(Path(__file__).parent.glob("*.toml"))
