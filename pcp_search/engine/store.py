"""The index folder: Whoosh's segments, `manifest.json` (file -> content hash), `entities.json`, the
parameters it was built with (`params.index.json`), the words for "did you mean" and the documents'
kept sections; writing with incremental updates, and reading through QuerySpec / RawResults."""

from __future__ import annotations

import json
import os
import pickle
import struct
import threading
import zlib
from collections import Counter
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
from pcp_search.engine.vocabulary import Vocabulary, words_of
from pcp_search.engine.writing import SegmentBuilder, Writer
from pcp_search.models import qa_text
from pcp_search.spec import IndexBusy, IndexDamaged, IndexMissing, IndexUnusable, QuerySpec, RawResults

INDEX_NAME = "pcp"
MANIFEST = "manifest.json"
PARAMS = "params.index.json"
REGISTRY = "entities.json"
DOCS = "docs"
VOCABULARY = "words.json"  # word -> how many records hold it, for "did you mean"
# what reading a damaged segment or table of contents raises (a missing file is an OSError)
DAMAGE = (EOFError, pickle.UnpicklingError, struct.error, zlib.error, ValueError, KeyError, IndexError, OSError,
          AttributeError, TypeError, MemoryError)


class Store:
    """The index folder, for the indexer (writing) and the search layer (reading)."""

    def __init__(self, index_dir: str | Path) -> None:
        self.dir = Path(index_dir)
        self._cached = None
        self._facet_columns = None
        self._posting_arrays: Postings | None = None
        self._vocabulary = Vocabulary(self.dir / VOCABULARY, derive=lambda: self.derived()["words"])
        self._lock = threading.RLock()
        self._opened: tuple[int, int] | None = None  # (folder inode, generation) of the cached searcher
        self._derived: tuple[int, dict] | None = None
        self.notices: list[str] = []  # one line for each of the index's own files rebuilt from the index

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
            self._check_segments(ix)
        except PermissionError as exc:
            raise IndexUnusable(f"cannot read the index at {self.dir}/: {exc.strerror}") from None
        except DAMAGE as exc:
            raise self.damaged(exc) from None
        return ix

    def damaged(self, exc: BaseException) -> IndexDamaged:
        detail = f"{type(exc).__name__}: {exc}".splitlines()[0][:120]
        return IndexDamaged(f"index damaged: {self.dir}/ cannot be read ({detail}) — run `pcp-search index --force`")

    def _check_segments(self, ix) -> None:
        """Each segment file as large as it was written (the manifest notes the sizes at each commit)."""
        manifest = self._read_json(MANIFEST)
        if not isinstance(manifest, dict) or manifest.get("generation") != ix.latest_generation():
            return
        for name, size in (manifest.get("segments") or {}).items():
            if os.stat(self.dir / name).st_size != size:
                raise EOFError(f"{name} is {os.stat(self.dir / name).st_size} bytes, written as {size}")

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
        atomic_write(self.dir / PARAMS, json.dumps(index_params(), indent=1))
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

    # -- the files beside the engine's ---------------------------------------------------------------
    def manifest(self) -> dict:
        """Indexed files with their content hashes and record names, as of the index's current
        generation: when `manifest.json` is missing, broken or older than the index (a run stopped
        between its commit and the manifest), it is rebuilt from the index's stored records."""
        data = self._read_json(MANIFEST)
        generation = self.generation()
        if isinstance(data, dict) and data.get("version") == FORMAT_VERSION and data.get("generation") == generation \
                and isinstance(data.get("files"), dict):
            return data
        data = {"version": FORMAT_VERSION, "generation": generation, "files": {}}
        if generation >= 0:
            data["files"] = self.derived()["files"]
            if data["files"]:
                self.notices.append(f"{MANIFEST} was missing or out of date: rebuilt from the index "
                                    f"({len(data['files'])} files)")
        return data

    def manifest_current(self) -> bool:
        data = self._read_json(MANIFEST)
        return isinstance(data, dict) and data.get("generation") == self.generation()

    def compatible(self) -> bool:
        """False when the index was built by a pcp-search with another format or other parameters.
        Lost parameters are judged by the index's fields (and written again when they match)."""
        manifest = self._read_json(MANIFEST)
        if isinstance(manifest, dict) and manifest.get("version") != FORMAT_VERSION:
            return False
        params = self._read_json(PARAMS)
        if params is not None:
            return params == index_params()
        try:
            same = sorted(self.open().schema.names()) == sorted(build_schema().names())
        except IndexDamaged:
            return True  # (damage is reported as such, not as another format)
        if same:
            atomic_write(self.dir / PARAMS, json.dumps(index_params(), indent=1))
        return same

    def _read_json(self, name: str):
        try:
            return json.loads((self.dir / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def save_manifest(self, data: dict) -> None:
        """The manifest, stamped with the index's generation and its segments' sizes (written last
        after a commit: a current manifest means the files saved before it are current too)."""
        ix = index.open_dir(str(self.dir), indexname=INDEX_NAME)
        data["generation"] = ix.latest_generation()
        data["segments"] = {name: os.stat(self.dir / name).st_size for name in internals.segment_files(ix)}
        atomic_write(self.dir / MANIFEST, json.dumps(data, indent=1, ensure_ascii=False))

    def words_readable(self) -> bool:
        return self._vocabulary.read() is not None

    def save_words(self, words: dict[str, int]) -> None:
        self._vocabulary.save(words)

    def derived(self) -> dict:
        """What the index's stored records say of themselves: `files` (path -> sha, size, records,
        name), `learned` (the tagger's learned entities, file by file in path order) and `words`."""
        generation = self.generation()
        if self._derived is None or self._derived[0] != generation:
            files: dict[str, dict] = {}
            learned: dict[str, list] = {}
            words: Counter = Counter()
            with self._lock:
                searcher = self._searcher()
                texts = []
                for stored in searcher.all_stored_fields():
                    record = json.loads(stored["payload"])
                    path = record["path"]
                    entry = files.setdefault(path, {"sha": "", "size": 0, "records": 0,
                                                    "name": record["id"].rsplit("#", 1)[0]})
                    entry["records"] += 1
                    source = record.get("source")
                    if source:
                        entry["sha"], entry["size"] = source.get("sha", ""), source.get("size", 0)
                        learned[path] = source.get("learned", [])
                    texts.append(record.get("text") or qa_text(record.get("question") or "", record.get("answer")))
                words = words_of(texts)
            self._derived = (generation, {"files": files, "learned": [row for path in sorted(learned) for row in learned[path]],
                                          "words": dict(words)})
        return self._derived[1]

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
            try:
                return reading.run(searcher, self._postings(searcher), lambda: self._columns(searcher), spec)
            except (EOFError, pickle.UnpicklingError, struct.error, zlib.error) as exc:
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
