"""The plain files kept in the index folder beside the engine's own: written whole or not at all; and
the whole folder made durable and swapped for a rebuilt one in one step."""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import shutil
import zlib
from functools import lru_cache
from pathlib import Path

PAYLOAD_DICTIONARY = Path(__file__).with_name("data") / "payloads.zdict"  # made by benchmarks/payload_dictionary.py


def doc_file(folder: Path, path: str) -> Path:
    """Where a document's kept sections and words live (one file per indexed path)."""
    return folder / (hashlib.sha1(path.encode("utf-8")).hexdigest() + ".json")


def atomic_write(path: Path, text: str) -> None:
    _replace_with(path, text.encode("utf-8"))


def pack_kept(text: str) -> bytes:
    """A document's kept sections, compressed (by the indexing worker that read it): as plain JSON
    they were 1.5 times the text, the largest part of the index folder."""
    return zlib.compress(text.encode("utf-8"), 3)


@lru_cache(maxsize=1)
def payload_dictionary() -> bytes:
    """Text that stored records share (their keys, the words of panel papers), which deflate refers
    back to: a record of 1-2 KB compressed on its own finds little to refer to. Stored records were
    a third smaller with it (held-out real papers: a fifth)."""
    return PAYLOAD_DICTIONARY.read_bytes()


@lru_cache(maxsize=1)
def _primed_compressor():
    return zlib.compressobj(3, zlib.DEFLATED, 15, 8, zlib.Z_DEFAULT_STRATEGY, payload_dictionary())


def pack_payload(text: str) -> bytes:
    """A stored record (JSON), compressed with the payload dictionary (a copy of a compressor that has
    read it: as fast as compressing without one)."""
    compressor = _primed_compressor().copy()
    return compressor.compress(text.encode("utf-8")) + compressor.flush()


def unpack_payload(data: bytes) -> str:
    decompressor = zlib.decompressobj(zdict=payload_dictionary())
    return (decompressor.decompress(data) + decompressor.flush()).decode("utf-8")


def write_kept(path: Path, data: bytes) -> None:
    _replace_with(path, data)


def read_kept(path: Path) -> str:
    """What `pack_kept` made (or, from an index kept before it compressed, the plain JSON)."""
    data = path.read_bytes()
    return (zlib.decompress(data) if data[:1] == b"\x78" else data).decode("utf-8")


def _replace_with(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def fsync_tree(folder: Path) -> None:
    """Every file under the folder, and the folders themselves, on the disk (before a swap)."""
    for root, _dirs, files in os.walk(folder):
        for name in files:
            fd = os.open(os.path.join(root, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_dir(Path(root))


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot sync a folder
        pass
    finally:
        os.close(fd)


def swap_in(new: Path, old: Path) -> None:
    """Put the folder `new` where `old` is, in one step where the system allows (renameat2 with
    RENAME_EXCHANGE: a reader sees the old folder or the new one, never none); then remove the old."""
    fsync_tree(new)
    if old.exists() and _exchange(new, old):
        shutil.rmtree(new, ignore_errors=True)  # (now the old index)
    else:
        retired = old.with_name(old.name + ".old")
        shutil.rmtree(retired, ignore_errors=True)
        if old.exists():
            os.replace(old, retired)
        os.replace(new, old)
        shutil.rmtree(retired, ignore_errors=True)
    fsync_dir(old.parent)


def _exchange(a: Path, b: Path) -> bool:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0
