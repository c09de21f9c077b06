"""PDF reader: text per page with pypdfium2 (pypdf when PDFium cannot open a file), page furniture
removed, wrapped lines joined, and OCR for pages that are only an image (see docs/PDF_LIBRARIES.md)."""

from __future__ import annotations

import io
import logging
import re
import threading

from pcp_search.ingest.furniture import BREAK_BEFORE, fix_soft_breaks, reflow, strip_furniture, vocabulary
from pcp_search.models import Line

__all__ = ["read_pdf", "read_pdf_pages", "reflow", "MAX_OCR_PAGES", "OCR_DPI"]

MAX_OCR_PAGES = 60  # a document with more image-only pages than this is not OCR'd (a warning says so)
OCR_DPI = 100  # render resolution for OCR: measured the best words per second (docs/PDF_LIBRARIES.md)
MIN_TEXT_CHARS = 10  # a page with fewer letters and digits than this has no usable text layer
PASSWORD_REASON = "password-protected PDF: cannot be read without its password"
BULLETS = str.maketrans({"\uf0b7": "•", "\uf0a7": "▪", "\uf076": "•", "\uf0d8": "•", "\u00ad": ""})

_PDFIUM_LOCK = threading.Lock()  # PDFium is not thread-safe


def read_pdf(data: bytes) -> list[Line]:
    """The document's lines, page by page (see `read_pdf_pages`, which also gives warnings)."""
    return read_pdf_pages(data)[0]


def read_pdf_pages(data: bytes) -> tuple[list[Line], list[str]]:
    """Lines with 1-based PDF page numbers (a blank line closes each page) and warnings about pages
    that were OCR'd or could not be read."""
    from pcp_search.ingest import IngestError

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise IngestError("not a PDF (no %PDF header)")
    warnings: list[str] = []
    try:
        raw_pages, scans = _pdfium_pages(data, warnings)
    except IngestError:
        raise
    except Exception:  # PDFium refused the file: pypdf is more lenient with broken cross-references
        raw_pages, scans = _pypdf_pages(data, warnings), {}
    pages = [[line for raw in text.split("\n") for line in _clean(raw, number)]
             for number, text in enumerate(raw_pages, start=1)]
    for number, lines in scans.items():
        pages[number - 1] = lines
    return _assemble(pages), warnings


def _clean(raw: str, number: int) -> list[Line]:
    from pcp_search.ingest.text import clean_line

    lines = clean_line(raw.translate(BULLETS))
    for line in lines:
        line.page = number
    return lines


def _assemble(pages: list[list[Line]]) -> list[Line]:
    """Furniture out, hyphens resolved, wrapped lines joined; a blank line after each page."""
    pages = strip_furniture(pages)
    words = vocabulary(pages)
    lines: list[Line] = []
    for number, page in enumerate(pages, start=1):
        for line in page:
            line.text = fix_soft_breaks(line.text, words)
        flowed = reflow(page, words)
        if flowed and _carries_over(lines, flowed[0]):  # a sentence broken by the page break goes on
            last = next(line for line in reversed(lines) if line.text.strip())
            last.text = last.text.rstrip() + " " + flowed.pop(0).text.strip()
        lines.extend(flowed)
        lines.append(Line("", page=number))
    return lines


def _carries_over(lines: list[Line], first: Line) -> bool:
    """The last line of the previous page is a long line cut mid-sentence and this page's first line is
    not a heading, item or label: one sentence across the break ('... preparing the Pension Fund' /
    'Accounts?')."""
    last = next((line for line in reversed(lines) if line.text.strip()), None)
    if last is None or first.ocr or last.ocr:
        return False
    tail, head = last.text.rstrip(), first.text.strip()
    return (len(tail) >= 70 and tail[-1:].isalnum() and bool(head) and not BREAK_BEFORE.match(first.text)
            and not head.isupper() and len(head.split()) <= 40)


def _pdfium_pages(data: bytes, warnings: list[str]) -> tuple[list[str], dict[int, list[Line]]]:
    """Each page's text, and OCR'd lines for the pages that are only an image."""
    import pypdfium2 as pdfium

    from pcp_search.ingest import IngestError

    with _PDFIUM_LOCK:
        try:
            doc = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if "password" in str(exc).lower():
                raise IngestError(PASSWORD_REASON) from None
            raise
        try:
            texts: list[str] = []
            images: list[int] = []  # page numbers with no text layer but an image
            for index in range(len(doc)):
                page = doc[index]
                text = _page_text(page).replace("\r\n", "\n").replace("\r", "\n")
                texts.append(text)
                if sum(c.isalnum() for c in text) < MIN_TEXT_CHARS and _has_image(page):
                    images.append(index + 1)
            scans = _ocr_pages(doc, images, warnings) if images else {}
        finally:
            doc.close()
    return texts, scans


def _page_text(page) -> str:
    try:
        textpage = page.get_textpage()
        try:
            return textpage.get_text_bounded()
        finally:
            textpage.close()
    except Exception:  # one bad page must not lose the rest
        return ""


def _has_image(page) -> bool:
    import pypdfium2.raw as pdfium_c

    try:
        return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=8))
    except Exception:
        return False


def _ocr_pages(doc, numbers: list[int], warnings: list[str]) -> dict[int, list[Line]]:
    """OCR the image-only pages, unless there are too many or no engine; warn either way."""
    count = len(numbers)
    pages, have = ("page", "has") if count == 1 else ("pages", "have")
    if count > MAX_OCR_PAGES:
        warnings.append(f"{count} image-only {pages} {have} no text: OCR skipped (more than {MAX_OCR_PAGES})")
        return {}
    from pcp_search.ingest import ocr

    if not ocr.available():
        warnings.append(f"OCR not available: {count} image-only {pages} {have} no text")
        return {}
    scans = {}
    for number in numbers:
        image = doc[number - 1].render(scale=OCR_DPI / 72).to_pil()
        scans[number] = [Line(text, page=number, ocr=True) for text in ocr.image_lines(image)]
    were = "was" if count == 1 else "were"
    warnings.append(f"{count} {pages} had no text layer and {were} OCR'd")
    return scans


def _pypdf_pages(data: bytes, warnings: list[str]) -> list[str]:
    """The fallback reader; AES needs the `cryptography` package, which is a dependency."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    from pcp_search.ingest import IngestError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(PASSWORD_REASON)
        pages = list(reader.pages)
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise IngestError(f"broken PDF: {exc}".splitlines()[0][:200]) from None
    texts = []
    for page in pages:
        try:
            texts.append(_unfragment(page.extract_text() or ""))
        except Exception:  # one bad page must not lose the rest
            texts.append("")
    if not any(texts) and pages:
        warnings.append(f"{len(pages)} pages have no text (OCR needs a PDF that PDFium can open)")
    return texts


FRAGMENT = re.compile(r"(?<=\w)\n(?=(?:\d{1,3}|[a-z]{1,2}|th|st|nd|rd)\s*(?:\n|$|[.,:;]))")


def _unfragment(text: str) -> str:
    """pypdf breaks some PDFs' words into one line per text run ("2\\n724\\n.", "Richard\\ns"): a line
    of one to three digits or one or two letters carries on the word before it."""
    text = FRAGMENT.sub("", text)
    return re.sub(r"(?<=\w)\n(?=[.,:;]\s*(?:\n|$))", "", text)
