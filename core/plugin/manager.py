"""The plugin manager: built-in plugins and installed ones, registered the same way, and a typed
facade with one method per hook.

Built-in plugins are listed in :data:`DEFAULT_PLUGINS` by module name; third-party ones are
found through the ``hmip_inspect`` entry-point group. Both go through
:meth:`PluginManager.register_plugin`. Each entry point loads inside its own ``try`` so that
one broken plugin is reported by name and the others still work.

Only this facade calls hooks. Each method calls the plugins' implementations one by one (so
that what each returned is checked and a failure names its plugin), and the methods for the
hooks that act on an inspection take the profile's plugin list: a plugin the profile does not
list is never asked.

Users choose plugins with two environment variables:

* ``HMIP_LOAD_PLUGINS``: a comma-separated allow-list of *installed* plugin names (empty:
  none); built-in plugins always load unless blocked;
* ``HMIP_DISABLE_PLUGINS``: a comma-separated block list (built-in or installed).
"""

from __future__ import annotations

import functools
import importlib
import os
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

import pluggy
import structlog

from ..catalogue.records import Attribute, Rating, Standard
from ..errors import PluginError
from ..rating.results import Adjustment
from . import spec as hookspecs
from .types import ReportSection

log = structlog.get_logger(__name__)

DEFAULT_PLUGINS = (
    "hmip_inspect.plugins.case_attributes",
    "hmip_inspect.plugins.domain1",
    "hmip_inspect.plugins.domain2",
    "hmip_inspect.plugins.upw",
    "hmip_inspect.plugins.ttg",
    "hmip_inspect.plugins.courtwork",
    "hmip_inspect.plugins.victims",
    "hmip_inspect.plugins.youth_organisation",
    "hmip_inspect.plugins.youth_court_disposals",
    "hmip_inspect.plugins.youth_out_of_court",
    "hmip_inspect.plugins.youth_resettlement",
    "hmip_inspect.plugins.profiles",
)
ENTRY_POINT_GROUP = hookspecs.PROJECT
ALLOW_ENV = "HMIP_LOAD_PLUGINS"
BLOCK_ENV = "HMIP_DISABLE_PLUGINS"
T = TypeVar("T")


@dataclass
class PluginInfo:
    """What ``inspect plugins`` shows about one plugin."""

    name: str
    origin: str  # "built-in" or the distribution that installed it
    version: str = ""
    status: str = "loaded"  # loaded | blocked | broken
    error: str = ""
    hooks: list[str] = field(default_factory=list)


