"""Item and minute headings in every numbering UK minutes use, chosen as runs of consecutive numbers.

A line that looks like '292. Apologies', '18.11.1 Planning', '49/23 Budget', 'Item 5 - Precept',
'Participation Team Update (Item 4)' or a bare '4' followed by its title is only a candidate: numbered
paragraphs, statement lists ('01 David Redgewell'), dates and money look the same. The candidates that
are items form runs whose numbers go up by one to three (continuous council-year numbering, skipped
numbers and a repeated number included); the longest runs win and the candidates inside a run's span
that are not part of it are ordinary text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pcp_search.models import Line
from pcp_search.parse.dates import DAY_MONTH_YEAR, find_date
from pcp_search.parse.keys import squeezed

MONTH_WORD = re.compile(
    r"^(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?|^(?:st|nd|rd|th)\b", re.IGNORECASE)
UNIT_WORD = re.compile(r"^(?:am|pm|a\.m|p\.m|%|x)(?:\b|$)", re.IGNORECASE)
SLASH = re.compile(r"^(?:(?:PCP|Minute|Min\.?)\s+)?(\d{1,4})/(\d{2,4})\.?\s+(\S.*)$")
DOTTED = re.compile(r"^(\d{1,2}(?:\.\d{1,3}){1,3})\.?\s+(\S.*)$")
PLAIN = re.compile(r"^([1-9]\d{0,3})(?:\.|\)|(?<=\d{3}):)?\s+(\S.*)$")
ITEM_WORD = re.compile(r"^(?:Agenda\s+)?Item\s+(\d{1,3})[a-z]?\s*[.:\-–—]?\s*(\S.*)?$", re.IGNORECASE)
TITLE_THEN_ITEM = re.compile(r"^(\S.{2,150}?)\s*\((?:Agenda\s+)?Item\s+(?:No\.?\s*)?(\d{1,3})[a-z]?\)\s*$", re.IGNORECASE)
ITEM_ALONE = re.compile(r"^\((?:Agenda\s+)?Item\s+(?:No\.?\s*)?(\d{1,3})[a-z]?\)\s*$", re.IGNORECASE)
BARE = re.compile(r"^(\d{1,4}(?:\.\d{1,3}){0,3})\.?$")
MAX_GAP = 3
NEXT_TEXT_LINES = 5  # an item's title or '(Item N)' stamp is looked for this many lines below it
RUN_WINDOW = 400  # an item's predecessor is looked for among this many candidates before it (linear cost)


@dataclass
class Candidate:
    """A line that may head an item: where it is, its number and title, and how numbers compare."""

    index: int  # the line the section opens at
    number: str | None  # None for a written question ('Question 4 – Name' is its own title)
    title: str
    scheme: str  # 'plain', 'slash:<year>', 'dotted:<prefix>', 'item'
    value: int
    strong: bool = False  # a shape that is rarely anything but an item ('(Item 4)', 'Item 5')
    title_index: int | None = None  # the line holding the title when it is not the number's line
    weight: float = 1.0  # a heading-like line counts more than a numbered sentence

    def __post_init__(self) -> None:
        if self.strong or self.title_index is not None:
            self.weight = 1.2


@dataclass
class Items:
    """The chosen item headings by the line each opens at, and the (first, last) line of each run."""

    at: dict[int, Candidate]
    runs: list[tuple[int, int]]

    def inside_run(self, index: int) -> bool:
        """True within a run's span, where a numbered line that is not an item is ordinary text."""
        return any(first <= index <= last for first, last in self.runs)


def find_items(lines: list[Line]) -> Items:
    """The item headings of a document: the longest runs of candidates, each from the rest."""
    remaining = _candidates(lines)
    chosen = Items({}, [])
    while remaining:
        run = _longest_run(remaining)
        weight = sum(item.weight for item in run)
        if chosen.runs and (len(run) < 3 or weight < 0.8 * len(run)):
            break  # a later run must look like items, not a numbered list of decisions
        if len(run) < 2 and not (run and run[0].strong) or weight < 1.6 and not run[0].strong:
            break
        run = _with_misnumbered(run, remaining)
        for item in run:
            chosen.at[item.index] = item
        first, last = run[0].index, run[-1].index
        chosen.runs.append((first, last))
        remaining = [c for c in remaining if c.index < first or c.index > last]
    return chosen


def _longest_run(candidates: list[Candidate]) -> list[Candidate]:
    """The heaviest chain of candidates whose numbers rise by 1-3 in one scheme (earliest on a tie)."""
    best: list[float] = [c.weight for c in candidates]
    back: list[int | None] = [None] * len(candidates)
    for i, cand in enumerate(candidates):
        for j in range(i - 1, max(-1, i - 1 - RUN_WINDOW), -1):
            if best[j] + cand.weight > best[i] and _follows(candidates[j], cand):
                best[i], back[i] = best[j] + cand.weight, j
    if not candidates:
        return []
    end = max(range(len(candidates)), key=lambda i: (best[i], -i))
    run = []
    at: int | None = end
    while at is not None:
        run.append(candidates[at])
        at = back[at]
    return run[::-1]


