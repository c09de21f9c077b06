"""The README says what the code does: its command table and its JSON contract are checked here
(as sqlite-utils' tests/test_docs.py does)."""

import json
import re

import pytest
from typer.testing import CliRunner

from pcp_search.cli import app
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = [c.name or c.callback.__name__ for c in app.registered_commands] + [g.name for g in app.registered_groups]
runner = CliRunner()


def _documented_fields(anchor: str) -> set[str]:
    """The names of the top-level object the README gives for a command's --json: the quoted words
    that open an entry ({"query": ..., "total", ...}) at the object's own depth, not nested ones."""
    text = README[README.index(anchor):]
    text = text[text.index("{"):]  # the first object after the mention
    names, depth, previous = set(), 0, ""
    for token in re.findall(r'"[^"]*"|[{}\[\],:]', text):
        if token in "{[":
            depth += 1
        elif token in "}]":
            depth -= 1
            if depth == 0:
                break
        elif token.startswith('"') and depth == 1 and previous in ("{", ","):
            names.add(token.strip('"'))
        previous = token
    return names


def test_every_command_is_in_the_readme_table_and_has_help():
    table = {m.group(1) for m in re.finditer(r"^\| `pcp-search (\w+)", README, re.M)}
    assert table == set(COMMANDS)
    for command in COMMANDS:
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0 and len(result.output) > 100, command


@pytest.mark.parametrize("command,args,anchor", [
    ("search", ["MASH"], "`search --json` prints one object"),
    ("ask", ["what did the PCC say about MASH?"], "`ask --json` prints"),
    ("timeline", ["CCTV"], "`timeline --json` prints"),
])
def test_the_json_contract_names_what_the_commands_print(seed_index, command, args, anchor):
    result = runner.invoke(app, [command, *args, "--json", "--index-dir", str(seed_index)])
    assert result.exit_code == 0, result.output
    documented = _documented_fields(anchor)
    assert documented and documented <= set(json.loads(result.output)), documented - set(json.loads(result.output))


def test_every_command_that_prints_results_takes_json():
    for command in set(COMMANDS) - {"tui", "watch"}:
        assert "--json" in runner.invoke(app, [command, "--help"]).output, command
