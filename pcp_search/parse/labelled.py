"""Questions labelled 'Question 1: ... (Cllr Name – District)' in a minutes item, answered in prose.

The layout of many panels' 'Questions to the Commissioner' items: the question on its label's line
(or the next), the asker in brackets at its end, then the answer in the paragraphs that follow until the
next label, a RESOLVED line or a heading. A supplementary question inside the answer ('Cllr X asked a
supplementary question about ...') stays with the prose extractor as its own pair.
"""

from __future__ import annotations

import re

from pcp_search.models import Line, QAPair, Section

LABEL = re.compile(r"^(?:Question|Q)\s*(?:No\.?\s*)?(?P<n>\d{1,2})\s*[:.)]\s*(?P<q>\S.*)?$", re.IGNORECASE)
ATTRIBUTION = re.compile(
    r"\((?P<who>(?:(?:County\s+)?(?:Cllr|Councillor|Mr|Mrs|Ms|Miss|Dr)\.?\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})"
    r"(?:\s*[,–—-]\s*(?P<place>[^)]{2,80}))?\)\s*$")
RESPONSE_LABEL = re.compile(r"^(?:[\w’']+\s+){0,3}(?:Response|Answer|Reply)\s*:?\s*$", re.IGNORECASE)
STOP = re.compile(r"^(?:RESOLVED|Resolved|AGREED|Agreed)\b|^(?:Question|Q)\s*\d{1,2}\s*[:.)–—-]", re.IGNORECASE)
SUPPLEMENTARY_START = re.compile(r"^(?:Supplementary\b|(?:Cllr|Councillor|Mr|Mrs|Ms|Dr)\.?\s+[A-Z]\w+\s+asked\s+a\s+supplementary)",
                                 re.IGNORECASE)


def labelled_questions(lines: list[Line], section: Section, used: set[int], responder) -> list[tuple[int, QAPair]]:
    """Pairs from 'Question N:' labels; `responder(answer)` names who answered."""
    if not any("?" in line.text or line.text.lstrip()[:1] in ("Q", "q") for line in lines):
        return []  # no question mark and no label: nothing to find
    if any(RESPONSE_LABEL.match(line.text.strip()) for line in lines if len(line.text) < 60):
        return []  # a written pack ('Question 4 – Name' ... 'Mayor's Response:'): its 'Question 1:' are sub-questions
    pairs = []
    index = 0
    while index < len(lines):
        text = lines[index].text.strip()
        found = LABEL.match(text) if index not in used and text[:1] in ("Q", "q") else None
        unlabelled = index not in used and not found and _attributed_question(text)
        if not found and not unlabelled:
            index += 1
            continue
        start = index
        question = (found.group("q") or "").strip() if found else text  # else unlabelled
        index += 1
        if not question and index < len(lines):  # the label on its own line, the question below
            question, index = lines[index].text.strip(), index + 1
        while index < len(lines) and not ATTRIBUTION.search(question) and not question.endswith("?") \
                and _continues(lines[index]):  # a question wrapped over lines
            question, index = question + " " + lines[index].text.strip(), index + 1
        answer_lines = []
        while index < len(lines) and _continues(lines[index]) and not SUPPLEMENTARY_START.match(lines[index].text.strip()):
            answer_lines.append(lines[index].text.strip())
            index += 1
        attribution = ATTRIBUTION.search(question)
        if not question or not (attribution or "?" in question):
            continue
        asker = _asker(attribution)
        answer = "\n".join(answer_lines).strip() or None
        pairs.append((start, QAPair(
            question=ATTRIBUTION.sub("", question).strip(), answer=answer, asked_by=asker,
            answered_by=responder(answer) if answer else None,
            section=section.label, page=lines[start].page, date=section.date, layout="labelled question")))
        used.update(range(start, start + 1 + len(answer_lines) + (question.count("\n") if question else 0)))
        used.update(range(start, index))
    return pairs


def _attributed_question(text: str) -> bool:
    """'Is the Commissioner satisfied ...? (Mrs J Carter – Hillbrook)': a question with its asker in brackets."""
    if "?" not in text or not text.endswith(")"):
        return False
    attribution = ATTRIBUTION.search(text)
    return attribution is not None and bool(attribution.group("place")) and "?" in text[:attribution.start()]


def _continues(line: Line) -> bool:
    text = line.text.strip()
    return bool(text) and not line.heading and not STOP.match(text) and not _attributed_question(text)


def _asker(attribution: re.Match | None) -> str:
    """'Cllr P Singh (Dalesford District Council)' from '(Cllr P Singh – Dalesford District Council)'."""
    if not attribution:
        return "Panel member"
    who = " ".join(attribution.group("who").split())
    who = re.sub(r"^Councillor\b", "Cllr", who)
    place = attribution.group("place")
    return f"{who} ({' '.join(place.split())})" if place else who
