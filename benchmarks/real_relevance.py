"""Measured relevance on real papers: R@1, R@5 and MRR@10 per query type, pcp-search against a plain
Whoosh paragraph-chunk baseline over the same papers, in one run (`make eval`).

    python benchmarks/real_relevance.py [--papers DIR ...] [--index-dir DIR] [--details]

The labelled set is tests/data/real_queries.jsonl: each query names its type (question, keyword,
paraphrase, acronym, members) and the records that answer it as a document plus a phrase the record
holds, so the judgements survive re-indexing (record ids are never named). A hit is relevant when it
comes from that document and its text holds the phrase (case, spacing and punctuation folded).
Kent County Council and Kent and Medway papers are never read.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.relevance import baseline_hits, fold, load_queries, metrics, paragraph_chunks, write_baseline  # noqa: E402

QUERIES = ROOT / "tests" / "data" / "real_queries.jsonl"
PAPERS = [ROOT.parent / "shared" / "real-papers", ROOT.parent / "shared" / "corpus"]
TYPES = ("question", "keyword", "paraphrase", "acronym", "members")


def is_relevant(document: str, text: str, judgements: list[dict]) -> bool:
    folded = fold(text)
    return any(document.startswith(j["document"]) and fold(j["phrase"]) in folded for j in judgements)


def first_relevant(hits: list[tuple[str, str]], judgements: list[dict]) -> int | None:
    for rank, (document, text) in enumerate(hits[:10], start=1):
        if is_relevant(document, text, judgements):
            return rank
    return None


def gather(papers: list[Path], target: Path) -> list[Path]:
    """The papers to index, copied flat into `target` (no READMEs or registers, never Kent's)."""
    from pcp_search.ingest import is_paper

    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for folder in papers:
        for path in sorted(folder.iterdir()):
            name = path.name.lower()
            if not path.is_file() or name.startswith("readme") or "kent" in name or not is_paper(path):
                continue
            shutil.copyfile(path, target / path.name)
            copied.append(target / path.name)
    return copied


# -- pcp-search ------------------------------------------------------------------------------------------
def hit_text(record: dict) -> str:
    return "\n".join(record.get(name) or "" for name in ("question", "answer", "text"))


def pcp_run(index_dir: Path, queries: list[dict]) -> dict:
    """Ranks, latencies, and for question-shaped queries whether the top hit and `ask`'s first answer are
    a relevant Q&A pair (and its answer sentences come from it)."""
    from pcp_search.ask import ask
    from pcp_search.search import SearchService

    service = SearchService(index_dir)
    service.search("warm up", limit=1)
    ranks, seconds, top_pair, ask_right = [], [], [], []
    for q in queries:
        started = time.perf_counter()
        hits = service.search(q["query"], limit=10, facets=False).hits
        seconds.append(time.perf_counter() - started)
        ranks.append(first_relevant([(h.record["document"], hit_text(h.record)) for h in hits], q["relevant"]))
        if q["type"] == "question":
            top = hits[0].record if hits else {}
            top_pair.append(top.get("kind") == "qa" and is_relevant(top["document"], hit_text(top), q["relevant"]))
            answered = ask(service, q["query"], limit=1).answers
            first = answered[0] if answered else None
            ask_right.append(first is not None and is_relevant(first.record["document"], hit_text(first.record), q["relevant"])
                             and all(fold(s) in fold(first.record.get("answer") or "") for s in first.answer_sentences))
    return {"ranks": ranks, "seconds": seconds, "top_pair": top_pair, "ask": ask_right}


# -- the baseline: plain Whoosh over paragraph chunks of the same text -------------------------------------
def build_baseline(files: list[Path], index_dir: Path) -> None:
    write_baseline(index_dir, ((path.name, chunk) for path in files for chunk in paragraph_chunks(plain_text(path))))


def plain_text(path: Path) -> str:
    """The paper's text as pcp-search reads it (empty when it cannot be read)."""
    from pcp_search.ingest import IngestError, read_document

    try:
        lines = read_document(path).lines
    except IngestError:
        return ""
    return "\n".join(line.text if line.text.strip() else "" for line in lines)


def baseline_ranks(index_dir: Path, queries: list[dict]) -> list[int | None]:
    return [first_relevant([(hit["document"], hit["text"]) for hit in hits], q["relevant"])
            for q, hits in zip(queries, baseline_hits(index_dir, queries))]


# -- the report ---------------------------------------------------------------------------------------------
def by_type(ranks: list, queries: list[dict]) -> dict[str, dict[str, float]]:
    out = {t: metrics([r for r, q in zip(ranks, queries) if q["type"] == t]) for t in TYPES}
    out["all"] = metrics(ranks)
    return out


def run(papers: list[Path], index_dir: Path | None = None) -> dict:
    from pcp_search.indexer import index_paths

    queries = load_queries(QUERIES)
    with tempfile.TemporaryDirectory() as tmp:
        files = gather(papers, Path(tmp) / "papers")
        pcp_dir = index_dir or Path(tmp) / "pcp"
        if index_dir is None or not (index_dir / "manifest.json").exists():
            index_paths([Path(tmp) / "papers"], pcp_dir)
        build_baseline(files, Path(tmp) / "base")
        baseline = baseline_ranks(Path(tmp) / "base", queries)
        ours = pcp_run(pcp_dir, queries)
    return {"queries": queries, "baseline": baseline, "pcp": ours}


def print_report(report: dict, details: bool) -> None:
    queries = report["queries"]
    counts = {t: sum(1 for q in queries if q["type"] == t) for t in TYPES}
    print(f"{len(queries)} queries over real papers: " + ", ".join(f"{counts[t]} {t}" for t in TYPES))
    ours = report["pcp"]
    systems = [("baseline", report["baseline"]), ("pcp-search", ours["ranks"])]
    print(f"{'type':<11} {'system':<22} {'R@1':>6} {'R@5':>6} {'MRR@10':>7}")
    for kind in (*TYPES, "all"):
        for name, ranks in systems:
            m = by_type(ranks, queries)[kind]
            print(f"{kind:<11} {name:<22} {m['R@1']:>6.3f} {m['R@5']:>6.3f} {m['MRR@10']:>7.3f}")
    n = len(ours["top_pair"])
    print(f"pcp-search question-shaped: top hit is the answering pair {sum(ours['top_pair'])}/{n}; "
          f"ask's first answer right {sum(ours['ask'])}/{n}; "
          f"search latency median {statistics.median(ours['seconds']) * 1000:.0f} ms, "
          f"max {max(ours['seconds']) * 1000:.0f} ms")
    if details:
        for q, rank in zip(queries, ours["ranks"]):
            if rank != 1:
                print(f"  not first ({rank}): [{q['type']}] {q['query']}", file=sys.stderr)


def papers_parser(description: str) -> argparse.ArgumentParser:
    """The options of the scripts that measure on the real papers: which papers, and an index to reuse."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--papers", type=Path, nargs="+", default=PAPERS)
    parser.add_argument("--index-dir", type=Path, help="reuse (or build once into) this pcp-search index")
    return parser


def papers_args(parser: argparse.ArgumentParser) -> argparse.Namespace:
    """The parsed options; a papers folder that is not there stops the script with one line."""
    args = parser.parse_args()
    missing = [p for p in args.papers if not p.is_dir()]
    if missing:
        sys.exit(f"no papers at {missing[0]}: pass --papers DIR")
    return args


def main() -> None:
    parser = papers_parser(__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="list the queries whose first hit is not relevant")
    args = papers_args(parser)
    print_report(run(args.papers, args.index_dir), args.details)


if __name__ == "__main__":
    main()
