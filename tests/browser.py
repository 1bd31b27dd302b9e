"""Helpers for the report's browser and page-layout tests: the bundled profiles' reports,
Debian's Chromium driven by Playwright (its own browser download is not used), WeasyPrint's
page boxes. tests/install_system_packages.sh installs the system packages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PROFILES = ("crc", "nps", "pdu", "yot")


def report_model(profile: str, **options):
    """The report model of a bundled profile's example."""
    from hmip_inspect.core.plugin.manager import build_plugin_manager
    from hmip_inspect.core.report.model import build_report
    from hmip_inspect.core.session import Session
    chosen, loaded, result = Session(pm=build_plugin_manager()).run(profile, None)
    return build_report(result, loaded, chosen, **options)


def report_html(profile: str, **options) -> str:
    from hmip_inspect.core.report.html import render_html
    return render_html(report_model(profile, **options))


def launch_chromium(playwright):
    """Debian's Chromium, headless; skips the test where it is not installed."""
    executable = CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")
    if not executable:
        pytest.skip("Chromium is not installed: run tests/install_system_packages.sh")
    return playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)


def boxes(box):
    """``box`` and every box inside it, depth first, in document order."""
    yield box
    for child in getattr(box, "children", None) or ():
        yield from boxes(child)
