"""Writing the index: the lock holder's writer (records, deletions, kept documents, adopted
segments) and the segment builders of the indexing workers."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from pcp_search.engine import internals
from pcp_search.engine.files import atomic_write, doc_file

SEGMENT_POSTINGS = 2_000_000  # a worker's segment is finished past this (~250 MB of pooled postings)


class Writer:
    """The few writer operations the indexer needs; `Store.writer` commits them together."""

    def __init__(self, writer: internals.IndexWriter, docs_dir: Path) -> None:
        self._writer = writer
        self._docs = docs_dir
        self.vocabulary_change: Counter = Counter()
        self.segments: list = []

    def lock_handles(self) -> list[int]:
        """The open file handles that hold the index's write lock (a forked worker closes its copies)."""
        return self._writer.lock_handles()

    def adopt(self, segment) -> None:
        """A segment a `SegmentBuilder` finished: it becomes part of the index when this writer commits."""
        self.segments.append(segment)

    def save_document(self, path: str, kept: str, words: dict[str, int]) -> None:
        """Keep a document's sections and words (`kept_document`, made by the indexing worker) beside
        the index, for `show`, the TUI's full view and "did you mean"; a later delete subtracts the
        words again."""
        self._docs.mkdir(exist_ok=True)
        atomic_write(doc_file(self._docs, path), kept)
        self.vocabulary_change.update(words)

    def add(self, fields: dict) -> None:
        """Add one record, as `record_fields` made it."""
        self._writer.add_document(**fields)

    def delete_path(self, path: str) -> int:
        kept = doc_file(self._docs, path)
        try:
            self.vocabulary_change.subtract(json.loads(kept.read_text(encoding="utf-8")).get("words", {}))
        except (OSError, ValueError):
            pass
        kept.unlink(missing_ok=True)
        return self._writer.delete_by_term("path", path)

    def commit(self) -> None:
        self._writer.commit_with(self.segments)

    def cancel(self) -> None:
        self._writer.cancel()


class SegmentBuilder:
    """Writes records into a new segment of the index without taking its lock, for an indexing worker;
    `finish` returns the segment for the lock holder's writer to `adopt`. Until then nothing is visible,
    and an unadopted segment's files are removed by the next commit."""

    def __init__(self, ix) -> None:
        self._writer = internals.IndexWriter(ix, lock=False)
        self._writer.pool = internals.TermPool()  # in place of Whoosh's sorting pool

    def add(self, fields: dict) -> None:
        self._writer.add_document(**fields)

    def full(self) -> bool:
        """True once the segment holds enough postings that it should be finished (memory)."""
        return self._writer.pool.count >= SEGMENT_POSTINGS

    def finish(self):
        return self._writer.finish_segment()
