"""What the two front ends (CLI and TUI) share in showing text: shortening, matched-word markers, human
names for kinds, plurals."""

from __future__ import annotations

import re

MARK = re.compile(r"\*\*(.+?)\*\*")

# the kinds of paper the parser tells apart (pcp_search.parse.KINDS), as a reader names them
DOC_KIND_NAMES = {
    "pack": "Agenda pack",
    "minutes": "Minutes",
    "agenda": "Agenda",
    "report": "Report",
    "qa_pack": "Q&A pack",
    "topical_issues": "Topical issues",
    "work_programme": "Work programme",
    "monitoring": "Monitoring table",
}


def short(text: str | None, size: int, at_word: bool = True) -> str:
    """`text` on one line, cut to `size` characters with '…' (at a word's end unless `at_word` is false)."""
    text = " ".join((text or "").split())
    if len(text) <= size:
        return text
    cut = text[: size - 1]
    return (cut.rsplit(" ", 1)[0] if at_word else cut) + "…"


def short_marked(text: str | None, size: int, at_word: bool = True) -> str:
    """`short` for text with `**term**` marks: `size` counts the visible characters, and a mark the cut
    would leave open is closed (or dropped), so no stray `**` is ever shown."""
    text = " ".join((text or "").split())
    if len(unmark(text)) <= size:
        return text
    pieces, visible, bold = [], 0, False
    for piece in re.split(r"(\*\*)", text):
        if piece == "**":
            bold = not bold
            pieces.append(piece)
            continue
        room = size - 1 - visible
        if len(piece) > room:
            cut = piece[:room]
            if at_word and " " in cut:
                cut = cut.rsplit(" ", 1)[0]
            pieces.append(cut)
            break
        pieces.append(piece)
        visible += len(piece)
    out = "".join(pieces).rstrip()
    if out.count("**") % 2:
        out += "**"
    return out.replace("****", "") + "…"


def unmark(text: str | None) -> str:
    """The text without its `**` marks."""
    return MARK.sub(r"\1", text or "").replace("**", "")


def kind_name(record: dict) -> str:
    """What a hit is, for a reader: 'Q&A' for a question and its answer, else the kind of paper it comes
    from ('Minutes', 'Report', 'Agenda', ...)."""
    if record.get("kind") == "qa":
        return "Q&A"
    return DOC_KIND_NAMES.get(record.get("doc_kind") or "", "Passage")


def doc_kind_name(kind: str | None) -> str:
    """'qa_pack' -> 'Q&A pack'; an unknown kind reads as itself, spaced."""
    return DOC_KIND_NAMES.get(kind or "", (kind or "").replace("_", " ").capitalize())


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 hit', '2 hits', '0 hits'."""
    return f"{count} {word if count == 1 else (many or word + 's')}"
