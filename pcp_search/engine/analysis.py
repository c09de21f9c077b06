"""The index's own analysis of text, for the layers above that must see words as the index does
(snippets, answer sentences, common words, spelling): stems with their places, and the stop words."""

from __future__ import annotations

from functools import cache

from whoosh.analysis import STOP_WORDS, StemmingAnalyzer  # STOP_WORDS: what the searched field drops

__all__ = ["STOP_WORDS", "analyze", "analyzer"]


@cache
def analyzer() -> StemmingAnalyzer:
    """The searched field's analyzer (tokenize, lower case, stem), stop words kept."""
    return StemmingAnalyzer(stoplist=None)


def analyze(text: str) -> list[tuple[str, int, int]]:
    """(stem, start, end) for every token the index would see in `text` (stop words included)."""
    return [(t.text, t.startchar, t.endchar) for t in analyzer()(text, chars=True, removestops=False)]
