"""Bounded query cost: wildcards and prefixes stand for at most MAX_EXPANSION index words, so random
queries of many wildcards answer quickly over an index with a large vocabulary, and say when capped."""

from __future__ import annotations

import random
import time

import pytest

from pcp_search.engine.expansion import MAX_EXPANSION
from pcp_search.indexer import index_paths
from pcp_search.search import SearchService

SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "pe", "da", "gri", "stra", "bel", "cor", "fen", "hul"]


@pytest.fixture(scope="module")
def wordy_index(tmp_path_factory):
    """Forty papers of invented words: a vocabulary of tens of thousands of distinct terms."""
    rng = random.Random(5)
    folder = tmp_path_factory.mktemp("wordy")
    papers = folder / "papers"
    papers.mkdir()
    for n in range(40):
        lines = [f"Minutes of the Northshire Police and Crime Panel held on {n % 27 + 1} May 2024", "", "1. Business", ""]
        for _ in range(60):
            lines.append(" ".join("".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(14)) + ".")
        (papers / f"paper{n:02d}.txt").write_text("\n".join(lines), encoding="utf-8")
    index_paths([papers], folder / "ix", workers=1)
    return folder / "ix"


def random_query(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 5)):
        stem = "".join(rng.choices(SYLLABLES, k=rng.randint(0, 2)))[: rng.randint(1, 4)] or "k"
        parts.append(rng.choice([f"{stem}*", f"{stem}?{rng.choice('aeiou')}*", f"{stem}*a", stem + rng.choice(SYLLABLES)]))
    return rng.choice([" OR ", " ", " AND "]).join(parts) + rng.choice(["", " -ka*", ' "ka lo"'])


@pytest.mark.parametrize("seed", range(3))
def test_random_wildcard_queries_answer_quickly_and_say_when_capped(wordy_index, seed):
    service = SearchService(wordy_index)
    service.search("warm")
    rng = random.Random(seed)
    for _ in range(15):
        query = random_query(rng)
        started = time.perf_counter()
        result = service.search(query, limit=10)
        assert time.perf_counter() - started < 2.0, query
        assert all("matched" not in note or f"the {MAX_EXPANSION} most frequent" in note for note in result.notes)


def test_a_single_letter_prefix_is_capped_with_a_note(wordy_index):
    result = SearchService(wordy_index).search("k*")
    assert result.total > 0
    assert any(f"searched the {MAX_EXPANSION} most frequent" in note and "'k*'" in note for note in result.notes)
