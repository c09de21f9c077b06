"""What indexing does with each file: read, parse, chunk and tag it, and (in a worker process) write its
records into a segment of the worker's own. `pcp_search.indexer` plans the run and commits."""

from __future__ import annotations

import gc
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import cast

from pcp_search.engine import Store, kept_document, record_fields
from pcp_search.engine.locking import RunLock
from pcp_search.engine.vocabulary import words_of
from pcp_search.entities.registry import Registry, entry_from_row
from pcp_search.models import Entity, Record
from pcp_search.naming import path_key
from pcp_search.pool import run_workers
from pcp_search.spec import RULE_LABELS

MAX_ALIASES = 4
YOUNG_EVERY = 16  # a worker collects the young objects after every this many files (see `_work`),
LARGE_FILE = 1 << 20  # and after each file of this many bytes or more (a PDF read by pypdf leaves MBs in cycles)


@dataclass
class FileResult:
    """What parsing and tagging one file produced (or why it was skipped)."""

    path: str
    sha: str
    size: int
    fields: list[dict] = field(default_factory=list)  # each record as the writer takes it
    kinds: Counter = field(default_factory=Counter)
    kept: bytes = b""  # the document's sections, kept beside the index (compressed)
    learned: list[dict] = field(default_factory=list)
    error: str | None = None
    name: str = ""  # the prefix of its record ids


@dataclass
class Job:
    """A file to read: where it is, its key and record name, and its hash and size when listed."""

    path: str
    key: str
    name: str
    sha: str
    size: int


# -- parsing, tagging and segment writing, in worker processes when there is enough to do -------------
_TAGGER = None  # the tagger of this run: built once in the main process, inherited by forked workers


def _main_tagger(registry: Registry):
    """The run's tagger, on a copy of the registry (tagging adds to it). Built once here rather than in
    each worker of each batch: forked workers share it, and it learns what every worker learned."""
    global _TAGGER
    import pcp_search.chunk
    import pcp_search.ingest
    import pcp_search.parse.document  # noqa: F401 - (the reader and parser too: loaded once, not by each worker)
    from pcp_search.entities.tagger import Tagger

    _TAGGER = Tagger(Registry([entry_from_row(row) for row in registry.to_json()]))
    return _TAGGER


def _process_all(batch: list[Job], workers: int | None, index_dir: Path, writer,
                 lock: RunLock) -> Iterator[tuple[int, FileResult]]:
    """Each file's result (with its number in the batch) as it is done. With several workers, each one
    parses, tags and also writes its records into a segment of its own (Whoosh's writing is most of the
    work and one process cannot keep up); the segments go to `writer`, whose commit makes them part of
    the index together with the deletions of the files' older versions. The words of the files read
    are added to the writer's `vocabulary_change` (by each worker, sent with its last segment)."""
    workers = min(workers or os.cpu_count() or 1, len(batch))
    if workers <= 1 or len(batch) < 3:
        for number, job in enumerate(batch):
            yield number, _process_one(job, writer.vocabulary_change)
        return
    fds = [*writer.lock_handles(), *([lock.fd] if lock.fd is not None else [])]
    work = partial(_work, batch=batch, index_dir=str(index_dir))
    # the largest files first, so that the last ones taken are small and no worker is left alone with a
    # long paper while the other waits for the batch to end (the results are adopted in the batch's order)
    largest_first = sorted(range(len(batch)), key=lambda number: -batch[number].size)
    for kind, number, payload in run_workers(batch, workers, work, fds, largest_first):
        if kind == "file":
            yield number, cast(FileResult, payload)  # what a worker's "file" message carries
        elif kind == "part":  # a full segment
            writer.adopt(payload)
        else:  # a worker's last segment ("segment"), if any, and the words of its files
            segment, words = cast(tuple, payload)
            if segment is not None:
                writer.adopt(segment)
            writer.vocabulary_change.update(words)


def _work(take, send, batch: list[Job], index_dir: str):
    """A worker's files: each parsed and tagged, its records written into the worker's own segment, its
    result sent; a full segment is sent as a "part" and another begun. Returns the last segment (or
    None) and how many records hold each word of the files."""
    builder, done = None, 0
    words: Counter = Counter()
    # Python's collector, left to itself, scans the segment's growing postings again and again (5% of a
    # worker's time): what the worker inherited is set aside, the young objects are collected after every
    # YOUNG_EVERY files (a file's garbage is young, and nearly all of it goes when it is no longer
    # referred to: 27 objects in cycles over 130 papers) and everything once a segment has been handed over
    collecting = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        while (number := take()) is not None:
            result = _process_one(batch[number], words)
            done += 1
            if result.fields:
                builder = builder or Store(index_dir).segment_builder()
                for fields in result.fields:
                    builder.add(fields)
                result.fields = []
            send("file", number, result)
            if builder is not None and builder.full():
                send("part", number, builder.finish())
                builder = None
                gc.collect()
            elif done % YOUNG_EVERY == 0 or batch[number].size >= LARGE_FILE:
                gc.collect(1)
        return (builder.finish(last=True) if builder else None), words
    finally:
        gc.unfreeze()
        if collecting:
            gc.enable()


