"""Index files: discover, skip unchanged (content hash), parse and tag in parallel, store, report."""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pcp_search.engine import Store, kept_document, record_fields
from pcp_search.entities.registry import Registry, entry_from_row, gazetteer
from pcp_search.models import Record
from pcp_search.spec import RULE_LABELS

BATCH_BYTES = 16 * 1024 * 1024  # commit after this much input so progress survives a crash
MAX_ALIASES = 4


@dataclass
class FileResult:
    """What parsing and tagging one file produced (or why it was skipped)."""

    path: str
    sha: str
    size: int
    fields: list[dict] = field(default_factory=list)  # each record as the writer takes it
    kinds: Counter = field(default_factory=Counter)
    kept: str = ""  # the document's sections and words, kept beside the index
    words: dict[str, int] = field(default_factory=dict)
    learned: list[dict] = field(default_factory=list)
    error: str | None = None


@dataclass
class IndexReport:
    """The summary line of an `index` run."""

    documents: int = 0
    passages: int = 0
    qa: int = 0
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        parts = [f"{self.documents} documents indexed", f"{self.passages} passages", f"{self.qa} Q&A pairs",
                 f"{self.unchanged} unchanged", f"{len(self.removed)} removed", f"{len(self.skipped)} skipped",
                 f"{self.seconds:.1f}s"]
        return ", ".join(parts)

    def to_json(self) -> dict:
        return {"documents": self.documents, "passages": self.passages, "qa": self.qa, "unchanged": self.unchanged,
                "removed": self.removed, "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
                "seconds": round(self.seconds, 2)}


