"""Paraphrase recall on top of pcp-search (issue #19): pseudo-relevance feedback and an offline embedding
signal fused with BM25F, each judged on the labelled real-paper queries exactly as `make eval` judges
them, with the latency each adds.

    python benchmarks/variants.py [--papers DIR ...] [--index-dir DIR] [--markdown]

Every variant starts from the public search (`SearchService.search`); what it adds runs here:
- prf:MODEL:kK:mM   the M best terms of the top K hits' texts by MODEL (tfidf, or bo1: Whoosh's key-term
  model) added to the query, which is run again (the query syntax has no boosts, so they weigh as much
  as the member's words);
- rm3:kK:mM:lL      the top K hits' relevance-weighted term distribution (P(w|R), the search's scores as
  P(d|Q)); the query run again with its M best terms for more candidates, and the pool of both runs
  ranked by L x (the search's score) + (1 - L) x (BM25 of the feedback terms weighted by P(w|R)), each
  scaled by its maximum: the original query interpolated as RM3 does, by scores since the API takes no
  term weights;
- emb:rrf, emb:mixW  wordllama vectors of every record, made once; the query's cosine top 50 (kept to
  the dates, panels, kinds and documents the search kept to) fused with the search's top 50 by
  reciprocal rank (k=60), or ranked by W x BM25F + (1 - W) x cosine, each scaled to [0, 1] over the union.
The added latency is each variant's own work per query, plus the deeper search when it takes 50 hits,
in process after a warm-up pass. The embedding rows need `pip install wordllama` (a wheel that holds
its weights; a benchmark-only dependency, not the package's); without it they are left out. The feedback
rows need spaCy's English stop-word list (`pip install 'spacy>=3.7,<4'`, likewise for the benchmark only).
"""

from __future__ import annotations

import math
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.real_relevance import QUERIES, TYPES, by_type, first_relevant, gather, hit_text, papers_args, papers_parser  # noqa: E402
from benchmarks.relevance import load_queries  # noqa: E402

DEEP = 50  # hits taken from each list by RM3 and the fusions
RRF_K = 60
MIN_DF = 2  # an expansion term is in at least this many records: one record's own words find nothing new
MAX_SHARE = 0.25  # and in at most this share of them, as the search leaves such words out of long questions
MAX_DROP = 0.02  # the most a variant may lower any query type's MRR@10 and still ship
Ranker = Callable[[str, "Base"], list[dict]]


# -- the records as bags of stems: the term statistics feedback needs ---------------------------------------
@dataclass
class Corpus:
    """Every record of the index with its content stems: English stop words (spaCy's list; Whoosh's has 34
    and 'was', 'would', 'she' then lead the feedback terms), numbers and words under three letters left out."""

    records: dict[str, dict]
    bags: dict[str, Counter]
    lengths: dict[str, int]
    df: Counter
    cf: Counter
    surface: dict[str, str]  # a stem's commonest written form, to put it back into a query
    avgdl: float

    @classmethod
    def load(cls, service) -> Corpus:
        try:
            from spacy.lang.en.stop_words import STOP_WORDS
        except ImportError:  # (spaCy is no dependency of pcp-search: installed for this measurement only)
            sys.exit("the feedback rows need spaCy's English stop-word list: pip install 'spacy>=3.7,<4'")

        from pcp_search.engine import analyze

        records = {r["id"]: r for r in service.store.stored_records()}
        bags, forms = {}, {}
        for rid, record in records.items():
            text, bag = hit_text(record), Counter()
            for stem, start, end in analyze(text):
                word = text[start:end].lower()
                if len(word) >= 3 and word.isalpha() and word not in STOP_WORDS:
                    bag[stem] += 1
                    forms.setdefault(stem, Counter())[word] += 1
            bags[rid] = bag
        df, cf = Counter(), Counter()
        for bag in bags.values():
            df.update(bag.keys())
            cf.update(bag)
        surface = {stem: words.most_common(1)[0][0] for stem, words in forms.items()}
        lengths = {rid: sum(bag.values()) for rid, bag in bags.items()}
        return cls(records, bags, lengths, df, cf, surface, sum(lengths.values()) / max(1, len(lengths)))

    def expands(self, stem: str) -> bool:
        """Whether a stem may be an expansion term: in a few records, not in most."""
        return MIN_DF <= self.df[stem] <= MAX_SHARE * len(self.bags)

    def bm25(self, stem: str, rid: str, k1: float = 1.2, b: float = 0.75) -> float:
        """BM25 of one stem in one record (k1 and b as Whoosh's defaults)."""
        tf = self.bags[rid][stem]
        if not tf:
            return 0.0
        n, df = len(self.bags), self.df[stem]
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        return idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * self.lengths[rid] / self.avgdl))


