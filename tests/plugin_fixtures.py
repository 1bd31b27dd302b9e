"""Fake installed plugin distributions for tests, the way conda's plugin tests build them.

A :class:`FakeSite` is a directory put at the front of ``sys.path``. Each call to
:meth:`FakeSite.install` writes one distribution into it::

    <site>/hmip_inspect_<name>-1.0.dist-info/METADATA          Name: hmip-inspect-<name>
    <site>/hmip_inspect_<name>-1.0.dist-info/entry_points.txt  [hmip_inspect] <name> = ...
    <site>/hmip_inspect_<name>/__init__.py                     the plugin module
    <site>/hmip_inspect_<name>/<file>                          e.g. its standards.toml

``importlib.metadata`` scans ``sys.path`` each time entry points are asked for, so the
plugin manager finds these exactly as it finds a pip-installed plugin. Everything is undone
by ``monkeypatch`` when the test ends: the ``sys.path`` entry and the imported modules.

Tests import this module as ``from plugin_fixtures import FakeSite``: ``tests/`` has no
``__init__.py``, so pytest's default ("prepend") import mode puts ``tests/`` on ``sys.path``.
"""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path

import pytest

ENTRY_POINT_GROUP = "hmip_inspect"

#: A plugin that ships the catalogue file written beside it as ``standards.toml``.
CATALOGUE_PLUGIN = """
    from pathlib import Path

    from hmip_inspect.core import hookimpl


    @hookimpl
    def hmip_catalogues():
        return [Path(__file__).with_name("standards.toml")]
"""


def module_name(name: str) -> str:
    """The import name of plugin ``name``'s module: ``hmip_inspect_<name>``."""
    return f"hmip_inspect_{name.replace('-', '_')}"


class FakeSite:
    """A ``sys.path`` directory of fake installed ``hmip-inspect-*`` distributions."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.root = root
        self.monkeypatch = monkeypatch
        root.mkdir(parents=True, exist_ok=True)
        monkeypatch.syspath_prepend(str(root))

    def install(self, name: str, source: str, *, files: dict[str, str] | None = None,
                version: str = "1.0") -> Path:
        """Install plugin ``name`` whose module is ``source``; ``files`` go beside it.

        The entry point is ``<name> = hmip_inspect_<name>`` in the ``hmip_inspect`` group;
        the distribution is ``hmip-inspect-<name>``. Returns the plugin's package folder.
        """
        module = module_name(name)
        package = self.root / module
        package.mkdir()
        (package / "__init__.py").write_text(textwrap.dedent(source), encoding="utf-8")
        for filename, text in (files or {}).items():
            (package / filename).write_text(textwrap.dedent(text), encoding="utf-8")

        dist_info = self.root / f"{module}-{version}.dist-info"
        dist_info.mkdir()
        (dist_info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: hmip-inspect-{name}\nVersion: {version}\n",
            encoding="utf-8")
        (dist_info / "entry_points.txt").write_text(
            f"[{ENTRY_POINT_GROUP}]\n{name} = {module}\n", encoding="utf-8")

        self._forget_module_afterwards(module)
        importlib.invalidate_caches()  # the import system caches directory listings
        return package

    def _forget_module_afterwards(self, module: str) -> None:
        # ``monkeypatch.delitem`` on an absent key records nothing to undo, so the module
        # imported during the test would stay in sys.modules. Setting a placeholder first
        # makes the undo chain end with the key absent again, as it was before the test.
        self.monkeypatch.setitem(sys.modules, module, None)
        self.monkeypatch.delitem(sys.modules, module)


def checked_catalogue():
    """Every plugin's catalogue read in full, raising the PluginError of a refused plugin (the
    way ``inspect plugins`` and ``inspect check-catalogue`` report them)."""
    from hmip_inspect.core.plugin.manager import build_plugin_manager
    from hmip_inspect.core.session import Session

    catalogue = Session(pm=build_plugin_manager()).catalogue
    catalogue.every_standard()
    catalogue.raise_if_broken()
    return catalogue
