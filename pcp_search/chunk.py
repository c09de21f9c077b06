"""Turn a parsed document into index records: one per Q&A pair, and passages bounded by sections."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pcp_search.models import Document, ParsedDocument, Record, Section, qa_text
from pcp_search.parse.keys import alnum_key

PASSAGE_CHARS = 1200
# Coverage's pieces: 6 characters at every 6th position (PIECE + PIECE_STEP - 1 <= 12, the shortest key a line is
# looked for by); fewer and shorter pieces than 8 at every 4th make the set faster to build, and a line's run of
# pieces turns away as many lines
PIECE, PIECE_STEP = 6, 6
PARA = "\u00b6"
IN_CELL_BREAK = re.compile(r"\s*\u00b6\s*")
LIST_LEAD = re.compile(r"^\s*(?:[-•*]\s*)?(?:\(\s*\d+\s*\)\s*)?\[?")  # a bullet, '(3)' or '[' before a line's words


def build_records(doc: Document, parsed: ParsedDocument) -> list[Record]:
    """Q&A records first, then passages; ids are `<file>#qa<n>` and `<file>#p<n>`, stable for a file."""
    rows: list[dict] = []  # each record's fields
    for number, pair in enumerate(parsed.qa, start=1):
        section = _section_named(parsed.sections, pair.section)
        text = qa_text(pair.question, pair.answer)
        rows.append(_record(doc, parsed, section, f"{doc.name}#qa{number}", "qa", text, pair.page, pair.date) | {
            "question": pair.question,
            "answer": pair.answer,
            "asked_by": pair.asked_by,
            "answered_by": pair.answered_by,
            "undertakings": pair.undertakings,
        })
    covered = Coverage.of(parsed)
    number = 0
    for section in parsed.sections:
        for text, page in passages(section, covered):
            number += 1
            rows.append(_record(doc, parsed, section, f"{doc.name}#p{number}", "passage", text, page, section.date))
    return [Record(**fields) for fields in rows]


def _record(doc, parsed, section, record_id, kind, text, page, date) -> dict:
    # a fetched paper belongs to one meeting: its date is the date of every record in it, appendices included
    meeting = parsed.date if doc.meta.get("meeting_date") else None
    return {
        "id": record_id,
        "kind": kind,
        "document": doc.name,
        "title": (section.part if section and section.part else None) or parsed.title,
        "date": meeting or date or parsed.date,
        "section": section.label if section else None,
        "page": page,
        "text": text,
        "doc_kind": parsed.kind,
        "panel": parsed.panel,
        "author": (section.author if section else None) or parsed.author,
        "url": doc.meta.get("url") if isinstance(doc.meta.get("url"), str) else None,
        "content_hash": doc.sha,
    }


def _section_named(sections: list[Section], label: str | None) -> Section | None:
    return next((s for s in sections if s.label == label), None)


def passages(section: Section, covered: Coverage | None = None) -> list[tuple[str, int | None]]:
    """Split a section into passages of about PASSAGE_CHARS at line boundaries and at page breaks,
    leaving out lines a Q&A pair already holds; each passage carries its page, so a hit's citation
    gives the page of the matched text, not only the section's first page."""
    chunks: list[tuple[str, int | None]] = []
    buffer: list[str] = []
    page = None
    size = 0
    for line in section.lines:
        text = line.text  # (display_text's test made here: most lines have no cells to lay out, and skip the call)
        whole = (display_text(text) if "\t" in text or PARA in text else text).strip()
        if not whole or (covered is not None and covered.holds(whole)):
            continue
        for text in _pieces(whole):
            new_page = page is not None and line.page is not None and line.page != page
            if buffer and (size + len(text) > PASSAGE_CHARS or new_page):  # a passage stays on one page
                chunks.append(("\n".join(buffer), page))
                buffer, size, page = [], 0, None
            if not buffer:
                page = line.page
            buffer.append(text)
            size += len(text) + 1
    if buffer:
        chunks.append(("\n".join(buffer), page))
    # a heading-only tail is folded into the passage before it
    if len(chunks) > 1 and len(chunks[-1][0]) < 80:
        last = chunks.pop()
        chunks[-1] = (chunks[-1][0] + "\n" + last[0], chunks[-1][1])
    return chunks


def _pieces(text: str) -> list[str]:
    """A line longer than a passage, cut at spaces (one huge line must not become one huge passage)."""
    if len(text) <= PASSAGE_CHARS:
        return [text]
    pieces = []
    while len(text) > PASSAGE_CHARS:
        cut = text.rfind(" ", PASSAGE_CHARS // 2, PASSAGE_CHARS)
        cut = cut if cut > 0 else PASSAGE_CHARS
        pieces.append(text[:cut].strip())
        text = text[cut:].strip()
    if text:
        pieces.append(text)
    return pieces


def display_text(text: str) -> str:
    """A line as a reader should see it: table cells and in-cell paragraphs on their own lines."""
    if "\t" in text or PARA in text:
        cells = [c.strip() for c in text.split("\t")]
        text = " | ".join(c for c in cells if c)
        text = IN_CELL_BREAK.sub("\n", text)
    return text


@dataclass
class Coverage:
    """The letters and digits of a document's Q&A pairs (`text`, '|' between pairs) and its PIECE-character
    pieces at every PIECE_STEP-th position, so that most lines in no pair are told without a scan of the whole text
    (a scan per line made this quadratic in the length of a paper)."""

    text: str
    pieces: set[str]

    @classmethod
    def of(cls, parsed: ParsedDocument) -> Coverage:
        parts = []
        for pair in parsed.qa:
            parts.append(alnum_key(pair.question))
            if pair.answer:
                parts.append(alnum_key(pair.answer))
        text = "|".join(parts)
        return cls(text, {text[i:i + PIECE] for i in range(0, len(text) - PIECE + 1, PIECE_STEP)})

    def holds(self, line: str) -> bool:
        """True when the line's words are in a pair: all of them in a row, or, for a long line (a table row, a
        bracketed answer), its first and last hundred letters."""
        if not self.pieces:
            return False  # no pairs, or too little text in them to hold a line
        # LIST_LEAD is anchored and all optional: it matches at the start and nowhere else, so a cut at its end is what
        # sub("") gave, without sub's search along the rest of the line; and without a '(' it cuts only spaces, bullets
        # and a '[', which the key leaves out anyway
        if "(" in line:
            lead = LIST_LEAD.match(line)
            line = line[lead.end():] if lead else line
        key = alnum_key(line)
        if len(key) < 12:
            return False
        if not self._may_hold(key[:100]):
            return False
        if key in self.text:
            return True
        return len(key) > 200 and key[:100] in self.text and key[-100:] in self.text

    def _may_hold(self, head: str) -> bool:
        """False when `head` (at least 12 letters) is surely not in the text. Wherever it is, its letters from one of
        its first PIECE_STEP places on fall in kept pieces, piece after piece to its end (those pieces start at multiples
        of PIECE_STEP in the text): a head without such a run of pieces is in no pair, and the scan of the whole text
        is spared for it."""
        pieces = self.pieces
        last = len(head) - PIECE  # the last place a piece of the head can start
        for start in range(PIECE_STEP):  # (start <= last, as the head holds at least 12 letters)
            if head[start:start + PIECE] in pieces:  # most heads have no first piece kept: one look each
                at = start + PIECE_STEP
                while at <= last and head[at:at + PIECE] in pieces:
                    at += PIECE_STEP
                if at > last:
                    return True
        return False