def query_stems(query: str) -> set[str]:
    from pcp_search.engine import analyze

    return {stem for stem, _start, _end in analyze(query)}


def with_words(query: str, words: list[str]) -> str:
    """The query with words added at its end (before a closing '?', so a question stays one)."""
    body = query.rstrip()
    mark = "?" if body.endswith("?") else ""
    return f"{body.removesuffix('?').rstrip()} {' '.join(words)}{mark}"


# -- the default search, once per query ----------------------------------------------------------------------
@dataclass
class Base:
    """The default search of one query at the eval's depth (10) and at the fusions' (50), each timed."""

    result: object  # SearchResult of the 10-hit search
    seconds: float
    deep: list  # the 50-hit search's hits
    deep_seconds: float

    @property
    def records(self) -> list[dict]:
        return [h.record for h in self.result.hits]


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - started


def base_runs(service, queries: list[dict]) -> list[Base]:
    for q in queries:  # warm-up pass: every query's terms read once, as a long-running TUI has them
        service.search(q["query"], limit=DEEP, facets=False)
    bases = []
    for q in queries:
        result, seconds = timed(service.search, q["query"], limit=10, facets=False)
        deep, deep_seconds = timed(service.search, q["query"], limit=DEEP, facets=False)
        bases.append(Base(result, seconds, deep.hits, deep_seconds))
    return bases


# -- pseudo-relevance feedback ---------------------------------------------------------------------------------
def key_terms(corpus: Corpus, ids: list[str], m: int, model: str, skip: set[str]) -> list[str]:
    """The m best expansion stems of these records: tf x idf, or Bo1 (Whoosh's default key-term model)."""
    tf = Counter()
    for rid in ids:
        tf.update(corpus.bags[rid])
    n, scored = len(corpus.bags), []
    for stem, f in tf.items():
        if stem in skip or not corpus.expands(stem):
            continue
        if model == "bo1":
            pn = corpus.cf[stem] / n
            weight = f * math.log2((1 + pn) / pn) + math.log2(1 + pn)
        else:
            weight = f * math.log(n / corpus.df[stem])
        scored.append((weight, stem))
    return [stem for _weight, stem in sorted(scored, reverse=True)[:m]]


def prf(service, corpus: Corpus, k: int, m: int, model: str) -> Ranker:
    def rank(query: str, base: Base) -> list[dict]:
        ids = [h.record["id"] for h in base.result.hits[:k]]
        stems = key_terms(corpus, ids, m, model, query_stems(query))
        if not stems:
            return base.records
        expanded = with_words(query, [corpus.surface[s] for s in stems])
        return [h.record for h in service.search(expanded, limit=10, facets=False).hits]
    return rank


def relevance_model(corpus: Corpus, hits: list, m: int, skip: set[str]) -> dict[str, float]:
    """RM1 over the feedback hits: P(w|R) = sum over d of P(w|d) P(d|Q), its m best stems renormalised."""
    total = sum(h.score for h in hits) or 1.0
    model = Counter()
    for h in hits:
        rid = h.record["id"]
        length = corpus.lengths[rid] or 1
        for stem, tf in corpus.bags[rid].items():
            if stem not in skip and corpus.expands(stem):
                model[stem] += (h.score / total) * tf / length
    best = model.most_common(m)
    norm = sum(w for _s, w in best) or 1.0
    return {stem: w / norm for stem, w in best}


