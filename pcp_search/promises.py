"""Undertakings across the index: every promise made to the panel, with who asked, who promised, when it
is due, and whether a later paper reports on it.

Promises are read from the records at listing time (answers of Q&A pairs with `undertakings`, minutes
prose with `passage_undertakings`), so a better rule applies to an index without rebuilding it. A promise
is `followed up` when a later record of the same panel, in another paper, names what was promised and
either sits under an item about it or says it was delivered ("circulated", "update on", "as promised");
see README, "How follow-up is detected".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from pcp_search.engine import STOP_WORDS, analyze
from pcp_search.models import citation
from pcp_search.parse.undertakings import (
    DUE,
    ROLES,
    due,
    is_promise,
    passage_undertakings,
    promised_object,
    promiser,
    undertakings,
)
from pcp_search.spec import Filters, QuerySpec

ALL = 10**7
# words that say what kind of thing was promised, not what it is about: left out of the follow-up search
GENERIC = {
    "report", "back", "update", "updat", "brief", "briefing", "detail", "details", "inform", "information", "figur", "figures",
    "breakdown", "copi", "copy", "note", "paper", "respons", "response", "answer", "data", "list", "feedback", "summari",
    "panel", "member", "committe", "meet", "meeting", "next", "futur", "provid", "circul", "share", "send", "sent", "written",
    "verbal", "agre", "would", "will", "commission", "pcc", "chief", "constabl", "offic", "officer", "chair", "look", "write",
    "councillor", "cllr", "scrutini", "check", "follow", "forward", "arrang", "also", "possibl", "soon", "time", "year",
    "month", "week", "provide", "present", "bring", "issu", "matter", "point", "question", "ask", "rais", "him", "her",
    "thi", "these", "those", "relev", "regard", "relat", "latest", "new", "final", "further", "full", "more", "receiv",
    "confirm", "seek", "obtain", "speak", "group", "team", "work", "consid", "undertook", "undertak", "offer",
    "which", "who", "all", "some", "ani", "any", "such", "their", "into", "out", "set", "made", "avail", "get",
    "whether", "order", "about", "what", "how", "done", "onc", "been", "mani", "much", "thing", "them", "thei", "our",
}
DELIVERED = re.compile(
    r"\b(?:circulated|provided|shared|sent|forwarded|presented|reported|distributed|attached|appended|as\s+promised"
    r"|as\s+requested|as\s+agreed|(?:update|report|briefing|paper|note)\s+(?:on|regarding|about|into|of)|following\s+(?:the|a|its)\s+"
    r"(?:request|last\s+meeting|previous\s+meeting|meeting\s+on)|at\s+the\s+(?:last|previous)\s+meeting|previously\s+(?:requested|promised))\b",
    re.IGNORECASE)


@dataclass
class Undertaking:
    """One promise made to the panel, with its citation and what became of it."""

    text: str
    date: str | None
    document: str
    id: str
    citation: str
    asked_by: str | None
    promised_by: str | None
    due: str | None
    status: str = "open"  # or "followed up"
    followed_up_by: dict | None = None  # {"id", "date", "citation", "text"} of the later record
    panel: str | None = None
    section: str | None = None
    page: int | None = None
    url: str | None = None
    keywords: list[str] = field(default_factory=list, repr=False)

    def to_json(self) -> dict:
        data = asdict(self)
        data.pop("keywords")
        return data


def promises_in(record: dict) -> list[str]:
    """The promise sentences of one record: an answer's, or a passage's prose."""
    if record.get("kind") == "qa":
        # a monitoring table's row may carry the actions taken beside the recommendation
        return undertakings(record.get("answer") or "") + passage_undertakings(record.get("question") or "")
    return passage_undertakings(record.get("text") or "")


def from_records(records: Iterable[dict]) -> list[Undertaking]:
    """Every promise in these records, oldest first, each sentence once per document."""
    found: list[Undertaking] = []
    seen: dict[str, list[str]] = {}  # document -> its promises so far, normalised
    # pairs first: a passage may repeat the prose a pair was made from, and the pair knows who asked
    for record in sorted(records, key=lambda r: r.get("kind") != "qa"):
        for sentence in promises_in(record):
            key = _norm(sentence)
            kept = seen.setdefault(record.get("document") or "", [])
            if any(key in other or other in key for other in kept):
                continue
            kept.append(key)
            found.append(_undertaking(record, sentence))
    found.sort(key=lambda u: (u.date or "9999", u.id))
    return found


def _undertaking(record: dict, sentence: str) -> Undertaking:
    text = record.get("text") or ""
    who = promiser(sentence) or _role(record.get("answered_by")) or _named_before(text, sentence)
    return Undertaking(
        text=sentence,
        date=record.get("date") or _date_in_name(record.get("document") or ""),
        document=record.get("document") or "",
        id=record.get("id") or "",
        citation=citation(record),
        asked_by=record.get("asked_by") or _asker_before(text, sentence),
        promised_by=who,
        due=due(sentence),
        panel=record.get("panel"),
        section=record.get("section"),
        page=record.get("page"),
        url=record.get("url"),
        keywords=keywords(sentence, record),
    )


ROLE_SUBJECT = re.compile(
    r"\b(?:[Tt]he\s+)?(?P<who>(?:Deputy\s+)?(?:Police\s+(?:and|&)\s+Crime\s+Commissioner|PCC|Commissioner|Mayor)|(?:Deputy\s+|Assistant\s+)?"
    r"Chief\s+Constable|Chief\s+(?:Finance\s+Officer|Executive|Superintendent)|(?:Cllr|Councillor)\.?\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?"
    r"|(?:Mr|Mrs|Ms|Dr)\.?\s+[A-Z][\w'’-]+)\s+(?:said|stated|reported|replied|responded|confirmed|advised|explained|informed|agreed|"
    r"indicated|noted|commented|added|acknowledged|assured|undertook)\b")
ASKER = re.compile(
    r"(?:question|query|point|concern)s?\s+(?:from|by|raised\s+by)\s+(?P<a>(?:Cllr|Councillor|Mr|Mrs|Ms|Dr)\.?\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)"
    r"|(?P<b>(?:Cllr|Councillor|Mr|Mrs|Ms|Dr)\.?\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?|A\s+(?:Panel\s+)?Member|Members)\s+"
    r"(?:asked|queried|questioned|enquired|raised|requested|sought)\b")


def _date_in_name(name: str) -> str | None:
    """An undated paper's date from its file name ('2024-02-02_Printed minutes.pdf'), as `fetch` names them."""
    found = re.search(r"(?<!\d)((?:19|20)\d\d)-([01]\d)-([0-3]\d)(?!\d)", name)
    return "-".join(found.groups()) if found else None


