"""HTML reader: block elements become lines, table rows become tab-separated lines."""

from __future__ import annotations

from html.parser import HTMLParser

from pcp_search.models import Line

BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "ul", "ol", "blockquote", "pre"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
SKIP = {"script", "style", "head", "title", "noscript"}


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[Line] = []
        self.buffer: list[str] = []
        self.cells: list[str] | None = None
        self.skip = 0
        self.heading = False

    def flush(self) -> None:
        text = " ".join("".join(self.buffer).split())
        if self.cells is not None:
            if text:
                self.cells[-1] = (self.cells[-1] + " \u00b6 " + text) if self.cells[-1] else text
        elif text:
            self.lines.append(Line(text, heading=self.heading))
        self.buffer = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIP:
            self.skip += 1
        elif tag == "tr":
            self.flush()
            self.cells = []
        elif tag in ("td", "th") and self.cells is not None:
            self.flush()
            self.cells.append("")
        elif tag in BLOCKS:
            self.flush()
            self.heading = tag in HEADINGS
            if tag == "li":
                self.buffer.append("- ")

    def handle_endtag(self, tag):
        if tag in SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "tr" and self.cells is not None:
            self.flush()
            if any(self.cells):
                self.lines.append(Line("\t".join(self.cells)))
            self.cells = None
        elif tag in BLOCKS or tag in ("td", "th"):
            self.flush()
            self.heading = False

    def handle_data(self, data):
        if not self.skip:
            self.buffer.append(data)


def read_html(data: bytes) -> list[Line]:
    """Read an HTML page into lines (no page numbers: HTML has none)."""
    from pcp_search.ingest.text import decode

    collector = _TextCollector()
    collector.feed(decode(data))
    collector.close()
    collector.flush()
    return collector.lines
