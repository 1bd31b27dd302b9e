"""The plugin contract, version 1: profile-scoped, checked hook calls, per-profile settings, the
same inspection from a folder and from the store, and the hooks for commands and report sections.

Plugins here are installed into a fake site-packages (:class:`plugin_fixtures.FakeSite`), found
through their entry points exactly as a pip-installed plugin is.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
import typer
from hmip_inspect import core
from hmip_inspect.core.errors import PluginError
from hmip_inspect.core.plugin.manager import build_plugin_manager, get_plugin_manager
from plugin_fixtures import FakeSite

#: Moves every standard of every inspection it is asked about one band down.
MEDDLER = """
    from hmip_inspect.core import Adjustment, hookimpl

    @hookimpl
    def hmip_rating_adjustments(standard, indicative):
        if indicative.value == 0:
            return None
        return [Adjustment(-1, "the meddler dislikes everything", "meddler", True, "meddler")]
"""

#: Raises while declaring its case attributes.
FAILING = """
    from hmip_inspect.core import hookimpl

    @hookimpl
    def hmip_case_attributes():
        raise RuntimeError("no attributes today")
"""

#: Looks at the cases: moves 4.1 up where a named case is in the unpaid-work sample.
CASE_READER = """
    from hmip_inspect.core import Adjustment, hookimpl

    @hookimpl
    def hmip_check_settings(settings):
        return [f"{key}: unknown setting" for key in settings if key != "case"]

    @hookimpl
    def hmip_rating_adjustments(standard, inspection, settings):
        if standard.id != "4.1":
            return None
        seen = [case.case_id for case in inspection.cases_in("upw")]
        if settings.get("case") in seen:
            return [Adjustment(1, f"case {settings['case']} was seen ({len(seen)} cases)", "case reader",
                               True, "case reader")]
        return []