def rm3(service, corpus: Corpus, k: int, m: int, lam: float) -> Ranker:
    def rank(query: str, base: Base) -> list[dict]:
        model = relevance_model(corpus, base.deep[:k], m, query_stems(query))
        if not model:
            return base.records
        again = service.search(with_words(query, [corpus.surface[s] for s in model]), limit=DEEP, facets=False).hits
        first = {h.record["id"]: h.score for h in base.deep}
        pool = list(dict.fromkeys([*first, *(h.record["id"] for h in again)]))
        feedback = {rid: sum(w * corpus.bm25(stem, rid) for stem, w in model.items()) for rid in pool}
        top_first, top_feedback = max(first.values(), default=1.0) or 1.0, max(feedback.values()) or 1.0
        score = {rid: lam * first.get(rid, 0.0) / top_first + (1 - lam) * feedback[rid] / top_feedback for rid in pool}
        return [corpus.records[rid] for rid in sorted(pool, key=lambda rid: -score[rid])[:10]]
    return rank


# -- an offline embedding signal -------------------------------------------------------------------------------
def load_model():
    """wordllama's 256-d model from its wheel, nothing downloaded. Its loader looks for the tokenizer under
    `tokenizer/` while the wheel holds it under `tokenizers/`: its own folder, passed as the cache, finds it."""
    import wordllama
    from wordllama import WordLlama

    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


def cold_start(runs: int = 3) -> float:
    """Median seconds a new process that has imported the search (numpy with it) takes to import and load
    the model: what each CLI search would add."""
    code = ("import pcp_search.search, benchmarks.variants as v, time; t = time.perf_counter(); v.load_model(); "
            "print(time.perf_counter() - t)")
    return statistics.median(float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                                                  text=True, check=True).stdout) for _ in range(runs))


def embed_text(record: dict) -> str:
    return "\n".join(record.get(name) or "" for name in ("title", "section")) + "\n" + hit_text(record)


@dataclass
class Vectors:
    """Every record's unit vector, made once, with what making them cost."""

    model: object
    ids: list[str]
    matrix: object  # numpy array, one row a record
    seconds: float

    @classmethod
    def build(cls, corpus: Corpus) -> Vectors:
        model = load_model()
        ids = list(corpus.records)
        matrix, seconds = timed(model.embed, [embed_text(corpus.records[rid]) for rid in ids], norm=True)
        return cls(model, ids, matrix, seconds)


def in_scope(service, query: str, notes: list[str]) -> Callable[[dict], bool]:
    """The records the search kept to: the dates and panels the query's words or filters named (unless the
    search widened them when they held nothing), its kinds and documents. A filter this cannot check
    (entities, asked or answered by) keeps nothing, so the fusion is the search's own list."""
    from pcp_search.query import plan_query
    from pcp_search.spec import Filters, panel_matches

    f = plan_query(query, service.registry, Filters(), service.store.panels()).filters
    dated = bool(f.since or f.until) and not any("every date" in n for n in notes)
    panels = [] if any("every panel" in n for n in notes) else f.panels
    unchecked = f.entity_ids or f.asked or f.answered

    def keep(record: dict) -> bool:
        date = record.get("date") or ""
        return not unchecked and (not dated or bool(date) and (f.since or "0000") <= date <= (f.until or "9999")) \
            and (not panels or any(panel_matches(record.get("panel"), p) for p in panels)) \
            and (not f.kinds or record.get("kind") in f.kinds) \
            and (not f.documents or any(d in record["document"] for d in f.documents))
    return keep


def cosine(service, corpus: Corpus, vectors: Vectors, query: str, base: Base) -> tuple[dict[str, float], list[str]]:
    """Every record's cosine to the query, and the 50 best of those in the search's scope."""
    sims = vectors.matrix @ vectors.model.embed(query, norm=True)[0]
    keep = in_scope(service, query, base.result.notes)
    ranked = []
    for i in sims.argsort()[::-1]:
        if keep(corpus.records[vectors.ids[i]]):
            ranked.append(vectors.ids[i])
            if len(ranked) == DEEP:
                break
    return dict(zip(vectors.ids, sims.tolist())), ranked


