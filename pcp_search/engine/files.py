"""The plain files kept in the index folder beside the engine's own: written whole or not at all; and
the whole folder made durable and swapped for a rebuilt one in one step."""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import shutil
import threading
import zlib
from functools import lru_cache
from pathlib import Path

# the dictionaries stored records are compressed with (made by benchmarks/payload_dictionary.py), by
# the byte a record begins with: the current one's, or the first byte of a Zstandard frame for records
# an index of format 14-16 holds (their JSON had spaces after ',' and ':', and so had the dictionary)
PAYLOAD_DICTIONARY = Path(__file__).with_name("data") / "payloads-2.zdict"
PAYLOAD_MARK = b"\x02"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"  # how a Zstandard frame begins
PAYLOAD_DICTIONARIES = {PAYLOAD_MARK[0]: PAYLOAD_DICTIONARY, ZSTD_MAGIC[0]: PAYLOAD_DICTIONARY.with_name("payloads.zdict")}


def doc_file(folder: Path, path: str) -> Path:
    """Where a document's kept sections and words live (one file per indexed path)."""
    return folder / (hashlib.sha1(path.encode("utf-8")).hexdigest() + ".json")


def atomic_write(path: Path, text: str) -> None:
    _replace_with(path, text.encode("utf-8"))


class CompressedDataError(ValueError):
    """Kept data that does not decompress: a damaged file."""


def pack_kept(data: bytes) -> bytes:
    """A document's kept sections (JSON), compressed by the indexing worker that read it: as plain
    JSON they were 1.5 times the text, the largest part of the index folder. Zstandard: a third of
    zlib's time at level 3, and 5% smaller."""
    return compress(data)


def write_kept(path: Path, data: bytes) -> None:
    _replace_with(path, data)


def read_kept(path: Path) -> str:
    """What `pack_kept` made (or, from an index kept before it, zlib's or the plain JSON)."""
    data = path.read_bytes()
    if data[:4] == ZSTD_MAGIC:
        data = decompress(data)
    elif data[:1] == b"\x78":
        data = zlib.decompress(data)
    return data.decode("utf-8")


def pack_payload(data: bytes) -> bytes:
    """A stored record (JSON), compressed with the payload dictionary (Zstandard, a third of the time
    zlib took with the same dictionary, 4% larger), after the byte that names the dictionary."""
    return PAYLOAD_MARK + compress(data, dictionary=PAYLOAD_MARK[0])


def payload_bytes(data: bytes) -> bytes:
    """What `pack_payload` was given (or, from an index of format 14-16, the JSON it stored)."""
    if data[:1] == PAYLOAD_MARK:
        return decompress(memoryview(data)[1:], dictionary=PAYLOAD_MARK[0])
    return decompress(data, dictionary=data[0] if data else ZSTD_MAGIC[0])


def unpack_payload(data: bytes) -> str:
    return payload_bytes(data).decode("utf-8")


@lru_cache(maxsize=4)
def payload_dictionary(mark: int = PAYLOAD_MARK[0]) -> bytes:
    """Text that stored records share (their keys, the words of panel papers), which the compressor
    refers back to: a record of 1-2 KB compressed on its own finds little to refer to. Stored records
    were a third smaller with it (held-out real papers: a fifth)."""
    path = PAYLOAD_DICTIONARIES.get(mark)
    if path is None:
        raise CompressedDataError(f"a stored record begins with an unknown byte ({mark:#04x})")
    return path.read_bytes()


def compress(data: bytes, dictionary: int | None = None) -> bytes:
    """Zstandard at level 3 (the index's posting blocks, stored records, kept sections), with the
    payload dictionary `dictionary` names (see PAYLOAD_DICTIONARIES) or none."""
    return _coder("compress", dictionary).compress(data)


def decompress(data, dictionary: int | None = None) -> bytes:
    """What `compress` made; CompressedDataError when it is damaged."""
    try:
        return _coder("decompress", dictionary).decompress(data)
    except _zstd().ZstdError as exc:
        raise CompressedDataError(str(exc)) from None


_CODERS = threading.local()  # Zstandard's (de)compressors must not be shared between threads: a set for each


def _coder(kind: str, dictionary: int | None):
    coders, name = _CODERS.__dict__, f"{kind} with {dictionary}"
    coder = coders.get(name)
    if coder is None:
        zstandard = _zstd()
        data = (zstandard.ZstdCompressionDict(payload_dictionary(dictionary), dict_type=zstandard.DICT_TYPE_RAWCONTENT)
                if dictionary is not None else None)
        coder = coders[name] = (
            zstandard.ZstdCompressor(level=3, dict_data=data, write_dict_id=False) if kind == "compress"
            else zstandard.ZstdDecompressor(dict_data=data))
    return coder


@lru_cache(maxsize=1)
def _zstd():
    import zstandard  # (loaded when first needed: a search that shows no record does not need it)

    return zstandard


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
