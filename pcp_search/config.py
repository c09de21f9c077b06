"""Paths and defaults, with environment overrides (PCP_SEARCH_INDEX, PCP_SEARCH_CORPUS)."""

from __future__ import annotations

import os
from pathlib import Path

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".html", ".htm", ".docx")
SKIPPED_NAMES = ("readme", "licence", "license", "notice")


def default_index_dir() -> Path:
    """`$PCP_SEARCH_INDEX`, else ./index."""
    return Path(os.environ.get("PCP_SEARCH_INDEX") or "index")


def default_corpus_dir() -> Path:
    """`$PCP_SEARCH_CORPUS`, else ./corpus."""
    return Path(os.environ.get("PCP_SEARCH_CORPUS") or "corpus")


def default_panel() -> str | None:
    """The panel a corpus belongs to when the papers do not say (`$PCP_SEARCH_PANEL`)."""
    return os.environ.get("PCP_SEARCH_PANEL") or None
