"""hmip-inspect: rate probation and youth justice inspections against HMIP standards.

The core defines the contract (:mod:`.standards`), the hooks plugins implement
(:mod:`.hookspecs`) and the rating rules (:mod:`.rules`). Everything a domain contributes
comes from a plugin. A minimal plugin is a module with a catalogue file beside it::

    from pathlib import Path
    from hmip_inspect.core import hookimpl

    @hookimpl
    def hmip_catalogues():
        return [Path(__file__).with_name("standards.toml")]

and an entry point in its distribution's ``pyproject.toml``::

    [project.entry-points.hmip_inspect]
    mydomain = "hmip_inspect_mydomain"
"""

import pluggy

from .plugin.spec import PROJECT

hookimpl = pluggy.HookimplMarker(PROJECT)

__all__ = ["hookimpl"]
