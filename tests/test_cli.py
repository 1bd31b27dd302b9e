"""The CLI's own behaviour: version, help, logging that keeps case data out."""

import json
from importlib.metadata import version

import pytest

from structlog.testing import capture_logs


def test_version(inspect_cli):
    result = inspect_cli("--version")
    assert result.exit_code == 0
    from hmip_inspect.core.store.schema import SCHEMA_VERSION
    assert result.stdout.strip() == f"hmip-inspect {version('hmip-inspect')} (store schema {SCHEMA_VERSION})"


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


def test_each_command_is_built_by_the_module_the_cli_map_names():
    """``inspect X`` builds only X's module (start-up is benchmarked): the map must be true."""
    import importlib

    import typer

    app_module = importlib.import_module("hmip_inspect.core.cli.app")
    for module_name in set(app_module.COMMAND_MODULES.values()):
        fresh = typer.Typer()
        importlib.import_module(f"hmip_inspect.core.cli.{module_name}").register(fresh, lambda f: f)
        names = {c.name or c.callback.__name__.replace("_", "-") for c in fresh.registered_commands}
        names |= {g.name for g in fresh.registered_groups}
        assert names == {n for n, m in app_module.COMMAND_MODULES.items() if m == module_name}, module_name


def test_a_command_runs_with_only_its_own_module_built(inspect_cli):
    import subprocess
    import sys
    code = ("import sys; from hmip_inspect.core.cli import main; sys.argv = ['inspect', 'profiles'];\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('hmip_inspect.core.cli.')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "hmip_inspect.core.cli.catalogue" in done.stdout
    assert "hmip_inspect.core.cli.case" not in done.stdout and "hmip_inspect.core.cli.store" not in done.stdout


@pytest.mark.parametrize("argv", [["standards", "--profile", "crc"], ["--version"]])
def test_a_reader_that_goes_away_ends_the_command_quietly(argv):
    """``inspect ... | head``: once the reader has closed the pipe, the command stops without an
    error message, with the status a shell gives a command SIGPIPE ended (141)."""
    import subprocess
    import sys

    from hmip_inspect.core.cli.app import BROKEN_PIPE_STATUS
    code = ("import sys; from hmip_inspect.core.cli import main; "
            f"sys.argv = ['inspect', *{argv!r}]; main()")
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()          # gone before the first line is written
    _, err = process.communicate(timeout=120)
    assert err.decode() == ""
    assert process.returncode == BROKEN_PIPE_STATUS
