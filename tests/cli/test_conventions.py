"""The conventions a newcomer expects of a command line: --version, -h, usage errors that list what is
valid (exit 2), no highlight marks or escape codes when piped or asked for no colour, a pager for long
output on a terminal."""

import os
import pty
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from pcp_search.cli import app

runner = CliRunner()
ESC = "\x1b["


def run(*args, **kwargs):
    return runner.invoke(app, [str(a) for a in args], **kwargs)


def on_a_terminal(*args, env=None, timeout=60) -> str:
    """What the CLI writes when its stdin and stdout are a terminal (a pseudo-terminal here)."""
    leader, follower = pty.openpty()
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "PAGER", "LESS")} | {"TERM": "xterm-256color"}
    proc = subprocess.Popen([sys.executable, "-m", "pcp_search", *map(str, args)], stdin=follower, stdout=follower,
                            stderr=follower, env=environ | (env or {}))
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the other end closed
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=timeout)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_version_and_short_help():
    from pcp_search import __version__

    version = run("--version")
    assert version.exit_code == 0 and version.output.strip() == f"pcp-search {__version__}"
    for args in (["-h"], ["search", "-h"], ["index", "-h"]):
        result = run(*args)
        assert result.exit_code == 0 and "Usage:" in result.output, args
    assert "--install-completion" in run("--help").output  # shell completion, documented in the README


def test_an_unknown_label_is_refused_with_the_valid_ones(tmp_path):
    result = run("entities", "--label", "BOGUS", "--index-dir", tmp_path)
    assert result.exit_code == 2
    assert "BOGUS" in result.output and "FORCE" in result.output and "PROGRAMME" in result.output
    assert result.output.count("\n") == 1


def test_labels_and_kinds_are_taken_in_any_case(seed_index):
    forces = run("entities", "--label", "forces", "--index-dir", seed_index)
    assert forces.exit_code == 0 and "force:thames-valley" in forces.output and "COUNCIL" not in forces.output
    assert "force:thames-valley" in run("entities", "-l", "Force", "--index-dir", seed_index).output
    bad = run("search", "MASH", "--kind", "minutes", "--index-dir", seed_index)
    assert bad.exit_code == 2 and "qa, passage" in bad.output


@pytest.mark.parametrize("command", ["index", "parse"])
def test_an_unsupported_file_type_is_refused_by_name(tmp_path, command):
    note = tmp_path / "note.xyz"
    note.write_text("hello", encoding="utf-8")
    result = run(command, note, *(["--index-dir", tmp_path / "ix"] if command == "index" else []))
    assert result.exit_code == 2
    assert "note.xyz" in result.output and "unsupported file type .xyz" in result.output and ".pdf" in result.output
    assert not (tmp_path / "ix").exists()


@pytest.mark.parametrize("command", ["index", "parse"])
def test_a_missing_path_is_named(tmp_path, command):
    missing = tmp_path / "nowhere" / "paper.txt"
    result = run(command, missing, *(["--index-dir", tmp_path / "ix"] if command == "index" else []))
    assert result.exit_code == 2
    assert str(missing) in result.output and "no such file" in result.output
    assert result.output.startswith("error:") and result.output.count("\n") == 1


def test_index_without_a_corpus_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("index", "--index-dir", tmp_path / "ix")
    assert result.exit_code == 2 and "corpus: no such file or folder" in result.output
    assert "pcp-search index PATH" in result.output


@pytest.mark.parametrize("command,query", [("search", "Atlantic House"), ("search", "MASH"), ("timeline", "CCTV"),
                                           ("similar", "how many PCSOs are vacant?"), ("ask", "what about MASH?")])
def test_piped_output_has_no_marks_or_escapes(seed_index, command, query):
    result = run(command, query, "--index-dir", seed_index)
    assert result.exit_code == 0, result.output
    assert "**" not in result.output and ESC not in result.output


def test_highlight_forces_the_marks_when_piped(seed_index):
    result = run("search", "MASH", "--highlight", "--index-dir", seed_index)
    assert "**MASH**" in result.output and ESC not in result.output
    assert "**MASH**" in run("--highlight", "search", "MASH", "--index-dir", seed_index).output
    assert "**" not in run("search", "MASH", "--index-dir", seed_index).output  # one run's options never leak into the next


def test_on_a_terminal_matches_are_bold_unless_colour_is_off(seed_index):
    args = ("search", "MASH", "-n", "2", "--index-dir", seed_index)
    assert ESC + "1m" in on_a_terminal(*args)
    for plain in (on_a_terminal(*args, env={"NO_COLOR": "1"}), on_a_terminal(*args, env={"TERM": "dumb"}),
                  on_a_terminal(*args, "--no-color"), on_a_terminal("--no-color", *args)):
        assert "MASH" in plain and ESC not in plain and "**" not in plain


def test_long_show_output_goes_through_the_pager_on_a_terminal(seed_index):
    args = ("show", "001_a12a3b4e05c5168b.txt#qa13", "--index-dir", seed_index)
    pager = {"PAGER": "sed s/^/PAGED:/", "LINES": "10", "COLUMNS": "80"}
    assert "PAGED:PCC, Thames Valley PCP, 27 Jan 2023" in on_a_terminal(*args, env=pager)
    assert "PAGED:" not in on_a_terminal(*args, "--no-pager", env=pager)
    assert "PAGED:" not in run(*args).output  # piped: never paged
