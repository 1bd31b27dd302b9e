"""Plugins from outside the project: discovery through entry points, failure isolation,
clashes, the allow and block lists, and the hook contract itself.

Third-party plugins are fake installed distributions (see ``plugin_fixtures.py``) found by
``importlib.metadata`` exactly as a pip-installed ``hmip-inspect-<name>`` would be.
"""

from __future__ import annotations

import inspect as pyinspect
import json
import logging
import sys
import types
from pathlib import Path

import pluggy
import pytest
import structlog
from hmip_inspect.core import hookimpl
from hmip_inspect.core.errors import PluginError
from hmip_inspect.core.plugin import manager as plugins_module
from hmip_inspect.core.plugin import spec as hookspecs
from hmip_inspect.core.plugin.manager import DEFAULT_PLUGINS, build_plugin_manager
from hmip_inspect.core.profiles.reader import load_profile
from hmip_inspect.core.session import Session
from plugin_fixtures import CATALOGUE_PLUGIN, FakeSite, checked_catalogue, module_name
from structlog.testing import LogCapture

TESTS = Path(__file__).parent
BUILT_INS = ("case_attributes", "domain1", "domain2", "upw", "ttg", "courtwork", "victims",
             "youth_organisation", "youth_court_disposals", "youth_out_of_court",
             "youth_resettlement", "profiles")


def catalogue(standard_id: str, sample: str = "acme", title: str = "Example third-party standard") -> str:
    """A valid catalogue with one case-rated standard of two key questions (2019 edition)."""
    return f"""
        [catalogue]
        edition = "2019"
        source = "Acme Ltd, example standards for tests"

        [[standard]]
        id = "{standard_id}"
        title = "{title}"
        statement = "An example standard contributed by an installed plugin."
        domain = 9
        rated_by = "cases"
        sample = "{sample}"

        [[standard.key_question]]
        id = "{standard_id}.1"
        text = "Is the example work assessed well?"

        [[standard.key_question.prompt]]
        id = "{standard_id}.1.a"
        text = "Does the assessment draw on every source available?"

        [[standard.key_question]]
        id = "{standard_id}.2"
        text = "Is the example work delivered well?"

        [[standard.key_question.prompt]]
        id = "{standard_id}.2.a"
        text = "Is delivery timely?"
    """


#: Answers to 9.1: key question 9.1.1 is 3/4 (75%, Good), 9.1.2 is 2/4 (50%, Requires
#: improvement), so the standard is rated Requires improvement (its lowest key question).
ACME_CASES = """\
case_id,sample,9.1.1,9.1.1.a,9.1.2,9.1.2.a
ACME-01,acme,yes,yes,yes,yes
ACME-02,acme,yes,yes,no,no
ACME-03,acme,yes,no,yes,yes
ACME-04,acme,no,no,no,yes
"""

ACME_PROFILE = """\
[profile]
extends = "crc"
name = "crc-acme"
title = "CRC inspection with the Acme standard"
add_plugins = ["acme"]
add_standards = ["9.1"]
"""

BROKEN_PLUGIN = 'raise RuntimeError("boom")\n'

MISSPELLED_HOOK_PLUGIN = """
    from hmip_inspect.core import hookimpl


    @hookimpl
    def hmip_catalogue():  # the hook is hmip_catalogues
        return []
"""


@pytest.fixture(autouse=True)
def plugin_log(monkeypatch) -> list[dict]:
    """The plugin manager's log events, captured instead of printed."""
    capture = LogCapture()
    logger = structlog.wrap_logger(
        structlog.ReturnLogger(), processors=[capture], cache_logger_on_first_use=False,
        wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG))
    monkeypatch.setattr(plugins_module, "log", logger)
    return capture.entries


@pytest.fixture
def site(tmp_path, monkeypatch) -> FakeSite:
    return FakeSite(tmp_path / "site-packages", monkeypatch)


@pytest.fixture
def acme(site) -> Path:
    """The third-party plugin ``acme`` (distribution hmip-inspect-acme 1.0) with standard 9.1."""
    return site.install("acme", CATALOGUE_PLUGIN, files={"standards.toml": catalogue("9.1")})


