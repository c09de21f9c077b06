"""What a paper is, which meeting it belongs to and what it calls itself: kind, date, heading.

Kind comes from strong evidence first (a 'Minutes of the meeting' heading, a summons, a written
questions pack, a report header block), keyword counts last. The date is this meeting's: a date in the
paper's heading block wins; dates of the previous meeting, the next one, a signature or a print run are
never taken; a full date in the file name is the last resort.
"""

from __future__ import annotations

import re

from pcp_search.models import Line, Section
from pcp_search.parse.dates import find_date, weekday_conflicts
from pcp_search.parse.keys import folded, has_any, squeezed

HEAD_LINES = 30
NOT_THIS_MEETING = re.compile(
    r"\b(?:previous|last|next|future|forthcoming|following|earlier)\s+(?:meeting|panel|committee)|\bsigned\b|\bdated\b"
    r"|\bpublished\b|\bprinted\b|\bissued\b|\bdespatch|\bdispatch|\bcirculated\b|\bdeadline\b|\brevised\b"
    r"|\bcreated\b|\bupdated\b|\bdate of next\b|\bnext meeting\b|\bheld on\b.{0,40}\bwere\b|\bconfirm",
    re.IGNORECASE,
)
MEETING_WORDS = re.compile(
    r"\b(?:meeting|held|minutes|date\s*:|monday|tuesday|wednesday|thursday|friday|saturday|sunday|agenda|notes)\b",
    re.IGNORECASE)
MINUTES_HEAD = re.compile(
    r"^(?:(?:draft|printed|confirmed|unconfirmed)\s+)?minutes\b|\bminutes of (?:the|a|an)\b|^notes of (?:the |a )?meeting"
    r"|^notes\b|\bmeeting notes\b|^cyfarfod\b|^cofnodion\b", re.IGNORECASE)
MINUTES_HEAD_NEEDS = ("minutes", "notes", "cyfarfod", "cofnodion")  # one of these is in every match
MINUTES_OF = re.compile(r"^(?:(?:draft|printed|confirmed)\s+)?minutes of (?:the |a |an )?.{0,100}?\b(?:held|meeting)\b", re.IGNORECASE)
SUMMONS = re.compile(
    r"\byou are (?:hereby )?(?:summoned|requested|invited) to attend\b|\bsummons\b|\bnotice is hereby given\b"
    r"|\bwill be held\b|^agenda\b|\bagenda\s*(?:&|and)\s*summons\b|\bare summoned\b", re.IGNORECASE)
SUMMONS_NEEDS = ("you are", "summon", "notice is hereby given", "will be held", "agenda")  # one is in every match
QA_HEAD = re.compile(r"\b(?:public|written|members'?|councillors'?)\s+questions?\b|\bquestions? and (?:the )?\w*'?s? ?(?:answers|responses)\b",
                     re.IGNORECASE)
QUESTION_LABEL = re.compile(
    r"^(?:\d{1,3}\.\s+)?(?:Public\s+|Supplementary\s+|Written\s+)?Question\s*(?:\d{1,3}\b|from\b|by\b)", re.IGNORECASE)
RESPONSE_LABEL = re.compile(
    r"^(?:[\w'’.]+\s+){0,3}(?:Response|Answer|Reply)\b|^Response by\b", re.IGNORECASE)
REPORT_HEAD = re.compile(
    r"^(?:Report\s+)?Title\s*:|^Purpose of (?:the )?report\b|^(?:\d\.\s*)?Purpose of Report\b|^Report (?:of|by|to)\b"
    r"|^Executive Summary\b|^Recommendations?\s*:?$", re.IGNORECASE)
PRESENT = re.compile(r"^(?:members\s+)?present\b|^attendees\b|^in attendance\b", re.IGNORECASE)
FURNITURE = re.compile(r"^(?:page\s*\|?\s*\d+(?:\s+of\s+\d+)?|\d{1,3}|public document pack|agenda item \d+|skip to main content)$",
                       re.IGNORECASE)
FILE_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])(?!\d)")


