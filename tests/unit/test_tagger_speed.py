"""The tagger's shortcuts give the answers of the slow forms they replace (issue #18: indexing speed).

Each shortcut is a cheap first test before a slow pattern ('in' for a word every match holds), a search
confined to where a match can stand, or a quicker path when nothing overlaps; each is checked here against
the slow form on the seed papers and on made-up strings built from the patterns' own words and signs.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from pcp_search.entities import patterns

SEED = Path(__file__).resolve().parents[1] / "data" / "seed"


def _seed_texts() -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEED.glob("*.txt"))]
    return texts + [line for text in texts for line in text.splitlines()]


def _made_up(words: list[str], count: int = 4000, seed: int = 18) -> list[str]:
    """Strings of the given words and signs, joined by nothing, a space or a line break."""
    rng = random.Random(seed)
    return ["".join(rng.choice(words) + rng.choice(["", " ", " ", "\n"]) for _ in range(rng.randint(1, 16)))
            for _ in range(count)]


# -- cheap first tests ---------------------------------------------------------------------------------
def _dates_slow(text: str) -> list[tuple[int, int, str]]:
    found, end = [], 0
    for match in patterns.DATE.finditer(text):
        if match.start() >= end:
            end = match.end(1)
            found.append((match.start(), end, "date:" + patterns.slug(match.group(1))))
    return found


DATE_WORDS = re.findall(r"[A-Za-z]+", patterns.DATE_FORMS) + [
    "1", "12", "3rd", "2024", "1999", "2017/18", "2021-2025", "2021 – 2022", "Q3", "Qtr.", "Quarter", "4", "31st",
    "Sept.", ",", "-", "/", "18", "21", "2", "0"]


def test_dates_are_the_expressions_matches():
    for text in _seed_texts() + _made_up(DATE_WORDS):
        assert list(patterns.dates(text)) == _dates_slow(text), text


def _operations_slow(text: str) -> list[tuple[int, int, str]]:
    found = []
    for match in patterns.at_word_starts(patterns.OPERATION, text):
        name = match.group("name").split()
        if name[0] in patterns.NOT_OPERATION_NAMES:
            continue
        if len(name) > 1 and name[1] in patterns.NOT_OPERATION_NAMES | {"And", "In", "Of"}:
            name = name[:1]
        kind = "operation" if match.group("kind").lower().startswith("op") else match.group("kind").lower()
        end = match.start("name") + len(" ".join(name))
        found.append((match.start(), end, f"programme:{kind}-{patterns.slug(' '.join(name))}"))
    return found


OPERATION_WORDS = ["Operation", "Op", "Op.", "Project", "Programme", "Bluebird", "Sceptre", "Board", "And", "Of",
                   "Stay", "Safe", "OP", "op", "Opal", "Projects", "x", "Team"]


def test_operations_are_the_expressions_matches():
    for text in _seed_texts() + _made_up(OPERATION_WORDS):
        assert list(patterns.operations(text)) == _operations_slow(text), text