def _role(who: str | None) -> str | None:
    """'PCC' -> 'the PCC' (a role, as promiser() names it); a person's name as it is."""
    return "the " + who if who and re.fullmatch(ROLES, who) and who[0].isupper() else who


def _named_before(text: str, sentence: str) -> str | None:
    """For 'He would send ...' in prose: the role or person last said to speak before the promise."""
    head = text[:max(0, text.find(sentence))] + sentence
    found = list(ROLE_SUBJECT.finditer(head[-600:]))
    if not found:
        return None
    who = " ".join(found[-1].group("who").split())
    return who if who[0].isupper() and not who.startswith(("Mr", "Mrs", "Ms", "Dr", "Cllr", "Councillor")) and " " not in who \
        else ("the " + who if who in ("PCC", "Commissioner", "Mayor") else who)


def _asker_before(text: str, sentence: str) -> str | None:
    """In prose, who asked: 'In response to a question from Cllr X', 'Cllr X asked ...' before the promise."""
    head = text[:max(0, text.find(sentence))] + sentence
    found = list(ASKER.finditer(head[-800:]))
    if not found:
        return None
    return " ".join((found[-1].group("a") or found[-1].group("b")).split())


def keywords(sentence: str, record: dict) -> list[str]:
    """What the promise is about, as index stems: the words after the promise's verb that are not generic
    ('a report on victim satisfaction' -> victim, satisfact); when it names nothing ('he would report
    back'), the words of the question or of the item's title."""
    about = DUE.sub(" ", promised_object(sentence))
    about = RECIPIENT_TAIL.sub("", about)
    stems = _content_stems(about)
    if len(stems) < 1:
        context = record.get("question") or re.sub(r"^[\d/.]+\s+", "", record.get("section") or "")
        stems = _content_stems(context)
    return stems[:4]


RECIPIENT_TAIL = re.compile(r"\b(?:to|with|for)\s+(?:the\s+)?"
                            r"(?:Police\s+(?:and|&)\s+Crime\s+)?(?:Panel|Members?|Committee|Councillors?)\b.*$")


def _content_stems(text: str) -> list[str]:
    out: list[str] = []
    for stem, start, _end in analyze(text):
        word = text[start:_end]
        if stem in STOP_WORDS or stem in GENERIC or word.lower() in GENERIC or len(stem) < 3 or stem in out \
                or any(c.isdigit() for c in stem):
            continue
        if word.lower() in _NAME_WORDS or re.fullmatch(r"(?:Cllr|Councillor|Mr|Mrs|Ms|Dr)", word):
            continue
        out.append(stem)
    return out