"""


@pytest.fixture
def site(tmp_path, monkeypatch) -> FakeSite:
    return FakeSite(tmp_path / "site-packages", monkeypatch)


def profile_with(tmp_path: Path, plugin: str, settings: str = "") -> Path:
    path = tmp_path / f"crc-{plugin}.toml"
    path.write_text(f'[profile]\nname = "crc-{plugin}"\nextends = "crc"\nadd_plugins = ["{plugin}"]\n'
                    + settings, encoding="utf-8")
    return path


def rated(inspect_cli, *args: object) -> dict:
    result = inspect_cli("run", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def refused(result, *fragments: str) -> str:
    assert result.exit_code == 1, result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, f"{fragment!r} not in {result.stderr!r}"
    return result.stderr


# --------------------------------------------------------------------------------------
# Profile-scoped: a plugin acts only in profiles that list it
# --------------------------------------------------------------------------------------


def test_an_installed_plugin_cannot_change_a_profile_that_does_not_list_it(inspect_cli, site, tmp_path):
    site.install("meddler", MEDDLER)
    plain = rated(inspect_cli, "--profile", "crc")
    assert (plain["overall"]["score"], plain["overall"]["rating"]) == (17, "Good")      # Thames Valley
    assert all(a["source"] != "meddler" for s in plain["standards"] for a in s["adjustments"])

    listed = rated(inspect_cli, "--profile", profile_with(tmp_path, "meddler"))
    assert listed["overall"]["score"] < 17
    assert any(a["source"] == "meddler" for s in listed["standards"] for a in s["adjustments"])


def test_a_broken_plugin_stops_only_the_profiles_that_use_it(inspect_cli, site, tmp_path):
    site.install("failing", FAILING)
    assert rated(inspect_cli, "--profile", "crc")["overall"]["score"] == 17
    listing = inspect_cli("plugins")
    assert listing.exit_code == 1 and "plugin 'failing' is broken" in listing.stderr
    assert "no attributes today" in listing.stderr
    refused(inspect_cli("run", "--profile", profile_with(tmp_path, "failing")),
            "plugin 'failing' failed to load", "hmip_case_attributes failed: RuntimeError: no attributes today")


# --------------------------------------------------------------------------------------
# Settings: [plugins.NAME] in a profile, checked by the plugin, passed to its hooks
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("settings, fragment", [
    ("[plugins.ttg]\nmin_cases = 0\n", "[plugins.ttg]: min_cases: expected a whole number of at least 1"),
    ("[plugins.ttg]\nminimum = 2\n", "[plugins.ttg]: minimum: unknown setting"),
    ("[plugins.domain2]\nthreshold = 2\n", "[plugins.domain2]: plugin 'domain2' takes no settings"),
    ("[plugins.victims]\nx = 1\n", "[plugins.victims]: settings for a plugin the profile does not list"),
])
def test_settings_are_checked_by_their_plugin(inspect_cli, tmp_path, settings, fragment):
    path = tmp_path / "crc-set.toml"
    path.write_text('[profile]\nname = "crc-set"\nextends = "crc"\n' + settings, encoding="utf-8")
    refused(inspect_cli("run", "--profile", path), fragment)


def test_settings_reach_the_plugins_hooks_and_the_snapshot(inspect_cli, site, tmp_path, example):
    site.install("reader", CASE_READER)
    profile = profile_with(tmp_path, "reader", '[plugins.reader]\ncase = "UPW-01"\n')
    data = rated(inspect_cli, "--profile", profile, "--inspection", example)
    [move] = [a for s in data["standards"] if s["id"] == "4.1" for a in s["adjustments"]
              if a["source"] == "case reader"]
    assert move["rationale"] == "case UPW-01 was seen (35 cases)"
    other = profile_with(tmp_path, "reader", '[plugins.reader]\ncase = "NOBODY"\n')
    assert not [a for s in rated(inspect_cli, "--profile", other, "--inspection", example)["standards"]
                for a in s["adjustments"] if a["source"] == "case reader"]


# --------------------------------------------------------------------------------------
# The same inspection from a folder and from the store
# --------------------------------------------------------------------------------------


def test_a_plugin_rates_a_stored_inspection_as_it_rates_its_folder(inspect_cli, site, tmp_path, example,
                                                                  store_url):
    site.install("reader", CASE_READER)
    profile = profile_with(tmp_path, "reader", '[plugins.reader]\ncase = "UPW-01"\n')
    info = example / "inspection.toml"
    info.write_text(info.read_text().replace('profile = "crc"', f'profile = "{profile}"'))
    from_folder = rated(inspect_cli, "--inspection", example)
    assert inspect_cli("import", example, "--db", store_url, "--name", "tv").exit_code == 0
    from_store = rated(inspect_cli, "--db", store_url, "--name", "tv")
    assert from_store["standards"] == from_folder["standards"]
    assert any(a["source"] == "case reader" for s in from_store["standards"] for a in s["adjustments"])


# --------------------------------------------------------------------------------------
# Checked returns: a bad return or an exception names the plugin
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("body, fragment", [
    ("return {'direction': -1}", "hmip_rating_adjustments returned"),
    ("return [Adjustment(2, 'too far', 'bad', True, 'bad')]", "direction must be +1 or -1"),
    ("return [standard.no_such_attribute]", "hmip_rating_adjustments failed: AttributeError"),
    ("return 'down'", "expected a list of Adjustment records"),
])
def test_a_bad_return_or_an_exception_is_reported_by_plugin_name(inspect_cli, site, tmp_path, body, fragment):
    site.install("bad", f"""
        from hmip_inspect.core import Adjustment, hookimpl

        @hookimpl
        def hmip_rating_adjustments(standard):
            {body}
    """)
    stderr = refused(inspect_cli("run", "--profile", profile_with(tmp_path, "bad")), "plugin 'bad'", fragment)
    assert "Traceback" not in stderr


def test_a_hook_wrapper_makes_its_plugin_broken_not_the_run(inspect_cli, site):
    site.install("wrapper", """
        from hmip_inspect.core import hookimpl

        @hookimpl(wrapper=True)
        def hmip_catalogues():
            return (yield)
    """)
    pm = build_plugin_manager()
    assert pm.seen["wrapper"].status == "broken"
    assert "hook wrappers are not supported" in pm.seen["wrapper"].error
    assert rated(inspect_cli, "--profile", "crc")["overall"]["score"] == 17


# --------------------------------------------------------------------------------------
# New hooks: commands and report sections
# --------------------------------------------------------------------------------------


def test_a_built_in_plugin_adds_a_command(inspect_cli):
    result = inspect_cli("rar-guideline", "--ogrs", "62")
    assert result.exit_code == 0 and "OGRS 62% (50-74%): 15–25 days" in result.stdout  # noqa: RUF001 (the guideline prints an en dash)
    assert inspect_cli("rar-guideline", "--ogrs", "101").exit_code != 0


def test_a_plugin_command_may_not_take_a_core_commands_name(site):
    site.install("usurper", """
        from hmip_inspect.core import hookimpl

        @hookimpl
        def hmip_register_commands(app):
            @app.command("run")
            def run():
                print("mine")
    """)
    app = typer.Typer()

    @app.command("run")
    def run() -> None:
        """The core's own."""
    with pytest.raises(PluginError, match=r"plugin 'usurper'.*command run is already taken"):
        build_plugin_manager().register_commands(app)


