"""The `NAME.meta.json` beside each fetched paper, and the record of what a folder already holds."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

SUFFIX = ".meta.json"
FIELDS = ("url", "meeting_date", "committee", "panel", "title", "fetched_at", "sha256", "validators")


def sidecar_path(paper: Path) -> Path:
    return paper.with_name(paper.name + SUFFIX)


def write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder, then rename: a reader sees all or nothing."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_sidecar(paper: Path, meta: dict) -> None:
    text = json.dumps({k: meta.get(k) for k in FIELDS} | {k: v for k, v in meta.items() if k not in FIELDS},
                      ensure_ascii=False, indent=2)
    write_atomic(sidecar_path(paper), (text + "\n").encode("utf-8"))


def read_sidecar(paper: Path) -> dict | None:
    try:
        data = json.loads(sidecar_path(paper).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class Held:
    """A paper already in the folder: its file and its sidecar."""

    path: Path
    meta: dict

    def intact(self) -> bool:
        """The file is there and still has the bytes the sidecar records."""
        return self.path.is_file() and self.meta.get("sha256") == sha256_file(self.path)


def holdings(dest: Path) -> dict[str, Held]:
    """What `dest` holds, by URL, read from the sidecars (papers fetched by earlier runs)."""
    held: dict[str, Held] = {}
    if not dest.is_dir():
        return held
    for side in sorted(dest.glob("*" + SUFFIX)):
        paper = side.with_name(side.name[: -len(SUFFIX)])
        meta = read_sidecar(paper)
        if meta and isinstance(meta.get("url"), str):
            held[meta["url"]] = Held(paper, meta)
    return held
