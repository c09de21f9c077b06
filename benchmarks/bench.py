"""Speed and memory benchmark: pcp-search against plain Whoosh on the same synthetic corpus, in one run.

    python benchmarks/bench.py --sizes 20 100 [--rounds N] [--workers N] [--keep]

For each size N (MB) it writes a synthetic corpus made from the seed papers in tests/data/seed (years shifted, figures perturbed,
files renamed) and reports: full indexing MB/s of pcp-search and of a plain Whoosh baseline (fixed
~1,200-character chunks, stemming analyzer, stored text, as many writer processes as pcp-search has
workers) and their time ratio (with --rounds N, each is run N times in turn, and the medians and the
median of the pairs' ratios are given: the machine's speed drifts between runs); unchanged re-index
time; in-process query latency p50/p95 over 50 queries with snippets; `pcp-search search` wall time
from a cold process, median and p95 over real-looking queries; a wildcard OR query from a cold process;
the time to add one paper to the built index; peak RSS; index size per MB of text.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
SEEDS = ROOT / "tests" / "data" / "seed"  # the seed papers (never corpus/: that is the user's folder)
CHUNK = 1200


# -- the synthetic corpus -----------------------------------------------------------------------------
def make_corpus(target: Path, megabytes: float, seed: int = 7) -> int:
    """Copies of the seed papers with shifted years, perturbed figures and new names, up to the size."""
    rng = random.Random(seed)
    seeds = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    target.mkdir(parents=True, exist_ok=True)
    total, copy = 0, 0
    while total < megabytes * 1024 * 1024:
        copy += 1
        shift = rng.randint(-6, 3)
        for name, text in seeds:
            text = re.sub(r"\b(20[0-2]\d)\b", lambda m, shift=shift: str(int(m.group(1)) + shift), text)
            text = re.sub(r"(?<=£)(\d[\d,]*)", lambda m: f"{int(m.group(1).replace(',', '')) * rng.randint(80, 120) // 100:,}",
                          text)
            path = target / f"synthetic_{copy:04d}_{name}"
            path.write_text(text, encoding="utf-8")
            total += len(text.encode("utf-8"))
    return total


# -- the plain Whoosh baseline ---------------------------------------------------------------------------
def baseline_index(corpus: Path, index_dir: Path, procs: int) -> None:
    from whoosh import index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    index_dir.mkdir(parents=True, exist_ok=True)
    schema = Schema(id=ID(stored=True, unique=True), text=TEXT(analyzer=StemmingAnalyzer(), stored=True))
    ix = index.create_in(str(index_dir), schema)
    writer = ix.writer(limitmb=256, procs=procs, multisegment=procs > 1)
    for path in sorted(corpus.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for n in range(0, len(text), CHUNK):
            writer.add_document(id=f"{path.name}#{n // CHUNK}", text=text[n:n + CHUNK])
    writer.commit()


def pcp_index(corpus: Path, index_dir: Path, workers: int | None) -> dict:
    from pcp_search.indexer import index_paths

    return index_paths([corpus], index_dir, workers=workers).to_json()


# -- measurements -----------------------------------------------------------------------------------------
def timed_child(args: list[str]) -> tuple[float, int, str]:
    """Run this script's child command; wall seconds, peak RSS in MB of it and its workers, stdout."""
    started = time.perf_counter()
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    if out.returncode != 0:
        raise SystemExit(f"child {args} failed:\n{out.stderr}")
    rss = int(out.stdout.strip().splitlines()[-1])
    return seconds, rss, out.stdout


def query_latency(index_dir: Path) -> tuple[float, float]:
    from pcp_search.search import SearchService

    queries = [json.loads(l)["query"] for l in (ROOT / "tests" / "data" / "queries.jsonl").read_text().splitlines() if l.strip()]
    queries = (queries * 2)[:50]
    service = SearchService(index_dir)
    service.search("warm up")
    times = []
    for q in queries:
        started = time.perf_counter()
        service.search(q, limit=10)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


CLI_QUERIES = ["stop and search", "police and crime plan", "precept", "what is being done about knife crime",
               "rural crime", "victims services commissioning", "domestic abuse", "Chief Constable",
               "response times 101", "budget reserves", "\"violence against women\"", "drones"]
WILDCARD = "pol* OR cou* OR re*"


def cli_seconds(index_dir: Path, query: str) -> float:
    """Wall time of one `pcp-search search` from a cold process."""
    exe = shutil.which("pcp-search", path=str(Path(sys.executable).parent)) or "pcp-search"
    started = time.perf_counter()
    subprocess.run([exe, "search", query, "--index-dir", str(index_dir)], capture_output=True, check=True)
    return time.perf_counter() - started


