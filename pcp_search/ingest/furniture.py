"""Page furniture and line joins: pure functions over a document's pages of lines (one list per page).

Furniture is removed by shape (page numbers, "Page 3 of 9", "- 3 -", "Agenda Item 6" stamps near the
top or bottom of a page) and by repetition (running headers and footers, e-mail footers, a table's
header row repeated at the top of each page). Signature lines ("Signed ... Dated ...") are content.

Wrapped lines are joined by `reflow`; a word broken at a line end is joined by `dehyphenate`:
the hyphen is dropped when the joined word occurs elsewhere in the document, kept when the left part
is a prefix ("co-", "pre-", "sub-"), when either side is capitalised or a number, or when both sides
stand alone as words elsewhere in the document ("third-party", "origin-destination"); otherwise it
is dropped ("recom-" + "mendation" -> "recommendation").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from pcp_search.models import Line

ZONE = 6  # lines at the top and at the bottom of a page where furniture sits
MIN_REPEATS = 3  # a repeated line must sit in a page's zone on at least this many pages...
SHARE_OF_PAGES = 0.25  # ...and on this share of the pages, unless on consecutive pages (a table header)

BLANK_PAGE = re.compile(r"^\s*\(?(?:this\s+)?page\s+(?:is\s+|has\s+been\s+)?(?:intentionally|deliberately)\s+(?:left\s+)?blank\.?\)?\s*$",
                        re.IGNORECASE)
PAGE_LABEL = re.compile(
    r"^\s*(?:page\s*\|?\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4}\s+of\s+\d{1,4}|[-–—]\s*\d{1,4}\s*[-–—]"
    r"|agenda\s+item\s+\d{1,3}[a-z]?(?:\s*\(?[a-z0-9]{1,3}\)?)?)\s*$",
    re.IGNORECASE,
)
BARE_NUMBER = re.compile(r"^\s*(\d{1,4})\s*$")
SIGNATURE = re.compile(r"^\s*(?:signed|dated|date\b|chair(?:man|person)?\b)", re.IGNORECASE)
DIGITS = re.compile(r"\d+")
PREFIXES = frozenset(
    "anti auto bi co counter cross de dis ex extra half inter intra macro micro mid mini multi neo non "
    "off on out over part post pre pro re self semi sub super trans tri ultra un under vice well".split()
)
WORD = re.compile(r"[A-Za-z]+")
HYPHEN_END = re.compile(r"[A-Za-z]-$")
SOFT_BREAK = "\x02"  # pdfium marks a hyphen at a line end that it joined with this
SOFT_WORD = re.compile(r"([^\s\x02]*)\x02([^\s\x02]*)")
WORD_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def strip_furniture(pages: list[list[Line]]) -> list[list[Line]]:
    """Remove page numbers, stamps, running headers and footers; each page keeps its other lines."""
    drop = {id(page[i]) for page in pages for i in zone_indexes(page) if PAGE_LABEL.match(page[i].text)}
    drop |= {id(line) for page in pages for line in page if BLANK_PAGE.match(line.text)}
    drop |= repeated_lines(pages, drop)
    drop |= page_number_lines(pages, drop)
    return [[line for line in page if id(line) not in drop] for page in pages]


def zone_indexes(page: list[Line], size: int = ZONE, skip: set[int] | frozenset[int] = frozenset()) -> list[int]:
    """Indexes of the first and last `size` non-blank lines of a page (lines in `skip` not counted)."""
    filled = [i for i, line in enumerate(page) if line.text.strip() and id(line) not in skip]
    return sorted(set(filled[:size] + filled[-size:]))


def page_number_lines(pages: list[list[Line]], skip: set[int]) -> set[int]:
    """Bare numbers at the very top or bottom that follow the page count: the same offset from the
    page's index on two or more pages (a pack's own numbering), or equal to the page number itself."""
    found: list[tuple[int, int]] = []  # (offset, line id)
    for number, page in enumerate(pages, start=1):
        for i in zone_indexes(page, 2, skip):
            match = BARE_NUMBER.match(page[i].text)
            if match:
                found.append((int(match.group(1)) - number, id(page[i])))
    offsets = Counter(offset for offset, _ in found)
    return {line_id for offset, line_id in found if offset == 0 or offsets[offset] >= 2}


def furniture_key(text: str) -> str:
    """A line as compared across pages: digits normalised, case and spacing ignored."""
    return " ".join(DIGITS.sub("#", text).lower().split())


def repeated_lines(pages: list[list[Line]], skip: set[int]) -> set[int]:
    """Lines that repeat in the zones of many pages; or of three or more consecutive pages (a table's
    header row), where the first is kept when it is the first time the line appears at all and (for
    a line on many pages) sits at the other end of its page from the repeats. A line
    that also recurs in the body of pages (a stock answer repeated across a pack) is content."""
    where: dict[str, list[tuple[int, int, bool]]] = defaultdict(list)  # key -> [(page, line id, at top)]
    first_seen: dict[str, int] = {}
    body: Counter[str] = Counter()  # occurrences outside the zones: a repeated paragraph, not furniture
    ocr = any(line.ocr for page in pages for line in page)
    known: list[str] = []
    for page_index, page in enumerate(pages):
        zone = zone_indexes(page, ZONE, skip)
        top = set(zone_indexes(page, ZONE, skip)[:ZONE])
        for i, line in enumerate(page):
            key = _ocr_key(furniture_key(line.text), known) if ocr and i in zone else furniture_key(line.text)
            first_seen.setdefault(key, page_index)
            if i not in zone:
                body[key] += 1
        seen = set()
        for i in zone:
            line = page[i]
            key = _ocr_key(furniture_key(line.text), known) if ocr else furniture_key(line.text)
            if len(key) < 3 or SIGNATURE.match(line.text) or key in seen:
                continue
            seen.add(key)
            where[key].append((page_index, id(line), i in top))
    drop: set[int] = set()
    needed = max(MIN_REPEATS, SHARE_OF_PAGES * len(pages)) if len(pages) > 2 else 2
    for key, places in where.items():
        if body[key] > max(1, len(places) // 10):
            continue
        if len(places) >= needed:
            sides = Counter(at_top for _, _, at_top in places[1:])
            keep_first = first_seen[key] == places[0][0] and sides[places[0][2]] < sides[not places[0][2]]
            drop.update(line_id for _, line_id, _ in places[1 if keep_first else 0:])
            continue
        for run in consecutive_runs(places):
            if len(run) >= MIN_REPEATS:  # a table's header row: its first showing kept unless it is only labels
                keep_first = run[0][0] == first_seen[key] and len(key.split()) > 5
                drop.update(line_id for _, line_id, _ in run[1 if keep_first else 0:])
    labels = {key for key, places in where.items() if len(key.split()) <= 5 and any(p[1] in drop for p in places)}
    if labels:  # a few words repeated as page furniture are furniture wherever they stand ('Item No Item')
        drop.update(id(line) for page in pages for line in page if furniture_key(line.text) in labels)
    return drop


def _ocr_key(key: str, known: list[str]) -> str:
    """OCR reads the same footer a little differently on each page ('Bicester' / 'Bioester'): a zone line
    within 15% of one seen before takes that one's key."""
    if len(key) < 15:
        return key
    from difflib import SequenceMatcher

    for other in known:
        if other == key:
            return other
        matcher = SequenceMatcher(None, key, other, autojunk=False)
        if abs(len(other) - len(key)) <= 0.2 * len(key) and matcher.quick_ratio() >= 0.85 and matcher.ratio() >= 0.85:
            return other
    known.append(key)
    return key


