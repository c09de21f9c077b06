"""What a listing finds (papers to fetch) and how a fetched body is recognised as a document."""

from __future__ import annotations

from dataclasses import dataclass, field

from pcp_search.fetch.naming import split_ext, url_filename

DOCUMENT_EXTS = {"pdf": "pdf", "docx": "docx", "html": "html", "htm": "html", "txt": "txt", "md": "md"}
SKIPPED_EXTS = {"doc", "xls", "xlsx", "ppt", "pptx", "zip", "jpg", "jpeg", "png", "gif", "mp3", "mp4", "csv", "rtf", "odt"}


@dataclass
class Paper:
    """A document a listing links to (or a paper made from a page, such as minutes shown inline)."""

    url: str
    title: str
    meeting_date: str | None = None
    committee: str | None = None
    listed: str | None = None  # what the listing says of it (publication date, size): a change means re-fetch
    expect: str | None = None  # the type its link promises: pdf, docx, html, txt; None when it does not say
    content: bytes | None = None  # a paper made here, not downloaded (inline HTML minutes)


@dataclass
class Listing:
    """What one source lists: its site, committee and papers, and the pages that failed on the way."""

    site: str
    committee: str | None = None
    papers: list[Paper] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)  # {"url", "title", "reason"}
    notes: list[str] = field(default_factory=list)

    def add(self, paper: Paper) -> None:
        if all(p.url != paper.url for p in self.papers):
            self.papers.append(paper)


def expected_type(url: str) -> str | None:
    """The type a link promises by its path: `.pdf`, `mgConvert2PDF.aspx`; None when it does not say."""
    name = url_filename(url) or ""
    if name.lower() == "mgconvert2pdf.aspx":
        return "pdf"
    return DOCUMENT_EXTS.get(split_ext(name)[1])


def skipped_type(url: str) -> bool:
    """A link to a kind of file the index cannot read (old .doc, spreadsheets, images)."""
    return split_ext(url_filename(url) or "")[1] in SKIPPED_EXTS


def sniff(head: bytes) -> str:
    """What the first bytes of a body are: pdf, zip (a .docx), doc, html, text or binary."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    start = head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<?xml")) or any(tag in start for tag in (b"<html", b"<head", b"<body")):
        return "html"
    if b"\x00" in head[:2048]:
        return "binary"
    return "text"


def judge(head: bytes, expect: str | None, content_type: str, filename: str | None) -> tuple[str | None, str]:
    """(the extension to save under, "") for a body that is the document its link promised, else
    (None, the reason it is not kept): an HTML page served for a PDF link is an error or bot-check page."""
    found = sniff(head)
    named = split_ext(filename or "")[1]
    if found == "pdf":  # whatever the link said, a PDF is a paper
        return "pdf", ""
    if found == "zip" and (expect == "docx" or named == "docx" or "wordprocessingml" in content_type):
        return "docx", ""
    if found == "html" and expect == "html":
        return "html", ""
    if found == "text" and expect in ("txt", "md"):
        return expect, ""
    promised = (expect or "document").upper() if expect != "html" else "HTML page"
    if found == "html":
        return None, f"served an HTML page, not a {promised} (an error or bot-check page); not kept"
    if found == "doc":
        return None, "a Word 97-2003 .doc file, which the index cannot read; not kept"
    return None, f"not a {promised} (content starts {head[:16]!r}); not kept"
