"""Measured relevance: R@1, R@5 and MRR@10 of pcp-search and of a plain Whoosh paragraph-chunk baseline,
on the labelled query set (tests/data/queries.jsonl), in one run over the same papers.

    python benchmarks/relevance.py [--corpus tests/data/seed] [--details]

A hit is relevant when its text holds one of the query's relevant phrases (case and spacing folded),
so both systems are judged the same way whatever their units. The baseline (its index and its
searching) serves benchmarks/real_relevance.py too.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "tests" / "data" / "queries.jsonl"
FILTER = re.compile(r"\b\w+:(?:\"[^\"]*\"|\S+)")


def fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w£%]+", " ", text.lower()).split())


def relevant(text: str, phrases: list[str]) -> bool:
    folded = fold(text)
    return any(fold(p) in folded for p in phrases)


def load_queries(path: Path = QUERIES) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def metrics(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks) or 1
    return {
        "R@1": sum(1 for r in ranks if r == 1) / n,
        "R@5": sum(1 for r in ranks if r and r <= 5) / n,
        "MRR@10": sum(1 / r for r in ranks if r and r <= 10) / n,
    }


def first_relevant(texts: list[str], phrases: list[str]) -> int | None:
    for rank, text in enumerate(texts[:10], start=1):
        if relevant(text, phrases):
            return rank
    return None


# -- pcp-search ---------------------------------------------------------------------------------------
def pcp_ranks(index_dir: Path, queries: list[dict]) -> tuple[list[int | None], list[bool]]:
    from pcp_search.search import SearchService

    service = SearchService(index_dir)
    ranks, qa_top = [], []
    for q in queries:
        hits = service.search(q["query"], limit=10, facets=False).hits
        texts = ["\n".join(h.record.get(name) or "" for name in ("question", "answer", "text")) for h in hits]
        ranks.append(first_relevant(texts, q["relevant"]))
        qa_top.append(bool(hits) and hits[0].record["kind"] == "qa" and relevant(texts[0], q["relevant"]))
    return ranks, qa_top


# -- the baseline: plain Whoosh over paragraph chunks ---------------------------------------------------
def paragraph_chunks(text: str, size: int = 1200) -> list[str]:
    chunks, buffer = [], ""
    for para in re.split(r"\n\s*\n", text):
        para = para.strip()
        if not para:
            continue
        if buffer and len(buffer) + len(para) > size:
            chunks.append(buffer)
            buffer = ""
        buffer = (buffer + "\n\n" + para).strip()
    if buffer:
        chunks.append(buffer)
    return chunks


def build_baseline(corpus: Path, index_dir: Path) -> None:
    write_baseline(index_dir, ((path.name, chunk) for path in sorted(corpus.glob("*.txt"))
                               for chunk in paragraph_chunks(path.read_text(encoding="utf-8", errors="replace"))))


def write_baseline(index_dir: Path, chunks: Iterable[tuple[str, str]]) -> None:
    """A plain Whoosh index of (document name, text) chunks: stemming analyzer, one writer."""
    from whoosh import index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    schema = Schema(document=ID(stored=True), text=TEXT(analyzer=StemmingAnalyzer(), stored=True))
    index_dir.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(index_dir), schema)
    writer = ix.writer()
    for document, text in chunks:
        writer.add_document(document=document, text=text)
    writer.commit()


def baseline_hits(index_dir: Path, queries: list[dict]) -> list[list[dict]]:
    """The baseline's ten best chunks for each query, its words searched with OR (field filters such as
    `force:...` dropped: the baseline has no such fields)."""
    from whoosh import index, qparser

    ix = index.open_dir(str(index_dir))
    parser = qparser.QueryParser("text", ix.schema, group=qparser.OrGroup.factory(0.9))
    found = []
    with ix.searcher() as searcher:
        for q in queries:
            text = " ".join(FILTER.sub(" ", q["query"]).split()) or q["query"]
            found.append([hit.fields() for hit in searcher.search(parser.parse(text), limit=10)])
    return found


def baseline_ranks(index_dir: Path, queries: list[dict]) -> list[int | None]:
    return [first_relevant([hit["text"] for hit in hits], q["relevant"])
            for q, hits in zip(queries, baseline_hits(index_dir, queries))]


def run(corpus: Path, details: bool = False) -> dict:
    from pcp_search.indexer import index_paths

    queries = load_queries()
    with tempfile.TemporaryDirectory() as tmp:
        pcp_dir, base_dir = Path(tmp) / "pcp", Path(tmp) / "base"
        index_paths([corpus], pcp_dir, workers=1)
        build_baseline(corpus, base_dir)
        ours, qa_top = pcp_ranks(pcp_dir, queries)
        theirs = baseline_ranks(base_dir, queries)
    questions = [i for i, q in enumerate(queries) if q["type"] == "question"]
    report = {
        "queries": len(queries),
        "pcp-search": metrics(ours),
        "baseline": metrics(theirs),
        "question_top_is_qa": sum(qa_top[i] for i in questions) / max(1, len(questions)),
        "by_type": {t: {"pcp-search": metrics([ours[i] for i, q in enumerate(queries) if q["type"] == t]),
                        "baseline": metrics([theirs[i] for i, q in enumerate(queries) if q["type"] == t])}
                    for t in sorted({q["type"] for q in queries})},
        "misses": [(q["query"], ours[i], theirs[i]) for i, q in enumerate(queries) if ours[i] != 1] if details else [],
    }
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "data" / "seed")
    parser.add_argument("--details", action="store_true")
    args = parser.parse_args()
    report = run(args.corpus, args.details)
    print(f"{report['queries']} queries")
    print(f"{'system':<12} {'R@1':>6} {'R@5':>6} {'MRR@10':>7}")
    for system in ("pcp-search", "baseline"):
        m = report[system]
        print(f"{system:<12} {m['R@1']:>6.3f} {m['R@5']:>6.3f} {m['MRR@10']:>7.3f}")
    print(f"question-shaped queries whose top hit is the answering Q&A pair: {report['question_top_is_qa']:.3f}")
    for kind, by in report["by_type"].items():
        print(f"  {kind:<10} pcp MRR {by['pcp-search']['MRR@10']:.3f}  baseline MRR {by['baseline']['MRR@10']:.3f}")
    for miss in report["misses"]:
        print("  not first:", miss, file=sys.stderr)


if __name__ == "__main__":
    main()
