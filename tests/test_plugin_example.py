"""The worked example of a third-party plugin, ``examples/plugin`` (hmip-inspect-acme), and
the command a plugin author checks a catalogue with, ``inspect check-catalogue``.

The last tests install the example into a fresh virtual environment beside the hmip-inspect
wheel, the way a user would, and run the installed ``inspect`` on its example inspection.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from plugin_fixtures import FakeSite

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = ROOT / "examples" / "plugin"
PACKAGE = PLUGIN / "hmip_inspect_acme"
CATALOGUE = PACKAGE / "standards.toml"
EXAMPLE = PACKAGE / "examples" / "acme-crc"


def _copy_package(tmp_path: Path, name: str, catalogue: str) -> Path:
    """The acme package copied as ``hmip_inspect_<name>`` (not installed) with ``catalogue``
    as its standards.toml; returns the catalogue's path."""
    package = tmp_path / f"hmip_inspect_{name}"
    package.mkdir()
    shutil.copy(PACKAGE / "__init__.py", package / "__init__.py")
    (package / "standards.toml").write_text(catalogue, encoding="utf-8")
    return package / "standards.toml"


# --------------------------------------------------------------------------------------
# inspect check-catalogue
# --------------------------------------------------------------------------------------


def test_check_catalogue_passes_the_example_plugin_before_it_is_installed(inspect_cli):
    # housing is declared by the example's own package, which is not installed here.
    result = inspect_cli("check-catalogue", CATALOGUE, ROOT / "plugins" / "upw" / "standards.toml")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"{CATALOGUE}: ok, plugin acme, edition 2019, 1 standard(s), 6 per-case question(s)"
    from hmip_inspect.core.session import Session
    upw = Session().catalogue.standard("2019", "4.1")
    assert lines[1].endswith(f"ok, plugin upw, edition 2019, 1 standard(s), {len(upw.questions())} per-case question(s)")


def test_check_catalogue_reports_every_problem_by_file_and_key(inspect_cli, tmp_path):
    text = CATALOGUE.read_text(encoding="utf-8")
    text = text.replace("domain = 5", 'domain = "five"\ncolour = "red"')
    text = text.replace('housing = ["unsettled"]', 'housing = ["homeless"]')
    text = text.replace('id = "5.1.1.b"', 'id = "5.1.1.b"\nkind = "bold"')
    bad = _copy_package(tmp_path, "bad", text)

    result = inspect_cli("check-catalogue", bad, CATALOGUE)
    assert result.exit_code == 1
    problems = [line for line in result.stderr.splitlines() if line.startswith(f"{bad}: ")]
    assert len(problems) == 4, result.stderr
    for fragment in ("[[standard]] #1 domain: expected a whole number, found 'five'",
                     "[[standard]] #1: unknown key 'colour'",
                     "[[key_question]] #1 [[prompt]] #2 kind:",
                     "[applies_to] housing: unknown value(s) homeless; expected some of settled, unsettled"):
        assert any(fragment in line for line in problems), (fragment, problems)
    assert "error: 1 of 2 file(s) have problems" in result.stderr
    assert f"{CATALOGUE}: ok" in result.stdout          # the good file is still checked


def test_check_catalogue_names_both_plugins_of_a_clash_with_a_built_in(inspect_cli, tmp_path):
    clash = _copy_package(tmp_path, "rival", CATALOGUE.read_text(encoding="utf-8").replace("5.1", "4.1"))
    result = inspect_cli("check-catalogue", clash)
    assert result.exit_code == 1
    assert (f"{clash}: plugin 'rival': standard 4.1 (2019 edition) is also contributed by plugin "
            "'upw'") in result.stderr


def test_check_catalogue_names_both_plugins_of_a_clash_with_an_installed_plugin(
        inspect_cli, tmp_path, monkeypatch):
    site = FakeSite(tmp_path / "site-packages", monkeypatch)
    site.install("acme", (PACKAGE / "__init__.py").read_text(encoding="utf-8"),
                 files={name: (PACKAGE / name).read_text(encoding="utf-8")
                        for name in ("standards.toml", "acme-crc.toml")})
    clash = _copy_package(tmp_path, "rival", CATALOGUE.read_text(encoding="utf-8"))

    result = inspect_cli("check-catalogue", clash)
    assert result.exit_code == 1
    assert "plugin 'rival': standard 5.1 (2019 edition) is also contributed by plugin 'acme'" in result.stderr

    # A new version of the installed plugin's own file replaces the installed copy: no clash.
    result = inspect_cli("check-catalogue", CATALOGUE)
    assert result.exit_code == 0, result.stderr
    result = inspect_cli("check-catalogue", "--plugin", "rival", CATALOGUE)
    assert result.exit_code == 1 and "also contributed by plugin 'acme'" in result.stderr


