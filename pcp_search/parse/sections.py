"""Split a document's lines into sections: agenda, minutes (49/23), reports and their numbered parts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pcp_search.models import Line, Section
from pcp_search.parse.dates import find_date, find_month
from pcp_search.parse.items import find_items

MINUTE = re.compile(r"^(\d{1,3}/\d{2,4})\.?\s+(\S.{1,300})$")
NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})?)\.?\s+([A-Z][^\t]{2,160})$")
REPORT_TITLE = re.compile(r"^(?:Report\s+)?Title\s*:\s*(.+)$", re.IGNORECASE)
HEADER_FIELD = re.compile(r"^(Date|Author(?: and contact)?|Purpose of the report|Recommendations?)\s*:\s*(.*)$", re.IGNORECASE)
MINUTES_OPEN = re.compile(r"^Minutes of (?:the |a )?.{0,120}?(?:held|meeting) on\b", re.IGNORECASE)
REPORT_TO = re.compile(r"^(?:\w+\s+){0,3}Report to the .{0,80}Panel\b", re.IGNORECASE)
WORK_PROGRAMME = re.compile(r"\bWork Programme\b", re.IGNORECASE)


@dataclass
class Part:
    """The report, minutes or agenda a section belongs to."""

    title: str
    kind: str
    date: str | None = None
    author: str | None = None


def split_sections(lines: list[Line], doc_date: str | None = None) -> list[Section]:
    """Walk the lines, opening a section at every heading, minute number or report header."""
    builder = _Builder(doc_date)
    items = find_items(lines)
    index = 0
    while index < len(lines):
        line = lines[index]
        text = line.text.strip()
        consumed = builder.start_part(lines, index) if text and _may_open_part(line, text) else 0
        if consumed:
            builder.in_run = False
            index += consumed
            continue
        if index in items.at and not builder.in_agenda():  # an item of a numbered run: '292.', '18.11.1', '(Item 4)', a bare number
            found = items.at[index]
            builder.open(found.number, found.title, line)
            builder.in_run, builder.run_item = True, found.number
            if found.scheme.startswith("slash") or (builder.part and builder.part.kind == "minutes"):
                builder.seen_minute = True  # within a minute only the next minute opens a section
            last = found.title_index if found.title_index is not None else index
            for kept in lines[index:last + 1]:
                builder.add(kept)
            index = last + 1
            continue
        if builder.in_run and (not line.heading or builder.in_minute()) and not builder.is_subsection(text):  # inside a run only its next item opens one
            builder.add(line)
            index += 1
            continue
        item = _bare_item(lines, index) if text and text[0].isdecimal() else None  # a bare number: a digit first
        if item:  # web minutes put the item number on a line of its own, the title on the next
            number, title_index = item
            builder.open(number, _clean_title(lines[title_index].text), line)
            for kept in lines[index:title_index + 1]:
                builder.add(kept)
            index = title_index + 1
            continue
        if text and _may_head(line, text):
            head = builder.heading_of(line)
            if head:
                builder.open(head[0], head[1], line)
        builder.add(line)
        index += 1
    builder.close()
    return builder.sections


def _may_open_part(line: Line, text: str) -> bool:
    """False when start_part surely opens no part at the line (`text`: its stripped text, not empty): a part opens only at
    a heading, a 'Title:' line (a ':'), 'Minutes of ...' or a line in capitals. Most lines are none of these."""
    return line.heading or ":" in text or text[0] in "Mm" or text.isupper()


def _may_head(line: Line, text: str) -> bool:
    """False when heading_of surely finds no heading at the line (`text` as above): a heading, a number first (a minute
    or a numbered heading) or a line in capitals."""
    return line.heading or text[0].isdecimal() or text.isupper()


class _Builder:
    """Accumulates lines into sections and tracks the current part."""

    def __init__(self, doc_date: str | None) -> None:
        self.doc_date = doc_date
        self.part: Part | None = None
        self.sections: list[Section] = []
        self.current: Section | None = None
        self.seen_minute = False
        self.in_run = False
        self.run_item: str | None = None

    # -- parts -------------------------------------------------------------------------------
    def start_part(self, lines: list[Line], index: int) -> int:
        """Open a new part when this line starts one; return how many lines it used (0: none)."""
        line = lines[index]
        text = line.text.strip()
        found = REPORT_TITLE.match(text)
        if found:
            return self._report_header(lines, index, found.group(1).strip())
        if MINUTES_OPEN.match(text) or (line.heading and text.lower() == "minutes"):
            date = find_date(text) or _date_near(lines, index)
            if self.part and self.part.kind == "minutes" and not self.seen_minute and self.current:
                self.part.date = self.part.date or date
                self.part.title = "Minutes" + (f" of {_human(self.part.date)}" if self.part.date else "")
                self.current.title = self.current.part = self.part.title
                self.current.date = self.part.date
                self.add(line)
                return 1
            self.part = Part("Minutes" + (f" of {_human(date)}" if date else ""), "minutes", date)
            self.seen_minute = False
            self.open(None, self.part.title, line)
            self.add(line)
            return 1
        if line.heading and text.lower() == "agenda":
            date = _date_near(lines, index)
            self.part = Part("Agenda" + (f" for {_human(date)}" if date else ""), "agenda", date)
            self.open(None, self.part.title, line)
            self.add(line)
            return 1
        if (line.heading or _is_caps_heading(text)) and REPORT_TO.match(text):
            self.part = Part(text, "report", _date_near(lines, index), None)
            self.open(None, text, line)
            self.add(line)
            return 1
        if line.heading and WORK_PROGRAMME.search(text) and len(text) < 120 and not text[:1].isdigit():
            self.part = Part(text, "work_programme", self.part.date if self.part else None)
            self.open(None, text, line)
            self.add(line)
            return 1
        return 0

    def _report_header(self, lines: list[Line], index: int, title: str) -> int:
        """'Report title: X' then Date, Author and contact, Purpose, Recommendations lines."""
        date = author = None
        end = index + 1
        while end < len(lines) and end - index <= 14:
            text = lines[end].text.strip()
            field = HEADER_FIELD.match(text)
            if field:
                name, value = field.group(1).lower(), field.group(2).strip()
                if name == "date":
                    date = find_date(value) or find_month(value)
                elif name.startswith("author"):
                    author = value
                    nxt = _next_text(lines, end)
                    if author and nxt and ":" not in nxt[1] and len(nxt[1]) < 40 and not HEADER_FIELD.match(nxt[1]):
                        author = f"{author} {nxt[1]}"
            elif text and (text.startswith(("Executive Summary", "1.")) or lines[end].heading) and end - index > 2:
                break
            end += 1
        self.part = Part(title, "report", date or (self.part.date if self.part else None), author)
        self.open(None, title, lines[index])
        for line in lines[index:end]:
            self.add(line)
        return end - index

    # -- sections ----------------------------------------------------------------------------
    def in_minute(self) -> bool:
        return self.seen_minute and (self.part is None or self.part.kind == "minutes")

    def in_agenda(self) -> bool:
        return bool(self.part and self.part.kind == "agenda")

    def is_subsection(self, text: str) -> bool:
        """'1.2 Title' under item '1' of a numbered report: a part of the item, not ordinary text."""
        number = self.run_item
        return bool(number and "." not in number and "/" not in number and text.startswith(number + ".")
                    and re.match(re.escape(number) + r"\.\d{1,2}\.?\s+\S", text))

    def heading_of(self, line: Line) -> tuple[str | None, str] | None:
        """(number, title) when the line heads a new section here, else None."""
        text = line.text.strip()
        found = MINUTE.match(text)
        if found and (line.heading or found.group(2).split()[0].isupper()):
            self.seen_minute = True
            return found.group(1), _clean_title(found.group(2))
        if self.part and self.part.kind == "minutes" and self.seen_minute:
            return None  # within a minute only the next minute number opens a section
        if self.part and self.part.kind in ("agenda", "work_programme"):
            return None
        found = NUMBERED.match(text)
        if found and _looks_like_heading(found.group(1), found.group(2), line, text):
            return found.group(1), _clean_title(found.group(2))
        if line.heading and 2 < len(text) < 160 and not text.startswith("http"):
            return None, _clean_title(text)
        if _is_caps_heading(text):
            numbered = re.match(r"^(\d{1,3}(?:\.\d{1,2})?)\.?\s+(.+)$", text)
            return (numbered.group(1), _clean_title(numbered.group(2))) if numbered else (None, _clean_title(text))
        return None

    def open(self, number: str | None, title: str, line: Line) -> Section:
        """Close the current section and open another at `line`; returns it."""
        self.close()
        part = self.part
        self.current = Section(
            number=number,
            title=title,
            page_start=line.page,
            page_end=line.page,
            text="",
            date=part.date if part and part.date else self.doc_date,
            author=part.author if part else None,
            part=part.title if part else None,
        )
        return self.current

    def add(self, line: Line) -> None:
        section = self.current
        if section is None:
            text = line.text.split("\t")[0].strip()
            if not text:
                return
            section = self.open(None, _clean_title(text) if 2 < len(text) < 100 else "Front matter", line)
        section.lines.append(line)

    def close(self) -> None:
        section = self.current
        self.current = None
        if section is None:
            return
        text = "\n".join(line.text for line in section.lines).strip()
        if not text:
            return
        pages = [line.page for line in section.lines if line.page is not None and line.text.strip()]
        section.page_start = pages[0] if pages else None
        section.page_end = pages[-1] if pages else None
        section.text = text
        self.sections.append(section)


BARE_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,2})?\.?$")


def _bare_item(lines: list[Line], index: int) -> tuple[str, int] | None:
    """('4.1', index of its title) when this line is only an item number and a short title follows."""
    if not BARE_NUMBER.match(lines[index].text.strip()):
        return None
    nxt = _next_text(lines, index)
    if not nxt or len(nxt[1]) > 160 or nxt[1].endswith(".") or BARE_NUMBER.match(nxt[1]):
        return None
    return lines[index].text.strip().rstrip("."), nxt[0]


def _looks_like_heading(number: str, title: str, line: Line, text: str) -> bool:
    """A numbered line heads a section when flagged a heading, or is '1. Short title' with no full stop."""
    if find_date(text):
        return False
    if line.heading:
        return True
    dotted = text[len(number):len(number) + 1] == "." or "." in number
    return dotted and len(title) <= 160 and not title.rstrip().endswith((".", ",", ";", ":")) and "\t" not in title


def _is_caps_heading(text: str) -> bool:
    if not 6 <= len(text) <= 100 or not text.isupper() or text.startswith("http"):
        return False
    return len(text.split()) >= 2 and sum(c.isalpha() for c in text) >= 6


def _clean_title(text: str) -> str:
    return " ".join(text.replace("**", "").split()).strip(" -–:")


def _next_text(lines: list[Line], index: int) -> tuple[int, str] | None:
    for j in range(index + 1, min(index + 4, len(lines))):
        if lines[j].text.strip():
            return j, lines[j].text.strip()
    return None


def _date_near(lines: list[Line], index: int, span: int = 8) -> str | None:
    for line in lines[index:index + span]:
        date = find_date(line.text)
        if date:
            return date
    return None


def _human(iso: str) -> str:
    from pcp_search.models import format_date

    return format_date(iso) or iso
