"""Index files: discover, skip unchanged (content hash), parse and tag in parallel, store, report."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pcp_search.engine import Store
from pcp_search.engine.files import swap_in
from pcp_search.engine.locking import RunLock
from pcp_search.entities.registry import Registry, derived_registry, entry_from_row, gazetteer
from pcp_search.filework import FileResult, Job, _main_tagger, _process_all
from pcp_search.naming import key_path, path_key, record_name
from pcp_search.pool import critical, stoppable
from pcp_search.spec import IndexDamaged, IndexUnusable, Interrupted

BATCH_BYTES = 16 * 1024 * 1024  # commit after this much input so progress survives a crash


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
    notes: list[str] = field(default_factory=list)  # the index's own files rebuilt from it, and why

    def summary(self) -> str:
        parts = [f"{self.documents} documents indexed", f"{self.passages} passages", f"{self.qa} Q&A pairs",
                 f"{self.unchanged} unchanged", f"{len(self.removed)} removed", f"{len(self.skipped)} skipped",
                 f"{self.seconds:.1f}s"]
        return ", ".join(parts)

    def to_json(self) -> dict:
        return {"documents": self.documents, "passages": self.passages, "qa": self.qa, "unchanged": self.unchanged,
                "removed": self.removed, "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
                "seconds": round(self.seconds, 2), "notes": self.notes}


def file_sha(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def _readable_size(path: Path) -> int:
    """The file's size, once it has been opened for reading (as `file_sha` would have)."""
    with open(path, "rb") as fh:
        return os.fstat(fh.fileno()).st_size


def index_paths(
    paths: list[Path],
    index_dir: Path,
    progress: Callable[[int, int, str], None] | None = None,
    workers: int | None = None,
    force: bool = False,
    waiting: Callable[[str], None] | None = None,
) -> IndexReport:
    """Bring the index up to date with the given files and folders. One run at a time holds the index
    (`waiting(pid)` is told when another run has it, and this one waits; without it, IndexBusy). With
    `force`, or when the index is of another format, a new index is built beside it from these paths
    and every other indexed file still on disk, then swapped in. Ctrl-C and SIGTERM stop the run with
    `Interrupted` (what was committed stays); a full or read-only disk gives IndexUnusable."""
    started = time.perf_counter()
    store = Store(index_dir)
    store.check_folder()
    lock = RunLock(store.dir)
    report = IndexReport()
    try:
        with stoppable():
            lock.acquire(waiting)
            if force or (store.exists() and not store.compatible()):
                _rebuild(paths, store, report, progress, workers, lock)
            else:
                if store.exists():
                    store.open().close()  # a damaged index says so (and `--force` rebuilds it)
                _update(paths, store, report, progress, workers, force, {}, lock)
    except Interrupted as exc:
        what = f"{report.documents} documents committed" if report.documents else "nothing new committed"
        sig = "SIGTERM" if exc.signum == signal.SIGTERM else "Ctrl-C"
        raise Interrupted(f"stopped by {sig}: {what}; the index is searchable; run `pcp-search index` again to finish",
                          exc.signum) from None
    except OSError as exc:
        raise _unusable(store.dir, exc) from None
    finally:
        lock.release()
    report.seconds = time.perf_counter() - started
    return report


def _unusable(index_dir: Path, exc: OSError) -> Exception:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return IndexUnusable(f"no space left for the index at {index_dir}/: what was committed before is kept; "
                             "free some space and run `pcp-search index` again")
    if exc.errno in (errno.EACCES, errno.EROFS, errno.EPERM):
        return IndexUnusable(f"cannot write to the index at {index_dir}/: {exc.strerror} (searching it still works)")
    return exc


def _rebuild(paths, store: Store, report: IndexReport, progress, workers, lock: RunLock) -> None:
    """A new index beside the old one, from these paths and the old one's other files still on disk (their
    record names kept), made durable and swapped in at once; the old stays searchable until then."""
    try:
        old = store.manifest()["files"] if store.exists() else {}
    except (IndexDamaged, IndexUnusable):
        old = store._read_json("manifest.json") or {}
        old = old.get("files", {}) if isinstance(old, dict) and isinstance(old.get("files"), dict) else {}
    others = [key_path(key) for key in sorted(old) if not _under(key, paths) and key_path(key).is_file()]
    names = {key: entry["name"] for key, entry in old.items() if isinstance(entry, dict) and entry.get("name")}
    fresh = Store(store.dir.with_name(store.dir.name + ".rebuild"))
    shutil.rmtree(fresh.dir, ignore_errors=True)  # (a rebuild that was stopped before)
    _update([*paths, *others], fresh, report, progress, workers, True, names, lock)
    if not fresh.exists():
        fresh.create_if_missing().close()
    with critical():
        swap_in(fresh.dir, store.dir)


