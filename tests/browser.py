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


def system_packages() -> None:
    """Chromium and WeasyPrint's libraries, installed by tests/install_system_packages.sh (as
    the store's tests install PostgreSQL) when missing; the tests fail, saying why, if that
    cannot be done. Nothing is skipped."""
    import ctypes.util
    if (CHROMIUM.exists() or shutil.which("chromium")) and ctypes.util.find_library("pangoft2-1.0"):
        return
    import subprocess
    script = Path(__file__).with_name("install_system_packages.sh")
    done = subprocess.run(["bash", str(script)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"could not install the browser for the report's tests:\n{done.stderr}", pytrace=False)


def launch_chromium(playwright):
    """Debian's Chromium, headless (installed first if missing)."""
    system_packages()
    executable = CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")
    if not executable:
        pytest.fail("Chromium is not installed and could not be: run tests/install_system_packages.sh")
    return playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)


def boxes(box):
    """``box`` and every box inside it, depth first, in document order."""
    yield box
    for child in getattr(box, "children", None) or ():
        yield from boxes(child)