def with_needs(example: Path) -> Path:
    """The CRC example with T 1.6 (resettlement needs by pathway) recorded in every TTG case."""
    import csv
    path = example / "cases" / "ttg.csv"
    rows = list(csv.reader(path.open(newline="")))
    rows[0] += ["T 1.6", "T 1.7"]
    needs = ["accommodation;finance-benefits-and-debt", "accommodation", "education-training-and-employment"]
    for number, row in enumerate(rows[1:]):
        row += [needs[number % 3], "yes"]
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return example


def test_a_built_in_plugin_adds_a_report_section_in_every_format(inspect_cli, example, tmp_path):
    with_needs(example)
    profile = tmp_path / "crc-ttg.toml"
    profile.write_text('[profile]\nname = "crc-ttg"\nextends = "crc"\n[plugins.ttg]\nmin_cases = 6\n')
    model = json.loads(inspect_cli("report", "--profile", profile, "--inspection", example,
                                   "--format", "json").stdout)
    [section] = model["sections"]
    assert (section["plugin"], section["title"]) == ("ttg", "Resettlement needs by pathway")
    assert section["rows"] == [["accommodation", "10", "71%"]]       # finance (5), education (4): under 6
    assert "Pathways seen in fewer than 6 cases are not listed." in section["paragraphs"]
    html = inspect_cli("report", "--profile", profile, "--inspection", example).stdout
    assert '<h2 id="ttg-resettlement-needs-h">Resettlement needs by pathway</h2>' in html
    markdown = inspect_cli("report", "--profile", profile, "--inspection", example, "--format", "markdown").stdout
    assert "## Resettlement needs by pathway" in markdown and "| accommodation | 10 | 71% |" in markdown


def test_a_plugins_section_is_escaped_and_checked(inspect_cli, site, tmp_path):
    site.install("writer", """
        from hmip_inspect.core import ReportSection, hookimpl

        @hookimpl
        def hmip_report_sections(result):
            return [ReportSection("notes", "<b>Notes</b>", ("<script>alert(1)</script>",),
                                  ("a",), (("<img src=x onerror=alert(1)>",),))]
    """)
    profile = profile_with(tmp_path, "writer")
    html = inspect_cli("report", "--profile", profile).stdout
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "&lt;b&gt;Notes&lt;/b&gt;" in html
    site.install("sloppy", """
        from hmip_inspect.core import ReportSection, hookimpl

        @hookimpl
        def hmip_report_sections():
            return [ReportSection("t", "Table", (), ("a", "b"), (("only one",),))]
    """)
    get_plugin_manager.cache_clear()               # a new process would find it
    refused(inspect_cli("report", "--profile", profile_with(tmp_path, "sloppy")),
            "plugin 'sloppy'", "every row needs 2 cells")


# --------------------------------------------------------------------------------------
# The public API
# --------------------------------------------------------------------------------------


def test_every_public_name_comes_from_hmip_inspect_core():
    for name in core.__all__:
        assert getattr(core, name) is not None, name
    from hmip_inspect.core import (
        Adjustment,
        Attribute,
        Inspection,
        ReportSection,
        Standard,
        hookimpl,
    )
    for record in (Adjustment, Attribute, Inspection, ReportSection, Standard):
        assert record.__module__.startswith("hmip_inspect.core."), record   # defined in the core
    assert hookimpl.project_name == "hmip_inspect"
    assert core.CONTRACT_VERSION == 1


@pytest.mark.parametrize("old, name", [("standards", "Attribute"), ("results", "Adjustment"),
                                       ("hookspecs", "hmip_catalogues"), ("rules", "OverallBands"),
                                       ("plugins", "build_plugin_manager")])
def test_old_module_paths_still_work_for_one_release_and_say_so(old, name):
    import importlib
    import sys
    sys.modules.pop(f"hmip_inspect.core.{old}", None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module = importlib.import_module(f"hmip_inspect.core.{old}")
    assert hasattr(module, name)
    assert any(issubclass(w.category, DeprecationWarning) and "deprecated" in str(w.message) for w in caught)
