"""The command line as a member or a script uses it: exit codes, text, and the JSON contract."""

import json
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from pcp_search.cli import app
from tests.conftest import PAPERS, ROOT

runner = CliRunner()
RESULT_FIELDS = {"id", "kind", "score", "document", "title", "date", "section", "page", "question", "answer",
                 "asked_by", "answered_by", "text", "snippet", "entities"}


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_search_json_carries_every_contract_field(seed_index):
    result = run("search", "MASH", "--json", "--index-dir", seed_index)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"query", "total", "suggestion", "results"} <= set(data)
    assert data["query"] == "MASH" and data["total"] > 0 and data["suggestion"] is None
    for hit in data["results"]:
        assert RESULT_FIELDS <= set(hit), RESULT_FIELDS - set(hit)
        assert hit["kind"] in ("qa", "passage")
        assert all({"id", "label", "text"} <= set(e) for e in hit["entities"])
        assert hit["date"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", hit["date"])
    assert any(e["id"] == "programme:mash" for hit in data["results"] for e in hit["entities"])


def test_ids_are_stable_across_reindexing_an_unchanged_file(tmp_path, corpus_copy):
    index_dir = tmp_path / "ix"
    assert run("index", corpus_copy, "--index-dir", index_dir).exit_code == 0
    first = json.loads(run("search", "Atlantic House", "--json", "--index-dir", index_dir).output)
    assert run("index", corpus_copy, "--index-dir", index_dir, "--force").exit_code == 0
    second = json.loads(run("search", "Atlantic House", "--json", "--index-dir", index_dir).output)
    assert [r["id"] for r in first["results"]] == [r["id"] for r in second["results"]]


def test_search_text_output_reads_like_a_citation(service, seed_index):
    result = run("search", "Atlantic House", "--index-dir", seed_index)
    assert result.exit_code == 0, result.output
    assert "gone into receivership" in result.output
    assert "PCC, Thames Valley PCP, 27 Jan 2023, minute 49/23" in result.output


def test_missing_index_is_one_line_and_exit_2(tmp_path):
    result = run("search", "anything", "--index-dir", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0
    assert "run `pcp-search index` first" in result.output


BAD_QUERIES = ['"unbalanced', "(open", "AND", "OR OR", "-", "*", "force:", "date:garbage", "\x00\x07", "🚓" * 10, "x" * 5000]


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_queries_give_a_message_never_a_traceback(seed_index, query):
    result = run("search", query, "--json", "--index-dir", seed_index)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert isinstance(data["total"], int)


def test_filters_entity_kind_and_dates(seed_index):
    options = ("--kind", "qa", "--entity", "TVP", "--since", "2023", "--json", "--index-dir", seed_index)
    data = json.loads(run("search", "budget", *options).output)
    assert data["results"]
    assert all(r["kind"] == "qa" and r["date"] >= "2023-01-01" for r in data["results"])
    assert all(any(e["id"] == "force:thames-valley" for e in r["entities"]) for r in data["results"])
    bad = run("search", "budget", "--since", "soon", "--index-dir", seed_index)
    assert bad.exit_code == 2 and "cannot read --since" in bad.output


def test_a_panel_named_in_words_scopes_the_search_and_the_notes_say_so(seed_index):
    def search(query):
        result = run("search", query, "--json", "--index-dir", seed_index)
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    data = search("stop and search on the Thames Valley panel")
    assert data["query"] == "stop and search on the Thames Valley panel"
    assert "read 'on the Thames Valley panel' as a panel: searched only the papers of Thames Valley PCP" in data["notes"]
    assert data["total"] and {r["panel"] for r in data["results"]} == {"Thames Valley PCP"}
    assert data["total"] == search("stop and search")["total"]  # (the seed papers are all Thames Valley's)
    for other in ("Thames Valley Police stop and search", "stop and search on the Kent and Medway PCP"):
        assert not [note for note in search(other)["notes"] if "panel" in note], other  # a force; a panel not indexed
    assert search("panel:Kent stop and search")["notes"] == ["no panel called 'Kent' in the index; ignored"]


def test_ask_gives_answer_sentences_and_a_citation(seed_index):
    result = run("ask", "is stop and search actually working?", "--json", "--index-dir", seed_index)
    data = json.loads(result.output)
    top = data["results"][0]
    assert top["kind"] == "qa" and "stop and search" in top["question"].lower()
    assert 1 <= len(top["answer_sentences"]) <= 3
    text = run("ask", "is stop and search actually working?", "--index-dir", seed_index).output
    assert "— PCC, Thames Valley PCP, 27 Jan 2023, minute 52/23" in text


def test_similar_timeline_show_parse_entities(seed_index):
    draft = "Has the PCC said how many PCSOs are vacant?"
    similar = json.loads(run("similar", draft, "--json", "--index-dir", seed_index).output)
    assert similar["results"] and all(r["kind"] == "qa" for r in similar["results"])
    timeline = json.loads(run("timeline", "MASH", "--json", "--index-dir", seed_index).output)
    dates = [g["date"] for g in timeline["groups"] if g["date"]]
    assert dates == sorted(dates) and sum(timeline["years"].values()) <= timeline["total"]
    record_id = similar["results"][0]["id"]
    shown = json.loads(run("show", record_id, "--json", "--index-dir", seed_index).output)
    assert shown["id"] == record_id and shown["citation"] and shown["section_text"]
    assert run("show", "nope#qa1", "--index-dir", seed_index).exit_code == 2
    parsed = json.loads(run("parse", PAPERS / "council_questions.txt", "--json").output)
    assert {"document", "title", "kind", "date", "sections", "qa"} <= set(parsed)
    assert parsed["qa"][0]["asked_by"] == "Councillor Raj Patel"
    entities = json.loads(run("entities", "--label", "FORCE", "--json", "--index-dir", seed_index).output)
    assert entities and all(e["count"] > 0 and e["id"].startswith("force:") for e in entities)
    tvp = next(e for e in entities if e["id"] == "force:thames-valley")
    assert "TVP" in tvp["aliases"]


def test_parse_of_a_broken_file_is_one_line(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"garbage")
    result = run("parse", bad)
    assert result.exit_code == 2
    assert result.output.startswith("error:") and result.output.count("\n") == 1


def test_python_dash_m_and_console_script_work(seed_index):
    out = subprocess.run([sys.executable, "-m", "pcp_search", "search", "RESTART", "--json", "--index-dir", str(seed_index)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["total"] > 0


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    commands = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert {"index", "search", "ask", "similar", "timeline", "show", "parse", "entities", "tui"} <= set(commands)
    for name in commands:
        assert f"pcp-search {name}" in readme, name
        result = run(name, "--help")
        assert result.exit_code == 0 and "Usage" in result.output
        assert len(result.output.splitlines()) > 3
