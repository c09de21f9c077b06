"""The Whoosh schema: which record fields are searched, with what analysis and weight."""

from __future__ import annotations

import re
from functools import lru_cache

from whoosh.analysis import StemmingAnalyzer
from whoosh.columns import NumericColumn, VarBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema

# The searched text of a record lives in one field, `body`: its heading (title and section), its text
# (a Q&A pair's question and answer, the question given twice so its words weigh more) and the other
# names of its entities. One field keeps each query word to one posting list: on Whoosh, searching
# four weighted fields was four times slower for no measured gain in ranking.
SEARCH_FIELD = "body"


_ROOTS: dict[tuple, dict[str, bytes | None]] = {}  # an analysis's word -> stem cache (see BodyText.postings)


@lru_cache(maxsize=4096)
def _single_position(position: int) -> bytes:
    """Whoosh's Positions encoding of a word seen once (most words of a record): made once per position."""
    from whoosh.formats import Positions

    return Positions().encode([position])


class BodyText(TEXT):
    """A stemmed text field whose analysis for the index is `postings`, not Whoosh's chain."""

    def index(self, value, **kwargs):
        if isinstance(value, str) and not kwargs:
            return self.postings(value)
        return super().index(value, **kwargs)

    def postings(self, text: str) -> list[tuple[bytes, int, float, bytes]]:
        """The postings Whoosh would make of `text` with this field's analyzer (tokenize, lower case,
        drop stop words and renumber, stem; positions), made in one loop instead of Whoosh's chain of
        generators: a third of the time. Tests hold it equal to `TEXT.index` on arbitrary text."""
        tokenizer, _lower, stopper, stemmer = self.analyzer.items
        if not hasattr(self, "_roots"):  # a word (lower case) -> its stem's bytes, None if left out; shared by
            # the schema's copies (each segment a worker writes opens the index's own) with the same analysis
            key = (tokenizer.expression.pattern, stemmer.lang, stopper.min, stopper.max, frozenset(stopper.stops))
            self._roots: dict[str, bytes | None] = _ROOTS.setdefault(key, {})
            pattern = tokenizer.expression.pattern.replace("(\\.?", "(?:\\.?")  # (no groups: findall gives whole words)
            self._findall = re.compile(pattern, tokenizer.expression.flags).findall
        roots, stem, stops, minsize = self._roots, stemmer.stemfn, stopper.stops, stopper.min
        lowered = text.lower()
        if len(lowered) == len(text):  # (lower case the whole text at once, unless a letter changes length)
            words = self._findall(lowered)
        else:
            words = [word.lower() for word in self._findall(text)]
        positions: dict[bytes, list[int]] = {}
        pos = None
        for number, word in enumerate(words):
            root = roots.get(word, b"")
            if root == b"":
                root = roots[word] = None if len(word) < minsize or word in stops else stem(word).encode("utf-8")
            if root is None:
                continue
            pos = number if pos is None else pos + 1  # Whoosh's StopFilter renumbers after the first kept word
            found = positions.get(root)
            if found is None:
                positions[root] = [pos]
            else:
                found.append(pos)
        encode, boost, single = self.format.encode, self.format.field_boost, _single_position
        return [(root, len(found), len(found) * boost, single(found[0]) if len(found) == 1 else encode(found))
                for root, found in positions.items()]

    def __getstate__(self):  # the schema is pickled into the index: leave the caches out
        state = self.__dict__.copy()
        state.pop("_roots", None)
        state.pop("_findall", None)
        return state


def build_schema() -> Schema:
    stem = StemmingAnalyzer()
    # only the payload is stored: results are built from it; the other fields are for finding,
    # filtering and sorting (columns), and stored copies of them cost the writer time for nothing
    return Schema(
        id=ID(unique=True),
        path=ID,
        document=ID(sortable=True),
        kind=ID(sortable=True),
        date=ID(sortable=True),
        year=COLUMN(NumericColumn("i")),  # for facets only: a year filter is a date range
        body=BodyText(analyzer=stem),
        asked_by=TEXT(stored=False),
        answered_by=TEXT(stored=False),
        panel=ID,  # the panel's name as the record gives it, for panel filters
        entities=KEYWORD(commas=True, lowercase=True, scorable=False),
        entity_ids=COLUMN(VarBytesColumn()),  # the same ids, read fast for facets
        payload=STORED(),  # the whole record as JSON: what results show
    )