def consecutive_runs(places: list[tuple]) -> list[list[tuple]]:
    """Split (page index, ...) tuples into runs over consecutive pages."""
    runs: list[list[tuple[int, int]]] = []
    for place in places:
        if runs and place[0] == runs[-1][-1][0] + 1:
            runs[-1].append(place)
        else:
            runs.append([place])
    return runs


def vocabulary(pages: list[list[Line]]) -> set[str]:
    """The document's words, lower-cased, leaving out the halves of words broken at a line end:
    the evidence `dehyphenate` weighs."""
    words: set[str] = set()
    broken = False  # the previous line ended in a hyphenated half-word
    for page in pages:
        for line in page:
            text = SOFT_WORD.sub(" ", line.text)
            if broken:
                text = WORD.sub("", text, count=1)
            broken = bool(HYPHEN_END.search(text.rstrip()))
            if broken:
                text = text.rstrip()[:-1].rstrip(WORD_CHARS)
            words.update(w.lower() for w in WORD.findall(text))
    return words


def dehyphenate(left: str, right: str, words: set[str]) -> str:
    """Join the two halves of a word broken by a hyphen at a line end (see the module docstring)."""
    lead = WORD.search(left[::-1])
    tail = WORD.match(right)
    if not lead or not tail or lead.start() != 0:
        return left + "-" + right
    head_word = lead.group()[::-1]
    tail_word = tail.group()
    if (head_word + tail_word).lower() in words:
        return left + right
    if (head_word.lower() in PREFIXES or not head_word.islower() or not tail_word.islower()
            or (head_word in words and tail_word in words)):
        return left + "-" + right
    return left + right


