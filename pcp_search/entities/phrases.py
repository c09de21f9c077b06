"""Finding the registry's names in text: each name with its label and id, matched whole words only,
either ignoring case or exactly, as a trie of the names compiled into one regular expression.

This replaced spaCy's tokenizer and PhraseMatcher, which were two thirds of tagging's time (the regular
expression engine runs in C over the whole text; spaCy made a token object for every word first). The
matches are the same: a name matches where it stands as whole words (no letter or digit either side),
the words of a name apart by one space; where names overlap, the tagger keeps the longest in words
(then the earliest), as spaCy's `filter_spans` did.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter

FEW_NAMES = 12  # an expression whose names hold one of this many or fewer is tried only on a text holding one of them (`compile`)


@dataclass
class Phrases:
    """Names to find: `add` them, then `find` every place one stands (several may overlap; the caller
    chooses). Names that ignore case are held in lower case; the regular expressions are compiled again
    after a change, when next needed."""

    folded: dict[str, tuple[str, str]] = field(default_factory=dict)  # lower-case name -> (label, id)
    exact: dict[str, tuple[str, str]] = field(default_factory=dict)
    _compiled: tuple | None = None
    _found: dict[int, dict[str, list]] = field(default_factory=dict)  # `_names_at` by table and name found

    def add(self, name: str, label: str, entity_id: str, exact: bool) -> None:
        """Find `name` (ignoring case unless `exact`); the first label and id given for a name stay."""
        table, key = (self.exact, name) if exact else (self.folded, name.lower())
        if key not in table:
            table[key] = (label, entity_id)
            self._compiled = None

    def clear(self) -> None:
        self.folded.clear()
        self.exact.clear()
        self._compiled = None

    def __bool__(self) -> bool:
        return bool(self.folded or self.exact)

    def compile(self) -> tuple:
        """The regular expressions of the names as they are now (compiled once after each change), each with
        its names when they are few (FEW_NAMES): names ignoring case, exact names starting with a capital
        A-Z, and the other exact names. An expression stops at each place a name might start (the folded
        one at every space and sign; the exact one at each first character of its names, which for one
        name, 'the Met', was every 't'), and the names one document teaches are few: a text holding none
        of them, as `in` tells far sooner, is not searched."""
        if self._compiled is None:
            capitals = [name for name in self.exact if "A" <= name[0] <= "Z"]
            others = [name for name in self.exact if not "A" <= name[0] <= "Z"]
            self._compiled = tuple((_compile(names, exact=table is self.exact), _few(names))
                                   for table, names in ((self.folded, self.folded), (self.exact, capitals), (self.exact, others)))
            self._found = {}
        return self._compiled

    def find(self, text: str) -> list[tuple[int, int, str, str]]:
        """Each place a name stands, as (start, end, label, id): at each word start every name there
        (the longest, found by the expression, and the shorter names it begins with), names ignoring
        case first, then exact ones. Overlaps are left to the caller, as spaCy's span rulers left them."""
        if not self:
            return []
        (folded, few_folded), (capitals, few_capitals), (others, few_others) = self.compile()
        found: list[tuple[int, int, str, str]] = []
        if folded is not None:
            lower = text.lower()
            if len(lower) == len(text):  # (a few letters outside ASCII change length in lower case)
                spaced = " " + lower  # (`_compile`: the space)
                if _may_hold(spaced, few_folded):
                    found += self._matches(folded, spaced, self.folded, char_before=True)
            else:
                caseless = re.compile(folded.pattern, re.IGNORECASE)  # (rare: not kept)
                spaced = " " + text
                for m in caseless.finditer(spaced):
                    if not word_char(spaced[m.start()]):  # (see `_compile`)
                        found += _names_at(m.group(1), m.start(), self.folded, fold=True)
        exact_found = self._matches(capitals, text, self.exact) if capitals is not None and _may_hold(text, few_capitals) else []
        if others is not None and _may_hold(text, few_others):
            exact_found += self._matches(others, text, self.exact)
            exact_found.sort(key=itemgetter(0))  # (in text order, as one expression found them: no place starts both)
        return found + exact_found

    def _matches(self, pattern: re.Pattern, text: str, table: dict, char_before: bool = False) -> list[tuple[int, int, str, str]]:
        """Each name of `table` the expression finds, and the shorter names it begins with (`_names_at`,
        kept by name until the names change: the same few names are found again and again). With
        `char_before`, each match is the character before a name, which must be no letter or digit (the
        expression lets through those outside ASCII: see `_compile`)."""
        known = self._found.setdefault(id(table), {})
        found: list[tuple[int, int, str, str]] = []
        for m in pattern.finditer(text):
            longest, start = m.group(1), m.start()
            if char_before and text[start] > "\x7f" and word_char(text[start]):
                continue
            names = known.get(longest)
            if names is None:
                names = known[longest] = [(end, label, entity_id) for _, end, label, entity_id in _names_at(longest, 0, table)]
            found += [(start, start + end, label, entity_id) for end, label, entity_id in names]
        return found


