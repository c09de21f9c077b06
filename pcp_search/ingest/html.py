"""HTML reader: block elements become lines, data-table rows tab-separated lines; page chrome left out.

Council sites wrap the paper in navigation, breadcrumbs, menus and footers; ModernGov pages also list
the meeting's documents and actions. Those are skipped (by element: nav, header, footer, a `role` of
navigation; by ModernGov class: mgLinks, mgActionList, mgBulletList, mgHelpLine, mgFooter). A table
used for layout (its cells hold paragraphs, as ModernGov's item table does) is read as paragraphs, so
an item number cell ('5.') and its title become lines the section splitter knows.
"""

from __future__ import annotations

from html.parser import HTMLParser

from pcp_search.models import Line

BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "ul", "ol", "blockquote",
          "pre", "caption"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
SKIP = {"script", "style", "head", "title", "noscript", "nav", "header", "footer", "form", "button", "select"}
SKIP_CLASSES = {"mgFileSize", "mgLinks", "mgActionList", "mgBulletList", "mgHelpLine", "mgFooter", "mgHide", "breadcrumb", "menu",
                "menu-list", "skip-link", "skiplink", "visually-hidden", "sr-only", "cookie-banner"}
SKIP_ROLES = {"navigation", "banner", "contentinfo", "search"}
VOID = {"br", "img", "input", "meta", "link", "hr", "area", "base", "col", "embed", "source", "track", "wbr"}
CHROME_LINES = {"skip to main content", "section menu", "skip to content", "back to top"}


class _TextCollector(HTMLParser):
    def __init__(self, layout_rows: set[int]) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[Line] = []
        self.buffer: list[str] = []
        self.cells: list[str] | None = None
        self.skip = 0
        self.heading = False
        self.layout_rows = layout_rows  # the ordinal of each <tr> whose cells hold paragraphs
        self.rows_seen = 0
        self.layout_depth = 0

    def flush(self) -> None:
        text = " ".join("".join(self.buffer).split())
        if self.cells is not None:
            if text:
                self.cells[-1] = (self.cells[-1] + " \u00b6 " + text) if self.cells[-1] else text
        elif text and text.lower() not in CHROME_LINES:
            self.lines.append(Line(text, heading=self.heading))
        self.buffer = []

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows_seen += 1  # counted in skipped regions too, to keep step with the scanner
        if self.skip:
            if tag not in VOID:
                self.skip += 1
            return
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        if tag in SKIP or classes & SKIP_CLASSES or (attrs.get("role") or "") in SKIP_ROLES or "hidden" in attrs:
            if tag not in VOID:
                self.skip = 1
            return
        if tag == "tr":
            self.flush()
            if self.rows_seen in self.layout_rows:
                self.layout_depth += 1
            else:
                self.cells = []
        elif tag in ("td", "th") and self.cells is not None:
            self.flush()
            self.cells.append("")
        elif tag in BLOCKS or tag in ("td", "th"):
            self.flush()
            self.heading = tag in HEADINGS
            if tag == "li":
                self.buffer.append("- ")

    def handle_endtag(self, tag):
        if self.skip:
            if tag not in VOID:
                self.skip -= 1
            return
        if tag == "tr" and self.cells is not None:
            self.flush()
            if any(self.cells):
                self.lines.append(Line("\t".join(self.cells)))
            self.cells = None
        elif tag == "tr" and self.layout_depth:
            self.flush()
            self.layout_depth -= 1
        elif tag in BLOCKS or tag in ("td", "th"):
            self.flush()
            self.heading = False

    def handle_data(self, data):
        if not self.skip:
            self.buffer.append(data)


class _RowScanner(HTMLParser):
    """Finds the table rows used for layout: a cell holding a paragraph, list or heading."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows = 0
        self.open_rows: list[int] = []
        self.in_cell = 0
        self.layout: set[int] = set()

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows += 1
            self.open_rows.append(self.rows)
        elif tag in ("td", "th"):
            self.in_cell += 1
        elif self.in_cell and self.open_rows and tag in ("p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "table"):
            self.layout.add(self.open_rows[-1])

    def handle_endtag(self, tag):
        if tag == "tr" and self.open_rows:
            self.open_rows.pop()
        elif tag in ("td", "th"):
            self.in_cell = max(0, self.in_cell - 1)


def read_html(data: bytes) -> list[Line]:
    """Read an HTML page into lines (no page numbers: HTML has none)."""
    from pcp_search.ingest.text import decode

    text = decode(data)
    scanner = _RowScanner()
    scanner.feed(text)
    collector = _TextCollector(scanner.layout)
    collector.feed(text)
    collector.close()
    collector.flush()
    return collector.lines
