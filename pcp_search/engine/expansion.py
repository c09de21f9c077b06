"""Bounded query cost: a wildcard or prefix (`encamp*`, `a?c*`) stands for at most MAX_EXPANSION index
words, its most frequent, as an Or of plain terms that the posting-array scorer takes like any words."""

from __future__ import annotations

from whoosh import query as Q

from pcp_search.engine.schema import SEARCH_FIELD

MAX_EXPANSION = 200  # words a wildcard or prefix may stand for; beyond it, its most frequent ones


def bounded(query, reader, notes: list[str]):
    """The query with each wildcard and prefix over the searched field replaced by an Or of the words it
    matches (at most MAX_EXPANSION; `notes` says when it matched more): a query of many wildcards then
    costs a bounded number of posting lists, not one Whoosh matcher per word of the index."""

    def expand(node):
        if not isinstance(node, Q.MultiTerm) or node.field() != SEARCH_FIELD:
            return node
        words = [text for _field, text in node.expanded_terms(reader)]
        if len(words) > MAX_EXPANSION:
            words.sort(key=lambda word: -reader.doc_frequency(SEARCH_FIELD, word))
            typed = f"{node.text}*" if isinstance(node, Q.Prefix) else node.text
            notes.append(f"'{typed}' matched {len(words):,} words: searched the {MAX_EXPANSION} most frequent")
            words = sorted(words[:MAX_EXPANSION])
        if not words:
            return Q.NullQuery
        texts = [w.decode("utf-8") if isinstance(w, bytes) else w for w in words]
        return Q.Or([Q.Term(SEARCH_FIELD, text, boost=node.boost) for text in texts])

    return query.accept(expand)