class PluginManager(pluggy.PluginManager):
    """pluggy's manager, a record of every plugin seen (loaded, blocked or broken), and one
    checked method per hook."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT)
        self.add_hookspecs(hookspecs)
        self.seen: dict[str, PluginInfo] = {}

    def register_plugin(self, module: object, info: PluginInfo) -> None:
        """Register ``module`` under ``info.name``; built-in and installed alike. A hook
        wrapper for an ``hmip_`` hook is refused: the core calls each plugin on its own."""
        self.register(module, name=info.name)
        impls = [impl for caller in self.get_hookcallers(module) or () for impl in caller.get_hookimpls()
                 if impl.plugin is module]
        wrappers = sorted(impl.function.__name__ for impl in impls if impl.hookwrapper or impl.wrapper)
        if wrappers:
            self.unregister(module)
            raise PluginError(info.name, f"{', '.join(wrappers)}: hook wrappers are not supported for "
                                         "hmip_ hooks; implement the hook plainly")
        info.hooks = sorted(caller.name for caller in self.get_hookcallers(module) or ())
        self.seen[info.name] = info

    def mark_broken(self, plugin: str, error: str) -> None:
        """Record that ``plugin`` failed after loading (a bad catalogue, a failing hook)."""
        info = self.seen.get(plugin)
        if info is not None and info.status == "loaded":
            info.status, info.error = "broken", error
            log.warning("plugin broken", plugin=plugin, error=error)

    # ----------------------------------------------------------------------------------
    # Calling hooks: each plugin on its own, what it returns checked
    # ----------------------------------------------------------------------------------

    def _each(self, hook: str, plugins: Collection[str] | None = None, **kwargs: Any
              ) -> list[tuple[str, Any]]:
        """Call ``hook`` on every registered plugin (or those named), in registration order,
        keeping which plugin returned what; an exception is a PluginError naming the plugin."""
        results = []
        caller = getattr(self.hook, hook)
        for impl in caller.get_hookimpls():    # registration order: built-ins first
            if plugins is not None and impl.plugin_name not in plugins:
                continue
            args = {name: kwargs[name] for name in impl.argnames}
            try:
                result = impl.function(**args)
            except PluginError:
                raise
            except Exception as exc:
                raise PluginError(impl.plugin_name, f"{hook} failed: {type(exc).__name__}: {exc}") from exc
            if result is not None:
                results.append((impl.plugin_name, result))
        return results

    def _records(self, hook: str, kind: type[T] | tuple[type[T], ...], what: str, plugins: Collection[str] | None = None,
                 check: Callable[[T], list[str]] | None = None, **kwargs: Any) -> list[tuple[str, T]]:
        out = []
        for plugin, returned in self._each(hook, plugins, **kwargs):
            items = _iterable(plugin, hook, returned, what)
            for item in items:
                if not isinstance(item, kind):
                    raise PluginError(plugin, f"{hook} returned {item!r}; expected {what}")
                problems = check(item) if check is not None else []
                if problems:
                    raise PluginError(plugin, f"{hook} returned {item!r}: {'; '.join(problems)}")
                out.append((plugin, item))
        return out

    def catalogue_files(self) -> list[tuple[str, Path]]:
        """(plugin, file) for every catalogue file a plugin declares."""
        return [(plugin, Path(item)) for plugin, item in  # type: ignore[arg-type]  # checked: str or PathLike
                self._records("hmip_catalogues", (str, os.PathLike), "paths to catalogue files")]

    def profile_files(self) -> list[tuple[str, Path]]:
        """(plugin, file) for every profile file a plugin ships."""
        return [(plugin, Path(item)) for plugin, item in  # type: ignore[arg-type]  # checked: str or PathLike
                self._records("hmip_profiles", (str, os.PathLike), "paths to profile files")]

    def case_attributes(self) -> list[tuple[str, Attribute]]:
        """(plugin, attribute) for every case attribute a plugin declares. A plugin whose hook
        fails is marked broken and left out (it stops only the profiles that list it)."""
        out: list[tuple[str, Attribute]] = []
        for plugin in [n for n, info in self.seen.items() if info.status == "loaded"]:
            try:
                out += self._records("hmip_case_attributes", Attribute, "Attribute records", [plugin],
                                     check=_attribute_problems)
            except PluginError as exc:
                self.mark_broken(plugin, str(exc))
        return out

    def check_settings(self, plugin: str, settings: Mapping[str, Any]) -> list[str] | None:
        """The problems ``plugin`` finds in its settings; None when it takes no settings."""
        if not any(impl.plugin_name == plugin for impl in self.hook.hmip_check_settings.get_hookimpls()):
            return None
        found = self._records("hmip_check_settings", str, "problem messages (text)", [plugin],
                              settings=settings)
        return [message for _, message in found]

    def register_commands(self, app: Any) -> None:
        """Let every loaded plugin add commands to the command line ``app`` (typer)."""
        before = {command.name for command in getattr(app, "registered_commands", ())}
        for impl in self.hook.hmip_register_commands.get_hookimpls():
            try:
                impl.function(app=app)
            except Exception as exc:
                self.mark_broken(impl.plugin_name, f"hmip_register_commands failed: {type(exc).__name__}: {exc}")
                continue
            names = [command.name or command.callback.__name__.replace("_", "-")
                     for command in app.registered_commands]
            clashes = sorted({n for n in names if names.count(n) > 1})
            if clashes:
                raise PluginError(impl.plugin_name, f"command {', '.join(clashes)} is already taken")
        added = {command.name for command in getattr(app, "registered_commands", ())} - before
        log.debug("plugin commands", added=sorted(name for name in added if name))

    def rating_adjustments(self, plugins: Collection[str], *, standard: Standard, indicative: Rating,
                           inspection: Any, settings: Mapping[str, Mapping[str, Any]]
                           ) -> list[tuple[str, Adjustment]]:
        """The adjustments the profile's ``plugins`` propose for ``standard``."""
        out = []
        for plugin in self._implementers("hmip_rating_adjustments", plugins):
            out += self._records("hmip_rating_adjustments", Adjustment, "Adjustment records", [plugin],
                                 check=_adjustment_problems, standard=standard, indicative=indicative,
                                 inspection=inspection, settings=settings.get(plugin, {}))
        return out

    def capture_guidance(self, plugins: Collection[str], *, question: Any, case: Any,
                         settings: Mapping[str, Mapping[str, Any]]) -> list[str]:
        """The lines the profile's ``plugins`` add to ``question``'s guidance for ``case``."""
        out: list[str] = []
        for plugin in self._implementers("hmip_capture_guidance", plugins):
            out += [line for _, line in self._records("hmip_capture_guidance", str, "lines of text", [plugin],
                                                      question=question, case=case,
                                                      settings=settings.get(plugin, {}))]
        return out

    def report_sections(self, plugins: Collection[str], *, inspection: Any, result: Any,
                        settings: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, ReportSection]]:
        """The report sections the profile's ``plugins`` add."""
        out = []
        for plugin in self._implementers("hmip_report_sections", plugins):
            out += self._records("hmip_report_sections", ReportSection, "ReportSection records", [plugin],
                                 check=ReportSection.problems, inspection=inspection, result=result,
                                 settings=settings.get(plugin, {}))
        return out

    def _implementers(self, hook: str, plugins: Collection[str]) -> list[str]:
        named = [impl.plugin_name for impl in getattr(self.hook, hook).get_hookimpls()]
        return [plugin for plugin in named if plugin in plugins]


