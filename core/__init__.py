"""hmip-inspect: rate probation and youth justice inspections against HMIP standards.

This package's namespace is the public API: everything a plugin imports comes from here.
A minimal plugin is a module with a catalogue file beside it::

    from pathlib import Path
    from hmip_inspect.core import hookimpl

    @hookimpl
    def hmip_catalogues():
        return [Path(__file__).with_name("standards.toml")]

and an entry point in its distribution's ``pyproject.toml``::

    [project.entry-points.hmip_inspect]
    mydomain = "hmip_inspect_mydomain"

The hooks are documented in :mod:`hmip_inspect.core.plugin.spec` and the plugin author's
guide, ``docs/plugins.md``. The records (``Adjustment``, ``Attribute``, ``Standard`` …) are
loaded when first used, so importing this package to get :data:`hookimpl` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

import pluggy

from .plugin.spec import CONTRACT_VERSION, PROJECT

#: Marks a function as an implementation of an ``hmip_`` hook.
hookimpl = pluggy.HookimplMarker(PROJECT)

#: Public name -> the module (under this package) that defines it.
_EXPORTS = {
    "Adjustment": "rating.results",
    "Attribute": "catalogue.records",
    "Case": "inspection.cases",
    "Evidence": "catalogue.records",
    "Inspection": "inspection.folder",
    "InspectionInfo": "inspection.folder",
    "InspectionResult": "rating.results",
    "KeyQuestion": "catalogue.records",
    "KeyQuestionResult": "rating.results",
    "Judgements": "inspection.judgements",
    "Question": "catalogue.records",
    "QuestionKind": "catalogue.records",
    "RatedBy": "catalogue.records",
    "Rating": "catalogue.records",
    "ReportSection": "plugin.types",
    "Standard": "catalogue.records",
    "StandardResult": "rating.results",
    "Tallies": "inspection.tally",
    "HmipError": "errors",
    "InputError": "errors",
    "PluginError": "errors",
}

__all__ = [
    "CONTRACT_VERSION", "hookimpl",
    "Adjustment",
    "Attribute",
    "Case",
    "Evidence",
    "HmipError",
    "InputError",
    "Inspection",
    "InspectionInfo",
    "InspectionResult",
    "Judgements",
    "KeyQuestion",
    "KeyQuestionResult",
    "PluginError",
    "Question",
    "QuestionKind",
    "RatedBy",
    "Rating",
    "ReportSection",
    "Standard",
    "StandardResult",
    "Tallies",
]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors
    from .catalogue.records import (
        Attribute,
        Evidence,
        KeyQuestion,
        Question,
        QuestionKind,
        RatedBy,
        Rating,
        Standard,
    )
    from .errors import HmipError, InputError, PluginError
    from .inspection.cases import Case
    from .inspection.folder import Inspection, InspectionInfo
    from .inspection.judgements import Judgements
    from .inspection.tally import Tallies
    from .plugin.types import ReportSection
    from .rating.results import (
        Adjustment,
        InspectionResult,
        KeyQuestionResult,
        StandardResult,
    )


def __getattr__(name: str) -> Any:
    """Load a public record when it is first asked for (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
