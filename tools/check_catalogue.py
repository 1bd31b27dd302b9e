"""Check catalogue files the way the core reads them, without running an inspection.

    python tools/check_catalogue.py plugins/victims/standards.toml [...]

Each file is read with the case attributes of every built-in plugin plus those of the
plugin package the file sits in (``plugins/<name>/``), so a plugin can be checked before it
is registered. Every problem is printed; the exit status is 1 if any file has one.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from hmip_inspect.core.catalogue.reader import collect_attributes, read_catalogue
from hmip_inspect.core.errors import PluginError
from hmip_inspect.core.logconfig import configure as configure_logging
from hmip_inspect.core.plugin.manager import PluginInfo, build_plugin_manager


def main(paths: list[str]) -> int:
    configure_logging(verbose=False)
    pm = build_plugin_manager(load_entry_points=False)
    failed = False
    for raw in paths:
        path = Path(raw)
        plugin = path.resolve().parent.name
        if plugin not in pm.seen:
            try:
                module = importlib.import_module(f"hmip_inspect.plugins.{plugin}")
            except ImportError as exc:
                print(f"{path}: cannot import plugin {plugin!r}: {exc}")
                failed = True
                continue
            pm.register_plugin(module, PluginInfo(name=plugin, origin="checked"))
        try:
            standards = read_catalogue(path, plugin, collect_attributes(pm))
        except PluginError as exc:
            print(exc)
            failed = True
            continue
        questions = sum(len(s.questions()) for s in standards)
        print(f"{path}: ok, edition {standards[0].edition if standards else '?'}, "
              f"{len(standards)} standard(s), {questions} per-case question(s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
