"""The Whoosh schema: which record fields are searched, with what analysis and weight."""

from __future__ import annotations

import re
from functools import lru_cache

from whoosh.analysis import StemmingAnalyzer
from whoosh.columns import NumericColumn, VarBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, TEXT, Schema

# The searched text of a record lives in one field, `body`: its heading (title and section), its text
# (a Q&A pair's question and answer, the question given twice so its words weigh more) and the other
# names of its entities. One field keeps each query word to one posting list: on Whoosh, searching
# four weighted fields was four times slower for no measured gain in ranking.
SEARCH_FIELD = "body"


_ROOTS: dict[tuple, dict[str, bytes | None]] = {}  # an analysis's word -> stem cache (see BodyText.postings)
_RECENT_PARTS = 64  # analysed parts of the searched text kept for the next records (see BodyText.postings)


def _words_pattern(pattern: str) -> str:
    """The tokenizer's expression as one that finds the same words faster: Whoosh's `[\\w\\*]+(\\.?[\\w\\*]+)*`
    (a word, and more after single dots) with the dot no longer optional (after the greedy first run
    of word characters only a dot can follow) and no group (so findall gives whole words)."""
    return pattern.replace("(\\.?", "(?:\\.")


_SINGLE_POSITIONS = 4096  # positions whose one-word encoding is made once (see _single_positions)


@lru_cache(maxsize=1)
def _single_positions() -> list[bytes]:
    """Whoosh's Positions encoding of a word seen once (most words of a record), for each position below
    `_SINGLE_POSITIONS`: made once, looked up by position."""
    from whoosh.formats import Positions

    encode = Positions().encode
    return [encode([position]) for position in range(_SINGLE_POSITIONS)]


class BodyText(TEXT):
    """A stemmed text field whose analysis for the index is `postings`, not Whoosh's chain."""

    def index(self, value, **kwargs):
        if isinstance(value, (str, tuple)) and not kwargs:
            return self.postings(value)
        return super().index(value, **kwargs)

    def postings(self, text: str | tuple[str, ...]) -> list[tuple[bytes, int, float, bytes]]:
        """The postings Whoosh would make of `text` with this field's analyzer (tokenize, lower case,
        drop stop words and renumber, stem; positions), made in one loop instead of Whoosh's chain of
        generators: a third of the time. `text` may come in parts (a record's heading, its question,
        ...), taken as joined by new lines: a part that repeats (a pair's question, given twice; the
        heading of a document's next record) is analysed once. Tests hold it equal to `TEXT.index`."""
        positions = self._positions(text)[0]
        encode, boost, singles = self.format.encode, self.format.field_boost, _single_positions()
        return [(root, 1, boost, singles[seen[0]]) if len(seen) == 1 and seen[0] < _SINGLE_POSITIONS
                else (root, len(seen), len(seen) * boost, encode(seen)) for root, seen in positions.items()]

    def file_into(self, text: str | tuple[str, ...], terms: dict[bytes, list], docnum: int, boost: float) -> tuple[int, int]:
        """`postings` filed at once into a segment's table of terms (term -> [(docnum, weight, value)]),
        each weight times the document's `boost`, as the writer files them, without the list of
        postings in between; returns the field's length (its words kept) and the postings filed."""
        positions, length = self._positions(text)
        encode, weight, singles = self.format.encode, self.format.field_boost, _single_positions()
        single = weight * boost
        for root, seen in positions.items():
            if len(seen) == 1 and seen[0] < _SINGLE_POSITIONS:
                posting = (docnum, single, singles[seen[0]])
            else:
                posting = (docnum, len(seen) * weight * boost, encode(seen))
            filed = terms.get(root)
            if filed is None:
                terms[root] = [posting]
            else:
                filed.append(posting)
        return length, len(positions)

    def _positions(self, text: str | tuple[str, ...]) -> tuple[dict[bytes, list[int]], int]:
        """Each kept word's stem with its positions, and how many words were kept (see `postings`)."""
        if not hasattr(self, "_roots"):
            self._prepare()
        parts = (text,) if isinstance(text, str) else text
        recent, analyse = self._recent, self._part_roots
        if len(recent) > _RECENT_PARTS:
            recent.clear()
        kept: list[bytes] = []
        first: int | None = None  # the position of the first kept word: the words before it count
        before = 0
        for part in parts:
            found = recent.get(part)
            if found is None:
                found = recent[part] = analyse(part)
            count, skipped, roots = found
            if first is None:
                if not roots:
                    before += count
                    continue
                first = before + skipped
            kept += roots
        positions: dict[bytes, list[int]] = {}  # Whoosh's StopFilter renumbers the kept words from the first
        for position, root in enumerate(kept, first or 0):
            seen = positions.get(root)
            if seen is None:
                positions[root] = [position]
            else:
                seen.append(position)
        return positions, len(kept)

    def _prepare(self) -> None:
        """The analysis's parts, and its word -> stem cache, shared by the schema's copies (each
        segment a worker writes opens the index's own) with the same analysis."""
        tokenizer, _lower, stopper, stemmer = self.analyzer.items
        key = (tokenizer.expression.pattern, stemmer.lang, stopper.min, stopper.max, frozenset(stopper.stops))
        self._roots: dict[str, bytes | None] = _ROOTS.setdefault(key, {})  # a word -> its stem, None if left out
        self._recent: dict[str, tuple[int, int, list[bytes]]] = {}  # a part -> `_part_roots`
        self._stem, self._stops, self._minsize = stemmer.stemfn, stopper.stops, stopper.min
        self._findall = re.compile(_words_pattern(tokenizer.expression.pattern), tokenizer.expression.flags).findall

    def _part_roots(self, part: str) -> tuple[int, int, list[bytes]]:
        """A part's number of words, how many come before its first kept one, and its kept words' stems."""
        lowered = part.lower()
        if len(lowered) == len(part):  # (lower case the whole part at once, unless a letter changes length)
            words = self._findall(lowered)
        else:
            words = [word.lower() for word in self._findall(part)]
        roots = self._roots
        try:  # (most parts hold no word the cache lacks: looked up at once, without a set of the part's words)
            found = list(map(roots.__getitem__, words))
        except KeyError:
            stem, stops, minsize = self._stem, self._stops, self._minsize
            for word in set(words).difference(roots):
                roots[word] = None if len(word) < minsize or word in stops else stem(word).encode("utf-8")
            found = list(map(roots.__getitem__, words))
        kept = [root for root in found if root is not None]
        return len(words), (found.index(kept[0]) if kept else len(words)), kept

    def __getstate__(self):  # the schema is pickled into the index: leave the caches out
        state = self.__dict__.copy()
        for name in ("_roots", "_recent", "_stem", "_stops", "_minsize", "_findall"):
            state.pop(name, None)
        return state


def build_schema() -> Schema:
    stem = StemmingAnalyzer()
    # nothing is stored by Whoosh: results are built from the payload column; the other fields are for
    # finding, filtering and sorting (columns)
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
        payload=COLUMN(VarBytesColumn()),  # the whole record as JSON, compressed (engine.files.pack_payload)
    )
