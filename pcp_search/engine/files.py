"""The plain files kept in the index folder beside the engine's own: written whole or not at all."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def doc_file(folder: Path, path: str) -> Path:
    """Where a document's kept sections and words live (one file per indexed path)."""
    return folder / (hashlib.sha1(path.encode("utf-8")).hexdigest() + ".json")


def atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
