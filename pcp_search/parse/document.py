"""The parser: a Document into metadata, sections and question -> answer pairs (a pure function)."""

from __future__ import annotations

import re
from collections import Counter

from pcp_search.config import default_panel
from pcp_search.models import Document, Line, ParsedDocument, Section
from pcp_search.parse.dates import find_date, parse_user_date
from pcp_search.parse.items import split_glued
from pcp_search.parse.keys import alnum_key
from pcp_search.parse.meta import body_of, classify_kind, head_texts, heading, meeting_date, tidy
from pcp_search.parse.questions import extract_qa
from pcp_search.parse.sections import split_sections
from pcp_search.parse.tables import is_monitoring_table, table_pairs

PANEL = re.compile(r"\b((?:[A-Z][A-Za-z']+\s+(?:(?:and|&)\s+)?){0,3}?[A-Z][A-Za-z']+)\s+(?:Police|POLICE)\s+(?:and|AND|&)\s+(?:Crime|CRIME)\s+(?:Panel|PANEL)\b(?![sS])")
PANEL_LEAD = re.compile(r"^(?:(?:the|of|for|to|report|information|progress|pcc)\s+)+", re.IGNORECASE)
KINDS = ("pack", "minutes", "agenda", "report", "qa_pack", "topical_issues", "work_programme", "monitoring")
TITLE_SKIP = re.compile(r"^(?:office of the|information report to|report to the|pcc progress report|\w+ report to the)\b", re.IGNORECASE)


def parse_document(doc: Document) -> ParsedDocument:
    """Metadata (sidecar values win), sections and Q&A pairs of one document."""
    meta = doc.meta
    head = head_texts(doc.lines)  # the first lines with text, made once for the three readers of them
    date = _meta_date(meta) or document_date(doc.lines) or meeting_date(doc.lines, doc.name, head)
    sections = drop_duplicates(split_sections(split_glued(doc.lines), date))
    kind: str = meta["kind"] if meta.get("kind") in KINDS else classify(sections, doc.lines, head)
    own_heading = heading(doc.lines, head)
    panel = meta.get("panel") or find_panel(doc.lines) or default_panel() or _body(own_heading, kind)
    title = meta.get("title") or document_title(doc.lines, sections, kind, date, panel, own_heading)
    qa = []
    for section in sections:
        pairs = table_pairs(section) if is_monitoring_table(section) else extract_qa(section)
        qa.extend(pairs)
    return ParsedDocument(
        document=doc.name,
        title=title,
        kind=kind,
        date=date,
        author=meta.get("author") or _single_author(sections),
        panel=panel,
        sections=sections,
        qa=qa,
        warnings=list(doc.warnings),
    )


def _meta_date(meta: dict) -> str | None:
    value = meta.get("date")
    return parse_user_date(str(value)) if value else None


def find_panel(lines: list[Line]) -> str | None:
    """The panel most often named in the text ('Thames Valley Police and Crime Panel')."""
    counts: Counter[str] = Counter()
    for number, line in enumerate(lines[:2000]):
        text = line.text
        if not (("anel" in text or "ANEL" in text) and ("Police" in text or "POLICE" in text)):
            continue  # the pattern needs the words Police and Panel: most lines are passed over at a glance
        for found in PANEL.finditer(line.text):
            place = PANEL_LEAD.sub("", found.group(1).strip())
            if not place or place.lower() in ("this", "a", "each"):
                continue
            counts[tidy(place) if place.isupper() else place] += 2 if number < 15 else 1
    if not counts:
        return None
    place, count = counts.most_common(1)[0]
    if count < 2:
        return None
    return f"{place} PCP"


def document_date(lines: list[Line]) -> str | None:
    """A 'Date:' line or a 'Minutes of the ... held on' heading near the top (the seeds' headers)."""
    from pcp_search.parse.sections import MINUTES_OPEN

    text_lines = [line.text.strip() for line in lines if line.text.strip()]
    for text in text_lines[:40]:
        if (text.lower().startswith("date") or MINUTES_OPEN.match(text)) and find_date(text):
            return find_date(text)
    return None