def _few(names) -> list[str] | None:
    """Names every one of the names holds one of ('MASHs' holds 'MASH'), shortest first, if FEW_NAMES or fewer."""
    kept: list[str] = []
    for name in sorted(names, key=len):
        if not any(key in name for key in kept):
            kept.append(name)
            if len(kept) > FEW_NAMES:
                return None
    return kept


def _may_hold(text: str, names: list[str] | None) -> bool:
    """Whether the text may hold a name: one of `_few` names (any, when they are not given) is in it."""
    return names is None or any(name in text for name in names)


def _names_at(longest: str, start: int, table: dict, fold: bool = False) -> list[tuple[int, int, str, str]]:
    """The longest name at `start` and every shorter name it begins with that ends where a word ends."""
    names = []
    for end in range(len(longest), 0, -1):
        if end < len(longest) and word_char(longest[end]):
            continue  # (a name stands as whole words)
        key = longest[:end].lower() if fold else longest[:end]
        if key in table:
            names.append((start, start + end, *table[key]))
    return names


def word_char(char: str) -> bool:
    """A letter, digit or underscore: what the regular expressions' \\w matches (names stand between others)."""
    return char.isalnum() or char == "_"


def _compile(names: Iterable[str], exact: bool) -> re.Pattern | None:
    """One expression finding at each word start the longest of `names` standing as whole words (group 1).

    It begins with a set of characters, as the regular expression engine skips in C to where one stands
    (an expression that begins with a lookbehind is tried at every character, twice as slow or more).
    Exact names, nearly all capitalised, begin with their first characters, rare in text: a lookbehind
    then steps back over that character to check the word start and capture the name from there. Names
    ignoring case, whose first letters are everywhere in lower-case text, begin with the character before
    the name, one that is no letter or digit: the text is searched with a space in front, so that this
    character's place in it is the name's place in the text. That character is looked for as none of the
    lower-case ASCII letters, digits and '_', a set the engine checks far faster than \\W (a quarter of
    the time these expressions took); the letters and digits outside ASCII it lets through are passed
    over by `_matches` (the text is in lower case, or searched ignoring case: A-Z are in the set)."""
    first = sorted({name[0] for name in names if name})
    if not first:
        return None
    trie = _trie_pattern(_trie(names))
    if exact:
        return re.compile("[" + "".join(map(re.escape, first)) + r"](?<=(?<!\w)(?=(" + trie + r")(?!\w))[\s\S])")
    return re.compile(r"[^0-9a-z_](?=(" + trie + r")(?!\w))")


def _trie(names) -> dict:
    root: dict = {}
    for name in names:
        node = root
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}  # a name ends here
    return root


def _trie_pattern(node: dict) -> str:
    """The trie as a regular expression whose alternatives try the longer names first."""
    ends = "" in node
    branches = []
    for char, child in sorted(node.items()):
        if not char:
            continue
        chain = char
        while len(child) == 1 and "" not in child:  # (letters with no choice after them: written at once)
            [(char, child)] = child.items()
            chain += char
        branches.append(re.escape(chain) + _trie_pattern(child))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:  # a name ends here, and longer ones go on: try the longer first
        return "(?:" + body + ")?"
    return body
