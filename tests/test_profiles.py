"""Profiles: built-in and user TOML files, extends, validation field by field."""

import pytest
from hmip_inspect.core.catalogue.records import Rating
from hmip_inspect.core.errors import InputError
from hmip_inspect.core.profiles.reader import load_profile
from hmip_inspect.core.rating.rules import OverallBands


def write(path, text):
    path.write_text(text)
    return str(path)


def test_crc_profile(session):
    profile = session.profile("crc")
    assert profile.standards == ("1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "4.1", "4.2")
    assert profile.plugins == ("domain1", "domain2", "upw", "ttg")
    assert (profile.judgement_window, profile.rounding, profile.max_score) == (5, "half-up", 30)
    assert profile.bands_derived is False
    # The published CRC bands are exactly what the derivation rule gives for ten standards.
    assert profile.overall_bands == OverallBands.derived(10)


def test_unknown_profile_names_the_available_ones(inspect_cli):
    result = inspect_cli("run", "--profile", "crcc")
    assert result.exit_code == 1
    assert "unknown profile 'crcc'; available: crc" in result.stderr


def test_profile_file_not_found(inspect_cli, tmp_path):
    result = inspect_cli("run", "--profile", str(tmp_path / "mine.toml"))
    assert result.exit_code == 1
    assert "mine.toml not found" in result.stderr


def test_malformed_profile_toml(session, tmp_path):
    path = write(tmp_path / "bad.toml", "[profile]\nname = \n")
    with pytest.raises(InputError, match=r"bad\.toml: not valid TOML"):
        session.profile(path)


def test_unknown_keys_and_bad_values_are_reported_field_by_field(session, tmp_path):
    path = write(tmp_path / "mine.toml", """
[profile]
name = "mine"
extends = "crc"
standard = ["2.1"]
[rating]
rounding = "bankers"
judgement_window = "five"
colour = "blue"
[rating.key_question_bands]
requires_improvement = 50
good = 40
outstanding = 80
[rating.overall_bands]
inadequate = [0, 5]
requires_improvement = "6-15"
good = [16, 25]
outstanding = [26, 30]
""")
    with pytest.raises(InputError) as caught:
        session.profile(path)
    text = str(caught.value)
    for fragment in (
        "mine.toml [profile]: unknown key 'standard'",
        "mine.toml [rating] rounding: expected one of 'half-up', 'none', found 'bankers'",
        "mine.toml [rating] judgement_window: expected a whole number, found 'five'",
        "mine.toml [rating]: unknown key 'colour'",
        "boundaries must increase",
        "requires_improvement: expected [lowest, highest] whole-number scores, found '6-15'",
    ):
        assert fragment in text
    assert len(caught.value.problems) == 6


def test_missing_required_keys(session, tmp_path):
    path = write(tmp_path / "empty.toml", "[profile]\ntitle = \"nothing\"\n")
    with pytest.raises(InputError) as caught:
        session.profile(path)
    assert {p.message for p in caught.value.problems} == {
        "missing key 'name'", "missing key 'edition'", "missing key 'plugins'", "missing key 'standards'"}


def test_extends_inherits_and_overrides(session, tmp_path):
    path = write(tmp_path / "strict.toml", """
[profile]
name = "strict"
extends = "crc"
[rating]
judgement_window = 3
[rating.key_question_bands]
requires_improvement = 55
good = 70
outstanding = 85
""")
    profile = session.profile(path)
    assert profile.standards == session.profile("crc").standards
    assert profile.judgement_window == 3
    assert profile.key_question_bands.good == 70
    assert profile.overall_bands == OverallBands.derived(10)  # inherited explicit bands
    assert profile.example is not None and profile.example.name == "crc"


def test_extending_with_fewer_standards_derives_bands(session, tmp_path, inspect_cli, example):
    path = write(tmp_path / "casework.toml", """
[profile]
name = "casework"
extends = "crc"
plugins = ["domain1", "domain2"]
standards = ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4"]
""")
    profile = session.profile(path)
    assert profile.bands_derived is True
    assert profile.max_score == 24
    assert profile.overall_bands.ranges[0] == (Rating.INADEQUATE, 0, 4)
    refused = inspect_cli("run", "--profile", path, "--inspection", example)
    assert refused.exit_code == 1
    assert "question 4.1.1 belongs to standard 4.1, which this inspection's profile does not rate" in refused.stderr
    (example / "cases" / "upw.csv").unlink()
    (example / "cases" / "ttg.csv").unlink()
    judgements = (example / "judgements.toml").read_text()
    (example / "judgements.toml").write_text(judgements[: judgements.rindex("[[panel]]")])
    result = inspect_cli("run", "--profile", path, "--inspection", example, "--format", "json")
    assert result.exit_code == 0, result.stderr
    # 4 Good domain one + Good, Good, Inadequate, Inadequate = 12 of 24 -> Requires improvement (5-12).
    assert '"score": 12' in result.stdout and '"max_score": 24' in result.stdout
    assert '"rating": "Requires improvement"' in result.stdout.split('"standards"')[0]


def test_explicit_bands_that_do_not_fit_are_refused(session, tmp_path):
    path = write(tmp_path / "odd.toml", """
[profile]
name = "odd"
extends = "crc"
standards = ["2.1", "2.2"]
plugins = ["domain2"]
[rating.overall_bands]
inadequate = [0, 1]
requires_improvement = [2, 3]
good = [4, 5]
outstanding = [6, 7]
""")
    with pytest.raises(InputError, match="2 standards score up to 6"):
        session.profile(path)


def test_extends_cycle_is_refused(session, tmp_path):
    write(tmp_path / "a.toml", '[profile]\nname = "a"\nextends = "b.toml"\n')
    write(tmp_path / "b.toml", '[profile]\nname = "b"\nextends = "a.toml"\n')
    with pytest.raises(InputError, match="extends itself"):
        session.profile(str(tmp_path / "a.toml"))


def test_unknown_plugin_and_standard(session, tmp_path):
    path = write(tmp_path / "more.toml", """
[profile]
name = "more"
extends = "crc"
add_plugins = ["victim-work"]
add_standards = ["3.2", "5.1"]
""")
    with pytest.raises(InputError) as caught:
        session.profile(path)
    text = str(caught.value)
    assert "unknown plugin 'victim-work'" in text
    assert "standard 3.2 comes from plugin 'victims', which the profile does not list" in text
    assert "standard 5.1 (2019 edition) is not contributed by any loaded plugin" in text


def test_standard_from_an_unlisted_plugin(session, tmp_path):
    path = write(tmp_path / "narrow.toml", """
[profile]
name = "narrow"
extends = "crc"
plugins = ["domain1", "domain2", "upw"]
""")
    with pytest.raises(InputError, match=r"standard 4\.2 comes from plugin 'ttg', which the profile does not list"):
        session.profile(path)


def test_builtin_profile_by_name_through_load_profile(session):
    assert load_profile("crc", session.profiles).name == "crc"


def test_profiles_command(inspect_cli):
    result = inspect_cli("profiles")
    assert result.exit_code == 0
    assert "crc" in result.stdout and "10 standards, 0-30" in result.stdout


def test_standards_command_lists_key_questions_prompts_and_rules(inspect_cli):
    result = inspect_cli("standards", "--profile", "crc")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "2.1 Assessment  [domain2 cases; plugin domain2]" in out
    assert "  2.1.1 Does assessment focus sufficiently on engaging the service user?  (A 1, A 1 S)" in out
    assert "2.1.3" in out and "applies to rosh in high, medium, very-high" in out
    assert "[qualitative]" in out
    assert "2.3.1.d Post-custody cases only:" in out
    assert "1.1 Leadership  [lead inspector's judgement; plugin domain1]" in out
    short = inspect_cli("standards", "--profile", "crc", "--no-prompts").stdout
    assert "2.1.1.a" not in short and "2.1.1 " in short


def test_shipped_profile_must_be_named_by_its_file(session, tmp_path, monkeypatch):
    shipped = tmp_path / "court.toml"
    shipped.write_text('[profile]\nname = "courts"\nextends = "crc"\n')
    crc = session.profile("crc").path
    monkeypatch.setattr(session, "_profiles", {"crc": crc, "court": shipped})
    with pytest.raises(InputError, match="a shipped profile is named by its file: expected 'court', found 'courts'"):
        session.profile("court")
