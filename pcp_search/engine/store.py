"""The built index: a Whoosh index plus a manifest of indexed files and the entity registry.

This module and schema.py are the only Whoosh code: writing (with incremental updates), and
reading through engine-neutral QuerySpec / RawResults, so another engine could stand behind them.
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pcp_search.models import Record, qa_text

INDEX_NAME = "pcp"
MANIFEST = "manifest.json"
REGISTRY = "entities.json"
DOCS = "docs"
VOCABULARY = "words.json"  # word -> how many records hold it, for "did you mean"
FORMAT_VERSION = 8
RULE_LABELS = ("MONEY", "DATE", "PERCENT")  # tagged in results, not filterable ids
QA_BOOST = 1.6  # a question with its answer outranks a passage holding the same words


def _patch_whoosh() -> None:
    """Two fixes to whoosh-reloaded 2.7.5 (pinned, frozen upstream), both in how it reads a segment's
    field lengths, which it does for every posting it writes and every document it scores:
    - a missing length column was looked up with a stat() call each time (650,000 stats for 5 MB of
      papers): remember that it is missing;
    - each length was read from the column file one byte at a time through three layers of calls:
      read a field's whole column once (a byte per document) and index into it. This halved the
      time the writer spends filing postings."""
    from whoosh.codec.whoosh3 import W3PerDocReader
    from whoosh.util.numeric import byte_to_length

    if getattr(W3PerDocReader, "_pcp_patched", False):
        return
    original = W3PerDocReader._cached_reader

    def _cached_reader(self, fieldname, column):
        if fieldname in self._readers:
            return self._readers[fieldname]
        reader = original(self, fieldname, column)
        if reader is None:
            self._readers[fieldname] = None
        return reader

    def doc_field_length(self, docnum, fieldname, default=0):
        if docnum > self._doccount:
            raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
        try:
            lengths = self._pcp_lengths[fieldname]
        except (AttributeError, KeyError):
            lengths = _length_bytes(self, fieldname)
        if lengths is None:
            return default
        lbyte = lengths[docnum] if docnum < len(lengths) else 0
        if lbyte:
            return byte_to_length(lbyte)
        return None  # as whoosh does

    W3PerDocReader._cached_reader = _cached_reader
    W3PerDocReader.doc_field_length = doc_field_length
    W3PerDocReader._pcp_patched = True


def _length_bytes(perdoc, fieldname: str) -> bytes | None:
    """A segment's encoded field lengths, one byte per document (read once, then kept)."""
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

    cache = perdoc.__dict__.setdefault("_pcp_lengths", {})
    if fieldname not in cache:
        reader = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        # the column holds one unsigned byte per document ("B"); documents past its end have 0
        cache[fieldname] = None if reader is None else bytes(reader._dbfile.get(reader._basepos, reader._count))
    return cache[fieldname]


class IndexMissing(Exception):
    """No index at the given folder."""


class IndexBusy(Exception):
    """Another process holds the index's write lock."""


@dataclass
class Filters:
    """Restrictions on a search, engine-neutral."""

    entity_ids: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    asked: str | None = None
    answered: str | None = None
    since: str | None = None
    until: str | None = None
    exclude_ids: list[str] = field(default_factory=list)


@dataclass
class QuerySpec:
    """What to search for: `text` in the boolean syntax (words, "phrases", AND/OR/NOT, wildcards)."""

    text: str
    filters: Filters = field(default_factory=Filters)
    candidates: int = 200
    sort: str = "relevance"  # or "date" (newest first) or "date_asc"
    facets: bool = False
    any_terms: bool = True  # OR semantics with a bonus for documents matching more terms
    exclude: list[str] = field(default_factory=list)  # words or "phrases" no result may contain


@dataclass
class Candidate:
    payload: dict
    score: float


@dataclass
class RawResults:
    total: int
    candidates: list[Candidate]
    terms: set[str]
    facets: dict = field(default_factory=dict)


class QuerySyntaxError(Exception):
    """The query text could not be parsed."""


