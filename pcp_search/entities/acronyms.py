"""Acronyms the papers define inline: 'Multi-Agency Safeguarding Hubs (MASH)' and 'MASH (Multi-Agency
Safeguarding Hub)'. A definition counts only when the long form's initials spell the acronym."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from pcp_search.entities.patterns import WORD_START

BRACKETED_ABBR = re.compile(r"\(\s*([A-Z][A-Za-z&/]{1,9}?)(?:'?s)?\s*\)")
WORD = re.compile(r"[A-Za-z][\w'’&-]*|&")
ABBR_THEN_LONG = re.compile(r"([A-Z]" + WORD_START + r"[A-Z&]{1,9})(?:'?s)?\s+\(\s*([A-Za-z][^()]{4,90}?)\s*\)")
LONGEST_ABBR = 12  # the most characters ABBR_THEN_LONG's acronym and its 's take: [A-Z][A-Z&]{1,9}'s
WORD_JOIN = re.compile(r"[-/]")
MINOR = {"and", "of", "the", "for", "in", "on", "to", "&", "a", "an", "at", "by", "with"}


def definitions(text: str) -> list[tuple[str, str]]:
    """(acronym, long form) pairs defined in the text, in order, without repeats."""
    found: dict[str, str] = {}
    for match in BRACKETED_ABBR.finditer(text):
        abbr = match.group(1)
        before = text[max(0, match.start() - 160):match.start()]
        if not before.endswith((" ", "\t", "\n")):
            continue
        words = WORD.findall(before.rsplit("\n", 1)[-1])[-10:]
        long_form = _matching_suffix(words, abbr)
        if long_form and abbr not in found:
            found[abbr] = long_form
    for match in _abbr_then_long(text):
        abbr, long_form = match.group(1), match.group(2).strip()
        words = long_form.split()
        if abbr not in found and _initials_match(words, abbr):
            found[abbr] = " ".join(words)
    return list(found.items())


def _abbr_then_long(text: str) -> Iterator[re.Match]:
    """ABBR_THEN_LONG.finditer(text), searched for only near brackets: the expression starts at every
    capital letter, a slow search through every text, and brackets are few. A match runs from an acronym
    (at most LONGEST_ABBR characters) over spaces to a bracket, and then to the first ')' after it: so a
    match through a bracket starts in the LONGEST_ABBR characters before the spaces before it, and ends
    at that ')'; no match goes through a bracket with no space before it."""
    pos = 0  # (where finditer would search from: after the last match)
    while (bracket := text.find("(", pos)) != -1:
        spaces = bracket
        while spaces > pos and text[spaces - 1].isspace():  # (str.isspace is what \s matches)
            spaces -= 1
        if spaces == bracket:
            pos = bracket + 1
            continue
        close = text.find(")", bracket)
        if close == -1:
            return
        found = ABBR_THEN_LONG.search(text, max(pos, spaces - LONGEST_ABBR), close + 1)
        if found:
            yield found
            pos = found.end()
        else:
            pos = close + 1


def _matching_suffix(words: list[str], abbr: str) -> str | None:
    """The shortest run of trailing words whose initials spell the acronym.

    The runs are tried from the shortest, each with the initials of the one before and one more word's, and
    the search stops at the first run with more significant initials than the acronym has letters, as
    `_match` uses each of them for a letter and a longer run has as many or more (it tried every run, each
    read from its first word again)."""
    letters = _letters(abbr)
    if len(letters) < 2:
        return None
    initials: tuple[tuple[str, str], ...] = ()
    significant = 0
    for start in range(len(words) - 1, -1, -1):
        word = words[start]
        more = _word_initials(word)
        initials = more + initials
        significant += sum(kind == "!" for kind, _ in more)
        if significant > len(letters):
            return None
        if len(initials) < len(letters) or word.lower() in MINOR or not word[:1].isupper():
            continue  # (each initial spells one letter at most)
        if _match(list(initials), letters):
            return " ".join(words[start:]).strip(" ,;:")
    return None


def _letters(abbr: str) -> list[str]:
    return [c.lower() for c in abbr if c.isalpha()]


def _initials_match(words: list[str], abbr: str) -> bool:
    letters = _letters(abbr)
    if len(letters) < 2 or not words or not words[0][:1].isupper():
        return False
    initials = [initial for word in words for initial in _word_initials(word)]
    return _match(initials, letters)


@lru_cache(maxsize=8192)  # (`_matching_suffix` reads the same words again for each longer run of them)
def _word_initials(word: str) -> tuple[tuple[str, str], ...]:
    """The initial of each part of a word ('Multi-Agency': m, a), marked '?' where the part is a minor
    word, which may be skipped, and '!' where not."""
    initials = []
    for part in WORD_JOIN.split(word):
        if not part:
            continue
        if part.lower() in MINOR:
            initials.append(("?", part.lower()[0]))
        elif part[0].isalpha():
            initials.append(("!", part[0].lower()))
    return tuple(initials)


def _match(initials: list[tuple[str, str]], letters: list[str]) -> bool:
    """Every significant word's initial is used in order; minor words may be skipped."""
    if not letters:
        return all(kind == "?" for kind, _ in initials)
    if not initials:
        return False
    (kind, char), rest = initials[0], initials[1:]
    if char == letters[0] and _match(rest, letters[1:]):
        return True
    return kind == "?" and _match(rest, letters)
