"""Scoring over whole posting lists: a term's postings as numpy arrays, And/Or as array intersections
and unions, BM25F with Whoosh's own formula and statistics (a test holds the scores equal)."""

from __future__ import annotations

import numpy as np
from whoosh import query as Q
from whoosh.util.numeric import byte_to_length

from pcp_search.engine.internals import bm25_parameters, fast_lengths, segment_postings


class Postings:
    """Whole posting lists of one searcher as numpy arrays, and BM25F over them.

    Whoosh scores a query document by document through a tree of matchers, several Python calls per
    posting; on 20 MB of papers a question of common words took 100-200 ms. Here a term's postings
    are read a block at a time into arrays (kept for later queries: typing repeats words), Or and And
    become array unions and intersections summing the terms' scores, and each term is scored with
    Whoosh's own BM25F formula, idf and average length: the same ranking (a test compares the two).
    Queries with other parts (phrases, wildcards, NOT) are left to Whoosh."""

    CACHE_POSTINGS = 4_000_000  # about 64 MB of cached arrays

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        self.leaves = [(sub.reader(), offset) for sub, offset in searcher.leaf_searchers()]
        self._terms: dict[tuple[str, str], tuple] = {}
        self._cached = 0
        self._lengths: dict[str, object] = {}
        self._columns: dict[str, object] = {}
        self._live: np.ndarray | None = None

    # -- postings ---------------------------------------------------------------------------------
    def term(self, fieldname: str, text: str):
        """(docnums, weights) of a term over the whole index, docnums ascending."""
        key = (fieldname, text)
        found = self._terms.pop(key, None)
        if found is None:
            ids, weights = [], []
            for reader, offset in self.leaves:
                if (fieldname, text) in reader:
                    seg_ids, seg_weights = segment_postings(reader, fieldname, text)
                    ids.append(seg_ids + offset)
                    weights.append(seg_weights)
            found = (np.concatenate(ids) if ids else np.zeros(0, np.int64),
                     np.concatenate(weights) if weights else np.zeros(0, np.float64))
            self._cached += len(found[0])
            while self._terms and self._cached > self.CACHE_POSTINGS:
                oldest = next(iter(self._terms))
                self._cached -= len(self._terms.pop(oldest)[0])
        self._terms[key] = found  # most recently used last
        return found

    def lengths(self, fieldname: str):
        """Every document's length of the field, as Whoosh decodes it for scoring."""
        if fieldname not in self._lengths:
            table = np.array([byte_to_length(i) for i in range(256)], dtype=np.float64)
            parts = []
            for reader, _offset in self.leaves:
                count = reader.doc_count_all()
                raw = np.zeros(count, np.uint8)
                perdoc = fast_lengths(reader)
                encoded = (perdoc.length_bytes(fieldname) if perdoc else None) or b""
                raw[:min(count, len(encoded))] = np.frombuffer(encoded, np.uint8)[:count]
                parts.append(table[raw])
            self._lengths[fieldname] = np.concatenate(parts) if parts else np.zeros(0)
        return self._lengths[fieldname]

    # -- matching and scoring -----------------------------------------------------------------------
    def docs(self, node):
        """The docnums a query matches (ascending), without scoring."""
        if type(node) is Q.Term:  # (exact types here: anything else is left to Whoosh)
            return self.term(node.fieldname, node.text)[0]
        if type(node) is Q.Or and node.subqueries and not node.minmatch:  # (Ordered, for one, is an And)
            return np.unique(np.concatenate([self.docs(sub) for sub in node.subqueries]))
        if type(node) is Q.And and node.subqueries:
            parts = sorted((self.docs(sub) for sub in node.subqueries), key=len)
            out = parts[0]
            for part in parts[1:]:
                out = np.intersect1d(out, part, assume_unique=True)
            return out
        if node is Q.NullQuery:
            return np.zeros(0, np.int64)
        if type(node) is Q.TermRange and node.fieldname == "date" and not (node.startexcl or node.endexcl):
            # a date range: compared over the date column at once, not term by term through the lexicon
            dates = self.column("date")
            return np.flatnonzero((dates >= (node.start or "")) & (dates <= (node.end or "\uffff")) & self.live())
        return np.array(sorted(self.searcher.docs_for_query(node)), dtype=np.int64)

    def column(self, fieldname: str):
        """A sortable column's values for every document of the index (read at its first use)."""
        if fieldname not in self._columns:
            values: list = []
            for reader, _offset in self.leaves:
                if reader.doc_count_all():
                    values.extend(reader.column_reader(fieldname))
            self._columns[fieldname] = np.array(values, dtype=str)
        return self._columns[fieldname]

    def live(self):
        """True for every document not deleted."""
        if self._live is None:
            parts = []
            for reader, _offset in self.leaves:
                alive = np.ones(reader.doc_count_all(), dtype=bool)
                if reader.has_deletions():
                    alive[np.fromiter(reader.deleted_docs_set, np.int64)] = False
                parts.append(alive)
            self._live = np.concatenate(parts) if parts else np.zeros(0, dtype=bool)
        return self._live

    def score(self, node):
        """(docnums, scores) of a query made of terms, And and Or only; None for anything else."""
        if type(node) is Q.Term:
            field = self.searcher.schema[node.fieldname] if node.fieldname in self.searcher.schema else None
            if field is None or not field.scorable:
                return None
            ids, weights = self.term(node.fieldname, node.text)
            if not len(ids):  # (an empty index has no idf to take)
                return ids, np.zeros(0, np.float64)
            weighting = self.searcher.weighting
            b, k1 = bm25_parameters(weighting, node.fieldname)
            idf = self.searcher.idf(node.fieldname, node.text)
            avgfl = self.searcher.avg_field_length(node.fieldname) or 1
            lengths = self.lengths(node.fieldname)[ids]
            # whoosh.scoring.bm25, the same operations in the same order
            scores = idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths / avgfl)))
        elif type(node) in (Q.Or, Q.And) and node.subqueries and not getattr(node, "minmatch", 0) \
                and not getattr(node, "scale", None):
            parts = [self.score(sub) for sub in node.subqueries]
            if any(part is None for part in parts):
                return None
            if isinstance(node, Q.Or):
                every = np.concatenate([ids for ids, _ in parts])
                ids, where = np.unique(every, return_inverse=True)
                scores = np.bincount(where, weights=np.concatenate([sc for _, sc in parts]), minlength=len(ids))
            else:
                ids, scores = parts[0]
                for other_ids, other_scores in parts[1:]:
                    ids, mine, theirs = np.intersect1d(ids, other_ids, assume_unique=True, return_indices=True)
                    scores = scores[mine] + other_scores[theirs]
        else:
            return None
        if getattr(node, "boost", 1.0) != 1.0:
            scores = scores * node.boost
        return ids, scores
