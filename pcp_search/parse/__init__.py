"""Parse a Document into metadata, sections and question -> answer pairs (a pure function).

The parser is in `document.py` and the modules beside it; its names are loaded from here on first use,
so that `pcp_search.parse.dates`, which searching needs, comes without the parser's ~200 patterns."""

from __future__ import annotations

__all__ = ["KINDS", "PANEL", "classify", "document_date", "document_title", "drop_duplicates", "find_panel", "parse_document"]


def __getattr__(name: str):
    if name in __all__:
        from pcp_search.parse import document

        return getattr(document, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
