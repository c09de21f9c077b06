"""Searching the index: ranking (Q&A first, recency on ties), snippets, facets and "did you mean"."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pcp_search.engine import STOP_WORDS, Store, analyze
from pcp_search.entities.registry import Registry
from pcp_search.models import Hit
from pcp_search.query import QueryPlan, plain_words, plan_query
from pcp_search.spec import Filters, QuerySpec, QuerySyntaxError, RawResults, panel_matches

QUESTION_QA_BOOST = 1.4  # on top of the index's Q&A boost, when the query is a question
PHRASE_BOOST = 1.4
PANEL_BOOST = 1.5  # a record of the panel a query names as a place ('in Surrey')
SHORT_PENALTY = 0.6
SNIPPET_CHARS = 260
COMMON_SHARE = 0.25  # in a many-word question, words in more records than this add cost, not rank


@dataclass
class SearchResult:
    """What `search` returns: the JSON contract's fields plus facets and notes."""

    query: str
    total: int
    suggestion: str | None
    hits: list[Hit]
    facets: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    corrected: bool = False

    def to_json(self) -> dict:
        return {
            "query": self.query,
            "total": self.total,
            "suggestion": self.suggestion,
            "results": [h.to_json() for h in self.hits],
            "facets": self.facets,
            "notes": self.notes,
            "corrected": self.corrected,
        }