def _with_misnumbered(run: list[Candidate], candidates: list[Candidate]) -> list[Candidate]:
    """Continuous council numbering has typing slips ('3787.', '3769.', '3787.'): a heading-like line of the
    same scheme between two items, its number within 30 of theirs, is an item too."""
    if len(run) < 3:
        return run
    members = {id(c) for c in run}
    later = [c for c in candidates if c.index > run[-1].index]
    last = run[-1]
    if (later and later[0].scheme == last.scheme and later[0].weight >= 1.0 and len(later[0].title) <= 40
            and last.value >= 5 and abs(later[0].value - last.value) <= 2 and later[0].value != last.value):
        run = run + [later[0]]  # a slip in the last item's number ('11 Correspondence', '10 AOCB')
    if run[0].value < 100:
        return run
    extra = []
    for before, after in zip(run, run[1:]):
        for cand in candidates:
            if (before.index < cand.index < after.index and id(cand) not in members and cand.scheme == run[0].scheme
                    and cand.weight >= 1.0 and abs(cand.value - before.value) <= 30 and len(cand.title) <= 80):
                extra.append(cand)
    return sorted(run + extra, key=lambda c: c.index)


def _follows(before: Candidate, after: Candidate) -> bool:
    if before.scheme != after.scheme:
        return False
    gap = after.value - before.value
    if gap == 0:  # a number printed twice: continuous numbering ('3787.', '3787.') or a column of item numbers
        both_bare = before.title_index is not None and after.title_index is not None
        return (after.value >= 100 or both_bare) and before.title.lower() != after.title.lower()
    return 0 < gap <= MAX_GAP


def _candidates(lines: list[Line]) -> list[Candidate]:
    found: list[Candidate] = []
    following = _following_texts(lines)
    for index, line in enumerate(lines):
        text = line.text.strip()
        if not text or len(text) > 2000:
            continue
        cand = _candidate(lines, index, text, following[index])
        if cand and not (found and found[-1].title_index == index):
            found.append(cand)
    return found


QUESTION_HEAD = re.compile(r"^(?:\d{1,3}\.\s+)?(?:Public\s+|Written\s+|Members?'?\s+)?Question\s+(\d{1,3})\s*[-–—]\s*[A-Z]",
                           re.IGNORECASE)


def _candidate(lines: list[Line], index: int, text: str, nxt: tuple[int, str] | None) -> Candidate | None:
    """The item this line heads, if its shape allows one (`nxt`: the next line with text, from _following_texts)."""
    first = text[0]
    digit = first.isdigit()
    if not (digit or first in "(AaIiQqPpWwMm" or text.endswith(")") or (nxt is not None and nxt[1].startswith("("))):
        return None  # every item shape starts with a number or one of these words, or carries an '(Item N)'
    # below, each pattern is tried only on lines starting with what it can start with
    found = QUESTION_HEAD.match(text) if digit or first in "PpWwMmQq" else None
    if found and len(text) <= 150:  # a written questions pack: each question is its own part
        return Candidate(index, None, _title(text), "question", int(found.group(1)), strong=True)
    # the text is stripped, so the pattern's closing '\)\s*$' is its last character: a quick test of it spares the
    # lazy title's 150 tries on the other lines
    found = TITLE_THEN_ITEM.match(text) if text.endswith(")") else None
    if found and _title_ok(found.group(1)):
        return Candidate(index, found.group(2), _title(found.group(1)), "item", int(found.group(2)), strong=True)
    if nxt and (alone := ITEM_ALONE.match(nxt[1])) and len(text) <= 150 and not text.endswith("."):
        numbered = _numbered_candidate(text, index)
        if numbered:  # '325. Minutes of the last meeting' over '(Item 3)': the minute number is the one cited
            numbered.strong, numbered.title_index, numbered.weight = True, nxt[0], 1.2
            return numbered
        if _title_ok(text):
            number = alone.group(1)
            return Candidate(index, number, _title(text), "item", int(number), strong=True, title_index=nxt[0])
    found = ITEM_WORD.match(text) if first in "AaIi\u0130\u0131" else None  # (the dotted and dotless I read as 'i')
    if found:
        title, title_index = found.group(2), None
        if not title and nxt and _title_ok(nxt[1]) and len(nxt[1]) <= 150:
            title, title_index = nxt[1], nxt[0]  # 'Item 4' with its title on the next line
        if title and _title_ok(title):
            return Candidate(index, found.group(1), _title(title), "item", int(found.group(1)), strong=True,
                             title_index=title_index)
        return None
    if "\t" in line_text(lines, index) and not re.match(r"^\d[\d./]*\.?\t", line_text(lines, index).lstrip()):
        return None  # a table row, unless its first cell is the item number
    if not digit:
        return _numbered_candidate(text, index) if first in "PM" else None  # 'PCP 12/23', 'Minute 12/23': no bare number
    numbered = _numbered_candidate(text, index)
    if numbered:
        return numbered
    found = BARE.match(text)
    if found and nxt and _title_ok(nxt[1]) and len(nxt[1]) <= 160 and not BARE.match(nxt[1]):
        number = found.group(1)
        head, _, last = number.rpartition(".")
        scheme = f"dotted:{head}" if head else "plain"
        if number.startswith("0") or find_date(nxt[1][:40]):
            return None
        return Candidate(index, number, _title(nxt[1]), scheme, int(last), title_index=nxt[0])
    return None


