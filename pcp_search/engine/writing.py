"""Writing the index: the lock holder's writer (records, deletions, kept documents, adopted
segments) and the segment builders of the indexing workers."""

from __future__ import annotations

import errno
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pcp_search.engine import internals
from pcp_search.engine.files import doc_file, write_kept
from pcp_search.engine.reading import records_of
from pcp_search.engine.vocabulary import words_of

if TYPE_CHECKING:
    from whoosh.searching import Searcher

_LEFT_FOR_EXIT: list = []  # a worker's last postings (see SegmentBuilder.finish: only in a forked worker process)
SEGMENT_POSTINGS = 2_000_000  # a worker's segment is finished past this (~250 MB of pooled postings)


class Writer:
    """The few writer operations the indexer needs; `Store.writer` commits them together."""

    def __init__(self, writer: internals.IndexWriter, docs_dir: Path, on_commit=None) -> None:
        self._writer = writer
        self._docs = docs_dir
        self._on_commit = on_commit  # given the vocabulary's change once the commit is made
        self._done = False
        self.vocabulary_change: Counter = Counter()
        self.segments: list = []
        self._committed: Searcher | None = None  # a searcher of the index as the writer found it (for deletions' words)
        self._committed_record: Callable[[int], dict] | None = None  # its records by number (`records_of`)
        self._committed_paths: set[str] = set()  # every path it holds a record of (or held: until a merge)

    def lock_handles(self) -> list[int]:
        """The open file handles that hold the index's write lock (a forked worker closes its copies)."""
        return self._writer.lock_handles()

    def adopt(self, segment) -> None:
        """A segment a `SegmentBuilder` finished: it becomes part of the index when this writer commits."""
        self.segments.append(segment)

    def save_document(self, path: str, kept: bytes) -> None:
        """Keep a document's sections (`kept_document`, made by the indexing worker) beside the index,
        for `show` and the TUI's full view. (Its words, for "did you mean", are added to
        `vocabulary_change` by whoever read it; a later delete subtracts them again.)"""
        self._docs.mkdir(exist_ok=True)
        write_kept(doc_file(self._docs, path), kept)

    def add(self, fields: dict) -> None:
        """Add one record, as `record_fields` made it."""
        self._writer.add_document(**fields)

    def delete_path(self, path: str) -> int:
        """Delete a file's records; their words are taken from the records themselves (not from the
        kept document, which may be missing), so the vocabulary cannot drift from the index."""
        if self._committed is None or self._committed_record is None:
            self._committed = self._writer.searcher()
            self._committed_record = records_of(self._committed)
            self._committed_paths = set(self._committed.reader().field_terms("path"))
        # (a path the index never held needs no search: most of a run's files are new to it)
        numbers = list(self._committed.document_numbers(path=path)) if path in self._committed_paths else []
        if not numbers:
            doc_file(self._docs, path).unlink(missing_ok=True)
            return 0
        texts = [self._committed_record(n)["text"] for n in numbers]
        self.vocabulary_change.subtract(words_of(texts))
        doc_file(self._docs, path).unlink(missing_ok=True)
        return self._writer.delete_by_term("path", path)

    def close(self) -> None:
        if self._committed is not None:
            self._committed.close()
            self._committed = self._committed_record = None

    def finish(self) -> None:
        """Commit (once): the records, deletions and adopted segments in one new table of contents."""
        if self._done:
            return
        if os.environ.get("PCP_SEARCH_TEST_FAULT") == "enospc":  # (the fault tests' full disk)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._writer.commit_with(self.segments)
        self._done = True
        if self._on_commit:
            self._on_commit(self.vocabulary_change)

    def cancel(self) -> None:
        if not self._done:
            self._done = True
            self._writer.cancel()


class SegmentBuilder:
    """Writes records into a new segment of the index without taking its lock, for an indexing worker;
    `finish` returns the segment for the lock holder's writer to `adopt`. Until then nothing is visible,
    and an unadopted segment's files are removed by the next commit."""

    def __init__(self, ix) -> None:
        self._writer = internals.IndexWriter(ix, lock=False)
        self._writer.pool = internals.TermPool()  # in place of Whoosh's sorting pool

    def add(self, fields: dict) -> None:
        self._writer.add_fields(fields)

    def full(self) -> bool:
        """True once the segment holds enough postings that it should be finished (memory)."""
        return self._writer.pool.count >= SEGMENT_POSTINGS

    def finish(self, last: bool = False):
        """The finished segment. With `last` (the worker's process ends next), its postings are left for
        the exit to drop: freeing half a million of them one by one took 0.1-0.4 s a segment."""
        if last:
            _LEFT_FOR_EXIT.append(self._writer.pool.fields)
        return self._writer.finish_segment()