class SearchService:
    """The search layer the CLI and the TUI share; opens the index lazily."""

    def __init__(self, index_dir: str | Path) -> None:
        self.store = Store(index_dir)
        self._registry: tuple[int, Registry] | None = None
        self._ready = False
        self._outdated: bool | None = None  # built by a pcp-search of another format (asked once)

    @property
    def registry(self) -> Registry:
        """The index's entities (`entities.json`), read again when a run rewrites it; when it is missing
        or broken, rebuilt from the index in memory (the next `index` run writes it again)."""
        from pcp_search.entities.registry import derived_registry, gazetteer

        path = self.store.registry_path()
        try:
            stamp = path.stat().st_mtime_ns
        except OSError:
            stamp = -1
        if self._registry is None or self._registry[0] != stamp:
            try:
                registry = Registry.load(path)
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                if self.store.exists() and self.store.document_count():
                    registry = derived_registry(self.store.derived()["learned"], self.store.entity_counts())
                else:
                    registry = gazetteer()
            self._registry = (stamp, registry)
        return self._registry[1]

    def ready(self) -> bool:
        """True once an index exists (checked on the disk until it does: the TUI asks per keystroke)."""
        if not self._ready:
            self._ready = self.store.exists()
        return self._ready

    # -- search ------------------------------------------------------------------------------------
    def search(
        self,
        query: str,
        limit: int = 10,
        kinds: list[str] | None = None,
        entities: list[str] | None = None,
        since: str | None = None,
        until: str | None = None,
        sort: str = "relevance",
        facets: bool = True,
        suggest: bool = True,
    ) -> SearchResult:
        """Search the index; a query that cannot be parsed falls back to its plain words."""
        filters = Filters(kinds=list(kinds or []), since=since, until=until)
        notes: list[str] = []
        for name in entities or []:
            entry = self.registry.find(name)
            if entry is None:
                notes.append(f"no entity called '{name}' in the index")
                return SearchResult(query, 0, None, [], {}, notes)
            filters.entity_ids.append(entry.id)
        plan = self._plan(query, filters)
        if self._outdated is None:
            try:
                self._outdated = self.store.exists() and not self.store.compatible()
            except OSError:  # (a read-only index whose lost parameters could not be written again)
                self._outdated = False
        if self._outdated:
            notes.append("this index was built by another version of pcp-search: run `pcp-search index` to rebuild it")
        plan.notes[:0] = notes
        result = self._run(plan, limit, sort, facets)
        while not result.total and plan.widen():  # a date or panel in words that found nothing: dropped, said
            result = self._run(plan, limit, sort, facets)
        if suggest:
            self._did_you_mean(plan, result, limit, sort, facets)
        if not result.total and not self.store.document_count():
            result.notes.append("nothing indexed yet: run `pcp-search index [PATH ...]`")
        return result

    def _plan(self, query: str, filters: Filters) -> QueryPlan:
        """The query understood: filters, filler, expansions, and common words left out."""
        plan = plan_query(query, self.registry, filters, self.store.panels())
        self._drop_common_words(plan)
        return plan

    def _drop_common_words(self, plan: QueryPlan) -> None:
        """In a question of several plain words, words most records hold ('police') are left out:
        they barely move the ranking and make every query walk the whole index."""
        words = plan.words
        if len(words) < 3 or plan.boolean != plan.text or re.search(r'["*?()]', plan.text):
            return
        common = self.store.common_words(words, COMMON_SHARE)
        kept = [w for w in words if w not in common]
        if common and len(kept) >= 2:
            plan.boolean = " ".join(kept)

    def _run(self, plan: QueryPlan, limit: int, sort: str, facets: bool) -> SearchResult:
        raw = self._execute(plan, limit, sort, facets)
        hits = self._rank(plan, raw, sort)[:limit]
        for hit in hits:
            hit.snippet = snippet_for(hit.record, raw.terms)
        return SearchResult(plan.original, raw.total, None, hits, _facets(raw.facets), [*plan.notes, *raw.notes])

    def _execute(self, plan: QueryPlan, limit: int, sort: str, facets: bool) -> RawResults:
        short_keywords = not plan.question_shaped and 1 < len(plan.words) <= 4 and not re.search(r"\b(?:OR|NOT)\b", plan.boolean)
        spec = QuerySpec(plan.boolean, plan.filters, candidates=max(30, 3 * limit), sort=sort, facets=facets,
                         any_terms=not short_keywords, exclude=plan.excluded)
        try:
            raw = self.store.search(spec)
            if short_keywords and raw.total == 0:
                plan.relaxed = True
                spec.any_terms = True
                raw = self.store.search(spec)
        except QuerySyntaxError:
            plan.notes.append("the query's syntax could not be read; searched its words instead")
            spec.text = plain_words(plan.boolean)
            spec.any_terms = True
            raw = self.store.search(spec)
        return raw

    def _rank(self, plan: QueryPlan, raw: RawResults, sort: str) -> list[Hit]:
        """Q&A pairs above passages, exact phrases up, headings down; ties by recency."""
        phrase = " ".join(plan.words).lower() if len(plan.words) > 1 else ""
        hits = []
        for candidate in raw.candidates:
            record = candidate.payload
            score = candidate.score
            if record.get("kind") == "qa" and plan.question_shaped:
                score *= QUESTION_QA_BOOST
            if phrase and phrase in " ".join(_hit_text(record).lower().split()):
                score *= PHRASE_BOOST
            if len(record.get("text") or "") < 80:
                score *= SHORT_PENALTY
            if any(panel_matches(record.get("panel"), place) for place in plan.favoured_panels):
                score *= PANEL_BOOST
            hits.append(Hit(record=record, score=score, snippet=""))
        if sort == "relevance":
            # ties: newer first, then the record id, so the order never depends on how the index was built
            hits.sort(key=lambda h: (-round(h.score, 6), _negdate(h.record.get("date")), h.record.get("id") or ""))
        return hits

    def _did_you_mean(self, plan: QueryPlan, result: SearchResult, limit: int, sort: str, facets: bool) -> None:
        """Suggest a spelling that itself finds results; show its results when the query found none."""
        corrected = self.correct(plan.text)
        if not corrected:
            return
        trial = self._plan(corrected, plan.filters)
        trial.notes = []
        alternative = self._run(trial, limit, sort, facets)
        # offered only when it finds more: records holding every word count over records holding any
        found = 0 if plan.relaxed and not trial.relaxed else result.total
        if alternative.total <= found:
            return
        result.suggestion = corrected
        if result.total == 0:
            result.hits, result.total, result.facets = alternative.hits, alternative.total, alternative.facets
            result.corrected = True
            result.notes.append(f"no results for '{plan.text}'; showing results for '{corrected}'")

    def correct(self, text: str) -> str | None:
        """The query with unknown words replaced by the closest common index word, or None."""
        changed = False
        out = []
        previous = ""
        for token in re.findall(r"\S+", text):
            word = token.strip("\"'()?,.!")
            if len(word) >= 4 and word.isalpha() and word.upper() != word and word.lower() not in STOP_WORDS \
                    and previous.lower() not in NEGATIONS and not self._known(word):
                best = self._closest(word)
                if best and _drops_negation(word, best):
                    best = None  # 'unanswered' is never 'answered'
                if best and word[:1].isupper():
                    best = best[:1].upper() + best[1:]  # 'Atlantik House' -> 'Atlantic House'
                if best:
                    token = token.replace(word, best)
                    changed = True
            out.append(token)
            previous = token.strip("\"'()?,.!")
        return " ".join(out) if changed else None

    def _known(self, word: str) -> bool:
        """In the index as typed, or as another form of the same stem ('vetted' finds 'vetting'):
        a word the search already matches needs no correction."""
        return self.store.word_count(word) > 0 or self.store.stem_found(word)

    def _closest(self, word: str) -> str | None:
        options = self.store.suggest_words(word)
        if not options:
            return None
        return options[0][0]

    # -- records -----------------------------------------------------------------------------------
    def get(self, record_id: str) -> dict | None:
        return self.store.get(record_id)