PAGE_TYPE = re.compile(r"^(?:agenda|minutes|decisions|draft|printed|and|&|,|\s)+$", re.IGNORECASE)


def head_texts(lines: list[Line], count: int = HEAD_LINES) -> list[str]:
    """The first non-empty lines, furniture and page-type labels ('Agenda and minutes') left out."""
    texts = []
    for line in lines:
        text = squeezed(line.text)
        if text and not FURNITURE.match(text) and not PAGE_TYPE.match(text):
            texts.append(text)
            if len(texts) >= count:
                break
    return texts


def meeting_date(lines: list[Line], file_name: str = "", head: list[str] | None = None) -> str | None:
    """This meeting's date: a 'Date:' line or a dated heading near the top, never a previous, next or
    signing date; else the first other date near the top; else a full date in the file name. (`head`: head_texts(lines),
    when the caller has it: the first lines of it are the head of any shorter count.)"""
    head = head_texts(lines) if head is None else head
    for text in head:
        if text.lower().startswith("date") and find_date(text):
            return find_date(text)
    for position, text in enumerate(head):
        date = find_date(text)
        if not date or NOT_THIS_MEETING.search(text) or weekday_conflicts(text):
            continue
        if len(text) <= 60 or position < 4 or (len(text) <= 200 and MEETING_WORDS.search(text)):
            return date
    return file_date(file_name)


def file_date(file_name: str) -> str | None:
    """A full date in a file name ('2024-10-28_minutes.pdf', '20190729.pdf')."""
    found = FILE_DATE.search(file_name)
    return find_date(f"{found.group(1)}-{found.group(2)}-{found.group(3)}") if found else None


def classify_kind(sections: list[Section], lines: list[Line], head: list[str] | None = None) -> str | None:
    """The kind strong evidence gives ('minutes', 'agenda', 'pack', 'qa_pack', 'report'), else None (`head` as for
    meeting_date)."""
    head = head_texts(lines, 14) if head is None else head[:14]
    texts = [squeezed(line.text) for line in lines if line.text.strip()]
    questions = sum(bool(QUESTION_LABEL.match(t)) for t in texts if "uestion" in t[:40])
    responses = sum(bool(RESPONSE_LABEL.match(t)) for t in texts if has_any(folded(t[:60]), ("response", "answer", "reply")))
    minutes_labels = sum(t.lower() in ("minutes:", "minutes") for t in texts)
    # the two patterns are slow on a long head line: each runs only where a word every match holds is
    minutes_head = any(has_any(folded(t), MINUTES_HEAD_NEEDS) and MINUTES_HEAD.search(t) for t in _top(head)[:6])
    summons = any(has_any(folded(t), SUMMONS_NEEDS) and SUMMONS.search(t) for t in head)
    if any(QA_HEAD.search(t) for t in head[:4]) and questions and responses and not minutes_head:
        return "qa_pack"
    if minutes_labels >= 2:
        return "minutes"  # web minutes label each item's record 'Minutes:'
    later_minutes = any(MINUTES_OF.search(t) or PRESENT.match(t) for t in texts[len(head):])
    if summons and not minutes_head:
        return "pack" if later_minutes and _has_minutes_body(texts) else "agenda"
    if minutes_head or minutes_labels >= 2 or (any(PRESENT.match(t) for t in head) and len(sections) >= 3):
        return "minutes"
    listed = any(t.lower() in ("agenda", "items") for t in head) or any(PAGE_TYPE.match(t) for t in texts[:3])
    if listed and not later_minutes and len(sections) >= 3:
        return "agenda"
    if any(REPORT_HEAD.search(t) for t in texts[:40]):
        return "report"
    return None


def _top(head: list[str]) -> list[str]:
    """The heading block: the lines before the first item, list of those present or agenda line."""
    for position, text in enumerate(head):
        if re.match(r"^\d", text) or PRESENT.match(text) or re.match(r"^(?:to\s+)?(?:receive|approve|confirm)\b", text, re.I):
            return head[:position]
    return head