def cli_search_seconds(index_dir: Path, rounds: int = 2) -> tuple[float, float]:
    """Median and p95 of cold `pcp-search search` over the real-looking queries, each run `rounds` times."""
    times = sorted(cli_seconds(index_dir, q) for _ in range(rounds) for q in CLI_QUERIES)
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def add_one_paper_seconds(corpus: Path, index_dir: Path, workers: list[str]) -> float:
    """Time to bring the built index up to date after one new paper lands in the corpus."""
    seed = sorted(SEEDS.glob("*.txt"))[0]
    shutil.copy(seed, corpus / f"zz_added_{seed.name}")
    seconds, _, _ = timed_child(["_pcp", str(corpus), str(index_dir), *workers])
    return seconds


def tagging_words_per_second() -> int:
    """The tagger alone (the registry's names and the rules) over the seed papers, warmed up."""
    from pcp_search.entities.tagger import Tagger

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    tagger = Tagger()
    tagger.tag(texts[0])
    words = sum(len(t.split()) for t in texts) * 3
    started = time.perf_counter()
    for _ in range(3):
        for text in texts:
            tagger.tag(text, home_force="force:thames-valley")
    return int(words / (time.perf_counter() - started))


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1024 / 1024


def bench_size(megabytes: float, workers: int | None, keep: bool, rounds: int = 1) -> dict:
    work = OUT / f"{megabytes:g}mb"
    shutil.rmtree(work, ignore_errors=True)
    corpus = work / "corpus"
    size = make_corpus(corpus, megabytes) / 1024 / 1024
    worker_args = [str(workers)] if workers else []
    pairs = []  # plain Whoosh then pcp-search, in turn: each pair's ratio is taken under the same load
    for _ in range(rounds):
        for folder in ("baseline", "pcp"):
            shutil.rmtree(work / folder, ignore_errors=True)
        base = timed_child(["_baseline", str(corpus), str(work / "baseline"), str(workers or os.cpu_count())])
        pcp = timed_child(["_pcp", str(corpus), str(work / "pcp"), *worker_args])
        pairs.append((base[0], base[1], pcp[0], pcp[1]))
    base_s = statistics.median(p[0] for p in pairs)
    pcp_s = statistics.median(p[2] for p in pairs)
    ratio = statistics.median(p[2] / p[0] for p in pairs)
    base_rss, pcp_rss = max(p[1] for p in pairs), max(p[3] for p in pairs)
    again_s, _, _ = timed_child(["_pcp", str(corpus), str(work / "pcp"), *worker_args])
    p50, p95 = query_latency(work / "pcp")
    cli_median, cli_p95 = cli_search_seconds(work / "pcp")
    wildcard_s = statistics.median(cli_seconds(work / "pcp", WILDCARD) for _ in range(3))
    index_mb = folder_mb(work / "pcp")
    added_s = add_one_paper_seconds(corpus, work / "pcp", worker_args)
    row = {
        "MB": round(size, 1),
        "pcp MB/s": round(size / pcp_s, 3),
        "whoosh MB/s": round(size / base_s, 3),
        "time ratio": round(ratio, 2),  # (the median of the pairs' ratios)
        "rounds": rounds,
        "pcp s": round(pcp_s, 1),
        "whoosh s": round(base_s, 1),
        "unchanged s": round(again_s, 2),
        "unchanged %": round(100 * again_s / pcp_s, 1),
        "query p50 ms": round(p50, 1),
        "query p95 ms": round(p95, 1),
        "cli median s": round(cli_median, 2),
        "cli p95 s": round(cli_p95, 2),
        "wildcard s": round(wildcard_s, 2),
        "add one paper s": round(added_s, 2),
        "peak RSS MB": pcp_rss,
        "whoosh RSS MB": base_rss,
        "index MB/MB": round(index_mb / size, 2),
        "whoosh index MB/MB": round(folder_mb(work / "baseline") / size, 2),
    }
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return row


def child(argv: list[str]) -> None:
    """The measured work of one child process; prints its peak RSS (MB, itself and its workers) last."""
    kind, corpus, index_dir, *rest = argv
    if kind == "_baseline":
        baseline_index(Path(corpus), Path(index_dir), int(rest[0]))
    else:
        print(json.dumps(pcp_index(Path(corpus), Path(index_dir), int(rest[0]) if rest else None)))
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print((own + kids) // 1024)  # an upper bound: the main process plus its largest worker


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1].startswith("_"):
        child(sys.argv[1:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[20, 100])
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep benchmarks/out/ after the run")
    parser.add_argument("--rounds", type=int, default=1,
                        help="index each size this many times with each system, in turn; MB/s and the ratio are medians")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}", flush=True)
    rows = []
    for mb in args.sizes:
        rows.append(bench_size(mb, args.workers, args.keep, args.rounds))
        print(json.dumps(rows[-1]), f"load {os.getloadavg()}", flush=True)
    print(f"tagging: {tagging_words_per_second():,} words per second (one core)")
    columns = list(rows[0])
    print(" | ".join(columns))
    for row in rows:
        print(" | ".join(str(row[c]) for c in columns))
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
