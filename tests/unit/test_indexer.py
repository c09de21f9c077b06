"""Indexing: incremental by content hash, hostile files skipped and named, crash safety."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pcp_search.cli import app
from pcp_search.indexer import index_paths
from pcp_search.search import SearchService
from tests.conftest import PAPERS

runner = CliRunner()
N_PAPERS = len(list(PAPERS.glob("*.txt")))


def write_papers(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for paper in PAPERS.glob("*.txt"):
        (folder / paper.name).write_text(paper.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def test_unchanged_files_are_skipped_changed_replaced_removed_reported(tmp_path):
    papers = write_papers(tmp_path / "papers")
    index_dir = tmp_path / "ix"
    first = index_paths([papers], index_dir, workers=1)
    assert (first.documents, first.unchanged, first.removed) == (N_PAPERS, 0, [])
    again = index_paths([papers], index_dir, workers=1)
    assert (again.documents, again.unchanged) == (0, N_PAPERS)

    prose = papers / "prose_minutes.txt"
    prose.write_text(prose.read_text().replace("drone unit", "helicopter unit"))
    (papers / "council_questions.txt").unlink()
    third = index_paths([papers], index_dir, workers=1)
    assert third.documents == 1 and third.unchanged == N_PAPERS - 2
    assert third.removed == [os.path.normpath(str(papers / "council_questions.txt"))]

    service = SearchService(index_dir)
    assert service.search("helicopter").total > 0
    assert service.search("drone").total == 0
    assert service.search("doc:council_questions").total == 0
    assert service.search("doc:prose_minutes").total > 0


def test_hostile_files_are_named_and_everything_else_indexed(tmp_path):
    papers = write_papers(tmp_path / "papers")
    (papers / "empty.txt").write_bytes(b"")
    (papers / "random.pdf").write_bytes(os.urandom(4096))
    (papers / "truncated.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog")
    (papers / "fake.docx").write_bytes(b"PK\x03\x04junk")
    (papers / "nul.txt").write_bytes(b"\x00" * 5000)
    (papers / "long.txt").write_text("MASH " * 1_200_000)  # one 6 MB line
    cp1252 = "Minutes of the Westshire Police and Crime Panel held on 1 May 2020\n\nThe Council\u2019s CCTV\u2026"
    (papers / "cp1252.txt").write_bytes(cp1252.encode("cp1252"))
    (papers / "loop").symlink_to(papers)
    unreadable = papers / "secret.txt"
    unreadable.write_text("secret")
    unreadable.chmod(0)
    result = runner.invoke(app, ["index", str(papers), "--index-dir", str(tmp_path / "ix"), "--workers", "1", "--json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    skipped = {Path(s["path"]).name: s["reason"] for s in data["skipped"]}
    assert {"empty.txt", "random.pdf", "fake.docx", "nul.txt"} <= set(skipped)
    if os.geteuid() != 0:  # root can read anything
        assert "secret.txt" in skipped
    assert all(reason and "\n" not in reason for reason in skipped.values())
    service = SearchService(tmp_path / "ix")
    assert service.search("rural policing").total > 0  # the good papers are in
    assert service.search("CCTV", limit=50).total > 0  # the cp1252 paper is in
    assert data["documents"] >= 6


def test_exit_code_0_when_all_indexed(tmp_path):
    papers = write_papers(tmp_path / "papers")
    result = runner.invoke(app, ["index", str(papers), "--index-dir", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    assert f"{N_PAPERS} documents indexed" in result.output


def test_parallel_indexing_gives_the_same_records_as_serial(tmp_path):
    papers = write_papers(tmp_path / "papers")
    serial = index_paths([papers], tmp_path / "a", workers=1)
    parallel = index_paths([papers], tmp_path / "b", workers=2)
    assert (serial.documents, serial.qa, serial.passages) == (parallel.documents, parallel.qa, parallel.passages)
    assert _ids(tmp_path / "a", "PCC") == _ids(tmp_path / "b", "PCC")
    for query in ("PCC", "precept council tax", "what did the Commissioner say about the precept?", "police OR officers"):
        assert _ranking(tmp_path / "a", query) == _ranking(tmp_path / "b", query), query


def _ranking(index_dir, query: str) -> list[tuple[str, float, list[str]]]:
    """Every hit in rank order, with its score and entity ids: one worker or two must give the same."""
    hits = SearchService(index_dir).search(query, limit=100000).hits
    assert hits
    return [(h.record["id"], round(h.score, 9), [e["id"] for e in h.record.get("entities") or []]) for h in hits]


def _ids(index_dir, query: str) -> list[str]:
    return sorted(h.record["id"] for h in SearchService(index_dir).search(query, limit=100000).hits)


def test_workers_finish_a_full_segment_and_start_another(tmp_path, monkeypatch):
    # a worker's pooled postings are bounded: past the limit it hands over a finished segment mid-batch
    import pcp_search.engine.writing as writing
    from pcp_search.engine import Store

    papers = write_papers(tmp_path / "papers")
    serial = index_paths([papers], tmp_path / "a", workers=1)
    monkeypatch.setattr(writing, "SEGMENT_POSTINGS", 150)
    parallel = index_paths([papers], tmp_path / "b", workers=2)
    assert (serial.documents, serial.qa, serial.passages) == (parallel.documents, parallel.qa, parallel.passages)
    searcher = Store(tmp_path / "b")._searcher()
    assert len(searcher.leaf_searchers()) > 2
    assert _ids(tmp_path / "a", "PCC OR police OR panel") == _ids(tmp_path / "b", "PCC OR police OR panel")


def _taken(take, send):
    while (number := take()) is not None:
        send("file", number, os.getpid())


def test_workers_take_the_jobs_in_the_order_given_each_once():
    # the indexer gives the largest files first, so that no worker is left alone with a long paper at
    # the end of a batch; whatever the order, every job is taken once and reported by its own number
    from pcp_search.pool import run_workers

    order = [3, 0, 4, 1, 2]
    alone = [number for kind, number, _ in run_workers(list("abcde"), 1, _taken, [], order) if kind == "file"]
    assert alone == order
    shared = [number for kind, number, _ in run_workers(list("abcde"), 2, _taken, [], order) if kind == "file"]
    assert sorted(shared) == [0, 1, 2, 3, 4]


def test_the_largest_files_of_a_batch_are_taken_first(tmp_path, monkeypatch):
    import pcp_search.filework as filework

    papers = write_papers(tmp_path / "papers")
    (papers / "zz_largest.txt").write_text(next(PAPERS.glob("*.txt")).read_text(encoding="utf-8") * 3, encoding="utf-8")
    given: list = []
    real = filework.run_workers
    monkeypatch.setattr(filework, "run_workers", lambda jobs, *args: given.append((jobs, args[-1])) or real(jobs, *args))
    index_paths([papers], tmp_path / "ix", workers=2)
    [(jobs, order)] = given
    sizes = [jobs[number].size for number in order]
    assert sorted(order) == list(range(len(jobs))) and sizes == sorted(sizes, reverse=True)
    assert jobs[order[0]].key.endswith("zz_largest.txt")


def test_parallel_reindex_replaces_a_changed_file_in_one_commit(tmp_path):
    # with workers, a changed file's new records arrive in a worker's segment while the old ones are
    # deleted by the main writer: after the run exactly the new version is found, once
    papers = write_papers(tmp_path / "papers")
    index_dir = tmp_path / "ix"
    first = index_paths([papers], index_dir, workers=2)
    changed = next(p for p in sorted(papers.glob("*.txt")) if "PCC" in p.read_text(encoding="utf-8"))
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nThe zanzibarite contract was renewed.\n", encoding="utf-8")
    (papers / "extra.txt").write_text("Minutes\n\nThe Panel noted the quarzelmond report.\n", encoding="utf-8")
    (papers / "extra2.txt").write_text("Minutes\n\nThe Panel noted the second report.\n", encoding="utf-8")
    second = index_paths([papers], index_dir, workers=2)
    assert (second.documents, second.unchanged) == (3, first.documents - 1)
    service = SearchService(index_dir)
    assert [h.record["document"] for h in service.search("zanzibarite").hits] == [changed.name]
    assert service.search("quarzelmond").total == 1
    assert service.store.document_count() == sum(1 for _ in service.search("", limit=100000).hits)


@pytest.mark.parametrize("workers", [1, 2])
def test_kill_9_during_indexing_leaves_the_previous_index_searchable(tmp_path, corpus_copy, workers):
    index_dir = tmp_path / "ix"
    assert index_paths([corpus_copy], index_dir, workers=1).documents == 5
    before = SearchService(index_dir).search("Atlantic House").total
    big = tmp_path / "big"
    big.mkdir()
    text = (corpus_copy / "001_a12a3b4e05c5168b.txt").read_text(encoding="utf-8")
    for n in range(12):
        (big / f"copy{n}.txt").write_text(text.replace("Atlantic House", f"Building {n}"), encoding="utf-8")
    command = [sys.executable, "-m", "pcp_search", "index", str(big), "--index-dir", str(index_dir), "--workers", str(workers)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(3)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert SearchService(index_dir).search("Atlantic House").total == before  # still readable, nothing lost
    # the next run recovers: the lock of the dead process is not held, and everything gets indexed
    report = index_paths([big], index_dir, workers=workers)
    assert report.documents + report.unchanged == 12
    assert SearchService(index_dir).search('"Building 11"').total > 0
    assert SearchService(index_dir).search("Atlantic House").total == before


def test_search_works_while_another_process_indexes(tmp_path, corpus_copy):
    index_dir = tmp_path / "ix"
    index_paths([corpus_copy], index_dir, workers=1)
    big = tmp_path / "big"
    big.mkdir()
    text = (corpus_copy / "001_a12a3b4e05c5168b.txt").read_text(encoding="utf-8")
    for n in range(10):
        (big / f"copy{n}.txt").write_text(text, encoding="utf-8")
    command = [sys.executable, "-m", "pcp_search", "index", str(big), "--index-dir", str(index_dir), "--workers", "1"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        searches = 0
        while proc.poll() is None and time.time() < deadline:
            assert SearchService(index_dir).search("MASH").total > 0
            searches += 1
            time.sleep(0.2)
        assert searches > 0
    finally:
        proc.wait(timeout=120)
    assert proc.returncode == 0


def test_an_index_of_an_older_format_is_rebuilt_not_mixed(tmp_path):
    papers = write_papers(tmp_path / "papers")
    index_dir = tmp_path / "ix"
    index_paths([papers], index_dir, workers=1)
    manifest = index_dir / "manifest.json"
    from pcp_search.engine.records import FORMAT_VERSION

    manifest.write_text(manifest.read_text().replace(f'"version": {FORMAT_VERSION}', '"version": 0'))
    report = index_paths([papers], index_dir, workers=1)
    assert report.documents == N_PAPERS
    service = SearchService(index_dir)
    assert len({h.record["id"] for h in service.search("PCC", limit=200).hits}) == service.search("PCC", limit=200).total
    assert not (tmp_path / "ix.rebuild").exists() and not (tmp_path / "ix.old").exists()


def test_an_index_built_with_other_parameters_is_rebuilt(tmp_path, monkeypatch):
    import pcp_search.engine.records as records

    papers = write_papers(tmp_path / "papers")
    index_dir = tmp_path / "ix"
    index_paths([papers], index_dir, workers=1)
    saved = json.loads((index_dir / "params.index.json").read_text())
    assert saved["qa_boost"] == records.QA_BOOST
    assert index_paths([papers], index_dir, workers=1).unchanged == N_PAPERS
    monkeypatch.setattr(records, "QA_BOOST", records.QA_BOOST + 1)
    report = index_paths([papers], index_dir, workers=1)
    assert report.documents == N_PAPERS and report.unchanged == 0  # rebuilt, not mixed
    assert json.loads((index_dir / "params.index.json").read_text())["qa_boost"] == records.QA_BOOST


def test_a_second_indexing_run_gets_a_clear_message_while_the_first_holds_the_lock(tmp_path):
    papers = write_papers(tmp_path / "papers")
    index_dir = tmp_path / "ix"
    index_paths([papers], index_dir, workers=1)
    from pcp_search.engine import Store

    (papers / "new.txt").write_text("Minutes of the Northshire Police and Crime Panel held on 1 May 2024\n\nNew text.")
    with Store(index_dir).writer():  # another run is writing
        result = runner.invoke(app, ["index", str(papers), "--index-dir", str(index_dir)])
    assert result.exit_code == 2
    assert "being written by another" in result.output and result.output.count("\n") == 1
    assert runner.invoke(app, ["index", str(papers), "--index-dir", str(index_dir)]).exit_code == 0


def test_an_empty_folder_gives_an_empty_index_not_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    result = runner.invoke(app, ["index", str(tmp_path / "empty"), "--index-dir", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    assert "0 documents indexed" in result.output
    found = runner.invoke(app, ["search", "MASH", "--index-dir", str(tmp_path / "ix")])
    assert found.exit_code == 0 and "No results" in found.output
