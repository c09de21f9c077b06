"""Reading HTML pages: their links with clean text, and any page that lists papers (documents linked
from it on the same site, following one level of meeting pages)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from pcp_search.fetch.http import Client, FetchError, host_of, normalise_url
from pcp_search.fetch.papers import Listing, Paper, expected_type, skipped_type
from pcp_search.parse.dates import find_date

MAX_MEETING_PAGES = 200
MEETING_WORDS = ("meeting", "agenda", "minutes", "papers")
NOISE = "span.mgHide, span.mgFileSize, script, style"  # ModernGov's hidden ", item 5." and "PDF 601 KB"


@dataclass
class Link:
    url: str
    text: str


def parse_html(content: bytes) -> LexborHTMLParser:
    tree = LexborHTMLParser(content)
    for node in tree.css(NOISE):
        node.decompose()
    return tree


def text_of(node) -> str:
    return " ".join((node.text(deep=True, separator=" ") if node is not None else "").split())


def page_title(tree: LexborHTMLParser) -> str:
    """The page's <title> less a site suffix (` - Modern Council`)."""
    title = text_of(tree.css_first("title"))
    return title.rsplit(" - ", 1)[0].strip() if " - " in title else title


def links(tree: LexborHTMLParser, base_url: str) -> list[Link]:
    """Every http(s) link of the page, absolute, without fragments, once each, with its text."""
    found: dict[str, Link] = {}
    for anchor in tree.css("a[href]"):
        href = (anchor.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "javascript:", "tel:", "data:")):
            continue
        url = normalise_url(urldefrag(urljoin(base_url, href))[0])
        if urlsplit(url).scheme not in ("http", "https"):
            continue
        text = text_of(anchor) or (anchor.attributes.get("title") or "")
        if url not in found or (text and not found[url].text):
            found[url] = Link(url, text)
    return list(found.values())


def is_document_link(url: str, text: str = "") -> bool:
    """A link to a paper: a PDF/DOCX/text path, ModernGov's `documents/` or `mgConvert2PDF.aspx`,
    or an HTML page whose link says it is minutes."""
    kind = expected_type(url)
    if kind in ("pdf", "docx", "txt", "md"):
        return True
    if "/documents/" in urlsplit(url).path.lower() and not skipped_type(url):
        return True
    return kind == "html" and "minutes" in text.lower()


def document_papers(tree, base_url: str, client: Client, meeting_date: str | None, committee: str | None) -> list[Paper]:
    """The papers a page links to on the allowed site(s), dated by the meeting or their link text."""
    papers = []
    for link in links(tree, base_url):
        if not is_document_link(link.url, link.text) or not client.allowed(link.url):
            continue
        date = meeting_date or find_date(link.text) or find_date(link.url.replace("%20", " "))
        papers.append(Paper(url=link.url, title=link.text or _name(link.url), meeting_date=date, committee=committee,
                            expect=expected_type(link.url)))
    return papers


def _name(url: str) -> str:
    from pcp_search.fetch.naming import split_ext, url_filename

    return split_ext(url_filename(url) or "document")[0]


def in_range(date: str | None, since: str | None, until: str | None) -> bool:
    """Undated papers are kept; dated ones must fall within --since/--until."""
    if not date:
        return True
    return (not since or date >= since) and (not until or date <= until)


def looks_like_meeting(link: Link) -> bool:
    lower = (link.text + " " + link.url).lower()
    return bool(find_date(link.text)) or any(word in lower for word in MEETING_WORDS) or "listdocuments" in lower


def list_page(client: Client, url: str, since: str | None = None, until: str | None = None) -> Listing:
    """Papers linked from any page: its documents, then those of the meeting pages it links to."""
    page = client.page(url)
    tree = parse_html(page.content)
    committee = page_title(tree) or host_of(url)
    listing = Listing(site=host_of(url), committee=committee)
    for paper in document_papers(tree, page.url, client, None, committee):
        if in_range(paper.meeting_date, since, until):
            listing.add(paper)
    meetings = [link for link in links(tree, page.url)
                if not is_document_link(link.url, link.text) and not skipped_type(link.url) and link.url != page.url
                and client.allowed(link.url) and host_of(link.url) and looks_like_meeting(link)]
    for link in meetings[:MAX_MEETING_PAGES]:
        date = find_date(link.text)
        if date and not in_range(date, since, until):
            continue
        try:
            sub = client.page(link.url)
        except FetchError as exc:
            listing.failed.append({"url": link.url, "title": link.text, "reason": f"meeting page: {exc}"})
            continue
        if "html" not in sub.content_type.lower():
            continue
        subtree = parse_html(sub.content)
        date = date or find_date(page_title(subtree))
        for paper in document_papers(subtree, sub.url, client, date, committee):
            if in_range(paper.meeting_date, since, until):
                listing.add(paper)
    if len(meetings) > MAX_MEETING_PAGES:
        listing.notes.append(f"only the first {MAX_MEETING_PAGES} of {len(meetings)} meeting pages were read")
    return listing
