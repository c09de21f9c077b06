"""Recommendation monitoring tables: each row (recommendation -> PCC / Chief Constable responses) is a pair,
rows split across a page break are joined back together."""

from __future__ import annotations

import re

from pcp_search.models import Line, QAPair, Section
from pcp_search.parse.keys import squeezed

PARA = "\u00b6"
HEADER = re.compile(r"\brecommendations?\b", re.IGNORECASE)
SENTENCE_DONE = (".", "!", "?", ":", ";", ")", "\"", "”", "’")

CHIEF_CONSTABLE = re.compile(
    r"\b(?:Chief Constable|Chief Superintendent|Superintendent|Deputy Chief Constable|the Force|TVP (?:is|are|have|has|will)|The Force)\b"
)
PCC = re.compile(r"\b(?:PCC|OPCC|Commissioner|I have|I am|I will)\b")
PANEL = re.compile(r"^(?:An update from Members|Members\b|The Panel\b|Panel Members\b)")
RESPONSE_FROM = re.compile(r"^Response from the (?P<who>PCC|Chief Constable|Police and Crime Commissioner|Force)\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)


def is_monitoring_table(section: Section) -> bool:
    """A section whose first tabbed row is a header naming recommendations."""
    for line in section.lines:
        if "\t" in line.text:
            return bool(HEADER.search(line.text.split("\t")[0]))
    return False


def table_pairs(section: Section) -> list[QAPair]:
    """One pair per table row: question = the recommendation, answer = the attributed responses."""
    rows = _rows(section.lines)
    pairs = []
    for cells, page in rows:
        recommendation = _plain(cells[0])
        if not recommendation:
            continue
        responses = attribute(cells[1] if len(cells) > 1 else "")
        assessment = _plain(cells[2]) if len(cells) > 2 else ""
        if assessment:
            responses.append({"by": "Panel assessment", "text": assessment})
        answer = "\n".join(f"{r['by']}: {r['text']}" for r in responses) or None
        offices = [r["by"] for r in responses if r["by"] not in ("Panel", "Panel assessment")]
        pairs.append(QAPair(
            question=recommendation,
            answer=answer,
            asked_by="Panel",
            answered_by="; ".join(dict.fromkeys(offices)) or None,
            section=section.label,
            page=page,
            date=section.date,
            layout="monitoring",
            responses=responses,
        ))
    return pairs


def _rows(lines: list[Line]) -> list[tuple[list[str], int | None]]:
    """Tabbed rows after the header, with page-break continuations merged into the row above."""
    rows: list[tuple[list[str], int | None]] = []
    header_seen = False
    after_break = False
    for line in lines:
        text = line.text
        if "\t" not in text:
            if not text.strip():
                after_break = True
            continue
        cells = [c.strip() for c in text.split("\t")]
        if not header_seen:
            header_seen = HEADER.search(cells[0]) is not None
            continue
        if all(re.fullmatch(r"-*", c) for c in cells):
            after_break = True
            continue
        if rows and _continues(rows[-1][0], cells, after_break):
            rows[-1] = (_merge(rows[-1][0], cells), rows[-1][1])
        else:
            rows.append((cells, line.page))
        after_break = False
    return rows


def _continues(previous: list[str], cells: list[str], after_break: bool) -> bool:
    """A row after a page break that carries on the row above (empty or unfinished first cell,
    a first cell that starts in lower case, or a fragment with no response column)."""
    if not after_break:
        return False
    first = _plain(cells[0])
    if not first:
        return True
    if first[0].islower():
        return True
    if not _plain(previous[0]).endswith(SENTENCE_DONE):
        return True
    return not any(_plain(c) for c in cells[1:])


def _merge(previous: list[str], cells: list[str]) -> list[str]:
    """Join a continuation row into the row above, cell by cell (an orphan fragment joins the responses)."""
    width = max(len(previous), len(cells))
    previous = previous + [""] * (width - len(previous))
    cells = cells + [""] * (width - len(cells))
    if _plain(cells[0]) and not any(_plain(c) for c in cells[1:]) and _plain(previous[0]).endswith(SENTENCE_DONE):
        cells = ["", cells[0]] + cells[2:]
    merged = []
    for column, (old, new) in enumerate(zip(previous, cells)):
        if not new:
            merged.append(old)
        elif not old:
            merged.append(new)
        else:
            merged.append(old + _glue(column, old, new) + new)
    return merged


def _glue(column: int, old: str, new: str) -> str:
    """A recommendation carries on as one sentence; a response carries on only mid-sentence."""
    carries_on = not _plain(old).endswith(SENTENCE_DONE)
    if column == 0:
        return " " if carries_on else f" {PARA} "
    return " " if carries_on and _plain(new)[:1].islower() else f" {PARA} "


def attribute(cell: str) -> list[dict]:
    """Split a progress cell into paragraphs and attribute each to PCC, Chief Constable or Panel."""
    responses: list[dict] = []
    current = None
    for para in (p.strip() for p in cell.split(PARA)):
        para = _plain(para)
        if not para:
            continue
        header = RESPONSE_FROM.match(para)
        if header:
            current = "PCC" if "comm" in header.group("who").lower() or "pcc" in header.group("who").lower() else "Chief Constable"
            para = header.group("rest").strip()
            if not para:
                continue
        who = _speaker(para) or current or "PCC"
        if responses and responses[-1]["by"] == who:
            responses[-1]["text"] += "\n" + para
        else:
            responses.append({"by": who, "text": para})
    return responses


def _speaker(para: str) -> str | None:
    if PANEL.match(para):
        return "Panel"
    head = para[:160]
    cc = CHIEF_CONSTABLE.search(head)
    pcc = PCC.search(head)
    if cc and (not pcc or cc.start() < pcc.start()):
        return "Chief Constable"
    if pcc:
        return "PCC"
    return None


def _plain(cell: str) -> str:
    text = squeezed(cell.replace(PARA, " "))
    return text.strip(" -•")