def _iterable(plugin: str, hook: str, returned: Any, what: str) -> list[Any]:
    if isinstance(returned, (str, bytes)) or not isinstance(returned, Iterable):
        raise PluginError(plugin, f"{hook} returned {returned!r}; expected a list of {what}")
    return list(returned)


def _attribute_problems(attribute: Attribute) -> list[str]:
    problems = []
    if not isinstance(attribute.name, str) or not attribute.name.isidentifier():
        problems.append(f"name must be an identifier, found {attribute.name!r}")
    if not isinstance(attribute.values, tuple) or not all(isinstance(v, str) and v for v in attribute.values):
        problems.append("values must be a tuple of non-empty strings")
    return problems


def _adjustment_problems(adjustment: Adjustment) -> list[str]:
    problems = []
    if adjustment.direction not in (1, -1):
        problems.append(f"direction must be +1 or -1, found {adjustment.direction!r}")
    if not isinstance(adjustment.rationale, str) or not isinstance(adjustment.source, str):
        problems.append("rationale and source must be text")
    return problems


def _names(variable: str) -> set[str] | None:
    raw = os.environ.get(variable)
    if raw is None:
        return None
    return {part.strip() for part in raw.split(",") if part.strip()}


def _short_name(module_name: str) -> str:
    return module_name.rsplit(".", 1)[-1]


def build_plugin_manager(*, load_entry_points: bool = True) -> PluginManager:
    """A manager with the built-in plugins and, unless told not to, installed ones."""
    pm = PluginManager()
    allow, block = _names(ALLOW_ENV), _names(BLOCK_ENV) or set()

    def wanted(name: str, info: PluginInfo) -> bool:
        # The allow-list names installed plugins; built-ins stay unless blocked.
        refused_by_allow = allow is not None and info.origin != "built-in" and name not in allow
        if name in block or refused_by_allow:
            info.status = "blocked"
            pm.seen[name] = info
            return False
        return True

    for module_name in DEFAULT_PLUGINS:
        name = _short_name(module_name)
        info = PluginInfo(name=name, origin="built-in")
        if wanted(name, info):
            pm.register_plugin(importlib.import_module(module_name), info)
    pm.check_pending()  # a built-in with an unknown hook is a bug: fail loudly

    if load_entry_points:
        for entry_point in metadata.entry_points(group=ENTRY_POINT_GROUP):
            _load_entry_point(pm, entry_point, wanted)
    log.debug("plugins registered", plugins=sorted(pm.seen))
    return pm


def _load_entry_point(pm: PluginManager, entry_point: metadata.EntryPoint,
                      wanted: Callable[[str, PluginInfo], bool]) -> None:
    dist = entry_point.dist
    info = PluginInfo(
        name=entry_point.name,
        origin=dist.metadata["Name"] if dist is not None else "unknown distribution",
        version=dist.version if dist is not None else "",
    )
    if entry_point.name in pm.seen and pm.seen[entry_point.name].status != "blocked":
        info.status, info.error = "broken", (
            f"name clashes with the {pm.seen[entry_point.name].origin} plugin of the same name"
        )
        pm.seen[f"{entry_point.name} ({info.origin})"] = info
        log.warning("plugin name clash", plugin=entry_point.name, origin=info.origin)
        return
    if not wanted(entry_point.name, info):
        return
    module = None
    try:
        module = entry_point.load()
        pm.register_plugin(module, info)
        pm.check_pending()  # a misspelled hook makes this plugin broken, not the run
    except Exception as exc:  # a broken plugin must not take the others down
        if module is not None and pm.is_registered(module):
            pm.unregister(module)
        message = str(exc) if isinstance(exc, PluginError) else f"{type(exc).__name__}: {exc}"
        info.status, info.error = "broken", message
        pm.seen[entry_point.name] = info
        log.warning("plugin failed to load", plugin=entry_point.name, error=info.error)
        log.debug("plugin failure detail", plugin=entry_point.name, exc_info=True)


@functools.cache
def get_plugin_manager() -> PluginManager:
    """The process-wide manager, built on first use (never at import)."""
    return build_plugin_manager()
