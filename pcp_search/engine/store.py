"""The index folder: Whoosh's segments opened, written with incremental updates and read through
QuerySpec / RawResults; the files pcp-search keeps beside them are `SideFiles` (sidefiles.py)."""

from __future__ import annotations

import os
import pickle
import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh import index
from whoosh.index import LockError

from pcp_search.engine import internals, reading
from pcp_search.engine.analysis import analyze
from pcp_search.engine.files import CompressedDataError
from pcp_search.engine.records import stored
from pcp_search.engine.schema import SEARCH_FIELD, build_schema
from pcp_search.engine.scoring import Postings
from pcp_search.engine.sidefiles import DOCS, SideFiles
from pcp_search.engine.writing import SegmentBuilder, Writer
from pcp_search.spec import IndexBusy, IndexDamaged, IndexMissing, IndexUnusable, QuerySpec, RawResults

INDEX_NAME = "pcp"
READ_DAMAGE = (EOFError, pickle.UnpicklingError, struct.error, zlib.error, CompressedDataError)  # a damaged record, block
# what reading a damaged segment or table of contents raises (a missing file is an OSError)
DAMAGE = (EOFError, pickle.UnpicklingError, struct.error, zlib.error, ValueError, KeyError, IndexError, OSError,
          AttributeError, TypeError, MemoryError)


