"""PDF reader (pypdf): one Line per text line, pages numbered from the PDF itself."""

from __future__ import annotations

import io
import logging
import re

from pcp_search.models import Line


def read_pdf(data: bytes) -> list[Line]:
    """Extract text page by page; encrypted PDFs are opened with an empty password or refused."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    from pcp_search.ingest import IngestError
    from pcp_search.ingest.text import clean_line

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise IngestError("not a PDF (no %PDF header)")
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError("encrypted PDF (needs a password)")
        pages = list(reader.pages)
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise IngestError(f"broken PDF: {exc}".splitlines()[0][:200]) from None
    lines: list[Line] = []
    for number, page in enumerate(pages, start=1):
        try:
            text = page.extract_text() or ""
        except Exception:  # one bad page must not lose the rest
            continue
        page_lines = []
        for raw in text.replace("\r", "\n").split("\n"):
            for line in clean_line(raw):
                line.page = number
                page_lines.append(line)
        lines.extend(reflow(page_lines))
        lines.append(Line("", page=number))
    return lines


BREAK_BEFORE = re.compile(r"^\s*(?:[-•*▪]\s|\(\s*\d{1,2}\s*\)|\d{1,3}(?:\.\d+)*[.)]?\s|\[|\d{1,3}/\d{2,4}\s|[A-Z][A-Za-z ]{0,40}:\s|RESOLVED|Question\b|Answer\b)")


DANGLING = re.compile(r"(?:\b(?:and|or|of|the|a|an|to|for|from|in|on|with|by|that|which)|[,\-–])\s*$", re.IGNORECASE)


def reflow(lines: list[Line]) -> list[Line]:
    """Join the visual lines a PDF wraps a paragraph into: a line that fills the page's width carries on
    into the next, unless the next starts a list item, a numbered question, a bracket or a label."""
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
            previous.text = previous.text.rstrip() + " " + text
        else:
            out.append(line)
        last_width = len(line.text)
    return out