def _has_minutes_body(texts: list[str]) -> bool:
    return sum(t.startswith("RESOLVED") or bool(PRESENT.match(t)) for t in texts) >= 2


def heading(lines: list[Line], head: list[str] | None = None) -> str | None:
    """The paper's own heading: the lines above its first date, list of those present or first item (`head` as for
    meeting_date)."""
    if head is None:
        head = head_texts(lines)
    matter = front_matter_title(lines)
    if matter:
        date_at = _date_start(matter)
        before = MINUTES_CLAUSE.sub(" ", matter[:date_at]) if date_at < len(matter) else matter
        return tidy(HELD.sub("", " ".join(before.split())).strip(" -–—,"))
    picked: list[str] = []
    for text in head[:8]:
        date = find_date(text) if len(text) <= 240 else None
        if (PRESENT.match(text) or text.endswith(":") or re.match(r"^\d", text) or (len(text) > 120 and not date)
                or text.lower().startswith(("date", "time", "venue", "title:", "---"))):
            break
        if date:
            before = text[:_date_start(text)].strip(" ,-–—")
            if len(before) > 12 and not MEETING_WORDS.search(before[:10]):
                picked.append(before)
            break
        picked.append(text)
        if len(" ".join(picked)) > 140:
            break
    title = " ".join(picked).strip(" -–—,")
    summoned = next((found.group("body") for text in head[:20]
                     if "A meeting of" in text and (found := MEETING_OF.search(text))), None)  # its words first: far faster
    if summoned and title and summoned.lower() not in title.lower():
        title = f"{title} {summoned}"  # 'Merton Council' + 'A meeting of the Audit Committee will be held'
    return tidy(title) if title else None


MEETING_OF = re.compile(r"\bA meeting of (?:the )?(?P<body>[A-Z][\w&',’ -]{2,80}?) (?:will be|is to be|is) held\b")


HELD = re.compile(r"\b(?:held|which took place|taking place)\b.*$|\bon\s+(?:\w+day\s*)?$", re.IGNORECASE)
MINUTES_CLAUSE = re.compile(
    r"\b(?:(?:draft|printed|confirmed)\s+)?(?:minutes|notes) of (?:the |a |an )?(?:(?:\w+\s+)?meeting of (?:the |a )?)?"
    r"(?:above (?:council|committee|panel)\s*)?|\bminutes\b\s*\|?|\bmeeting of the\b", re.IGNORECASE)


def body_of(own_heading: str) -> str:
    """The council or committee a meeting heading names: 'Minutes of ...', 'held on ...' removed."""
    body = MINUTES_CLAUSE.sub(" ", own_heading)
    body = HELD.sub("", " ".join(body.split()))
    body = re.sub(r"\b(?:public questions and [\w’']+ responses|agenda(?:\s*(?:&|and)\s*summons)?)\b", "", body,
                  flags=re.IGNORECASE)
    return tidy(" ".join(body.split()).strip(" -–—,|:"))


def front_matter_title(lines: list[Line]) -> str | None:
    """The 'title:' of a markdown page's front matter ('---' ... '---'), if it has one."""
    texts = [line.text.strip() for line in lines[:40] if line.text.strip()]
    if not texts or texts[0] != "---":
        return None
    for text in texts[1:]:
        if text == "---":
            return None
        if text.lower().startswith("title:"):
            return text[6:].strip().strip("'\"") or None
    return None


def _date_start(text: str) -> int:
    from pcp_search.parse.dates import DAY_MONTH_YEAR

    found = DAY_MONTH_YEAR.search(text)
    return found.start() if found else len(text)


def tidy(title: str) -> str:
    """Capitals made readable, doubled spaces gone."""
    title = " ".join(title.split())
    if title.isupper():
        small = {"of", "and", "the", "in", "on", "for", "to", "a", "at", "by"}
        words = title.lower().split()
        title = " ".join(w if (w in small and i) else w[:1].upper() + w[1:] for i, w in enumerate(words))
    return title[:200]
