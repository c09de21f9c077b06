"""Readers that turn a file (.txt/.md, .pdf, .html, .docx) into a Document of lines with pages."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pcp_search.config import SKIPPED_NAMES, SUPPORTED_SUFFIXES
from pcp_search.models import Document


class IngestError(Exception):
    """A file that cannot be read; the message is the one-line reason shown to the user."""


def read_document(path: str | Path) -> Document:
    """Read one file into a Document; raise IngestError with a one-line reason when it cannot."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror or exc}") from None
    if not data.strip():
        raise IngestError("empty file")
    suffix = path.suffix.lower()
    reader = _reader_for(suffix)
    warnings: list[str] = []
    try:
        lines = reader(data)
        if isinstance(lines, tuple):  # a reader that also reports warnings
            lines, warnings = lines
    except IngestError:
        raise
    except Exception as exc:  # a reader library failing on hostile input
        raise IngestError(f"unreadable {suffix[1:]}: {type(exc).__name__}: {exc}".splitlines()[0][:200]) from None
    if not any(line.text.strip() for line in lines):
        raise IngestError("no text could be extracted")
    return Document(
        path=str(path),
        name=path.name,
        lines=lines,
        sha=hashlib.sha256(data).hexdigest(),
        fmt=suffix[1:],
        meta=read_sidecar(path),
        warnings=warnings,
    )


def _reader_for(suffix: str):
    if suffix == ".pdf":
        from pcp_search.ingest.pdf import read_pdf_pages

        return read_pdf_pages
    if suffix in (".html", ".htm"):
        from pcp_search.ingest.html import read_html

        return read_html
    if suffix == ".docx":
        from pcp_search.ingest.docx import read_docx

        return read_docx
    from pcp_search.ingest.text import read_text

    return read_text


def read_sidecar(path: Path) -> dict:
    """Metadata overrides from `NAME.meta.json` beside the file (an unreadable sidecar is ignored): `title`,
    `kind`, `date` (or `meeting_date`, as `fetch` writes), `author`, `panel`, and `url`, the paper's source."""
    sidecar = path.with_name(path.name + ".meta.json")
    if not sidecar.is_file():
        sidecar = path.with_suffix(".meta.json")
    if not sidecar.is_file():
        return {}
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    if data.get("meeting_date") and not data.get("date"):
        data["date"] = data["meeting_date"]  # a fetched paper's meeting date is its date, whatever its text says
    return data


def is_paper(path: Path) -> bool:
    """True for a file of a supported format that is not a README, licence or sidecar."""
    name = path.name.lower()
    if name.endswith(".meta.json") or name.startswith("."):
        return False
    if path.stem.lower() in SKIPPED_NAMES:
        return False
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def discover(paths: list[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Expand files and folders into paper files; also return (path, reason) for paths that fail."""
    found: list[Path] = []
    problems: list[tuple[str, str]] = []
    seen: set[str] = set()
    for root in paths:
        if not root.exists():
            problems.append((str(root), "no such file or folder"))
        elif root.is_dir():
            _walk(root, found, problems, seen)
        elif is_paper(root):
            found.append(root)
        else:
            problems.append((str(root), f"unsupported file type {root.suffix or '(none)'}"))
    return found, problems


def _walk(root: Path, found: list[Path], problems: list[tuple[str, str]], seen: set[str]) -> None:
    """Walk a folder without following symlinked folders into loops."""
    try:
        real = str(root.resolve(strict=True))
    except (OSError, RuntimeError):
        problems.append((str(root), "symlink loop or broken link"))
        return
    if real in seen:
        return
    seen.add(real)
    try:
        entries = sorted(root.iterdir())
    except OSError as exc:
        problems.append((str(root), f"cannot list folder: {exc.strerror or exc}"))
        return
    for entry in entries:
        if entry.is_symlink() and entry.is_dir():
            _walk(entry, found, problems, seen)
        elif entry.is_dir():
            _walk(entry, found, problems, seen)
        elif entry.is_symlink() and not entry.exists():
            problems.append((str(entry), "broken symlink"))
        elif is_paper(entry):
            found.append(entry)
