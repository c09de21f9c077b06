"""The index's words as typed (`words.json`: word -> how many records hold it), for "did you mean"."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from pcp_search.engine.files import atomic_write

WORD = re.compile(r"[a-z][a-z'’]+")


def words_of(texts: Iterable[str], counts: Counter | None = None) -> Counter:
    """Each word of the texts (lower case, two letters or more) with how many texts hold it, added to
    `counts` when given."""
    counts = Counter() if counts is None else counts
    for text in texts:
        counts.update(set(WORD.findall((text or "").lower())))
    return counts


class Vocabulary:
    """Every word of the indexed records (lower case) with the number of records holding it; read
    again when the file changes, updated by each commit's additions and deletions."""

    def __init__(self, path: Path, derive: Callable[[], dict[str, int]] | None = None) -> None:
        self.path = path
        self._derive = derive  # the words counted from the index itself, when the file is lost or broken
        self._loaded: tuple[int, dict[str, int]] | None = None

    def words(self) -> dict[str, int]:
        try:
            stamp = self.path.stat().st_mtime_ns
        except OSError:
            stamp = -1
        if self._loaded is None or self._loaded[0] != stamp:
            saved = self.read()
            self._loaded = (stamp, saved if saved is not None else self._derive() if self._derive else {})
        return self._loaded[1]

    def read(self) -> dict[str, int] | None:
        """The saved words, or None when the file is missing or not whole."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def save(self, words: dict[str, int]) -> None:
        atomic_write(self.path, json.dumps(words, ensure_ascii=False, separators=(",", ":")))
        self._loaded = None

    def update(self, change: Counter) -> None:
        if not change:
            return
        words = self.words().copy()
        for word, delta in change.items():
            count = words.get(word, 0) + delta
            if count > 0:
                words[word] = count
            else:
                words.pop(word, None)
        self.save(words)

    def count(self, word: str) -> int:
        """How many records hold this exact (unstemmed) word."""
        return self.words().get(word.lower(), 0)

    def suggest(self, word: str, limit: int = 8) -> list[tuple[str, int]]:
        """Index words within two edits of `word`, closest and commonest first, with their counts."""
        word = word.lower()
        candidates = []
        for other, count in self.words().items():
            if abs(len(other) - len(word)) > 2 or other[:1] != word[:1] and other[1:2] != word[1:2]:
                continue
            distance = edit_distance(word, other, limit=2)
            if distance <= 2:
                candidates.append((distance, -count, other))
        return [(other, -negcount) for _d, negcount, other in sorted(candidates)[:limit]]


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """Levenshtein distance; stops early (returning limit + 1) once it must exceed `limit`."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if limit is not None and min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]