class Store(SideFiles):
    """The index folder, for the indexer (writing) and the search layer (reading); its own files
    (manifest, parameters, entities, words, kept sections) are read and written by `SideFiles`."""

    def __init__(self, index_dir: str | Path) -> None:
        super().__init__(index_dir)
        self._cached = None
        self._made: tuple[object, dict[str, Any]] | None = None  # (searcher, what `_of` made of it)
        self._lock = threading.RLock()
        self._opened: tuple[int, int] | None = None  # (folder inode, generation) of the cached searcher

    def exists(self) -> bool:
        self.check_folder()
        return self.dir.is_dir() and index.exists_in(str(self.dir), indexname=INDEX_NAME)

    def check_folder(self) -> None:
        if self.dir.exists() and not self.dir.is_dir():
            raise IndexUnusable(f"{self.dir} is a file, not an index folder: name a folder with --index-dir "
                                "or PCP_SEARCH_INDEX")

    def open(self):
        if not self.exists():
            raise IndexMissing(f"index not found at {self.dir}/: run `pcp-search index` first")
        try:
            ix = index.open_dir(str(self.dir), indexname=INDEX_NAME)
            self.check_segment_sizes(ix.latest_generation())
        except PermissionError as exc:
            raise IndexUnusable(f"cannot read the index at {self.dir}/: {exc.strerror}") from None
        except DAMAGE as exc:
            raise self.damaged(exc) from None
        return ix

    def damaged(self, exc: BaseException) -> IndexDamaged:
        detail = f"{type(exc).__name__}: {exc}".splitlines()[0][:120]
        return IndexDamaged(f"index damaged: {self.dir}/ cannot be read ({detail}) — run `pcp-search index --force`")

    def generation(self) -> int:
        """The index's current generation (-1 when there is none): each commit adds one."""
        try:
            return internals.latest_generation(str(self.dir), INDEX_NAME) if self.exists() else -1
        except OSError as exc:
            raise self.damaged(exc) from None

    def create_if_missing(self):
        if self.exists():
            return self.open()
        self.dir.mkdir(parents=True, exist_ok=True)
        self.save_params()
        return index.create_in(str(self.dir), build_schema(), indexname=INDEX_NAME)

    # -- writing ----------------------------------------------------------------------------------
    @contextmanager
    def writer(self, limitmb: int = 256):
        """A writer that commits on success (or at its `finish`) and cancels on error (the last commit
        stays). Segments written by `segment_builder`s and handed to `adopt` join the index in the
        same commit; the vocabulary follows each commit."""
        ix = self.create_if_missing()
        try:
            wrapped = Writer(internals.IndexWriter(ix, limitmb=limitmb), self.dir / DOCS,
                             on_commit=self._vocabulary.update)
        except LockError:
            ix.close()
            raise IndexBusy(f"the index at {self.dir}/ is being written by another `pcp-search index` run; "
                            "try again when it ends") from None
        try:
            yield wrapped
        except READ_DAMAGE as exc:  # (a record that cannot be read, met deleting a changed file's records)
            wrapped.cancel()
            raise self.damaged(exc) from None
        except BaseException:
            wrapped.cancel()
            raise
        else:
            wrapped.finish()
        finally:
            wrapped.close()
            ix.close()

    def segment_builder(self) -> SegmentBuilder:
        """A new segment for an indexing worker, written without the lock (see `Writer.adopt`)."""
        return SegmentBuilder(self.open())

    # -- what the side files ask of the index --------------------------------------------------------
    def stored_records(self) -> Iterator[dict]:
        """Every record as stored, with its file's details (`source`) on one record of each file."""
        with self._lock:
            try:
                for value in reading.stored_values(self._searcher()):
                    yield stored(value)
            except READ_DAMAGE as exc:
                raise self.damaged(exc) from None

    def segment_sizes(self) -> tuple[int, dict[str, int]]:
        """The index's generation and the size of each of its segments' files."""
        ix = index.open_dir(str(self.dir), indexname=INDEX_NAME)
        return ix.latest_generation(), {name: os.stat(self.dir / name).st_size for name in internals.segment_files(ix)}

    def fields_match(self) -> bool:
        """True when the index has the fields this pcp-search builds (IndexDamaged when it cannot be read)."""
        return sorted(self.open().schema.names()) == sorted(build_schema().names())

    # -- reading ----------------------------------------------------------------------------------
    def _searcher(self):
        """One searcher kept open between calls and opened again when the index has changed: a new
        commit, or a rebuilt folder swapped in (whose generation may be the old one's)
        (callers hold `self._lock`: the TUI searches from worker threads)."""
        try:
            stamp = (os.stat(self.dir).st_ino, internals.latest_generation(str(self.dir), INDEX_NAME))
        except OSError:
            stamp = None
        if self._cached is None or stamp != self._opened:
            self.close()
            try:
                self._cached = internals.speed_up(internals.searcher(self.open()))
            except (IndexMissing, IndexDamaged, IndexUnusable):
                raise
            except DAMAGE as exc:
                raise self.damaged(exc) from None
            self._opened = stamp
        return self._cached

    def _of(self, searcher, what: str, make: Callable[[Any], Any]) -> Any:
        """What `make` makes of the searcher (its posting arrays, facet columns, record reader), made once
        and kept until the searcher is opened again."""
        if self._made is None or self._made[0] is not searcher:
            self._made = (searcher, {})
        made = self._made[1]
        if what not in made:
            made[what] = make(searcher)
        return made[what]

    def _postings(self, searcher) -> Postings:
        return self._of(searcher, "postings", Postings)

    def _records(self, searcher) -> Callable[[int], dict]:
        return self._of(searcher, "records", reading.records_of)  # (opening the column costs 1-2 ms a search)

    def _columns(self, searcher) -> dict[str, list]:
        return self._of(searcher, "columns", reading.load_columns)

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
            try:
                return reading.run(searcher, self._postings(searcher), lambda: self._columns(searcher),
                                   self._records(searcher), spec)
            except READ_DAMAGE as exc:
                raise self.damaged(exc) from None

    def warm(self) -> None:
        """Open the searcher and read what every search needs (facet columns, field lengths), so that
        the first search typed does not pay for it."""
        with self._lock:
            searcher = self._searcher()
            self._columns(searcher)
            self._postings(searcher).lengths(SEARCH_FIELD)

    def get(self, record_id: str) -> dict | None:
        with self._lock:
            searcher = self._searcher()
            docnum = searcher.document_number(id=record_id)
            try:
                return self._records(searcher)(docnum) if docnum is not None else None
            except READ_DAMAGE as exc:
                raise self.damaged(exc) from None

    def entity_counts(self) -> dict[str, int]:
        """How many records carry each entity id."""
        with self._lock:
            reader = self._searcher().reader()
            return {term.decode("utf-8") if isinstance(term, bytes) else term: reader.doc_frequency("entities", term)
                    for term in reader.lexicon("entities")}

    def panels(self) -> list[str]:
        """The names of the panels the index's records belong to."""
        with self._lock:
            return reading.panel_names(self._searcher().reader())

    def document_count(self) -> int:
        with self._lock:
            return self._searcher().doc_count()

    # -- stems ------------------------------------------------------------------------------------
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