def rrf(lists: list[list[str]], k: int = RRF_K) -> list[str]:
    score = Counter()
    for ranked in lists:
        for rank, rid in enumerate(ranked, start=1):
            score[rid] += 1 / (k + rank)
    return sorted(score, key=lambda rid: -score[rid])


def linear_mix(bm25: dict[str, float], cos: dict[str, float], ranked_cos: list[str], w: float) -> list[str]:
    union = list(dict.fromkeys([*bm25, *ranked_cos]))
    top = max(bm25.values(), default=1.0) or 1.0
    low, high = min(cos[r] for r in union), max(cos[r] for r in union)
    spread = (high - low) or 1.0
    score = {r: w * bm25.get(r, 0.0) / top + (1 - w) * (cos[r] - low) / spread for r in union}
    return sorted(union, key=lambda r: -score[r])


def fused(service, corpus: Corpus, vectors: Vectors, how: str, w: float = 0.5) -> Ranker:
    def rank(query: str, base: Base) -> list[dict]:
        cos, ranked_cos = cosine(service, corpus, vectors, query, base)
        bm25 = {h.record["id"]: h.score for h in base.deep}
        order = rrf([list(bm25), ranked_cos]) if how == "rrf" else linear_mix(bm25, cos, ranked_cos, w)
        return [corpus.records[rid] for rid in order[:10]]
    return rank


# -- the measurement -------------------------------------------------------------------------------------------
@dataclass
class Row:
    """One variant over every query: the rank of its first relevant hit and the seconds it added."""

    name: str
    ranks: list[int | None]
    added: list[float]


def measure(name: str, rank: Ranker, deep: bool, queries: list[dict], bases: list[Base]) -> Row:
    ranks, added = [], []
    for q, base in zip(queries, bases):
        records, seconds = timed(rank, q["query"], base)
        added.append(seconds + (base.deep_seconds - base.seconds if deep else 0.0))
        ranks.append(first_relevant([(r["document"], hit_text(r)) for r in records], q["relevant"]))
    return Row(name, ranks, added)


def variants(service, corpus: Corpus, vectors: Vectors | None) -> list[tuple[str, Ranker, bool]]:
    """(name, ranker, whether it takes the 50-hit search) for every variant measured."""
    out: list[tuple[str, Ranker, bool]] = [("default", lambda query, base: base.records, False)]
    out += [(f"prf:{model}:k{k}:m{m}", prf(service, corpus, k, m, model), False)
            for model in ("tfidf", "bo1") for k in (5, 10) for m in (5, 10)]
    out += [(f"rm3:k{k}:m10:l{lam}", rm3(service, corpus, k, 10, lam), True) for k in (5, 10) for lam in (0.5, 0.7)]
    if vectors is not None:
        out.append(("emb:rrf", fused(service, corpus, vectors, "rrf"), True))
        out += [(f"emb:mix{w}", fused(service, corpus, vectors, "mix", w), True) for w in (0.3, 0.5, 0.7)]
    return out


def embeddings(corpus: Corpus) -> tuple[Vectors | None, str]:
    """The record vectors and a line on what they cost, or None and why there are none."""
    try:
        import wordllama
    except ImportError:
        return None, "embedding rows left out: `pip install wordllama` to measure them"
    vectors = Vectors.build(corpus)
    n, dim = vectors.matrix.shape
    model_bytes = sum(p.stat().st_size for p in Path(wordllama.__file__).parent.glob("[wt]*/*.[sj]*"))
    return vectors, (f"wordllama {wordllama.__version__}: {n} records embedded in {vectors.seconds:.2f} s "
                     f"({n / vectors.seconds:.0f} records/s); {dim}-d {vectors.matrix.dtype} vectors, "
                     f"{vectors.matrix.nbytes // n} bytes a record ({vectors.matrix.nbytes / 1e6:.1f} MB here); "
                     f"model files {model_bytes / 1e6:.1f} MB; a new process that has imported the search imports and "
                     f"loads the model in {cold_start():.2f} s more (median of 3)")