def _body(own_heading: str | None, kind: str) -> str | None:
    """The council or committee a meeting paper names in its heading, when no panel is named."""
    if not own_heading or kind not in ("minutes", "agenda", "pack", "qa_pack"):
        return None
    return body_of(own_heading)[:120] or None


def classify(sections: list[Section], lines: list[Line], head: list[str] | None = None) -> str:
    """The document kind: the parts its sections belong to, then strong evidence, then keywords."""
    if any(is_monitoring_table(s) for s in sections[:3]):
        return "monitoring"
    parts = {s.part for s in sections if s.part}
    has_agenda = any(p.startswith("Agenda") for p in parts)
    has_minutes = any(p.startswith("Minutes") for p in parts) or any(s.number and "/" in s.number for s in sections)
    reports = [p for p in parts if not p.startswith(("Agenda", "Minutes"))]
    if has_agenda and (has_minutes or reports):
        return "pack"
    strong = classify_kind(sections, lines, head)
    if strong:
        return strong
    if has_minutes or sum(line.text.strip().lower() == "minutes:" for line in lines) >= 2:
        return "minutes"  # web minutes label each item's record "Minutes:"
    if has_agenda:
        return "agenda"
    top = " ".join(line.text for line in lines[:30]).lower()
    if "topical issues" in top:
        return "topical_issues"
    if "work programme" in top and len(sections) <= 3:
        return "work_programme"
    return "report"


def document_title(lines, sections, kind, date, panel, own_heading=None) -> str:
    """A readable title: the report's own title, or 'Agenda pack, <panel>, <date>' for a pack."""
    from pcp_search.models import format_date

    if kind in ("pack", "minutes", "agenda", "qa_pack"):
        label = {"pack": "Agenda pack", "minutes": "Minutes", "agenda": "Agenda", "qa_pack": "Questions and answers"}[kind]
        if own_heading and kind == "qa_pack":
            label = own_heading if len(own_heading) < 120 else label
            panel = None if panel and panel in label else panel
        return ", ".join(p for p in (label, panel, format_date(date)) if p)
    candidates = [line.text.split("\t")[0].strip() for line in lines if line.text.strip()][:10]
    picked: list[str] = []
    for text in candidates:
        if _not_a_title(text):
            if picked:
                break
            continue
        picked.append(text.rstrip(":"))
        if not text.endswith((":", " and", " of", " the", " –", " -", " for")) or len(picked) == 2:
            break
    title = " ".join(picked).strip()
    if not title and sections:
        title = sections[0].title
    return title[:200] or "Untitled"


def _not_a_title(text: str) -> bool:
    """Header lines that are not the title: 'OFFICE OF THE PCC', 'REPORT TO THE ... PANEL', dates, URLs."""
    if TITLE_SKIP.match(text) or text.startswith("http"):
        return True
    if re.fullmatch(r"(?:the\s+)?[\w\s&']*police\s+(?:and|&)\s+crime\s+panel", text, re.IGNORECASE):
        return True
    return bool(find_date(text)) and len(text) < 80


def _single_author(sections: list[Section]) -> str | None:
    authors = {s.author for s in sections if s.author}
    return authors.pop() if len(authors) == 1 else None


def drop_duplicates(sections: list[Section]) -> list[Section]:
    """Drop a section whose substantive lines were nearly all printed already (a table printed twice)."""
    seen: set[str] = set()
    titles: set[str] = set()
    kept = []
    for section in sections:
        # a line's key: its letters and digits, when there are at least 25; a key is never longer than its text (of the
        # characters that lower-case into more than one, only the dotted I does, into 'i' and a mark the key leaves out),
        # so a shorter line, a blank one above all, is not keyed
        keys = {key for line in section.lines if len(line.text) >= 25 and len(key := alnum_key(line.text)) >= 25}
        repeated = keys and len(keys & seen) >= 0.85 * len(keys) and len(keys) >= 3
        if repeated and _title_key(section.title) in titles:  # a new question with a stock answer is kept
            continue
        seen |= keys
        titles.add(_title_key(section.title))
        kept.append(section)
    return kept


def _title_key(title: str) -> str:
    return alnum_key(title)[:40]
