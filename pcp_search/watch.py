"""Saved searches: queries kept beside the index (`<index>.watches.json`, so a rebuilt index folder keeps
them), each with the ids of the records it has already reported. `check` reports the records that match
now and were not reported before, each once; `pending` counts them without marking them seen (what
`index` says at its end)."""

from __future__ import annotations

import datetime as _dt
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

LIMIT = 5000  # matches looked at per saved search


@dataclass
class Watch:
    query: str
    added: str
    checked: str | None = None
    seen: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"query": self.query, "added": self.added, "checked": self.checked, "seen": len(self.seen)}


def watch_file(index_dir: str | Path) -> Path:
    """Where an index's saved searches are kept: beside its folder, `index` -> `index.watches.json`."""
    folder = Path(index_dir).resolve()
    return folder.parent / f"{folder.name}.watches.json"


def load(index_dir: str | Path) -> list[Watch]:
    path = watch_file(index_dir)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read the saved searches in {path}: {exc}") from None
    return [Watch(w["query"], w.get("added", ""), w.get("checked"), list(w.get("seen", []))) for w in data.get("watches", [])]


def save(index_dir: str | Path, watches: list[Watch]) -> None:
    """Written to a temporary file and renamed: an interrupted save leaves the old list."""
    path = watch_file(index_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"watches": [{"query": w.query, "added": w.added, "checked": w.checked, "seen": w.seen} for w in watches]}
    fd, tmp = tempfile.mkstemp(prefix=".watches.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
    os.replace(tmp, path)


def _now() -> str:
    return _dt.datetime.now().isoformat(timespec="seconds")


def _matches(service, query: str) -> list[dict]:
    if not service.ready():
        return []
    return [hit.record for hit in service.search(query, limit=LIMIT, facets=False, suggest=False).hits]


def add(service, index_dir: str | Path, query: str) -> Watch:
    """Save a search; what it matches now counts as seen, so `check` reports only what arrives later."""
    query = query.strip()
    if not query:
        raise ValueError("a saved search needs a query")
    watches = load(index_dir)
    if any(w.query == query for w in watches):
        raise ValueError(f"already saved: {query!r}")
    watch = Watch(query, _now(), _now(), [r["id"] for r in _matches(service, query)])
    save(index_dir, [*watches, watch])
    return watch


def remove(index_dir: str | Path, number: int) -> Watch:
    watches = load(index_dir)
    if not 1 <= number <= len(watches):
        raise ValueError(f"no saved search number {number}: `pcp-search watch list` shows {len(watches)}")
    gone = watches.pop(number - 1)
    save(index_dir, watches)
    return gone


@dataclass
class CheckResult:
    checked: str
    watches: list[dict]  # {"number", "query", "new": [records]}

    @property
    def total(self) -> int:
        return sum(len(w["new"]) for w in self.watches)

    def to_json(self) -> dict:
        from pcp_search.models import citation

        return {"checked": self.checked, "total_new": self.total, "watches": [
            {"number": w["number"], "query": w["query"], "new": [r | {"citation": citation(r)} for r in w["new"]]}
            for w in self.watches]}


def check(service, index_dir: str | Path, mark: bool = True) -> CheckResult:
    """The records each saved search matches that it has not reported before, oldest first; with `mark`
    they are remembered, so the next check does not report them again."""
    watches = load(index_dir)
    now = _now()
    found = []
    for number, watch in enumerate(watches, start=1):
        seen = set(watch.seen)
        new = [r for r in _matches(service, watch.query) if r["id"] not in seen]
        new.sort(key=lambda r: (r.get("date") or "9999", r["id"]))
        found.append({"number": number, "query": watch.query, "new": new})
        if mark:
            watch.seen += [r["id"] for r in new]
            watch.checked = now
    if mark and watches:
        save(index_dir, watches)
    return CheckResult(now, found)


def pending(service, index_dir: str | Path) -> int:
    """How many new matches the saved searches would report now (none when there are no saved searches)."""
    if not watch_file(index_dir).exists():
        return 0
    return check(service, index_dir, mark=False).total
