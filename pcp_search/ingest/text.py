"""Plain text and markdown (the seed format): decoding, HTML fragments, headings and page markers."""

from __future__ import annotations

import html
import re

from pcp_search.models import Line

PAGE_MARKER = re.compile(r"^\s*Page\s+(\d{1,4})\s*$", re.IGNORECASE)
PAGE_SPAN = 4000  # characters of text a page marker is trusted to cover
PARA = "\u00b6"
PARA_MARK = f" {PARA} "  # paragraph break inside a table cell

_TAG = re.compile(r"<[^>\n]{0,400}>")
_BLOCK_BREAK = re.compile(r"</?(?:p|div|br|tr|h[1-6])\b[^>]*>|</li>", re.IGNORECASE)
_LIST_ITEM = re.compile(r"<li\b[^>]*>", re.IGNORECASE)
_BOLD = re.compile(r"(\*\*|__)(.+?)\1")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+")


def decode(data: bytes) -> str:
    """Bytes to str: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252, never mangled."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if text.count("\x00") > max(8, len(text) // 100):
        from pcp_search.ingest import IngestError

        raise IngestError("binary content (NUL bytes), not text")
    return text.replace("\x00", "")


def read_text(data: bytes) -> list[Line]:
    """Read a .txt/.md file into lines with pages from 'Page N' markers."""
    return text_to_lines(decode(data))


def text_to_lines(text: str) -> list[Line]:
    """Clean markup line by line, drop page markers and give each line the page they imply."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines: list[Line] = []
    markers: list[tuple[int, int]] = []  # (line index, page number)
    for raw in text.split("\n"):
        last = raw[-1:]  # a page marker ends with a digit, or a space after it: most lines are passed over at a glance
        if (last.isdecimal() or last.isspace()) and (found := PAGE_MARKER.match(raw)):
            markers.append((len(lines), int(found.group(1))))
            continue
        if "<" in raw or "&" in raw or "*" in raw or "_" in raw or "\t" in raw or "#" in raw[:4]:
            lines.extend(clean_line(raw))
        else:  # nothing for clean_line to do but cut the trailing spaces: the usual line, made here without the call
            lines.append(Line(raw.rstrip()))
    assign_pages(lines, markers)
    return lines


def clean_line(raw: str) -> list[Line]:
    """One raw line to one or more clean lines (HTML paragraphs split, headings flagged)."""
    heading = False
    found = _HEADING.match(raw) if "#" in raw[:4] else None  # a heading's '#' is within its first four characters
    if found:
        heading = True
        raw = raw[found.end():]
    if "<" in raw or "&" in raw:
        raw = strip_html(raw, keep_cells="\t" in raw)
    # most lines have no bold markup to remove; a one-character test is several times faster than a two-character one
    if ("*" in raw and "**" in raw) or ("_" in raw and "__" in raw):
        raw = _BOLD.sub(r"\2", raw).replace("**", "")
    if "\t" in raw:
        return [Line(raw.rstrip(" \r\n"), heading=heading)]
    if "\n" not in raw:
        return [Line(raw.rstrip(), heading=heading)]  # the usual case: one line in, one out
    return [Line(part.rstrip(), heading=heading) for part in raw.split("\n")]


def strip_html(raw: str, keep_cells: bool = False) -> str:
    """Remove HTML fragments: block tags become line (or in-cell paragraph) breaks, entities decoded."""
    brk = PARA_MARK if keep_cells else "\n"
    if "<" in raw:  # each tag pattern needs a '<' (a line may be here for an '&' only)
        raw = _LIST_ITEM.sub(brk + "- ", raw)
        raw = _BLOCK_BREAK.sub(brk, raw)
        raw = _TAG.sub("", raw)
    raw = html.unescape(raw).replace("\xa0", " ")
    if keep_cells:
        raw = one_para_mark(raw)
        raw = "\t".join(cell.strip(" \u00b6") for cell in raw.split("\t"))
    else:
        raw = re.sub(r"\n\s*\n+", "\n", raw).strip("\n")
    return raw


def one_para_mark(text: str) -> str:
    r"""Each run of spaces, line breaks and '¶' that holds a '¶' made one PARA_MARK, as the pattern
    '(?:[ \n]*¶[ \n]*)+' replaced it, without the pattern's tries at every space of a long cell: the text between
    two marks loses the spaces and breaks at its ends, and if it held nothing else, the runs on its two sides are one."""
    parts = text.split(PARA)
    if len(parts) == 1:
        return text
    middle = [kept for part in parts[1:-1] if (kept := part.strip(" \n"))]
    return PARA_MARK.join([parts[0].rstrip(" \n"), *middle, parts[-1].lstrip(" \n")])


def assign_pages(lines: list[Line], markers: list[tuple[int, int]]) -> None:
    """A 'Page N' footer closes page N: lines within PAGE_SPAN characters before it are page N,
    lines within PAGE_SPAN after it are page N+1; lines far from any marker stay unknown."""
    if not markers:
        return
    offsets = []
    total = 0
    for line in lines:
        offsets.append(total)
        total += len(line.text) + 1
    marker_offsets = [(offsets[i] if i < len(offsets) else total, n) for i, n in markers]
    positions = [pos for pos, _ in marker_offsets]  # in document order, so sorted
    following, count = 0, len(positions)
    for line, offset in zip(lines, offsets):
        # the lines' offsets rise too, so the first marker after each is found by walking on from the last line's:
        # what bisect_right(positions, offset) gave
        while following < count and positions[following] <= offset:
            following += 1
        line.page = _page_between(offset, marker_offsets, following)


def _page_between(offset: int, markers: list[tuple[int, int]], following: int) -> int | None:
    """The page of the text at `offset`, `markers[following]` being the first marker after it."""
    after = markers[following] if following < len(markers) else None
    before = markers[following - 1] if following else None
    if after and before and after[1] == before[1] + 1:
        return after[1]
    if after and after[0] - offset <= PAGE_SPAN:
        return after[1]
    if before and offset - before[0] <= PAGE_SPAN:
        return before[1] + 1
    return None