@pytest.fixture
def broken(site) -> None:
    """An installed plugin ``broken`` whose module raises on import."""
    site.install("broken", BROKEN_PLUGIN)


@pytest.fixture
def acme_profile(tmp_path, acme) -> Path:
    path = tmp_path / "crc-acme.toml"
    path.write_text(ACME_PROFILE, encoding="utf-8")
    return path


def run_json(inspect_cli, *args) -> dict:
    result = inspect_cli("run", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def standard_result(report: dict, standard_id: str) -> dict:
    return next(s for s in report["standards"] if s["id"] == standard_id)


def plugin_listing(stdout: str) -> dict[str, dict[str, str]]:
    """``inspect plugins`` output as {name: {status, origin, version, hooks, standards, error}}."""
    plugins: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in stdout.splitlines():
        if line.startswith(" "):
            key, _, value = line.strip().partition(": ")
            current[key] = value
        else:
            name, status, origin, *version = line.split()
            current = plugins[name] = {"status": status, "origin": origin, "version": " ".join(version)}
    return plugins


def list_plugins(inspect_cli, *, exit_code: int = 0):
    result = inspect_cli("plugins")
    assert result.exit_code == exit_code, result.stderr
    return plugin_listing(result.stdout), result


def assert_refused(result, *fragments: str) -> None:
    """A user-facing failure: exit status 1, each fragment on stderr, no traceback."""
    assert result.exit_code == 1, result.stdout
    for fragment in fragments:
        assert fragment in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


# --------------------------------------------------------------------------------------
# A third-party plugin adds a standard to a profile
# --------------------------------------------------------------------------------------


def test_user_profile_adding_a_standard_derives_overall_bands(acme_profile):
    profile = load_profile(str(acme_profile), Session(pm=build_plugin_manager()).profiles)

    assert profile.name == "crc-acme"
    assert profile.plugins == ("domain1", "domain2", "upw", "ttg", "acme")
    assert profile.standards[-1] == "9.1" and len(profile.standards) == 11
    assert profile.bands_derived  # crc's explicit 0-30 bands no longer fit 11 standards
    assert [(low, high) for _, low, high in profile.overall_bands.ranges] == [
        (0, 5), (6, 16), (17, 27), (28, 33)]
    assert profile.max_score == 33


def test_third_party_standard_is_rated_end_to_end(inspect_cli, acme_profile, example):
    before = run_json(inspect_cli, "--profile", "crc", "--inspection", example)
    (example / "cases" / "acme.csv").write_text(ACME_CASES, encoding="utf-8")

    after = run_json(inspect_cli, "--profile", acme_profile, "--inspection", example)

    acme_standard = standard_result(after, "9.1")
    assert acme_standard["plugin"] == "acme"
    assert acme_standard["title"] == "Example third-party standard"
    assert [(kq["id"], kq["yes"], kq["applicable"], kq["band"]) for kq in acme_standard["key_questions"]] == [
        ("9.1.1", 3, 4, "Good"), ("9.1.2", 2, 4, "Requires improvement")]
    assert acme_standard["lowest_key_question"] == "9.1.2"
    assert (acme_standard["rating"], acme_standard["score"]) == ("Requires improvement", 1)

    assert (before["overall"]["score"], before["overall"]["max_score"]) == (17, 30)
    assert after["profile"] == "crc-acme"
    assert after["overall"]["score"] == before["overall"]["score"] + 1
    assert after["overall"]["max_score"] == 33
    assert [(b["from"], b["to"]) for b in after["overall"]["bands"]] == [(0, 5), (6, 16), (17, 27), (28, 33)]
    assert after["overall"]["rating"] == "Good"


def test_plugins_command_lists_built_ins_and_installed(inspect_cli, acme):
    plugins, _ = list_plugins(inspect_cli)

    assert set(plugins) == {*BUILT_INS, "acme"}
    for name in BUILT_INS:
        assert (plugins[name]["status"], plugins[name]["origin"]) == ("loaded", "built-in"), name
    assert plugins["upw"]["hooks"] == "hmip_catalogues, hmip_rating_adjustments"
    assert plugins["profiles"]["hooks"] == "hmip_profiles"
    assert plugins["case_attributes"]["hooks"] == "hmip_case_attributes"
    assert plugins["acme"] == {"status": "loaded", "origin": "hmip-inspect-acme", "version": "1.0",
                               "hooks": "hmip_catalogues", "standards": "9.1"}


# --------------------------------------------------------------------------------------
# A broken plugin is reported by name and does not take the others down
# --------------------------------------------------------------------------------------


def test_plugin_failing_on_import_is_recorded_as_broken(broken, plugin_log):
    pm = build_plugin_manager()

    info = pm.seen["broken"]
    assert (info.status, info.origin, info.version) == ("broken", "hmip-inspect-broken", "1.0")
    assert info.error == "RuntimeError: boom"
    assert pm.get_plugin("broken") is None
    assert {n for n, i in pm.seen.items() if i.status == "broken"} == {"broken"}
    assert all(pm.get_plugin(name) is not None for name in BUILT_INS)
    warning = next(e for e in plugin_log if e["log_level"] == "warning")
    assert (warning["event"], warning["plugin"], warning["error"]) == (
        "plugin failed to load", "broken", "RuntimeError: boom")


def test_plugins_command_shows_broken_plugin_with_its_error(inspect_cli, broken):
    plugins, _ = list_plugins(inspect_cli, exit_code=1)

    assert plugins["broken"]["status"] == "broken"
    assert plugins["broken"]["error"] == "RuntimeError: boom"
    assert plugins["domain2"]["status"] == "loaded"


def test_profile_not_using_the_broken_plugin_still_runs(inspect_cli, broken):
    report = run_json(inspect_cli, "--profile", "crc")

    assert report["profile"] == "crc"
    assert report["overall"]["score"] == 17
    assert {s["plugin"] for s in report["standards"]} == {"domain1", "domain2", "upw", "ttg"}


def test_profile_listing_the_broken_plugin_is_refused_by_name(inspect_cli, broken, tmp_path):
    profile = tmp_path / "needs-broken.toml"
    profile.write_text('[profile]\nextends = "crc"\nadd_plugins = ["broken"]\n', encoding="utf-8")

    result = inspect_cli("run", "--profile", profile)

    assert_refused(result, "plugin 'broken' failed to load: RuntimeError: boom")


def test_warning_after_an_earlier_cli_run_reaches_stderr(inspect_cli, broken, monkeypatch):
    monkeypatch.setattr(plugins_module, "log", structlog.get_logger(plugins_module.__name__))
    inspect_cli("plugins")  # first use of the real logger, inside a CLI run
    plugins_module.get_plugin_manager.cache_clear()  # the next run builds its own, as a new process would

    result = inspect_cli("plugins")

    assert result.exit_code == 1, repr(result.exception)  # a broken plugin fails the listing
    assert "plugin failed to load" in result.stderr


# --------------------------------------------------------------------------------------
# What a plugin contributes is checked, and clashes name every plugin involved
# --------------------------------------------------------------------------------------


INVALID_CATALOGUE = """
    [catalogue]
    edition = "2019"

    [[standard]]
    id = "9.x"
    title = "A standard with problems"
    colour = "blue"
    domain = 9
    rated_by = "cases"
    sample = "acme"

    [[standard.key_question]]
    id = "9.x.1"
    text = "Is anything right?"
"""


def test_invalid_catalogue_names_the_plugin_and_every_problem(site):
    site.install("badcat", CATALOGUE_PLUGIN, files={"standards.toml": INVALID_CATALOGUE})

    with pytest.raises(PluginError) as caught:
        checked_catalogue()

    message = str(caught.value)
    assert caught.value.plugin == "badcat"
    assert message.startswith("plugin 'badcat': catalogue ")
    assert "unknown key 'colour'" in message
    assert "expected a standard id like 2.1, found '9.x'" in message
    assert message.count("\n  - ") >= 2


def test_a_broken_catalogue_of_another_edition_does_not_stop_a_run(inspect_cli, site):
    """Catalogue files are read an edition at a time: a CRC run (2019) never reads this one."""
    other_edition = INVALID_CATALOGUE.replace('edition = "2019"', 'edition = "elsewhere-1"')
    assert other_edition != INVALID_CATALOGUE
    site.install("badcat", CATALOGUE_PLUGIN, files={"standards.toml": other_edition})

    assert inspect_cli("run", "--profile", "crc").exit_code == 0
    _, listing = list_plugins(inspect_cli, exit_code=1)       # reads every edition
    assert "plugin 'badcat'" in listing.stderr and "unknown key 'colour'" in listing.stderr


def test_plugins_command_still_lists_plugins_when_a_catalogue_is_invalid(inspect_cli, site):
    site.install("badcat", CATALOGUE_PLUGIN, files={"standards.toml": INVALID_CATALOGUE})

    plugins, result = list_plugins(inspect_cli, exit_code=1)

    assert plugins["badcat"]["status"] == "broken"
    assert "plugin 'badcat'" in result.stderr and "unknown key 'colour'" in result.stderr


@pytest.fixture
def duplicate(site) -> None:
    """An installed plugin ``dupe`` that also contributes domain2's standard 2.1 (2019)."""
    site.install("dupe", CATALOGUE_PLUGIN,
                 files={"standards.toml": catalogue("2.1", sample="domain2", title="Assessment again")})


def test_duplicate_standard_id_names_both_plugins(duplicate):
    with pytest.raises(PluginError) as caught:
        checked_catalogue()

    message = str(caught.value)
    assert "standard 2.1 (2019 edition) is also contributed by plugin" in message
    assert {caught.value.plugin, *_quoted_plugins(message)} == {"domain2", "dupe"}


def test_a_carag_code_used_by_two_plugins_in_one_edition_is_refused(site):
    borrowed = catalogue("9.1").replace('id = "9.1.1.a"', 'id = "9.1.1.a"\n        aliases = ["A 1.01"]')
    site.install("borrower", CATALOGUE_PLUGIN, files={"standards.toml": borrowed})
    with pytest.raises(PluginError) as caught:
        checked_catalogue()
    message = str(caught.value)
    assert "question id or code 'A 1.01' of standard 9.1 (2019 edition)" in message
    assert "also used by standard 2.1 of plugin 'domain2'" in message
    assert caught.value.plugin == "borrower"


def _quoted_plugins(message: str) -> set[str]:
    """The plugin names quoted in a PluginError message ("plugin 'x'")."""
    return {part.split("'")[1] for part in message.split("plugin ")[1:] if part.startswith("'")}


def test_duplicate_standard_id_breaks_the_newcomer_and_stops_only_profiles_using_it(
        inspect_cli, duplicate, tmp_path):
    assert inspect_cli("run", "--profile", "crc").exit_code == 0        # crc does not list 'dupe'
    plugins, listing = list_plugins(inspect_cli, exit_code=1)
    assert plugins["dupe"]["status"] == "broken"
    assert "'dupe'" in listing.stderr and "'domain2'" in listing.stderr and "standard 2.1" in listing.stderr
    profile = tmp_path / "with-dupe.toml"
    profile.write_text('[profile]\nname = "with-dupe"\nextends = "crc"\nadd_plugins = ["dupe"]\n')
    assert_refused(inspect_cli("run", "--profile", profile), "'dupe'", "'domain2'", "standard 2.1")


CLASHING_ATTRIBUTE_PLUGIN = """
    from hmip_inspect.core import hookimpl
    from hmip_inspect.core.catalogue.records import Attribute


    @hookimpl
    def hmip_case_attributes():
        return [Attribute(name="rosh", description="Risk of serious harm", values=("low", "high"))]
"""


@pytest.fixture
def riskier(site) -> None:
    """An installed plugin ``riskier`` declaring the built-in ``rosh`` attribute with other values."""
    site.install("riskier", CLASHING_ATTRIBUTE_PLUGIN)


def test_case_attribute_declared_with_other_values_names_both_plugins(riskier):
    with pytest.raises(PluginError) as caught:
        checked_catalogue()

    message = str(caught.value)
    assert "case attribute 'rosh' is declared with other values by plugin" in message
    assert _quoted_plugins(message) == {"case_attributes", "riskier"}


@pytest.mark.parametrize("clash, newcomer", [("duplicate", "dupe"), ("riskier", "riskier")])
def test_clash_is_blamed_on_the_plugin_registered_later(request, clash, newcomer):
    request.getfixturevalue(clash)

    with pytest.raises(PluginError) as caught:
        checked_catalogue()

    assert caught.value.plugin == newcomer


# --------------------------------------------------------------------------------------
# Allow and block lists
# --------------------------------------------------------------------------------------


def test_blocked_built_in_needed_by_the_profile_is_named(inspect_cli, monkeypatch):
    monkeypatch.setenv("HMIP_DISABLE_PLUGINS", "ttg")

    plugins, _ = list_plugins(inspect_cli)
    result = inspect_cli("run", "--profile", "crc")

    assert plugins["ttg"]["status"] == "blocked"
    assert_refused(result, "plugin 'ttg' is blocked")


def test_allow_list_leaves_out_an_installed_plugin(inspect_cli, monkeypatch, acme):
    monkeypatch.setenv("HMIP_LOAD_PLUGINS", ",".join(BUILT_INS))

    pm = build_plugin_manager()
    plugins, _ = list_plugins(inspect_cli)

    assert pm.seen["acme"].status == "blocked"
    assert pm.get_plugin("acme") is None
    assert module_name("acme") not in sys.modules  # its code was never imported
    assert plugins["acme"]["status"] == "blocked"
    assert "standards" not in plugins["acme"]
    assert {plugins[name]["status"] for name in BUILT_INS} == {"loaded"}


def test_empty_allow_list_loads_no_installed_plugins_but_keeps_built_ins(monkeypatch, acme):
    monkeypatch.setenv("HMIP_LOAD_PLUGINS", "")

    pm = build_plugin_manager()

    assert pm.seen["acme"].status == "blocked"
    assert {pm.seen[name].status for name in BUILT_INS} == {"loaded"}


# --------------------------------------------------------------------------------------
# The hook contract
# --------------------------------------------------------------------------------------


@pytest.fixture
def misspelled(site) -> None:
    """An installed plugin ``typo`` implementing ``hmip_catalogue``, which is not a hook."""
    site.install("typo", MISSPELLED_HOOK_PLUGIN)


def test_misspelled_hook_marks_the_plugin_broken(misspelled):
    pm = build_plugin_manager()

    info = pm.seen["typo"]
    assert info.status == "broken"
    assert "hmip_catalogue" in info.error
    assert pm.get_plugin("typo") is None


def test_misspelled_hook_does_not_stop_the_cli(inspect_cli, misspelled):
    plugins, _ = list_plugins(inspect_cli, exit_code=1)

    assert plugins["typo"]["status"] == "broken"
    assert run_json(inspect_cli, "--profile", "crc")["overall"]["score"] == 17


def test_misspelled_hook_in_a_built_in_fails_loudly(monkeypatch):
    """check_pending() itself works: an unknown hook is refused, naming it."""
    from hmip_inspect.core.plugin import manager as plugins_module

    monkeypatch.setattr(plugins_module, "DEFAULT_PLUGINS", DEFAULT_PLUGINS + ("plugin_typo_builtin",))
    monkeypatch.setitem(sys.modules, "plugin_typo_builtin", _module_with_misspelled_hook())

    with pytest.raises(pluggy.PluginValidationError, match="unknown hook 'hmip_catalogue'"):
        build_plugin_manager(load_entry_points=False)


def _module_with_misspelled_hook() -> types.ModuleType:
    module = types.ModuleType("plugin_typo_builtin")
    module.hmip_catalogue = hookimpl(lambda: [])
    return module


def hook_specs() -> dict[str, object]:
    return {name: function for name, function in vars(hookspecs).items()
            if name.startswith("hmip_") and callable(function)}


def test_hookspecs_are_found():
    assert {"hmip_catalogues", "hmip_profiles"} <= set(hook_specs())


@pytest.mark.parametrize("name", sorted(hook_specs()))
def test_every_hook_is_documented(name):
    doc = pyinspect.getdoc(hook_specs()[name]) or ""
    assert len(doc.split()) >= 10, f"{name} needs a docstring saying when it is called and what it returns"


