"""PDF reader (pypdf): one Line per text line, pages numbered from the PDF itself."""

from __future__ import annotations

import io
import logging

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
        for raw in text.replace("\r", "\n").split("\n"):
            for line in clean_line(raw):
                line.page = number
                lines.append(line)
        lines.append(Line("", page=number))
    return lines