def file_sha(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def index_paths(
    paths: list[Path],
    index_dir: Path,
    progress: Callable[[int, int, str], None] | None = None,
    workers: int | None = None,
    force: bool = False,
) -> IndexReport:
    """Bring the index up to date with the given files and folders."""
    from pcp_search.ingest import discover

    started = time.perf_counter()
    store = Store(index_dir)
    if store.exists() and not store.compatible():
        # an index of an older format: build a new one beside it, then swap (the old stays readable)
        report = index_paths(paths, _sibling(index_dir, "rebuild"), progress, workers, force=True)
        _swap(_sibling(index_dir, "rebuild"), index_dir)
        report.seconds = time.perf_counter() - started
        return report
    report = IndexReport()
    files, problems = discover(paths)
    report.skipped.extend(problems)
    manifest = store.manifest()
    known: dict = manifest["files"]
    todo: list[tuple[Path, str, int]] = []
    for path in files:
        key = _key(path)
        try:
            sha, size = file_sha(path)
        except OSError as exc:
            report.skipped.append((str(path), f"cannot read: {exc.strerror or exc}"))
            continue
        if not force and known.get(key, {}).get("sha") == sha:
            report.unchanged += 1
        else:
            todo.append((path, sha, size))
    if not store.exists():
        store.create_if_missing().close()  # an empty folder still gives an (empty) index
    present = {_key(p) for p in files}
    gone = [k for k in known if k not in present and _under(k, paths)]
    registry = _registry(store)
    if gone:  # no commit (and no new index generation for searchers) when nothing went away
        with store.writer() as writer:
            for key in gone:
                writer.delete_path(key)
                known.pop(key, None)
                report.removed.append(key)
    done = 0
    tagger = _main_tagger(registry) if todo else None
    learned: dict[str, dict] = {}
    for batch in _batches(todo):
        with store.writer() as writer:
            for result in _process_all(batch, workers, store.dir, writer):
                done += 1
                if progress:
                    progress(done, len(todo), result.path)
                if result.error:
                    report.skipped.append((result.path, result.error))
                    continue
                writer.delete_path(result.path)  # the file's older version, if any
                for fields in result.fields:  # (records a worker wrote into its own segment are not here)
                    writer.add(fields)
                writer.save_document(result.path, result.kept, result.words)
                known[result.path] = {"sha": result.sha, "size": result.size, "records": sum(result.kinds.values())}
                report.documents += 1
                report.qa += result.kinds["qa"]
                report.passages += result.kinds["passage"]
                for row in result.learned:  # (copies of a paper teach the same acronyms again and again)
                    learned.setdefault(json.dumps(row, sort_keys=True), row)
        entries = [entry_from_row(row) for row in learned.values()]
        for entry in entries:
            registry.add(entry)
        tagger.adopt(entries)  # later batches' workers start from what earlier ones learned
        learned.clear()
        store.save_manifest(manifest)
    store.save_manifest(manifest)
    _save_registry(store, registry)
    report.seconds = time.perf_counter() - started
    return report


def _sibling(index_dir: Path, suffix: str) -> Path:
    return index_dir.with_name(f"{index_dir.name}.{suffix}")


def _swap(new: Path, old: Path) -> None:
    """Put a freshly built index where the old one was."""
    import shutil

    retired = _sibling(old, "old")
    shutil.rmtree(retired, ignore_errors=True)
    os.replace(old, retired)
    os.replace(new, old)
    shutil.rmtree(retired, ignore_errors=True)


def _key(path: Path) -> str:
    return os.path.normpath(str(path))


def _under(key: str, roots: list[Path]) -> bool:
    """A manifest entry belongs to this run when it sits in one of the folders being indexed."""
    for root in roots:
        root_key = _key(root)
        if key == root_key or key.startswith(root_key.rstrip(os.sep) + os.sep):
            return True
    return False


def _batches(todo: list[tuple[Path, str, int]]) -> Iterator[list[tuple[Path, str, int]]]:
    batch, size = [], 0
    for item in todo:
        batch.append(item)
        size += item[2]
        if size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _registry(store: Store) -> Registry:
    """The gazetteer plus what earlier runs learned (acronyms, people, operations)."""
    path = store.registry_path()
    if path.is_file():
        try:
            return Registry.load(path)
        except (OSError, ValueError, KeyError):
            pass
    return gazetteer()


def _save_registry(store: Store, registry: Registry) -> None:
    if not store.exists():
        return
    counts = store.entity_counts()
    for entry in registry.entries.values():
        entry.count = counts.get(entry.id.lower(), 0)
    registry.save(store.registry_path())


# -- parsing, tagging and segment writing, in worker processes when there is enough to do -------------
_TAGGER = None  # the tagger of this run: built once in the main process, inherited by forked workers


def _main_tagger(registry: Registry):
    """The run's tagger, on a copy of the registry (tagging adds to it). Built once here rather than in
    each worker of each batch: forked workers share it, and it learns what every worker learned."""
    global _TAGGER
    from pcp_search.entities.tagger import Tagger

    _TAGGER = Tagger(Registry([entry_from_row(row) for row in registry.to_json()]))
    return _TAGGER


def _process_all(batch, workers: int | None, index_dir: Path, writer) -> Iterator[FileResult]:
    """Each file's result as it is done. With several workers, each one parses, tags and also writes
    its records into a segment of its own (Whoosh's writing is most of the work and one process
    cannot keep up); at the end the segments go to `writer`, whose commit makes them part of the
    index together with the deletions of the files' older versions."""
    import multiprocessing
    import queue as queues

    workers = min(workers or os.cpu_count() or 1, len(batch))
    jobs = [(str(p), sha, size) for p, sha, size in batch]
    if workers <= 1 or len(jobs) < 3:
        yield from map(_process_one, jobs)
        return
    context = multiprocessing.get_context("fork")  # a third faster to start than spawned workers
    todo, done = context.Queue(), context.Queue()
    for job in jobs:
        todo.put(job)
    for _ in range(workers):
        todo.put(None)
    handles = writer.lock_handles()
    procs = [context.Process(target=_worker, args=(n, os.getpid(), handles, str(index_dir), todo, done), daemon=True)
             for n in range(workers)]
    for proc in procs:
        proc.start()
    finished: set[int] = set()
    try:
        while len(finished) < workers:
            try:
                kind, number, payload = done.get(timeout=1)
            except queues.Empty:
                if any(p.exitcode not in (None, 0) for n, p in enumerate(procs) if n not in finished):
                    raise RuntimeError("an indexing worker stopped unexpectedly; the index is as it was") from None
                continue
            if kind == "file":
                yield payload
            elif kind in ("part", "segment"):  # a part: a full segment, finished before the worker's last
                if payload is not None:
                    writer.adopt(payload)
                if kind == "segment":
                    finished.add(number)
            else:  # "failed": the worker could not go on
                raise RuntimeError(f"an indexing worker failed: {payload}; the index is as it was")
    finally:
        for proc in procs:
            if proc.is_alive() and len(finished) < workers:
                proc.terminate()
            proc.join()


def _worker(number: int, parent: int, lock_handles: list[int], index_dir: str, todo, done) -> None:
    """A worker process: files from `todo` until None, each result to `done`; records go into the
    worker's own new segment, finished and sent last. It ends itself if the main process dies."""
    import threading

    for handle in lock_handles:  # forked with the index's write lock: only the main process may hold it,
        os.close(handle)  # so that a crash of the main process frees it at once

    def watch_parent() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(3)

    threading.Thread(target=watch_parent, daemon=True).start()
    try:
        builder = None
        while (job := todo.get()) is not None:
            result = _process_one(job)
            if result.fields:
                builder = builder or Store(index_dir).segment_builder()
                for fields in result.fields:
                    builder.add(fields)
                result.fields = []
            done.put(("file", number, result))
            if builder is not None and builder.full():
                done.put(("part", number, builder.finish()))
                builder = None
        done.put(("segment", number, builder.finish() if builder else None))
    except BaseException as exc:  # noqa: BLE001 - reported to the main process, which stops the run
        done.put(("failed", number, f"{type(exc).__name__}: {exc}"))


def _process_one(job: tuple[str, str, int]) -> FileResult:
    from pcp_search.ingest import IngestError

    path, sha, size = job
    result = FileResult(path=_key(Path(path)), sha=sha, size=size)
    try:
        records, sections, names, result.learned = process_file(Path(path), _TAGGER)
        result.words = record_words(records)
        result.fields = [record_fields(record, result.path, names.get(record.id, "")) for record in records]
        result.kinds = Counter(record.kind for record in records)
        result.kept = kept_document(Path(path).name, sections, result.words)
    except IngestError as exc:
        result.error = str(exc)
    except RecursionError:
        result.error = "too deeply nested to parse"
    except MemoryError:
        result.error = "too large to parse in memory"
    return result


def process_file(path: Path, tagger) -> tuple[list[Record], list[dict], dict[str, str], list[dict]]:
    """Read, parse, chunk and tag one file: its records, its sections, each record's entity names,
    and what the tagger learned."""
    from pcp_search.chunk import build_records, display_text
    from pcp_search.ingest import read_document
    from pcp_search.parse import parse_document

    doc = read_document(path)
    parsed = parse_document(doc)
    records = build_records(doc, parsed)
    learned = tagger.learn(doc.text)
    home = _home_force(tagger.registry, parsed.panel)
    names: dict[str, str] = {}
    for record in records:
        entities = tagger.tag(record.text, home_force=home)
        unique = {}
        for entity in entities:
            unique.setdefault(entity.id, entity)
        record.entities = list(unique.values())
        names[record.id] = _entity_names(tagger.registry, record)
    sections = [{"label": s.label, "page_start": s.page_start, "page_end": s.page_end,
                 "text": "\n".join(display_text(line.text) for line in s.lines).strip()} for s in parsed.sections]
    return records, sections, names, [e.to_json() | {"case_sensitive": e.case_sensitive} for e in learned]


WORD = re.compile(r"[a-z][a-z'’]+")


def record_words(records: list[Record]) -> dict[str, int]:
    """Each word of the records (lower case, two letters or more) with how many records hold it."""
    counts: Counter[str] = Counter()
    for record in records:
        counts.update(set(WORD.findall((record.text or "").lower())))
    return dict(counts)


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
