"""Reading the index: a QuerySpec as a Whoosh query, run over posting arrays where it can be (terms,
And, Or) and through Whoosh's searcher otherwise, with filters, exclusions and facet counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from itertools import chain

import numpy as np
from whoosh import qparser
from whoosh import query as Q

from pcp_search.engine.expansion import bounded
from pcp_search.engine.records import payload
from pcp_search.engine.schema import SEARCH_FIELD
from pcp_search.engine.scoring import Postings
from pcp_search.spec import Candidate, Filters, QuerySpec, QuerySyntaxError, RawResults, panel_matches


def run(searcher, postings: Postings, columns, records: Callable[[int], dict], spec: QuerySpec) -> RawResults:
    """The best `candidates` hits with payloads, the total, the query's terms and, when asked, facet
    counts over the whole result set (`columns`: a callable giving the facet columns; `records`: a
    record by its document number, `records_of`)."""
    schema = searcher.schema
    try:
        query = parser(schema, spec.any_terms).parse(spec.text) if spec.text.strip() else Q.Every()
    except Exception as exc:  # Whoosh's parser is tolerant; anything it still rejects is syntax
        raise QuerySyntaxError(str(exc)) from None
    notes: list[str] = []
    query = bounded(query, searcher.reader(), notes)  # wildcards: a bounded number of words each
    mask = Q.Or([parser(schema, True).parse(word) for word in spec.exclude]) if spec.exclude else None
    mask = bounded(mask, searcher.reader(), notes) if mask is not None else None
    flt = filter_query(spec.filters, searcher.reader())
    if isinstance(query, Q.Every) and flt is not None:
        query, flt = flt, None
    scored = postings.score(query)
    if spec.sort in ("date", "date_asc"):
        matched = _matching(postings, query, flt, mask)
        candidates = _by_date(searcher, query, matched, scored, columns()["date"], spec, records)
    elif scored is not None:
        matched, scores = scored
        for part, keep in ((flt, True), (mask, False)):
            if part is not None:
                inside = np.isin(matched, postings.docs(part), assume_unique=True)
                matched, scores = matched[inside == keep], scores[inside == keep]
        best = np.lexsort((matched, -scores))[:spec.candidates]  # ties: lower docnum first, as Whoosh
        candidates = [Candidate(records(int(matched[i])), float(scores[i])) for i in best]
    else:
        results = searcher.search(query, limit=spec.candidates, filter=flt, mask=mask, terms=False)
        candidates = [Candidate(records(hit.docnum), float(hit.score or 0.0)) for hit in results]
        matched = _matching(postings, query, flt, mask)
    facets = _facets(columns(), matched.tolist()) if spec.facets else {}
    terms = {text.decode("utf-8") if isinstance(text, bytes) else str(text)
             for _fieldname, text in query.iter_all_terms() if text is not None}
    return RawResults(total=int(len(matched)), candidates=candidates, terms=terms, facets=facets, notes=notes)


def _matching(postings: Postings, query, flt, mask) -> np.ndarray:
    """Every document the query finds, within the filter and outside the mask."""
    matched = postings.docs(query)
    if flt is not None:
        matched = np.intersect1d(matched, postings.docs(flt), assume_unique=True)
    if mask is not None:
        matched = np.setdiff1d(matched, postings.docs(mask), assume_unique=True)
    return matched


def _by_date(searcher, query, matched: np.ndarray, scored, dates: list[str], spec: QuerySpec,
             records: Callable[[int], dict]) -> list[Candidate]:
    """The first `candidates` of the documents found, newest first ("date") or oldest first, the undated
    ones last either way, each with its relevance score (Whoosh's sorted search gave its sort key as the
    score: a date, or a number of no meaning)."""
    newest = spec.sort == "date"
    if scored is not None:  # (words, AND, OR: every document found is scored over whole posting lists)
        score = dict(zip(scored[0].tolist(), scored[1].tolist()))
        top = _date_order(matched.tolist(), dates, score, newest)[:spec.candidates]
    else:  # (phrases, wildcards: Whoosh scores the documents kept)
        top = _date_order(matched.tolist(), dates, {}, newest)[:spec.candidates]
        score = {hit.docnum: hit.score for hit in searcher.search(query, limit=None, filter=set(top), terms=False)}
        top = _date_order(top, dates, score, newest)
    return [Candidate(records(n), float(score.get(n, 0.0))) for n in top]


def _date_order(docnums: list[int], dates: list[str], score: dict[int, float], newest: bool) -> list[int]:
    """By date, newest or oldest first, the undated last; on the same date the best scored first, then
    the lower docnum (Python's sort keeps the order of equals, reversed or not)."""
    ordered = sorted(docnums, key=lambda n: (-score.get(n, 0.0), n))
    ordered.sort(key=dates.__getitem__, reverse=newest)
    return [n for n in ordered if dates[n]] + [n for n in ordered if not dates[n]]


def records_of(searcher) -> Callable[[int], dict]:
    """A record by its document number in the searcher's index, whole (`records.payload`). (The column
    is opened at the first record asked for: an empty index has none to open.)"""
    if _kept_as_stored_fields(searcher):
        return lambda docnum: payload(searcher.stored_fields(docnum)["payload"])
    column = None

    def record(docnum: int) -> dict:
        nonlocal column
        if column is None:
            column = searcher.reader().column_reader("payload")
        return payload(column[docnum])

    return record


def stored_values(searcher) -> Iterator[bytes | str]:
    """Every record of the index (deleted ones left out) as kept: for `records.stored`."""
    if _kept_as_stored_fields(searcher):
        for fields in searcher.all_stored_fields():
            yield fields["payload"]
        return
    reader = searcher.reader()
    if reader.doc_count():
        column = reader.column_reader("payload")
        for docnum in reader.all_doc_ids():
            yield column[docnum]


def _kept_as_stored_fields(searcher) -> bool:
    """True for an index of format 13 or before, which kept records in Whoosh's stored fields (not in
    a column): searchable, with a note, until `index` rebuilds it, which reads them to do so."""
    return searcher.schema["payload"].column_type is None


def parser(schema, any_terms: bool) -> qparser.QueryParser:
    """Whoosh's query parser for the boolean syntax over the searched field (field filters are ours)."""
    group = qparser.OrGroup if any_terms else qparser.AndGroup
    found = qparser.QueryParser(SEARCH_FIELD, schema, group=group)
    found.remove_plugin_class(qparser.FieldsPlugin)
    found.remove_plugin_class(qparser.BoostPlugin)
    return found


def filter_query(filters: Filters, reader=None):
    """The filters as one Whoosh query, or None (`reader`: the index's, for the names of its panels)."""
    parts = []
    for entity_id in filters.entity_ids:
        parts.append(Q.Term("entities", entity_id.lower()))
    if filters.kinds:
        parts.append(Q.Or([Q.Term("kind", k) for k in filters.kinds]))
    if filters.documents:
        parts.append(Q.Or([Q.Wildcard("document", f"*{d}*") for d in filters.documents]))
    for field_name, value in (("asked_by", filters.asked), ("answered_by", filters.answered)):
        if value:
            words = [w.lower() for w in value.replace('"', " ").split() if w.strip()]
            parts.append(Q.And([Q.Term(field_name, w) for w in words]))
    if filters.panels:  # a panel whose name is these words or begins with them
        names = [name for name in panel_names(reader) if any(panel_matches(name, words) for words in filters.panels)]
        parts.append(Q.Or([Q.Term("panel", name) for name in names]) if names else Q.NullQuery)
    if filters.since or filters.until:
        parts.append(Q.TermRange("date", filters.since or "0000", filters.until or "9999"))
    if filters.exclude_ids:
        parts.append(Q.Not(Q.Or([Q.Term("id", i) for i in filters.exclude_ids])))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Q.And(parts)


def panel_names(reader) -> list[str]:
    """The names of the panels the index's records belong to (none in an index built before records had
    a panel field, until the next `index` run rebuilds it)."""
    if reader is None or "panel" not in reader.schema:
        return []
    return [name.decode("utf-8") if isinstance(name, bytes) else name for name in reader.lexicon("panel") if name]


def _facets(columns: dict[str, list], docnums) -> dict[str, dict[str, int]]:
    """Counts by kind, year, document and entity over every matched record."""
    counts = {name: Counter(map(columns[name].__getitem__, docnums)) for name in ("kind", "year", "document")}
    counts["entities"] = Counter(chain.from_iterable(map(columns["entities"].__getitem__, docnums)))
    return {name: {str(k): v for k, v in counter.most_common()} for name, counter in counts.items()}


def load_columns(searcher) -> dict[str, list]:
    """The facet columns and the dates of the whole index as lists indexed by docnum (read once per index
    version)."""
    columns: dict[str, list] = {"kind": [], "year": [], "document": [], "date": [], "entities": []}
    for subsearcher, _offset in searcher.leaf_searchers():
        reader = subsearcher.reader()
        if not reader.doc_count_all():
            continue  # an empty index has no columns to read
        for name in ("kind", "year", "document", "date"):
            columns[name].extend(reader.column_reader(name))
        for raw in reader.column_reader("entity_ids"):
            text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            columns["entities"].append(tuple(i for i in text.split(",") if i))
    return columns