def run(index_dir: Path, queries: list[dict]) -> tuple[list[Row], list[str]]:
    from pcp_search.search import SearchService

    service = SearchService(index_dir)
    corpus, seconds = timed(Corpus.load, service)
    facts = [f"{len(corpus.records)} records; their term statistics read in {seconds:.2f} s"]
    vectors, line = embeddings(corpus)
    facts.append(line)
    bases = base_runs(service, queries)
    if vectors is not None:
        own = [timed(lambda q: vectors.matrix @ vectors.model.embed(q["query"], norm=True)[0], q)[1] for q in queries]
        facts.append(f"query vector and cosine to every record: median {statistics.median(own) * 1000:.2f} ms")
    facts.append(f"default search: median {statistics.median(b.seconds for b in bases) * 1000:.1f} ms for 10 hits, "
                 f"{statistics.median(b.deep_seconds for b in bases) * 1000:.1f} ms for {DEEP}")
    return [measure(name, rank, deep, queries, bases) for name, rank, deep in variants(service, corpus, vectors)], facts


# -- the report ----------------------------------------------------------------------------------------------------
def verdict(row: Row, default: Row, queries: list[dict]) -> str:
    """The quality rule: overall and paraphrase MRR@10 up, no query type's down by more than MAX_DROP."""
    if row is default:
        return "-"
    ours, before = by_type(row.ranks, queries), by_type(default.ranks, queries)
    mrr = {t: round(ours[t]["MRR@10"] - before[t]["MRR@10"], 6) for t in (*TYPES, "all")}
    lower = [t for t in TYPES if mrr[t] < -MAX_DROP]
    flat = [t for t in ("all", "paraphrase") if mrr[t] <= 0]
    if not flat and not lower:
        return "yes"
    return "no: " + "; ".join(part for part in (", ".join(flat) + " not up" if flat else "",
                                                ", ".join(lower) + " down" if lower else "") if part)


def table(rows: list[Row], queries: list[dict], markdown: bool) -> list[str]:
    heads = ["variant", *TYPES, "all", "+ms p50", "+ms p95", "quality rule"]
    lines = []
    for row in rows:
        m = by_type(row.ranks, queries)
        ms = sorted(s * 1000 for s in row.added)
        p95 = statistics.quantiles(ms, n=20)[-1]
        lines.append([row.name, *(f"{m[t]['MRR@10']:.3f}/{m[t]['R@5']:.3f}" for t in (*TYPES, "all")),
                      f"{statistics.median(ms):.1f}", f"{p95:.1f}", verdict(row, rows[0], queries)])
    if markdown:
        return ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)] + ["| " + " | ".join(cells) + " |" for cells in lines]
    widths = [max(len(str(c[i])) for c in [heads, *lines]) for i in range(len(heads))]
    return ["  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip() for cells in [heads, *lines]]


def main() -> None:
    parser = papers_parser(__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print the table in Markdown")
    args = papers_args(parser)
    from pcp_search.indexer import index_paths

    queries = load_queries(QUERIES)
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = args.index_dir or Path(tmp) / "pcp"
        if not (index_dir / "manifest.json").exists():
            gather(args.papers, Path(tmp) / "papers")
            index_paths([Path(tmp) / "papers"], index_dir)
        rows, facts = run(index_dir, queries)
    counts = ", ".join(f"{sum(q['type'] == t for q in queries)} {t}" for t in TYPES)
    print(f"{len(queries)} queries over real papers ({counts}); each cell MRR@10/R@5; "
          "+ms: latency added per query, in process")
    print("\n".join(facts))
    print("\n".join(table(rows, queries, args.markdown)))


if __name__ == "__main__":
    main()