def _process_one(job: Job, words: Counter) -> FileResult:
    """Read, parse and tag one file; its words are added to `words` (how many records hold each) once
    it has all gone well. The hash kept is that of the bytes read (a file that changed since it was
    listed and hashed is read again, once)."""
    from pcp_search.ingest import IngestError

    result = FileResult(path=job.key, sha=job.sha, size=job.size, name=job.name)
    try:
        for attempt in range(2):
            records, sections, names, result.learned, sha = _read_and_tag(Path(job.path), _TAGGER, job.name)
            if sha == job.sha or not job.sha or attempt:  # (a new file is not hashed before it is read)
                break
        if sha != job.sha:
            result.sha, result.size = sha, os.stat(job.path).st_size
        source = {"sha": result.sha, "size": result.size, "learned": result.learned}
        result.fields = [record_fields(record, result.path, names.get(record.id, ""), source if i == 0 else None)
                         for i, record in enumerate(records)]
        result.kinds = Counter(record.kind for record in records)
        result.kept = kept_document(path_key(Path(Path(job.path).name)), sections)
        words_of((record.text for record in records), words)
    except IngestError as exc:
        result.error = str(exc)
    except FileNotFoundError:
        result.error = "vanished while being indexed"
    except RecursionError:
        result.error = "too deeply nested to parse"
    except MemoryError:
        result.error = "too large to parse in memory"
    except Exception as exc:  # noqa: BLE001 - one odd file is named and skipped; it does not stop the run
        result.error = f"could not be indexed: {type(exc).__name__}: {exc}".splitlines()[0][:200]
    return result


def process_file(path: Path, tagger, name: str | None = None) -> tuple[list[Record], list[dict], dict[str, str], list[dict]]:
    """Read, parse, chunk and tag one file: its records, its sections, each record's entity names,
    and what the tagger learned. `name` (default: the file's name) prefixes the record ids."""
    return _read_and_tag(path, tagger, name)[:4]


def _read_and_tag(path: Path, tagger, name: str | None):
    from pcp_search.chunk import build_records, display_text
    from pcp_search.ingest import read_document
    from pcp_search.parse import parse_document

    doc = read_document(path)
    parsed = parse_document(doc)
    records = build_records(doc, parsed)
    if name and name != doc.name:  # ids unique per path below the folder indexed: 'subdir/minutes.txt#qa3'
        for record in records:
            record.id = name + record.id[len(doc.name):]
    for record in records:  # a name that is not UTF-8 (kept by Python as surrogates) is shown escaped
        for attr in ("document", "title", "section"):
            value = getattr(record, attr)
            if isinstance(value, str) and not value.isascii():
                setattr(record, attr, value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"))
    names: dict[str, str] = {}
    with tagger.scope():  # what this paper teaches holds for this paper (the run adopts it between batches)
        learned = tagger.learn(doc.text)
        home = _home_force(tagger.registry, parsed.panel)
        for record in records:
            entities = tagger.tag(record.text, home_force=home)
            unique: dict[str, Entity] = {}
            for entity in entities:
                unique.setdefault(entity.id, entity)
            record.entities = list(unique.values())
            names[record.id] = _entity_names(tagger.registry, record)
        rows = [e.to_json() | {"case_sensitive": e.case_sensitive} for e in learned]
    sections = [{"label": s.label, "page_start": s.page_start, "page_end": s.page_end,
                 "text": "\n".join(display_text(line.text) for line in s.lines).strip()} for s in parsed.sections]
    return records, sections, names, rows, doc.sha


def _home_force(registry: Registry, panel: str | None) -> str | None:
    """The panel's own force ('Thames Valley PCP' -> force:thames-valley), for 'the Force'."""
    if not panel:
        return None
    place = panel.replace(" PCP", "")
    for form in (f"{place} Police", f"{place} Constabulary"):
        entry = registry.find(form, "FORCE")
        if entry:
            return entry.id
    return None


def _entity_names(registry: Registry, record: Record) -> str:
    """Other spellings of the record's entities, so a search for one form finds the others."""
    words = []
    for entity in record.entities:
        entry = registry.get(entity.id)
        if entry is None or entry.label in RULE_LABELS | {"PERSON"}:
            continue
        seen = {entity.text.lower()}
        for form in entry.forms():  # distinct spellings only: councils list many case variants
            if form.lower() not in seen and len(seen) <= MAX_ALIASES:
                seen.add(form.lower())
                words.append(form)
    return " | ".join(words)