def _numbered_candidate(text: str, index: int) -> Candidate | None:
    """'49/23 Title', '18.11.1 Title', '292. Title' (a date, a time or money is not a title)."""
    found = SLASH.match(text)
    if found and _title_ok(found.group(3)):
        return Candidate(index, f"{found.group(1)}/{found.group(2)}", _title(found.group(3)),
                         f"slash:{found.group(2)}", int(found.group(1)), weight=_weight(found.group(3)))
    found = DOTTED.match(text)
    if found and _title_ok(found.group(2)) and not _is_time(found.group(1), found.group(2)):
        head, _, last = found.group(1).rpartition(".")
        return Candidate(index, found.group(1), _title(found.group(2)), f"dotted:{head}", int(last),
                         weight=_weight(found.group(2)))
    found = PLAIN.match(text)
    if found and _title_ok(found.group(2)) and not DAY_MONTH_YEAR.match(text):  # '12 September 2024' is a date
        return Candidate(index, found.group(1), _title(found.group(2)), "plain", int(found.group(1)),
                         weight=_weight(found.group(2)))
    return None


def line_text(lines: list[Line], index: int) -> str:
    return lines[index].text


def _title_ok(title: str) -> bool:
    """A title starts with a capital (or a quote or a year) and is not a unit, a month or money."""
    title = title.strip().lstrip("•·-–* ")
    if not title or MONTH_WORD.match(title) or UNIT_WORD.match(title):
        return False
    first = title[0]
    if first.isdigit():
        return bool(re.match(r"^(?:19|20)\d{2}(?:/\d{2,4})?\b\s+\w|^\d{2}/\d{3,5}\b", title))
    if first in "£$€":
        return False
    return first.isupper() or first in "'\"‘“("


def _weight(rest: str) -> float:
    """1 for a heading-like line ('Apologies', 'Police Report: Attached.'), 0.4 for a numbered sentence."""
    rest = squeezed(rest)
    head, colon, _ = rest.partition(":")
    if colon and 3 <= len(head) <= 100:
        return 1.0
    if rest.isupper() or (len(rest) <= 100 and not rest.endswith((".", ";", ","))):
        return 1.0
    return 0.4


def _title(text: str) -> str:
    """The heading part of an item line: up to a colon that introduces the record, else the line."""
    text = " ".join(text.replace("**", "").split()).strip(" -–:")
    head, colon, rest = text.partition(":")
    if colon and 3 <= len(head) <= 100 and rest.strip():
        return head.strip()
    if len(text) > 160:
        cut = re.search(r"(?<=[a-z)])\.\s", text[:160])
        return text[:cut.start()] if cut else text[:160].rsplit(" ", 1)[0]
    return text


def _is_time(number: str, title: str) -> bool:
    return bool(re.match(r"^\d{1,2}\.\d{2}$", number) and UNIT_WORD.match(title))


def _following_texts(lines: list[Line]) -> list[tuple[int, str] | None]:
    """For each line, the first line with text among the NEXT_TEXT_LINES below it (its index and stripped text),
    else None; found in one pass from the end, so each line is stripped once rather than once per line above it."""
    following: list[tuple[int, str] | None] = [None] * len(lines)
    after: tuple[int, str] | None = None  # the nearest line with text below the one at hand
    for index in range(len(lines) - 1, -1, -1):
        following[index] = after if after is not None and after[0] - index <= NEXT_TEXT_LINES else None
        text = lines[index].text.strip()
        if text:
            after = (index, text)
    return following


LEADING_NUMBER = re.compile(r"^\s*(\d{3,5})[.:]\s")
GLUED_NUMBER = re.compile(r"(?<=[.:;!?)\-])\s+(\d{3,5})[.:]\s+(?=[A-Z])")


def split_glued(lines: list[Line]) -> list[Line]:
    """Lines cut where a PDF glued the next continuous minute onto this one ('... signed. 2728. Approval ...')."""
    out: list[Line] = []
    for line in lines:
        pending = line
        while True:
            first = LEADING_NUMBER.match(pending.text)
            glued = None
            if first:
                value = int(first.group(1))
                glued = next((m for m in GLUED_NUMBER.finditer(pending.text, first.end())
                              if value < int(m.group(1)) <= value + MAX_GAP), None)
            if not glued:
                out.append(pending)
                break
            out.append(Line(pending.text[:glued.start()].rstrip(), page=pending.page, heading=pending.heading))
            pending = Line(pending.text[glued.start():].strip(), page=pending.page)
    return out