class Store:
    """The index folder: Whoosh segments, `manifest.json` (file -> content hash) and `entities.json`."""

    def __init__(self, index_dir: str | Path) -> None:
        self.dir = Path(index_dir)
        self._cached = None
        self._facet_columns = None
        self._posting_arrays: _Postings | None = None
        self._vocabulary: tuple[int, dict[str, int]] | None = None
        self._lock = threading.RLock()

    def exists(self) -> bool:
        from whoosh import index

        return self.dir.is_dir() and index.exists_in(str(self.dir), indexname=INDEX_NAME)

    def open(self):
        from whoosh import index

        _patch_whoosh()
        if not self.exists():
            raise IndexMissing(f"index not found at {self.dir}/: run `pcp-search index` first")
        return index.open_dir(str(self.dir), indexname=INDEX_NAME)

    def create_if_missing(self):
        from whoosh import index

        _patch_whoosh()
        from pcp_search.schema import build_schema

        if self.exists():
            return self.open()
        self.dir.mkdir(parents=True, exist_ok=True)
        return index.create_in(str(self.dir), build_schema(), indexname=INDEX_NAME)

    # -- writing ----------------------------------------------------------------------------------
    @contextmanager
    def writer(self, limitmb: int = 256):
        """A Whoosh writer that commits on success and cancels on error (the last commit stays).
        Segments written by `SegmentBuilder`s and handed to `adopt` join the index in the same commit."""
        from whoosh.index import LockError

        ix = self.create_if_missing()
        try:
            writer = ix.writer(limitmb=limitmb)
        except LockError:
            raise IndexBusy(f"the index at {self.dir}/ is being written by another `pcp-search index` run; "
                            "try again when it ends") from None
        wrapped = _Writer(writer, self.dir / DOCS)
        try:
            yield wrapped
        except BaseException:
            writer.cancel()
            raise
        else:
            _commit(writer, wrapped.segments)
            self._update_vocabulary(wrapped.vocabulary_change)
        finally:
            ix.close()

    def _update_vocabulary(self, change: Counter) -> None:
        if not change:
            return
        words = self.vocabulary().copy()
        for word, delta in change.items():
            count = words.get(word, 0) + delta
            if count > 0:
                words[word] = count
            else:
                words.pop(word, None)
        _atomic_write(self.dir / VOCABULARY, json.dumps(words, ensure_ascii=False, separators=(",", ":")))
        self._vocabulary = None

    def vocabulary(self) -> dict[str, int]:
        """Every word of the indexed records (lower case) with the number of records holding it."""
        path = self.dir / VOCABULARY
        try:
            stamp = path.stat().st_mtime_ns
        except OSError:
            return {}
        if self._vocabulary is None or self._vocabulary[0] != stamp:
            try:
                self._vocabulary = (stamp, json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                return {}
        return self._vocabulary[1]

    # -- manifest and registry ---------------------------------------------------------------------
    def manifest(self) -> dict:
        path = self.dir / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {"version": FORMAT_VERSION, "files": {}}
        if data.get("version") != FORMAT_VERSION:
            return {"version": FORMAT_VERSION, "files": {}}
        return data

    def compatible(self) -> bool:
        """False when the index was built by a pcp-search with another index format."""
        try:
            data = json.loads((self.dir / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return data.get("version") == FORMAT_VERSION

    def save_manifest(self, data: dict) -> None:
        _atomic_write(self.dir / MANIFEST, json.dumps(data, indent=1, ensure_ascii=False))

    def registry_path(self) -> Path:
        return self.dir / REGISTRY

    def entity_counts(self) -> dict[str, int]:
        """How many records carry each entity id."""
        with self._lock:
            reader = self._searcher().reader()
            return {term.decode("utf-8") if isinstance(term, bytes) else term: reader.doc_frequency("entities", term)
                    for term in reader.lexicon("entities")}

    def document_count(self) -> int:
        with self._lock:
            return self._searcher().doc_count()


    # -- reading ----------------------------------------------------------------------------------
    def _searcher(self):
        """One searcher kept open between calls and refreshed when the index has changed
        (callers hold `self._lock`: the TUI searches from worker threads)."""
        if self._cached is None:
            self._cached = self.open().searcher()
        else:
            try:
                self._cached = self._cached.refresh()
            except OSError:  # the index folder was swapped for a rebuilt one
                self._cached = self.open().searcher()
        return self._cached

    def _postings(self, searcher) -> _Postings:
        if self._posting_arrays is None or self._posting_arrays.searcher is not searcher:
            self._posting_arrays = _Postings(searcher)
        return self._posting_arrays

    def _columns(self, searcher) -> dict[str, list]:
        if self._facet_columns is None or self._facet_columns[0] is not searcher:
            self._facet_columns = (searcher, _load_columns(searcher))
        return self._facet_columns[1]

    def close(self) -> None:
        with self._lock:
            if self._cached is not None:
                self._cached.close()
                self._cached = None

    def search(self, spec: QuerySpec) -> RawResults:
        """Run a query: the best `candidates` hits with payloads, the total, the query's terms and,
        when asked, facet counts over the whole result set."""
        import numpy as np
        from whoosh import query as Q
        from whoosh import sorting

        with self._lock:
            searcher = self._searcher()
            schema = searcher.schema
            try:
                query = _parser(schema, spec.any_terms).parse(spec.text) if spec.text.strip() else Q.Every()
            except Exception as exc:  # Whoosh's parser is tolerant; anything it still rejects is syntax
                raise QuerySyntaxError(str(exc)) from None
            mask = Q.Or([_parser(schema, True).parse(word) for word in spec.exclude]) if spec.exclude else None
            flt = _filter_query(spec.filters)
            if isinstance(query, Q.Every) and flt is not None:
                query, flt = flt, None
            postings = self._postings(searcher)
            scored = postings.score(query) if spec.sort not in ("date", "date_asc") else None
            if scored is not None:
                matched, scores = scored
                for part, keep in ((flt, True), (mask, False)):
                    if part is not None:
                        inside = np.isin(matched, postings.docs(part), assume_unique=True)
                        matched, scores = matched[inside == keep], scores[inside == keep]
                best = np.lexsort((matched, -scores))[:spec.candidates]  # ties: lower docnum first, as Whoosh
                candidates = [Candidate(_payload(searcher.stored_fields(int(matched[i]))["payload"]), float(scores[i]))
                              for i in best]
            else:
                sortedby = sorting.FieldFacet("date", reverse=spec.sort == "date") if spec.sort in ("date", "date_asc") else None
                results = searcher.search(query, limit=spec.candidates, filter=flt, mask=mask, sortedby=sortedby, terms=False)
                candidates = [Candidate(_payload(hit["payload"]), float(hit.score or 0.0)) for hit in results]
                matched = postings.docs(query)
                if flt is not None:
                    matched = np.intersect1d(matched, postings.docs(flt), assume_unique=True)
                if mask is not None:
                    matched = np.setdiff1d(matched, postings.docs(mask), assume_unique=True)
            facets = _facets(self._columns(searcher), matched.tolist()) if spec.facets else {}
            terms = {text.decode("utf-8") if isinstance(text, bytes) else str(text)
                     for _fieldname, text in query.iter_all_terms() if text is not None}
            return RawResults(total=int(len(matched)), candidates=candidates, terms=terms, facets=facets)

    def warm(self) -> None:
        """Open the searcher and read what every search needs (facet columns, field lengths), so that
        the first search typed does not pay for it."""
        from pcp_search.schema import SEARCH_FIELD

        with self._lock:
            searcher = self._searcher()
            self._columns(searcher)
            self._postings(searcher).lengths(SEARCH_FIELD)

    def get(self, record_id: str) -> dict | None:
        with self._lock:
            stored = self._searcher().document(id=record_id)
            return _payload(stored["payload"]) if stored else None

    def section_text(self, record: dict) -> str | None:
        """The full text of the section a record belongs to (None when the index has not kept it)."""
        try:
            data = json.loads(_doc_file(self.dir / DOCS, record.get("path", "")).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        for section in data.get("sections", []):
            if section.get("label") == record.get("section"):
                return section.get("text")
        return None

    def word_count(self, word: str) -> int:
        """How many records hold this exact (unstemmed) word."""
        return self.vocabulary().get(word.lower(), 0)

    def stem_found(self, word: str) -> bool:
        """True when the searched field holds the word's stem (so a search for it finds records)."""
        counts = self._stem_counts(word)
        return bool(counts) and all(counts)

    def common_words(self, words: list[str], share: float) -> set[str]:
        """The words (as typed) whose stem is in more than `share` of all records."""
        with self._lock:
            total = max(1, self._searcher().doc_count())
        return {w for w in words if any(count > share * total for count in self._stem_counts(w))}

    def _stem_counts(self, word: str) -> list[int]:
        """How many records hold each stem the searched field makes of `word`."""
        from pcp_search.schema import SEARCH_FIELD

        with self._lock:
            reader = self._searcher().reader()
            return [reader.doc_frequency(SEARCH_FIELD, stem) for stem, _s, _e in analyze(word)]

    def suggest_words(self, word: str, limit: int = 8) -> list[tuple[str, int]]:
        """Index words within two edits of `word`, closest and commonest first, with their counts."""
        word = word.lower()
        candidates = []
        for other, count in self.vocabulary().items():
            if abs(len(other) - len(word)) > 2 or other[:1] != word[:1] and other[1:2] != word[1:2]:
                continue
            distance = edit_distance(word, other, limit=2)
            if distance <= 2:
                candidates.append((distance, -count, other))
        return [(other, -negcount) for _d, negcount, other in sorted(candidates)[:limit]]


def _commit(writer, segments: list) -> None:
    """Whoosh's SegmentWriter.commit, plus finished segments from other writers (as its own
    multi-process writer does): one new table of contents holds them all, or none if this fails."""
    if not segments:
        writer.commit()
        return
    kept = writer._merge_segments(None, False, True)  # small old segments are merged, as commit() does
    if writer._added:
        kept.append(writer._finalize_segment())
    else:
        writer._close_segment()
    writer._commit_toc(kept + segments)
    writer._finish()


class SegmentBuilder:
    """Writes records into a new segment of the index without taking its lock, for an indexing worker;
    `finish` returns the segment for the lock holder's writer to `adopt`. Until then nothing is visible,
    and an unadopted segment's files are removed by the next commit."""

    def __init__(self, index_dir: Path) -> None:
        from whoosh.writing import SegmentWriter

        self._writer = SegmentWriter(Store(index_dir).open(), _lk=False)
        self._writer.pool = _TermPool()  # in place of Whoosh's sorting pool

    def add(self, fields: dict) -> None:
        self._writer.add_document(**fields)

    def full(self) -> bool:
        """True once the segment holds enough postings that it should be finished (memory)."""
        return self._writer.pool.count >= SEGMENT_POSTINGS

    def finish(self):
        return self._writer._finalize_segment()  # (the temp folder is shared: the lock holder removes it)


SEGMENT_POSTINGS = 2_000_000  # a worker's segment is finished past this (~250 MB of pooled postings)


class _TermPool:
    """A worker's postings grouped by term as they come, in place of Whoosh's sorting pool (which
    sorts every posting, and spills sorted runs to disk past its memory limit): documents are added
    in order, so each term's postings already are; only the terms are sorted when the segment is
    written. Memory is bounded by the batch size, split between the workers, and by SEGMENT_POSTINGS
    (a worker finishes its segment and starts another past it)."""

    def __init__(self) -> None:
        self.terms: dict[tuple[str, bytes], list] = {}
        self.fieldnames: set[str] = set()
        self.count = 0

    def add(self, item) -> None:
        fieldname, text, docnum, weight, value = item
        self.count += 1
        postings = self.terms.get((fieldname, text))
        if postings is None:
            self.terms[(fieldname, text)] = [(docnum, weight, value)]
            self.fieldnames.add(fieldname)
        else:
            postings.append((docnum, weight, value))

    def iter_postings(self):
        for key in sorted(self.terms):
            fieldname, text = key
            for docnum, weight, value in self.terms[key]:
                yield fieldname, text, docnum, weight, value

    def cleanup(self) -> None:
        self.terms = {}


class _Writer:
    """The few writer operations the indexer needs."""

    def __init__(self, writer, docs_dir: Path) -> None:
        self._writer = writer
        self._docs = docs_dir
        self.vocabulary_change: Counter = Counter()
        self.segments: list = []

    def lock_handles(self) -> list[int]:
        """The open file handles that hold the index's write lock (a forked worker closes its copies)."""
        fd = getattr(getattr(self._writer, "writelock", None), "fd", None)
        return [fd] if isinstance(fd, int) else []

    def adopt(self, segment) -> None:
        """A segment a `SegmentBuilder` finished: it becomes part of the index when this writer commits."""
        self.segments.append(segment)

    def save_document(self, path: str, kept: str, words: dict[str, int]) -> None:
        """Keep a document's sections and words (`kept_document`, made by the indexing worker) beside
        the index, for `show`, the TUI's full view and "did you mean"; a later delete subtracts the
        words again."""
        self._docs.mkdir(exist_ok=True)
        _atomic_write(_doc_file(self._docs, path), kept)
        self.vocabulary_change.update(words)

    def add(self, fields: dict) -> None:
        """Add one record, as `record_fields` made it."""
        self._writer.add_document(**fields)

    def delete_path(self, path: str) -> int:
        kept = _doc_file(self._docs, path)
        try:
            self.vocabulary_change.subtract(json.loads(kept.read_text(encoding="utf-8")).get("words", {}))
        except (OSError, ValueError):
            pass
        kept.unlink(missing_ok=True)
        return self._writer.delete_by_term("path", path)


def _payload(stored: str) -> dict:
    """A record as stored (see record_fields), whole again."""
    record = json.loads(stored)
    if "text" not in record:
        record["text"] = qa_text(record.get("question") or "", record.get("answer"))
    return record


def kept_document(document: str, sections: list[dict], words: dict[str, int]) -> str:
    return json.dumps({"document": document, "sections": sections, "words": words}, ensure_ascii=False)


_BODY = None


def record_fields(record: Record, path: str, entity_names: str = "") -> dict:
    """A record as Whoosh fields, ready for the writer: the searched text already analyzed into
    postings (this runs in the indexing workers, so the one writer process only files them), and the
    full record as the stored JSON payload."""
    global _BODY
    if _BODY is None:
        from pcp_search.schema import SEARCH_FIELD, build_schema

        _BODY = build_schema()[SEARCH_FIELD]
    payload = record.to_json()
    payload.pop("content_hash", None)
    payload["path"] = path
    if record.question is not None and record.text == qa_text(record.question, record.answer):
        del payload["text"]  # a pair's text is its question and answer: stored once, put back by _payload
    ids = list(dict.fromkeys(e.id for e in record.entities if e.label not in RULE_LABELS))
    return {
        "id": record.id,
        "path": path,
        "document": record.document,
        "kind": record.kind,
        "date": record.date or "",
        "year": int(record.date[:4]) if record.date else 0,
        "body": _BODY.postings("\n".join(p for p in (record.title, record.section, record.question, record.text, entity_names)
                                         if p)),
        "asked_by": record.asked_by or "",
        "answered_by": record.answered_by or "",
        "entities": ",".join(ids),
        "entity_ids": ",".join(ids).encode("utf-8"),
        "_boost": QA_BOOST if record.kind == "qa" else 1.0,
        "payload": json.dumps(payload, ensure_ascii=False),
    }


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """Levenshtein distance; stops early (returning limit + 1) once it must exceed `limit`."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if limit is not None and min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _doc_file(folder: Path, path: str) -> Path:
    import hashlib

    return folder / (hashlib.sha1(path.encode("utf-8")).hexdigest() + ".json")


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)




class _Postings:
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
        self._live = None

    # -- postings ---------------------------------------------------------------------------------
    def term(self, fieldname: str, text: str):
        """(docnums, weights) of a term over the whole index, docnums ascending."""
        import numpy as np

        key = (fieldname, text)
        found = self._terms.pop(key, None)
        if found is None:
            ids, weights = [], []
            for reader, offset in self.leaves:
                if (fieldname, text) in reader:
                    seg_ids, seg_weights = _segment_postings(reader, fieldname, text)
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
        import numpy as np
        from whoosh.util.numeric import byte_to_length

        if fieldname not in self._lengths:
            table = np.array([byte_to_length(i) for i in range(256)], dtype=np.float64)
            parts = []
            for reader, _offset in self.leaves:
                count = reader.doc_count_all()
                raw = np.zeros(count, np.uint8)
                encoded = _length_bytes(reader._perdoc, fieldname) or b""
                raw[:min(count, len(encoded))] = np.frombuffer(encoded, np.uint8)[:count]
                parts.append(table[raw])
            self._lengths[fieldname] = np.concatenate(parts) if parts else np.zeros(0)
        return self._lengths[fieldname]

    # -- matching and scoring -----------------------------------------------------------------------
    def docs(self, node):
        """The docnums a query matches (ascending), without scoring."""
        import numpy as np
        from whoosh import query as Q

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
        import numpy as np

        if fieldname not in self._columns:
            values: list = []
            for reader, _offset in self.leaves:
                if reader.doc_count_all():
                    values.extend(reader.column_reader(fieldname))
            self._columns[fieldname] = np.array(values, dtype=str)
        return self._columns[fieldname]

    def live(self):
        """True for every document not deleted."""
        import numpy as np

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
        import numpy as np
        from whoosh import query as Q

        if type(node) is Q.Term:
            field = self.searcher.schema[node.fieldname] if node.fieldname in self.searcher.schema else None
            if field is None or not field.scorable:
                return None
            ids, weights = self.term(node.fieldname, node.text)
            if not len(ids):  # (an empty index has no idf to take)
                return ids, np.zeros(0, np.float64)
            weighting = self.searcher.weighting
            b, k1 = weighting._field_B.get(node.fieldname, weighting.B), weighting.K1
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


def _segment_postings(reader, fieldname: str, text):
    """A segment's (docnums, weights) of a term, a block at a time, deleted documents left out."""
    import numpy as np
    from whoosh.codec.whoosh3 import W3LeafMatcher
    from whoosh.matching.wrappers import FilterMatcher

    matcher = reader.postings(fieldname, text)
    if isinstance(matcher, FilterMatcher):  # the segment has deletions: taken away below
        matcher = matcher.child
    if isinstance(matcher, W3LeafMatcher) and not matcher._byteids:
        # each block's data is (docnum deltas, weights or one weight or None for all 1.0, ...):
        # decoded with numpy rather than Whoosh's per-posting generators
        id_blocks, weight_blocks = [], []
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            deltas, weights = matcher._data[0], matcher._data[1]
            id_blocks.append(np.cumsum(np.asarray(deltas, dtype=np.int64)))
            count = len(deltas)
            if weights is None:
                weight_blocks.append(np.ones(count))
            elif isinstance(weights, float):
                weight_blocks.append(np.full(count, weights))
            else:
                weight_blocks.append(np.asarray(weights, dtype=np.float64))
            matcher._next_block()
        docnums = np.concatenate(id_blocks) if id_blocks else np.zeros(0, np.int64)
        values = np.concatenate(weight_blocks) if weight_blocks else np.zeros(0)
    else:  # postings kept inline in the term's entry: a handful, read one by one
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        docnums = np.array(ids, dtype=np.int64)
        values = np.array(weights, dtype=np.float64)
    if reader.has_deletions():
        keep = ~np.isin(docnums, np.fromiter(reader.deleted_docs_set, np.int64))
        docnums, values = docnums[keep], values[keep]
    return docnums, values


def _facets(columns: dict[str, list], docnums) -> dict[str, dict[str, int]]:
    """Counts by kind, year, document and entity over every matched record."""
    from itertools import chain

    counts = {name: Counter(map(columns[name].__getitem__, docnums)) for name in ("kind", "year", "document")}
    counts["entities"] = Counter(chain.from_iterable(map(columns["entities"].__getitem__, docnums)))
    return {name: {str(k): v for k, v in counter.most_common()} for name, counter in counts.items()}


def _load_columns(searcher) -> dict[str, list]:
    """The facet columns of the whole index as lists indexed by docnum (read once per index version)."""
    columns: dict[str, list] = {"kind": [], "year": [], "document": [], "entities": []}
    for subsearcher, _offset in searcher.leaf_searchers():
        reader = subsearcher.reader()
        if not reader.doc_count_all():
            continue  # an empty index has no columns to read
        for name in ("kind", "year", "document"):
            columns[name].extend(reader.column_reader(name))
        for raw in reader.column_reader("entity_ids"):
            text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            columns["entities"].append(tuple(i for i in text.split(",") if i))
    return columns


def _parser(schema, any_terms: bool):
    from whoosh import qparser

    from pcp_search.schema import SEARCH_FIELD

    group = qparser.OrGroup if any_terms else qparser.AndGroup
    parser = qparser.QueryParser(SEARCH_FIELD, schema, group=group)
    parser.remove_plugin_class(qparser.FieldsPlugin)  # field filters are ours, not Whoosh's
    parser.remove_plugin_class(qparser.BoostPlugin)
    return parser


def _filter_query(filters: Filters):
    from whoosh import query as Q

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
    if filters.since or filters.until:
        parts.append(Q.TermRange("date", filters.since or "0000", filters.until or "9999"))
    if filters.exclude_ids:
        parts.append(Q.Not(Q.Or([Q.Term("id", i) for i in filters.exclude_ids])))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Q.And(parts)


_ANALYZER = None
STOP_WORDS = frozenset({"a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "have", "if", "in", "is", "it",
                        "may", "not", "of", "on", "or", "tbd", "that", "the", "this", "to", "us", "we", "when", "will",
                        "with", "yet", "you", "your"})  # the index's analyzer drops these


def analyzer():
    global _ANALYZER
    if _ANALYZER is None:
        from whoosh.analysis import StemmingAnalyzer

        _ANALYZER = StemmingAnalyzer(stoplist=None)
    return _ANALYZER


def analyze(text: str) -> list[tuple[str, int, int]]:
    """(stem, start, end) for every token the index would see in `text` (stop words included)."""
    return [(t.text, t.startchar, t.endchar) for t in analyzer()(text, chars=True, removestops=False)]


