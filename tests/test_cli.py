"""The CLI's one error type: ``CliError`` carries its exit code; bad input of any command is one
line on stderr and exit 2, a failure exit 1, never a traceback (the named-query command's cases
are in ``test_queries.py``)."""

from __future__ import annotations

import pytest

from ctkg import cli


def test_cli_error_carries_its_exit_code():
    assert cli.CliError("x").exit_code == cli.EXIT_FAILED
    assert cli.CliError("x", exit_code=7).exit_code == 7
    assert cli.UsageError("x").exit_code == cli.EXIT_USAGE
    assert isinstance(cli.UsageError("x"), cli.CliError)
    assert cli.exit_code(ValueError("bad date")) == cli.EXIT_USAGE
    assert cli.exit_code(RuntimeError("store gone")) == cli.EXIT_FAILED


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["query", "@/no/such/file.rq"], "cannot read query file"),
        (["synth", "--triples", "1e4"], "give it its own --data-dir"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, argv, needle):
    code = cli.main(["--data-dir", str(tmp_path / "d"), *argv])
    err = capsys.readouterr().err
    assert code == cli.EXIT_USAGE, err
    assert needle in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith(f"ctkg {argv[0]}: error: ")


def test_a_command_failure_is_one_line_with_its_code(tmp_path, capsys, monkeypatch):
    def cmd_fails(args, settings):
        raise cli.CliError("the store went away", exit_code=cli.EXIT_FAILED)

    monkeypatch.setitem(cli.COMMANDS, "fails", (lambda p: p.set_defaults(func=cmd_fails), "x"))
    code = cli.main(["--data-dir", str(tmp_path), "fails"])
    err = capsys.readouterr().err
    assert code == cli.EXIT_FAILED
    assert err == "ctkg fails: error: the store went away\n"
