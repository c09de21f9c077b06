"""Shared fixtures: isolation from the developer's environment and a seed index built once.

The tests own their data: the five seed papers (and their sidecars) are vendored in tests/data/seed, so
a user's own papers in corpus/ (added, changed or removed) never change what the tests expect."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
PAPERS = DATA / "papers"
SEEDS = DATA / "seed"  # the seed papers as shipped in corpus/ (never corpus/ itself: that is the user's)
SEED_MINUTES = SEEDS / "001_a12a3b4e05c5168b.txt"


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch, tmp_path_factory):
    """No test sees the developer's index, corpus or panel settings: each runs (and starts its
    subprocesses) in an empty folder of its own, so a command's default folders (corpus/, index/) are
    never the project's."""
    for name in ("PCP_SEARCH_INDEX", "PCP_SEARCH_CORPUS", "PCP_SEARCH_PANEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory) -> Path:
    """The seed corpus indexed once per session (read-only for the tests that use it)."""
    from pcp_search.indexer import index_paths

    folder = tmp_path_factory.mktemp("seed")
    corpus = folder / "corpus"
    shutil.copytree(SEEDS, corpus)
    index_dir = folder / "index"
    report = index_paths([corpus], index_dir, workers=1)
    assert report.documents == 5, report.skipped
    return index_dir


@pytest.fixture(scope="session")
def service(seed_index):
    from pcp_search.search import SearchService

    return SearchService(seed_index)


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A writable copy of the seed corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(SEEDS, target)
    return target
