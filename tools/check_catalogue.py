"""Check catalogue files the way the core reads them, without running an inspection.

    python tools/check_catalogue.py plugins/victims/standards.toml [...]

A thin wrapper of the installed command ``inspect check-catalogue FILE...`` (see
``core/cli/catalogue.py``): the same checks, output and exit status.
"""

from __future__ import annotations

import sys

from hmip_inspect.core.cli import build_app


def main(paths: list[str]) -> int:
    try:
        build_app("check-catalogue")(["check-catalogue", *paths], prog_name="inspect")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
