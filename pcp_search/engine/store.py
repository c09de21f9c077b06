"""The index folder: Whoosh's segments, `manifest.json` (file -> content hash), `entities.json`, the
parameters it was built with (`params.index.json`), the words for "did you mean" and the documents'
kept sections; writing with incremental updates, and reading through QuerySpec / RawResults."""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from pathlib import Path

from whoosh import index
from whoosh.index import LockError

from pcp_search.engine import internals, reading
from pcp_search.engine.analysis import analyze
from pcp_search.engine.files import atomic_write, doc_file
from pcp_search.engine.records import FORMAT_VERSION, index_params, payload
from pcp_search.engine.schema import SEARCH_FIELD, build_schema
from pcp_search.engine.scoring import Postings
from pcp_search.engine.vocabulary import Vocabulary
from pcp_search.engine.writing import SegmentBuilder, Writer
from pcp_search.spec import IndexBusy, IndexMissing, QuerySpec, RawResults

INDEX_NAME = "pcp"
MANIFEST = "manifest.json"
PARAMS = "params.index.json"
REGISTRY = "entities.json"
DOCS = "docs"
VOCABULARY = "words.json"  # word -> how many records hold it, for "did you mean"


class Store:
    """The index folder, for the indexer (writing) and the search layer (reading)."""

    def __init__(self, index_dir: str | Path) -> None:
        self.dir = Path(index_dir)
        self._cached = None
        self._facet_columns = None
        self._posting_arrays: Postings | None = None
        self._vocabulary = Vocabulary(self.dir / VOCABULARY)
        self._lock = threading.RLock()

    def exists(self) -> bool:
        return self.dir.is_dir() and index.exists_in(str(self.dir), indexname=INDEX_NAME)

    def open(self):
        if not self.exists():
            raise IndexMissing(f"index not found at {self.dir}/: run `pcp-search index` first")
        return index.open_dir(str(self.dir), indexname=INDEX_NAME)

    def create_if_missing(self):
        if self.exists():
            return self.open()
        self.dir.mkdir(parents=True, exist_ok=True)
        atomic_write(self.dir / PARAMS, json.dumps(index_params(), indent=1))
        return index.create_in(str(self.dir), build_schema(), indexname=INDEX_NAME)

    # -- writing ----------------------------------------------------------------------------------
    @contextmanager
    def writer(self, limitmb: int = 256):
        """A writer that commits on success and cancels on error (the last commit stays). Segments
        written by `segment_builder`s and handed to `adopt` join the index in the same commit."""
        ix = self.create_if_missing()
        try:
            wrapped = Writer(internals.IndexWriter(ix, limitmb=limitmb), self.dir / DOCS)
        except LockError:
            raise IndexBusy(f"the index at {self.dir}/ is being written by another `pcp-search index` run; "
                            "try again when it ends") from None
        try:
            yield wrapped
        except BaseException:
            wrapped.cancel()
            raise
        else:
            wrapped.commit()
            self._vocabulary.update(wrapped.vocabulary_change)
        finally:
            ix.close()

    def segment_builder(self) -> SegmentBuilder:
        """A new segment for an indexing worker, written without the lock (see `Writer.adopt`)."""
        return SegmentBuilder(self.open())

    # -- the files beside the engine's ---------------------------------------------------------------
    def manifest(self) -> dict:
        """Indexed files with their content hashes (empty for an index of another format)."""
        data = self._read_json(MANIFEST)
        if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
            return {"version": FORMAT_VERSION, "files": {}}
        return data

    def compatible(self) -> bool:
        """False when the index was built by a pcp-search with another format or other parameters."""
        manifest = self._read_json(MANIFEST)
        return isinstance(manifest, dict) and manifest.get("version") == FORMAT_VERSION \
            and self._read_json(PARAMS) == index_params()

    def _read_json(self, name: str):
        try:
            return json.loads((self.dir / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def save_manifest(self, data: dict) -> None:
        atomic_write(self.dir / MANIFEST, json.dumps(data, indent=1, ensure_ascii=False))

    def registry_path(self) -> Path:
        return self.dir / REGISTRY

    def section_text(self, record: dict) -> str | None:
        """The full text of the section a record belongs to (None when the index has not kept it)."""
        try:
            data = json.loads(doc_file(self.dir / DOCS, record.get("path", "")).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        for section in data.get("sections", []):
            if section.get("label") == record.get("section"):
                return section.get("text")
        return None

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
        return internals.speed_up(self._cached)

    def _postings(self, searcher) -> Postings:
        if self._posting_arrays is None or self._posting_arrays.searcher is not searcher:
            self._posting_arrays = Postings(searcher)
        return self._posting_arrays

    def _columns(self, searcher) -> dict[str, list]:
        if self._facet_columns is None or self._facet_columns[0] is not searcher:
            self._facet_columns = (searcher, reading.load_columns(searcher))
        return self._facet_columns[1]

    def close(self) -> None:
        with self._lock:
            if self._cached is not None:
                self._cached.close()
                self._cached = None

    def search(self, spec: QuerySpec) -> RawResults:
        """Run a query: the best `candidates` hits with payloads, the total, the query's terms and,
        when asked, facet counts over the whole result set."""
        with self._lock:
            searcher = self._searcher()
            return reading.run(searcher, self._postings(searcher), lambda: self._columns(searcher), spec)

    def warm(self) -> None:
        """Open the searcher and read what every search needs (facet columns, field lengths), so that
        the first search typed does not pay for it."""
        with self._lock:
            searcher = self._searcher()
            self._columns(searcher)
            self._postings(searcher).lengths(SEARCH_FIELD)

    def get(self, record_id: str) -> dict | None:
        with self._lock:
            stored = self._searcher().document(id=record_id)
            return payload(stored["payload"]) if stored else None

    def entity_counts(self) -> dict[str, int]:
        """How many records carry each entity id."""
        with self._lock:
            reader = self._searcher().reader()
            return {term.decode("utf-8") if isinstance(term, bytes) else term: reader.doc_frequency("entities", term)
                    for term in reader.lexicon("entities")}

    def document_count(self) -> int:
        with self._lock:
            return self._searcher().doc_count()

    # -- words ------------------------------------------------------------------------------------
    def word_count(self, word: str) -> int:
        """How many records hold this exact (unstemmed) word."""
        return self._vocabulary.count(word)

    def suggest_words(self, word: str, limit: int = 8) -> list[tuple[str, int]]:
        """Index words within two edits of `word`, closest and commonest first, with their counts."""
        return self._vocabulary.suggest(word, limit)

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
        with self._lock:
            reader = self._searcher().reader()
            return [reader.doc_frequency(SEARCH_FIELD, stem) for stem, _s, _e in analyze(word)]