def test_the_tool_wraps_the_command(tmp_path):
    tool = ROOT / "tools" / "check_catalogue.py"
    ok = subprocess.run([sys.executable, tool, CATALOGUE], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "ok, plugin acme" in ok.stdout
    clash = _copy_package(tmp_path, "rival", CATALOGUE.read_text(encoding="utf-8").replace("5.1", "4.1"))
    bad = subprocess.run([sys.executable, tool, clash], capture_output=True, text=True)
    assert bad.returncode == 1 and "plugin 'upw'" in bad.stderr


# --------------------------------------------------------------------------------------
# The example, installed into a fresh virtual environment beside the wheel
# --------------------------------------------------------------------------------------


def _run(args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    """A fresh virtual environment with the hmip-inspect wheel and the example plugin, both
    installed as a user would (from a copy of the example, so the build leaves no files in
    this checkout)."""
    dist = tmp_path_factory.mktemp("dist")
    built = _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", dist, ROOT])
    assert built.returncode == 0, built.stderr
    [wheel] = dist.glob("hmip_inspect-*.whl")
    source = tmp_path_factory.mktemp("src") / "plugin"
    shutil.copytree(PLUGIN, source, ignore=shutil.ignore_patterns("*.egg-info", "build", "__pycache__"))
    home = tmp_path_factory.mktemp("venv")
    created = _run([sys.executable, "-m", "venv", home])
    assert created.returncode == 0, created.stderr
    installed = _run([home / "bin" / "pip", "install", "-q", wheel, source])
    assert installed.returncode == 0, installed.stderr
    return home


@pytest.fixture(scope="module")
def installed_package(venv, tmp_path_factory) -> Path:
    """The installed copy of the plugin's package (not this checkout's)."""
    located = _run([venv / "bin" / "python", "-c",
                    "import hmip_inspect_acme, pathlib; print(pathlib.Path(hmip_inspect_acme.__file__).parent)"],
                   cwd=tmp_path_factory.mktemp("cwd"))
    assert located.returncode == 0, located.stderr
    package = Path(located.stdout.strip())
    assert package.is_relative_to(venv), package
    return package


def _inspect(venv: Path, *args, cwd: Path) -> subprocess.CompletedProcess:
    return _run([venv / "bin" / "inspect", *args], cwd=cwd)


def _standard(report: dict, standard_id: str) -> dict:
    [found] = [s for s in report["standards"] if s["id"] == standard_id]
    return found


def test_installed_example_is_listed_and_its_catalogue_checks(venv, installed_package, tmp_path):
    listed = _inspect(venv, "plugins", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("acme "))
    assert lines[at].split()[1:] == ["loaded", "hmip-inspect-acme", "0.1.0"]
    block = "\n".join(lines[at:at + 3])
    assert ("hooks: hmip_case_attributes, hmip_catalogues, hmip_check_settings, hmip_profiles, "
            "hmip_rating_adjustments") in block
    assert "standards: 5.1" in block

    checked = _inspect(venv, "check-catalogue", installed_package / "standards.toml", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert "ok, plugin acme, edition 2019, 1 standard(s)" in checked.stdout


def test_installed_example_rates_its_standard_and_applies_its_adjustment(venv, installed_package, tmp_path):
    folder = installed_package / "examples" / "acme-crc"
    rated = _inspect(venv, "run", "--inspection", folder, "--format", "json", cwd=tmp_path)
    assert rated.returncode == 0, rated.stderr
    report = json.loads(rated.stdout)
    assert report["profile"] == "acme-crc"
    standard = _standard(report, "5.1")
    assert standard["plugin"] == "acme" and standard["cases"] == 8
    assert standard["indicative_rating"] == "Requires improvement"     # 5.1.1 at 63%
    assert standard["rating"] == "Good"                                # moved up one band
    [adjustment] = standard["adjustments"]
    assert adjustment["applied"] is True and adjustment["direction"] == "up"
    assert "6 of 8 cases ended in settled accommodation" in adjustment["rationale"]
    assert "at least 5" in adjustment["rationale"]
    assert (report["overall"]["score"], report["overall"]["max_score"]) == (19, 33)
    assert _standard(report, "4.1")["rating"] == "Good"               # crc's standards as before

    # The same folder, the threshold raised above the settled cases: proposed, not applied.
    strict = tmp_path / "acme-strict.toml"
    strict.write_text('[profile]\nname = "acme-strict"\nextends = "acme-crc"\n\n'
                      '[plugins.acme]\nmin_cases = 7\n', encoding="utf-8")
    rated = _inspect(venv, "run", "--profile", strict, "--inspection", folder, "--format", "json",
                     cwd=tmp_path)
    assert rated.returncode == 0, rated.stderr
    standard = _standard(json.loads(rated.stdout), "5.1")
    assert standard["rating"] == "Requires improvement"
    [adjustment] = standard["adjustments"]
    assert adjustment["applied"] is False and "at least 7" in adjustment["rationale"]

    # Settings the plugin refuses (hmip_check_settings) stop the profile, naming the key.
    strict.write_text('[profile]\nname = "acme-strict"\nextends = "acme-crc"\n\n'
                      '[plugins.acme]\nmin_cases = 0\nmax_cases = 3\n', encoding="utf-8")
    refused = _inspect(venv, "run", "--profile", strict, "--inspection", folder, cwd=tmp_path)
    assert refused.returncode == 1
    assert "[plugins.acme]: min_cases: expected a whole number of at least 1, found 0" in refused.stderr
    assert "[plugins.acme]: max_cases: unknown setting" in refused.stderr


def test_installed_example_does_not_act_on_a_profile_that_does_not_list_it(venv, tmp_path):
    rated = _inspect(venv, "run", "--profile", "crc", cwd=tmp_path)
    assert rated.returncode == 0, rated.stderr
    assert "Overall: Good (17/30)" in rated.stdout
    assert "5.1" not in rated.stdout and "acme" not in rated.stdout


# --------------------------------------------------------------------------------------
# The guide and the README keep up with the contract
# --------------------------------------------------------------------------------------


def test_the_guide_and_the_readme_document_every_hook_with_its_arguments():
    import inspect as pyinspect

    from hmip_inspect.core.plugin import spec
    guide = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    hooks = [name for name in dir(spec) if name.startswith("hmip_")]
    assert len(hooks) == 8
    for name in hooks:
        signature = f"`{name}({', '.join(pyinspect.signature(getattr(spec, name)).parameters)})`"
        assert signature in guide, signature
        assert f"| {signature} |" in readme, signature
    assert "tools/check_catalogue.py" not in guide
