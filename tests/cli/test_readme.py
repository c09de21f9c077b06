"""The README's example session, run against the seed papers: each shown line must be what the command
prints (the seconds of `index` aside; `...` stands for the rest)."""

import re
import shlex

import pytest
from typer.testing import CliRunner

from pcp_search.cli import app
from tests.conftest import ROOT

runner = CliRunner()


def session() -> list[tuple[str, list[str]]]:
    """The ```console block under '## Example session' as (command line, shown lines)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    text = readme[readme.index("## Example session"):]
    block = text[text.index("```console") + len("```console"):]
    block = block[:block.index("```")]
    steps: list[tuple[str, list[str]]] = []
    for line in block.strip("\n").splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line)
    return steps


def _shown(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines[:-1] if lines and lines[-1] == "..." else lines


def _mask(line: str) -> str:
    return re.sub(r"\b\d+\.\ds$", "N.Ns", line)


STEPS = session()


def test_the_session_is_there():
    assert [command.split()[1] for command, _ in STEPS] == ["index", "search", "entities", "show"]


@pytest.mark.parametrize("command,lines", STEPS, ids=[c for c, _ in STEPS])
def test_each_example_prints_what_the_readme_shows(command, lines, seed_index, corpus_copy, tmp_path):
    words = shlex.split(command)
    head = None
    if "|" in words:  # `... | head -2`
        words, pipe = words[:words.index("|")], words[words.index("|") + 1:]
        assert pipe[0] == "head", pipe
        head = int(pipe[1].lstrip("-"))
    args = words[1:]
    if args[0] == "index":  # the default folder is corpus/: here, a copy of the seeds
        args = ["index", str(corpus_copy), "--index-dir", str(tmp_path / "index")]
    else:
        args += ["--index-dir", str(seed_index)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    actual = [line for line in result.stdout.splitlines()]
    actual = actual[:head] if head else actual
    shown = _shown(lines)
    assert [_mask(x) for x in actual[:len(shown)]] == [_mask(x) for x in shown], (
        f"README's example of `{command}` is stale: it now prints\n" + "\n".join(actual[:len(shown)]))
