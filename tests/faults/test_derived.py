"""The files beside the index agree with what the index's records say, batch after batch."""

from __future__ import annotations

import json

import pcp_search.indexer as indexer
from pcp_search.engine import Store
from tests.faults.conftest import paper


def test_words_and_manifest_match_the_index_after_several_batches_and_a_deletion(tmp_path, monkeypatch):
    monkeypatch.setattr(indexer, "BATCH_BYTES", 600)  # a commit every file or two
    papers = tmp_path / "papers"
    for n, topic in enumerate(["zanzibarite", "quarzelmond", "blorptastic", "fizzlewick"]):
        paper(papers, f"p{n}.txt", topic)
    index_dir = tmp_path / "ix"
    indexer.index_paths([papers], index_dir, workers=1)
    (papers / "p1.txt").unlink()
    indexer.index_paths([papers], index_dir, workers=1)
    derived = Store(index_dir).derived()
    assert json.loads((index_dir / "words.json").read_text()) == derived["words"]
    assert "quarzelmond" not in derived["words"]
    manifest = json.loads((index_dir / "manifest.json").read_text())["files"]
    assert {k: (v["sha"], v["records"], v["name"]) for k, v in manifest.items()} == \
        {k: (v["sha"], v["records"], v["name"]) for k, v in derived["files"].items()}


def test_words_counted_by_two_workers_match_the_index(tmp_path):
    # each worker counts the words of the files it read and sends them with its last segment
    papers = tmp_path / "papers"
    topics = ["zanzibarite", "quarzelmond", "blorptastic", "fizzlewick", "grommetry", "wibblethorpe"]
    for n, topic in enumerate(topics):
        paper(papers, f"p{n}.txt", topic)
    index_dir = tmp_path / "ix"
    indexer.index_paths([papers], index_dir, workers=2)
    words = json.loads((index_dir / "words.json").read_text())
    assert all(words.get(topic) for topic in topics)
    (papers / "p1.txt").unlink()
    for n in (2, 3, 4):  # changed (three: read by the workers again): their older words go, their new ones come
        paper(papers, f"p{n}.txt", f"snorkelwise{'x' * n}")
    indexer.index_paths([papers], index_dir, workers=2)
    derived = Store(index_dir).derived()
    assert json.loads((index_dir / "words.json").read_text()) == derived["words"]
    assert "quarzelmond" not in derived["words"] and "blorptastic" not in derived["words"]
    assert derived["words"]["snorkelwisexx"] >= 1
