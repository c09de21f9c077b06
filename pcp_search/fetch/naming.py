"""Safe file names for fetched papers: whatever a server or a link says, a name stays inside --dest."""

from __future__ import annotations

import re
import unicodedata
from email.message import Message
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

MAX_STEM = 120  # characters of a title kept in a file name (file systems allow 255 bytes)
UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


class UnsafeName(Exception):
    """A name that would land outside the destination folder (never raised for names made here)."""


def clean_title(text: str | None, fallback: str = "document") -> str:
    """A title made fit for a file name: separators, control and reserved characters become spaces,
    leading dots go (no hidden files, no `..`), runs of spaces fold, and the length is capped."""
    text = unicodedata.normalize("NFKC", text or "")
    text = UNSAFE.sub(" ", text)
    text = " ".join(text.split()).strip(" .")
    if len(text) > MAX_STEM:
        text = text[:MAX_STEM].rsplit(" ", 1)[0].rstrip(" .") or text[:MAX_STEM]
    if not text or text.lower() in RESERVED:
        text = fallback
    return text


def disposition_filename(header: str | None) -> str | None:
    """The file name a Content-Disposition header gives (RFC 6266, `filename*=` preferred), reduced
    to its last path part: `../../etc/passwd` gives `passwd`, `C:\\x\\y.pdf` gives `y.pdf`."""
    if not header:
        return None
    message = Message()
    message["content-disposition"] = header
    try:
        name = message.get_filename()
    except (ValueError, LookupError):
        return None
    if not name:
        return None
    name = str(name).replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name or None


def url_filename(url: str) -> str | None:
    """The last part of a URL's path, decoded (`documents/s1/Annex%201.pdf` gives `Annex 1.pdf`)."""
    path = unquote(urlsplit(url).path)
    name = PurePosixPath(path.replace("\\", "/")).name
    return name or None


def split_ext(name: str) -> tuple[str, str]:
    """('Annex 1', 'pdf') from 'Annex 1.pdf'; the extension is lower case and may be empty."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or not ext.isalnum() or len(ext) > 5:
        return name, ""
    return stem, ext.lower()


def paper_filename(date: str | None, title: str, ext: str | None) -> str:
    """`YYYY-MM-DD_<title>.<ext>` (no date prefix when the meeting date is unknown, no extension when the type is)."""
    stem = clean_title(title)
    if date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) and not stem.startswith(date):
        stem = f"{date}_{stem}"
    return f"{stem}.{ext}" if ext else stem


def inside(dest: Path, name: str) -> Path:
    """`dest/name`, checked to be directly inside `dest` (a last guard: names made here always are)."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name:
        raise UnsafeName(f"unsafe file name {name!r}")
    target = dest / name
    if target.resolve().parent != dest.resolve():
        raise UnsafeName(f"{name!r} would land outside {dest}")
    return target


def numbered(name: str, number: int) -> str:
    """'Minutes (2).pdf' for the second paper that would be called 'Minutes.pdf'."""
    stem, ext = split_ext(name)
    return f"{stem} ({number}).{ext}" if ext else f"{stem} ({number})"
