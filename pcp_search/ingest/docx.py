"""DOCX reader (zip + WordprocessingML): paragraphs, headings, tables, and page breaks as pages."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

from pcp_search.models import Line

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes) -> list[Line]:
    """Read word/document.xml; explicit page breaks advance the page number."""
    from pcp_search.ingest import IngestError

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise IngestError(f"not a valid .docx: {exc}".splitlines()[0][:200]) from None
    try:
        body = ElementTree.fromstring(xml).find(f"{W}body")
    except ElementTree.ParseError as exc:
        raise IngestError(f"broken .docx XML: {exc}") from None
    if body is None:
        raise IngestError("not a valid .docx: no document body")
    state = {"page": 1}
    lines: list[Line] = []
    for element in body:
        if element.tag == f"{W}p":
            lines.append(_paragraph(element, state))
        elif element.tag == f"{W}tbl":
            lines.extend(_table(element, state))
    return lines


def _paragraph(p, state: dict) -> Line:
    parts = []
    for node in p.iter():
        if node.tag == f"{W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{W}tab":
            parts.append("\t")
        elif (node.tag == f"{W}br" and node.get(f"{W}type") == "page") or node.tag == f"{W}lastRenderedPageBreak":
            state["page"] += 1
    style = p.find(f"{W}pPr/{W}pStyle")
    heading = style is not None and "heading" in (style.get(f"{W}val") or "").lower()
    return Line("".join(parts), page=state["page"], heading=heading)


def _table(tbl, state: dict) -> list[Line]:
    rows = []
    for tr in tbl.iter(f"{W}tr"):
        cells = []
        for tc in tr.iter(f"{W}tc"):
            texts = [_paragraph(p, state).text for p in tc.iter(f"{W}p")]
            cells.append(" \u00b6 ".join(t for t in texts if t.strip()))
        rows.append(Line("\t".join(cells), page=state["page"]))
    return rows