def _update(paths, store: Store, report: IndexReport, progress, workers, force: bool, names: dict, lock: RunLock) -> None:
    files, problems = _discover(paths)
    report.skipped.extend(problems)
    current = store.exists() and store.manifest_current()
    manifest = store.manifest()
    known: dict = manifest["files"]
    todo: list[Job] = []
    present: set[str] = set()
    listed: list[tuple[Path, Path, str, str, int]] = []
    for path, root in files:
        key = path_key(path)
        try:  # a file the index has not seen is hashed by the worker that reads it, not here before any starts
            sha, size = file_sha(path) if key in known and not force else ("", _readable_size(path))
        except FileNotFoundError:
            continue  # gone since the folder was listed: as if it had never been there
        except OSError as exc:
            report.skipped.append((key, f"cannot read: {exc.strerror or exc}"))
            present.add(key)
            continue
        present.add(key)
        if not force and known.get(key, {}).get("sha") == sha:
            report.unchanged += 1
        else:
            listed.append((path, root, key, sha, size))
    gone = [k for k in known if k not in present and _under(k, paths)]
    taken = {entry.get("name"): key for key, entry in known.items() if key not in gone and entry.get("name")}
    for path, root, key, sha, size in listed:
        name = known.get(key, {}).get("name") or names.get(key) or record_name(path, root, key, taken)
        taken[name] = key
        todo.append(Job(str(path), key, name, sha, size))
    if not store.exists():
        store.create_if_missing().close()  # an empty folder still gives an (empty) index
    registry = _registry(store, rebuild=not current)
    if not current or not store.words_readable():
        with critical():
            store.save_words(store.derived()["words"] if known else {})
            store.save_manifest(manifest)
    report.notes.extend(store.notices)
    if gone:  # no commit (and no new index generation for searchers) when nothing went away
        with store.writer() as writer:
            for key in gone:
                writer.delete_path(key)
            with critical():
                writer.finish()
                for key in gone:
                    known.pop(key, None)
                    report.removed.append(key)
                store.save_manifest(manifest)
    done = 0
    tagger = _main_tagger(registry) if todo else None
    for batch in _batches(todo):
        results: dict[int, FileResult] = {}
        with store.writer() as writer:
            for number, result in _process_all(batch, workers, store.dir, writer, lock):
                done += 1
                if progress:
                    progress(done, len(todo), result.path)
                if result.error:
                    report.skipped.append((result.path, result.error))
                    continue
                writer.delete_path(result.path)  # the file's older version, if any
                for fields in result.fields:  # (records a worker wrote into its own segment are not here)
                    writer.add(fields)
                writer.save_document(result.path, result.kept)
                result.fields, result.kept = [], b""  # (kept until the commit: the rest is small)
                results[number] = result
            with critical():
                writer.finish()
                _adopt(results, registry, tagger, known)
                _save_registry(store, registry)
                store.save_manifest(manifest)
        for result in results.values():
            report.documents += 1
            report.qa += result.kinds["qa"]
            report.passages += result.kinds["passage"]
    if not todo and not gone and (not current or not store.registry_path().is_file()):
        _save_registry(store, registry)


def _adopt(results: dict[int, FileResult], registry: Registry, tagger, known: dict) -> None:
    """The batch's files into the manifest, and what they taught the tagger into the registry, in the
    batch's order (not the order the workers finished in): later batches start from the same state."""
    learned: dict[str, dict] = {}
    for number in sorted(results):
        result = results[number]
        known[result.path] = {"sha": result.sha, "size": result.size, "records": sum(result.kinds.values()),
                              "name": result.name}
        for row in result.learned:  # (copies of a paper teach the same acronyms again and again)
            learned.setdefault(json.dumps(row, sort_keys=True), row)
    entries = [entry_from_row(row) for row in learned.values()]
    for entry in entries:
        registry.add(entry)
    tagger.adopt(entries)  # later batches' workers start from what earlier ones learned


def _discover(paths: list[Path]) -> tuple[list[tuple[Path, Path]], list[tuple[str, str]]]:
    """Each paper file with the folder (or file) it was found under; problems with their paths escaped."""
    from pcp_search.ingest import discover

    found: list[tuple[Path, Path]] = []
    problems: list[tuple[str, str]] = []
    seen: set[str] = set()
    for root in paths:
        files, troubles = discover([root])
        problems.extend((path_key(Path(p)), reason) for p, reason in troubles)
        for path in files:
            key = path_key(path)
            if key not in seen:
                seen.add(key)
                found.append((path, root))
    return found, problems


def _under(key: str, roots: list[Path]) -> bool:
    """A manifest entry belongs to this run when it sits in one of the folders being indexed."""
    for root in roots:
        root_key = path_key(root)
        if key == root_key or key.startswith(root_key.rstrip(os.sep) + os.sep) or root_key == ".":
            return True
    return False


def _batches(todo: list[Job]) -> Iterator[list[Job]]:
    batch, size = [], 0
    for item in todo:
        batch.append(item)
        size += item.size
        if size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _registry(store: Store, rebuild: bool = False) -> Registry:
    """The gazetteer plus what earlier runs learned (acronyms, people, operations); rebuilt from the
    index when `entities.json` is missing, broken or older than the index."""
    path = store.registry_path()
    if not rebuild and path.is_file():
        try:
            return Registry.load(path)
        except (OSError, ValueError, KeyError, TypeError):
            pass
    if store.document_count() == 0:
        return gazetteer()
    store.notices.append("entities.json was missing, broken or out of date: rebuilt from the index")
    return derived_registry(store.derived()["learned"], store.entity_counts())


def _save_registry(store: Store, registry: Registry) -> None:
    if not store.exists():
        return
    counts = store.entity_counts()
    for entry in registry.entries.values():
        entry.count = counts.get(entry.id.lower(), 0)
    registry.save(store.registry_path())
