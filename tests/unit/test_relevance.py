"""Regression guard on measured relevance: the labelled query set, pcp-search against plain Whoosh."""

from benchmarks.relevance import load_queries, run
from tests.conftest import SEEDS


def test_query_set_is_big_and_varied():
    queries = load_queries()
    assert len(queries) >= 40
    assert {q["type"] for q in queries} == {"keyword", "question", "acronym", "paraphrase", "entity"}
    corpus = " ".join(p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt"))
    from benchmarks.relevance import fold

    folded = fold(corpus)
    for q in queries:  # every relevant phrase exists in the papers, so every query can be answered
        assert any(fold(p) in folded for p in q["relevant"]), q


def test_relevance_targets_and_margin_over_plain_whoosh():
    report = run(SEEDS)
    ours, base = report["pcp-search"], report["baseline"]
    assert ours["MRR@10"] >= 0.90, report
    assert ours["R@5"] >= 0.95, report
    assert ours["MRR@10"] >= base["MRR@10"] + 0.10, report
    assert report["question_top_is_qa"] >= 0.9, report
