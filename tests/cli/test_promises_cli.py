"""`undertakings`, `brief` and `watch` as a member runs them, on two meetings of a made-up panel
(tests/data/promises): a report on victim satisfaction promised in June and presented in September."""

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from pcp_search.cli import app

DATA = Path(__file__).resolve().parents[1] / "data" / "promises"
runner = CliRunner()


def run(*args):
    result = runner.invoke(app, [str(a) for a in args])
    return result


def _index(tmp_path, *names):
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(DATA / name, corpus / name)
    index_dir = tmp_path / "index"
    result = run("index", corpus, "--index-dir", index_dir, "--workers", 1)
    assert result.exit_code == 0, result.output
    return corpus, index_dir, result


def test_undertakings_lists_each_promise_with_status_and_citation(tmp_path):
    _corpus, index_dir, _ = _index(tmp_path, "2023-06-13_minutes.txt", "2023-09-19_minutes.txt")
    result = run("undertakings", "--index-dir", index_dir)
    assert result.exit_code == 0, result.output
    assert "2 undertakings: 1 open, 1 followed up" in result.output
    assert "[followed up] 13 Jun 2023 · by the Commissioner, asked by Cllr P Singh, due to the next meeting" in result.output
    assert "followed up: Northfold and Dale PCP, 19 Sep 2023, 52 Victim Satisfaction Report" in result.output
    data = json.loads(run("undertakings", "victim satisfaction", "--json", "--index-dir", index_dir).output)
    assert data["total"] == 1
    item = data["undertakings"][0]
    assert {"text", "date", "document", "id", "citation", "asked_by", "promised_by", "due", "status"} <= set(item)
    assert item["date"] == "2023-06-13" and item["status"] == "followed up"
    opened = json.loads(run("undertakings", "--status", "open", "--json", "--index-dir", index_dir).output)
    assert [u["promised_by"] for u in opened["undertakings"]] == ["the Chief Finance Officer"]


def test_brief_writes_the_promised_report_with_its_date(tmp_path):
    _corpus, index_dir, _ = _index(tmp_path, "2023-06-13_minutes.txt", "2023-09-19_minutes.txt")
    out = tmp_path / "brief.md"
    result = run("brief", "victim satisfaction", "--format", "md", "--output", out, "--index-dir", index_dir)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "agreed to provide a report on victim satisfaction" in text and "**13 Jun 2023**" in text
    assert run("brief", "victim satisfaction", "--index-dir", index_dir).output.startswith("# Briefing: victim satisfaction")
    page = run("brief", "victim satisfaction", "--format", "html", "--index-dir", index_dir).output
    assert page.startswith("<!DOCTYPE html>")
    bad = run("brief", "x", "--format", "pdf", "--index-dir", index_dir)
    assert bad.exit_code == 2 and "use one of md, html" in bad.output


def test_watch_reports_a_new_papers_match_once(tmp_path):
    corpus, index_dir, first = _index(tmp_path, "2023-06-13_minutes.txt")
    assert "saved searches" not in first.output  # nothing saved, nothing said
    assert run("watch", "add", "victim satisfaction", "--index-dir", index_dir).exit_code == 0
    assert "1. victim satisfaction" in run("watch", "list", "--index-dir", index_dir).output
    shutil.copy(DATA / "2023-09-19_minutes.txt", corpus)
    again = run("index", corpus, "--index-dir", index_dir, "--workers", 1)
    assert again.output.rstrip().splitlines()[-1].startswith("1 new match for saved searches")
    check = run("watch", "check", "--index-dir", index_dir)
    assert "1. victim satisfaction: 1 new match" in check.output and "19 Sep 2023" in check.output
    data = json.loads(run("watch", "check", "--json", "--index-dir", index_dir).output)
    assert data["total_new"] == 0  # reported once, not again
    assert run("watch", "remove", 1, "--index-dir", index_dir).exit_code == 0
    gone = run("watch", "remove", 1, "--index-dir", index_dir)
    assert gone.exit_code == 2 and "no saved search number 1" in gone.output


def test_a_missing_index_is_one_line(tmp_path):
    for args in (["undertakings"], ["brief", "CCTV"], ["watch", "check"]):
        result = run(*args, "--index-dir", tmp_path / "nowhere")
        assert result.exit_code == 2 and "index not found" in result.output, args