def fix_soft_breaks(text: str, words: set[str]) -> str:
    """Resolve the hyphens pdfium already joined across a line end (marked \\x02) by the same rule."""
    if SOFT_BREAK not in text:
        return text
    text = SOFT_WORD.sub(lambda m: dehyphenate(m.group(1), m.group(2), words), text)
    return text.replace(SOFT_BREAK, "-")


BREAK_BEFORE = re.compile(
    r"^\s*(?:[-•*▪]\s|\(\s*\d{1,2}\s*\)|\d{1,5}(?:\.\d+)*[.):]?\s|\[|\d{1,3}/\d{2,4}\s|[A-Z][A-Za-z’' ]{0,40}:(?:\s|$)|RESOLVED"
    r"|Question\b|Answer\b|Q\d{1,3}\b|(?:[A-Z][\w’']*\s+){0,3}(?:Response|Answer|Reply)\s*:?\s*$)")
DANGLING = re.compile(r"(?:\b(?:and|or|of|the|a|an|to|for|from|in|on|with|by|that|which)|[,\-–])\s*$", re.IGNORECASE)


def reflow(lines: list[Line], words: set[str] | None = None) -> list[Line]:
    """Join the visual lines a PDF wraps a paragraph into: a line that fills the page's width carries on
    into the next, unless the next starts a list item, a numbered question, a bracket or a label.
    A word hyphenated across the break is joined by `dehyphenate`."""
    widths = sorted(len(line.text) for line in lines if line.text.strip())
    if not widths:
        return lines
    full = 0.8 * widths[int(0.9 * (len(widths) - 1))]
    out: list[Line] = []
    last_width = 0  # the width of the last visual line, joined or not
    for line in lines:
        text = line.text.strip()
        previous = out[-1] if out else None
        if (previous is not None and previous.text.strip() and text and "\t" not in line.text
                and (last_width >= full or DANGLING.search(previous.text)) and not BREAK_BEFORE.match(line.text)
                and (not text.isupper() or previous.text.isupper())):  # a wrapped heading goes on in capitals
            head = previous.text.rstrip()
            if HYPHEN_END.search(head) and text[:1].islower():
                previous.text = dehyphenate(head[:-1], text, words if words is not None else set())
            else:
                previous.text = head + " " + text
        else:
            out.append(line)
        last_width = len(line.text)
    return out