NEGATIONS = {"not", "no", "never", "without", "nor", "non"}
NEGATING_PREFIXES = ("un", "non", "dis", "in", "im", "ir", "il", "mis")


def _drops_negation(word: str, best: str) -> bool:
    """True when a correction would drop or add a negating prefix ('unanswered' -> 'answered')."""
    word, best = word.lower(), best.lower()
    for prefix in NEGATING_PREFIXES:
        for one, other in ((word, best), (best, word)):
            if one.startswith(prefix) and not other.startswith(prefix) and one[len(prefix):][:3] == other[:3]:
                return True
    return False


def _negdate(date: str | None) -> str:
    """A sort key that puts newer dates first."""
    if not date:
        return "~"
    return "".join(chr(ord("9") - ord(c) + ord("0")) if c.isdigit() else c for c in date)


def _hit_text(record: dict) -> str:
    if record.get("kind") == "qa":
        return (record.get("question") or "") + "\n" + (record.get("answer") or "")
    return record.get("text") or ""


def _facets(raw: dict) -> dict:
    if not raw:
        return {}
    entities = sorted(raw.get("entities", {}).items(), key=lambda kv: -kv[1])[:15]
    years = {k: v for k, v in raw.get("year", {}).items() if k not in ("0", "None")}
    return {
        "kind": raw.get("kind", {}),
        "year": dict(sorted(years.items())),
        "document": raw.get("document", {}),
        "entities": dict(entities),
    }


def snippet_for(record: dict, terms: set[str]) -> str:
    """A Q&A pair's snippet comes from its answer when the answer holds query words, else its question."""
    if record.get("kind") == "qa":
        for text in (record.get("answer"), record.get("question")):
            if text and any(stem in terms for stem, _s, _e in analyze(text)):
                return snippet(text, terms)
        return snippet(record.get("answer") or record.get("question") or "", terms)
    return snippet(record.get("text") or "", terms)


def snippet(text: str, terms: set[str], width: int = SNIPPET_CHARS) -> str:
    """The window of `text` with the most distinct query terms, those terms marked **like this**."""
    tokens = analyze(text)
    matched = [(start, end, stem) for stem, start, end in tokens if stem in terms]
    if not matched:
        cut = text[:width]
        return " ".join((cut + ("…" if len(text) > width else "")).split())
    best_start, best_score = matched[0][0], -1
    for i, (start, _end, _stem) in enumerate(matched):
        inside = {m[2] for m in matched[i:] if m[1] <= start + width}
        if len(inside) > best_score:
            best_start, best_score = start, len(inside)
    begin = max(0, best_start - width // 4)
    begin = text.rfind(" ", 0, begin) + 1 if begin > 0 else 0
    end = min(len(text), begin + width)
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > begin else end
    out, pos = [], begin
    for start, stop, _stem in matched:
        if start < begin or stop > end:
            continue
        out.append(text[pos:start])
        out.append(f"**{text[start:stop]}**")
        pos = stop
    out.append(text[pos:end])
    body = " ".join("".join(out).split())
    return ("…" if begin > 0 else "") + body + ("…" if end < len(text) else "")
