"""Answers built on search: `ask` (best past answers, with the sentences that answer), `similar`
(has this been asked before?), `timeline` (what was said over time) and `show` (a whole record)."""

from __future__ import annotations

import re
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

from pcp_search.engine import STOP_WORDS, analyze
from pcp_search.models import Hit, citation
from pcp_search.search import SearchResult, SearchService


class RecordNotFound(LookupError):
    """No record has the id the user gave."""


SENTENCE = re.compile(r"(?<=[.?!])\s+(?=[A-Z(\"'‘“£0-9•-])|\n\s*\n+|\n(?=\s*[-•*]\s)")
SOFT_BREAK = re.compile(r"(?<![.?!:;])\n(?!\s*\n|\s*[-•*]\s)")  # a PDF line break inside a sentence
FILLER_VERBS = {"made", "make", "makes", "making", "was", "were", "had", "has", "have", "having", "did", "does", "do",
                "done", "been", "being", "get", "got", "gets", "said", "say", "says", "asked", "ask", "told", "tell",
                "would", "could", "should", "will", "can", "may", "might", "must", "also", "there", "what", "how", "why",
                "when", "which", "who", "any", "about", "pcc", "commissioner"}
ID_LIKE = re.compile(r"^\S+#(?:qa|p)\d+$")


@dataclass
class AskResult:
    query: str
    answers: list[Hit]
    passages: list[Hit]
    suggestion: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "query": self.query,
            "total": len(self.answers) + len(self.passages),
            "suggestion": self.suggestion,
            "results": [h.to_json() for h in self.answers],
            "passages": [h.to_json() for h in self.passages],
            "notes": self.notes,
        }


def ask(service: SearchService, question: str, limit: int = 3, **filters) -> AskResult:
    """The best past Q&A pairs for a natural question, each with its one to three best sentences;
    passages as a fallback when too few pairs answer."""
    result = service.search(question, limit=max(limit * 4, 20), facets=False, **filters)
    words = _stems(question)
    answers = [h for h in result.hits if h.record.get("kind") == "qa" and h.record.get("answer")][:limit]
    for hit in answers:
        hit.answer_sentences = best_sentences(hit.record["answer"], words)
    passages = [h for h in result.hits if h.record.get("kind") != "qa"][: max(0, limit - len(answers)) or 1]
    for hit in passages:
        hit.answer_sentences = best_sentences(hit.record.get("text") or "", words)
    notes = list(result.notes)
    if not answers:
        notes.append("nothing in the papers answers this as a question and answer"
                     + ("; the closest passages follow" if passages else ""))
    return AskResult(question, answers, passages, result.suggestion, notes)


def _stems(question: str) -> set[str]:
    from pcp_search.query import QUESTION_WORDS, strip_filler

    return {stem for stem, _s, _e in analyze(strip_filler(question)) if stem not in QUESTION_WORDS}


def best_sentences(text: str, stems: set[str], most: int = 3) -> list[str]:
    """Up to `most` sentences holding the most query words, in the order they were said."""
    text = SOFT_BREAK.sub(" ", text)  # a sentence broken over PDF lines is one sentence, never two
    sentences = [" ".join(s.strip(" -•[]").split()) for s in SENTENCE.split(text) if len(s.strip()) > 20]
    scored = []
    for index, sentence in enumerate(sentences):
        found = {stem for stem, _s, _e in analyze(sentence)} & stems
        if found:
            scored.append((len(found), -index, sentence))
    if not scored:
        return sentences[:1]
    top = sorted(scored, reverse=True)[:most]
    best = top[0][0]
    kept = [t for t in top if t[0] >= max(1, best - 1)]
    return [s for _n, _i, s in sorted(kept, key=lambda t: -t[1])]


def similar(service: SearchService, text_or_id: str, limit: int = 10) -> SearchResult:
    """Past questions closest to a draft question (or to the record with that id)."""
    exclude = []
    text = text_or_id
    if ID_LIKE.match(text_or_id.strip()):
        record = service.get(text_or_id.strip())
        if record is None:
            raise RecordNotFound(f"no record with id {text_or_id}")
        text = record.get("question") or record.get("text") or ""
        exclude.append(record["id"])
    # stop words and filler verbs ('made', 'was', 'had') say nothing about the subject; a long draft keeps
    # its first 60 other words so the query stays quick
    words = [w for w in re.findall(r"[\w'’-]+", text) if w.lower() not in STOP_WORDS and w.lower() not in FILLER_VERBS]
    text = " ".join(words[:60]) or text
    result = service.search(text, limit=limit + len(exclude), kinds=["qa"], facets=False, suggest=False)
    result.hits = [h for h in result.hits if h.record["id"] not in exclude][:limit]
    result.query = text_or_id
    return result


@dataclass
class Timeline:
    query: str
    total: int
    years: dict[str, int]
    groups: list[dict]
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"query": self.query, "total": self.total, "years": self.years, "groups": self.groups, "notes": self.notes}


def timeline(service: SearchService, query: str, limit: int = 200, **filters) -> Timeline:
    """Hits grouped by meeting or report date, oldest first, with counts per year."""
    result = service.search(query, limit=limit, facets=False, **filters)
    dated = sorted((h for h in result.hits if h.record.get("date")), key=lambda h: h.record["date"])
    undated = [h for h in result.hits if not h.record.get("date")]
    groups: OrderedDict[str, list[Hit]] = OrderedDict()
    for hit in dated:
        groups.setdefault(hit.record["date"], []).append(hit)
    if undated:
        groups["undated"] = undated
    years = Counter(h.record["date"][:4] for h in dated)
    out = [{"date": None if date == "undated" else date, "count": len(hits), "results": [h.to_json() for h in hits]}
           for date, hits in groups.items()]
    return Timeline(query, len(result.hits), dict(sorted(years.items())), out, result.notes)


def show(service: SearchService, record_id: str) -> dict:
    """The whole record, its citation and the text of the section it sits in."""
    record = service.get(record_id)
    if record is None:
        raise RecordNotFound(f"no record with id {record_id}")
    section = service.store.section_text(record)
    return record | {"citation": citation(record), "section_text": section}
