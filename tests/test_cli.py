"""The CLI's own behaviour: version, help, logging that keeps case data out."""

import json
from importlib.metadata import version

from structlog.testing import capture_logs


def test_version(inspect_cli):
    result = inspect_cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"hmip-inspect {version('hmip-inspect')}"


def test_help_lists_the_commands(inspect_cli):
    result = inspect_cli("--help")
    assert result.exit_code == 0
    for command in ("run", "profiles", "plugins", "standards"):
        assert command in result.stdout


def test_logs_never_carry_answers_or_evidence(session, example):
    """Case data is sensitive: neither answers nor free text reach the log, at any level."""
    evidence = (example / "judgements.toml").read_text()
    with capture_logs() as events:
        session.run("crc", example)
    assert events, "the run should log something"
    logged = json.dumps(events, default=str)
    assert "D2-0" not in logged                      # no case ids
    assert '"yes"' not in logged and '"no"' not in logged
    assert "Leaders hold to a clear vision" in evidence
    assert "Leaders hold to a clear vision" not in logged
    info = [e for e in events if e["log_level"] == "info"]
    assert {e["event"] for e in info} == {"inspection rated"}


def test_verbose_logs_go_to_stderr_not_stdout(inspect_cli):
    result = inspect_cli("--verbose", "run", "--profile", "crc", "--format", "json")
    assert result.exit_code == 0
    json.loads(result.stdout)                        # stdout stays pure JSON
    assert "plugins registered" in result.stderr


def test_quiet_by_default(inspect_cli):
    result = inspect_cli("run", "--profile", "crc", "--format", "json")
    assert result.stderr == ""
