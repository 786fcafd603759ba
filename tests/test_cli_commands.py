"""What every command shares: help text, --version, a closed stdout, a store that is not there, start-up cost."""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
from pathlib import Path

import pytest

from newsgraph.cli import build_parser, main, subcommand
from newsgraph.cli.common import EXIT_BROKEN_PIPE

COMMANDS = ("analyze", "schema", "ingest", "batch", "load", "search", "actor", "unlink", "merge", "unmerge", "actors",
            "claims", "claim", "contradictions", "stories", "stance", "export", "serve")


def commands() -> dict[str, argparse.ArgumentParser]:
    return {name: subcommand(build_parser(), name) for name in COMMANDS}


def test_every_command_and_argument_has_help_text() -> None:
    parser = build_parser()
    listed = {a.dest for action in parser._actions if isinstance(action, argparse._SubParsersAction)
              for a in action._choices_actions}
    assert listed == set(COMMANDS)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            assert all(choice.help for choice in action._choices_actions)
    for name, command in commands().items():
        assert command.description, name
        for argument in command._actions:
            assert argument.help, f"{name} {argument.option_strings or argument.dest} has no help"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from newsgraph import __version__

    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"newsgraph {__version__}"


def modules_loaded_by(statement: str, watched: tuple[str, ...]) -> list[str]:
    """Which of the watched modules a fresh interpreter has imported after running `statement`."""
    code = f"import sys; {statement}; print(' '.join(m for m in {watched!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    return result.stdout.split()


def test_building_the_parser_loads_no_nlp_store_or_web_stack() -> None:
    # `newsgraph search --help` must start at once: the parser may not import what the commands use.
    heavy = ("spacy", "datasketch", "sqlalchemy", "fastapi", "pydantic", "pyarrow", "trafilatura", "newsgraph.records")
    assert modules_loaded_by("import newsgraph.cli; newsgraph.cli.build_parser()", heavy) == []


class ClosedPipe(io.StringIO):
    """stdout whose reader has gone away, as after `| head`."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_stdout_ends_quietly(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["schema"]) == EXIT_BROKEN_PIPE
    assert capsys.readouterr().err == ""


def test_a_closed_pipe_gives_no_traceback_in_a_real_process() -> None:
    process = subprocess.Popen([sys.executable, "-m", "newsgraph.cli", "schema"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader leaves before the first line is written
    err = process.stderr.read()
    assert process.wait(timeout=60) in (0, EXIT_BROKEN_PIPE)
    assert err == b""


@pytest.mark.parametrize("argv", [["search", "Putin"], ["actor", "Putin"], ["export"], ["unlink", "a", "E1"],
                                  ["claims"], ["claim", "Putin won"], ["contradictions"], ["stories"],
                                  ["claims", "show", "1"], ["serve", "--port", "1"]])
def test_read_commands_refuse_a_store_that_is_not_there(argv: list[str], tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSGRAPH_DB", raising=False)
    assert main(argv) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "no store at" in err and "newsgraph ingest" in err
    assert list(tmp_path.iterdir()) == []


def test_search_takes_dash_words_for_exclusions_not_options() -> None:
    from newsgraph.cli.search import exclusions_apart

    search = subcommand(build_parser(), "search")
    assert exclusions_apart(["trump", "-putin", "--since", "2022-01-01", "-h"], search) == (
        ["trump", "--since", "2022-01-01", "-h"], ["-putin"])
    assert exclusions_apart(["--speaker", "-x", "-y"], search) == (["--speaker", "-x"], ["-y"])
    assert exclusions_apart(["--", "-1"], search) == (["--", "-1"], [])


def test_the_command_line_names_the_store_s_tables_and_formats() -> None:
    from newsgraph.cli import export as command
    from newsgraph.store import export, network, network_export

    assert (*export.WHAT, "network") == command.WHAT
    assert set(command.FORMATS) == set(export.FORMATS) | set(network_export.NETWORK_FORMATS)
    assert (command.NETWORK_FORMATS, command.EDGE_TYPES) == (network_export.NETWORK_FORMATS, network.EDGE_TYPES)


def test_the_read_side_of_the_store_loads_no_nlp_stack() -> None:
    assert modules_loaded_by("import newsgraph.store.query, newsgraph.store.export, newsgraph.store.connect", (
        "spacy", "datasketch", "numpy", "trafilatura", "newsgraph.store.write")) == []