_NAME_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
               "december", "monday", "tuesday", "wednesday", "thursday", "friday", "easter", "christmas"}


# -- listing --------------------------------------------------------------------------------------
def list_undertakings(service, query: str | None = None, since: str | None = None, panel: str | None = None,
                      follow: bool = True) -> list[Undertaking]:
    """The promises in the index (or in the records matching `query`), oldest first, each with its status."""
    if query and query.strip():
        result = service.search(query, limit=2000, since=since, facets=False, suggest=False)
        records = [hit.record for hit in result.hits]
    else:
        records = all_records(service, since=since)
    if panel:
        records = [r for r in records if _same_panel(panel, r.get("panel"))]
    items = from_records(records)
    if query and query.strip():
        items = [u for u in items if u.id.rsplit("#", 1)[-1].startswith("qa") or _near(query, u, records)]
    if follow:
        for item in items:
            follow_up(service, item)
    return items


def _near(query: str, item: Undertaking, records: list[dict]) -> bool:
    """A passage holds several subjects: its promise is on the query's subject when the query's words are in
    the promise's sentence or the one before it."""
    wanted = {stem for stem, _a, _b in analyze(query) if stem not in STOP_WORDS}
    text = next((r.get("text") or "" for r in records if r.get("id") == item.id), "")
    at = text.find(item.text[:60])
    before = text[max(0, at - 300):at] if at > 0 else ""
    context = re.split(r"(?<=[.?!])\s+", before)[-1] + " " + item.text
    return not wanted or bool(wanted & {stem for stem, _a, _b in analyze(context)})


def all_records(service, since: str | None = None) -> list[dict]:
    """Every record of the index (from `since` on), oldest first."""
    spec = QuerySpec("", Filters(since=since), candidates=ALL, facets=False)
    records = [candidate.payload for candidate in service.store.search(spec).candidates]
    return sorted(records, key=lambda r: (r.get("date") or "9999", r.get("id") or ""))


def follow_up(service, item: Undertaking) -> None:
    """Mark the promise `followed up` with the first later record that reports on it (see the module doc)."""
    if not item.keywords or not item.date:
        return
    if len(item.keywords) < 2 and len(item.keywords[0]) < 6:
        return  # one short word ('cost', 'weca') finds too much to say the promise was kept
    spec = QuerySpec(" ".join(item.keywords), Filters(since=_next_day(item.date)), candidates=200,
                     any_terms=False)
    found = [c.payload for c in service.store.search(spec).candidates]
    later = sorted(found, key=lambda r: (r.get("date") or "", r.get("id") or ""))
    for record in later:
        if record.get("document") == item.document or not record.get("date") or record["date"] <= item.date:
            continue
        if item.panel and record.get("panel") and not _same_panel(item.panel, record["panel"]):
            continue
        if reports_on(record, item.keywords) if len(item.keywords) > 1 else _titled(record, item.keywords):
            item.status = "followed up"
            item.followed_up_by = {"id": record.get("id"), "date": record.get("date"), "citation": citation(record),
                                   "text": _evidence(record, item.keywords)}
            return


def reports_on(record: dict, stems: list[str]) -> bool:
    """A later record reports on a promise when its item's title names the subject, or one of its sentences
    that is not itself a promise names it and says it was delivered."""
    title = " ".join(x for x in (record.get("section"), record.get("title")) if x)
    title_stems = {s for s, _a, _b in analyze(title)}
    if stems and sum(s in title_stems for s in stems) * 2 >= len(stems) + (len(stems) > 1):
        return True
    return _evidence(record, stems) is not None


def _titled(record: dict, stems: list[str]) -> bool:
    title = " ".join(x for x in (record.get("section"), record.get("title")) if x)
    return all(s in {x for x, _a, _b in analyze(title)} for s in stems)


def _evidence(record: dict, stems: list[str]) -> str | None:
    text = record.get("answer") or record.get("text") or ""
    for sentence in re.split(r"(?<=[.?!])\s+|\n", text):
        found = {s for s, _a, _b in analyze(sentence)}
        if all(s in found for s in stems) and DELIVERED.search(sentence) and not is_promise(sentence, answer=True):
            return sentence.strip()
    title = record.get("section") or record.get("title")
    return title if title and all(s in {x for x, _a, _b in analyze(title)} for s in stems[:2]) else None


def _same_panel(wanted: str, panel: str | None) -> bool:
    if not panel:
        return False
    return _norm(wanted) in _norm(panel) or _norm(panel) in _norm(wanted)


def _next_day(iso: str) -> str:
    import datetime as _dt

    try:
        return (_dt.date.fromisoformat(iso) + _dt.timedelta(days=1)).isoformat()
    except ValueError:
        return iso


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower().replace("’", "'"))
