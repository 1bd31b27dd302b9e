"""The plugin manager: built-in plugins and installed ones, registered the same way.

Built-in plugins are listed in :data:`DEFAULT_PLUGINS` by module name; third-party ones are
found through the ``hmip_inspect`` entry-point group. Both go through :func:`register`.
Each entry point loads inside its own ``try`` so that one broken plugin is reported by name
and the others still work.

Users choose plugins with two environment variables:

* ``HMIP_LOAD_PLUGINS``: a comma-separated allow-list of plugin names (built-in and
  installed); set it empty to load no installed plugins at all.
* ``HMIP_DISABLE_PLUGINS``: a comma-separated block list.
"""

from __future__ import annotations

import functools
import importlib
import os
from dataclasses import dataclass, field
from importlib import metadata

import pluggy
import structlog

from ..errors import PluginError
from . import spec as hookspecs

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
    """pluggy's manager plus a record of every plugin seen, including blocked and broken."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT)
        self.add_hookspecs(hookspecs)
        self.seen: dict[str, PluginInfo] = {}

    def register_plugin(self, module: object, info: PluginInfo) -> None:
        """Register ``module`` under ``info.name``; built-in and installed alike."""
        self.register(module, name=info.name)
        info.hooks = sorted(impl.name for impl in self.get_hookcallers(module) or ())
        self.seen[info.name] = info

    def broken(self) -> dict[str, PluginInfo]:
        return {n: i for n, i in self.seen.items() if i.status == "broken"}


def _names(variable: str) -> set[str] | None:
    raw = os.environ.get(variable)
    if raw is None:
        return None
    return {part.strip() for part in raw.split(",") if part.strip()}


def _short_name(module_name: str) -> str:
    return module_name.rsplit(".", 1)[-1]


def build_plugin_manager(*, load_entry_points: bool = True) -> PluginManager:
    """Build a manager with the built-in plugins and, unless told not to, installed ones."""
    pm = PluginManager()
    allow, block = _names(ALLOW_ENV), _names(BLOCK_ENV) or set()

    def wanted(name: str, info: PluginInfo) -> bool:
        # An empty allow-list means "no installed plugins"; built-ins stay unless named.
        refused_by_allow = allow is not None and name not in allow and (
            bool(allow) or info.origin != "built-in")
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


def _load_entry_point(pm: PluginManager, entry_point: metadata.EntryPoint, wanted) -> None:
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
        info.status, info.error = "broken", f"{type(exc).__name__}: {exc}"
        pm.seen[entry_point.name] = info
        log.warning("plugin failed to load", plugin=entry_point.name, error=info.error)
        log.debug("plugin failure detail", plugin=entry_point.name, exc_info=True)


@functools.cache
def get_plugin_manager() -> PluginManager:
    """The process-wide manager, built on first use (never at import)."""
    return build_plugin_manager()


def call_each(pm: PluginManager, hook_name: str, **kwargs) -> list[tuple[str, object]]:
    """Call one hook on every plugin separately, keeping which plugin returned what.

    The core needs the plugin's name to report clashes and failures, so it calls the
    implementations one by one rather than through the combined hook caller.
    """
    results = []
    caller = getattr(pm.hook, hook_name)
    for impl in caller.get_hookimpls():  # registration order: built-ins first
        args = {name: kwargs[name] for name in impl.argnames}
        try:
            result = impl.function(**args)
        except Exception as exc:
            raise PluginError(impl.plugin_name, f"hook {hook_name} failed: {exc}") from exc
        if result is not None:
            results.append((impl.plugin_name, result))
    return results
