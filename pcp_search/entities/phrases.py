"""Finding the registry's names in text: each name with its label and id, matched whole words only,
either ignoring case or exactly, as a trie of the names compiled into one regular expression.

This replaced spaCy's tokenizer and PhraseMatcher, which were two thirds of tagging's time (the regular
expression engine runs in C over the whole text; spaCy made a token object for every word first). The
matches are the same: a name matches where it stands as whole words (no letter or digit either side),
the words of a name apart by one space, and the longest name at each place wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class Phrases:
    """Names to find: `add` them, then `find` every place one stands (several may overlap; the caller
    chooses). Names that ignore case are held in lower case; the regular expressions are compiled again
    after a change, when next needed."""

    folded: dict[str, tuple[str, str]] = field(default_factory=dict)  # lower-case name -> (label, id)
    exact: dict[str, tuple[str, str]] = field(default_factory=dict)
    _compiled: tuple | None = None

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
        """The regular expressions of the names as they are now (compiled once after each change)."""
        if self._compiled is None:
            self._compiled = (_compile(self.folded), _compile(self.exact))
        return self._compiled

    def find(self, text: str) -> list[tuple[int, int, str, str]]:
        """Each place a name stands, as (start, end, label, id): at each word start the longest name
        there, names ignoring case first, then exact ones."""
        if not self:
            return []
        folded, exact = self.compile()
        found = []
        if folded is not None:
            lower = text.lower()
            if len(lower) == len(text):  # (a few letters outside ASCII change length in lower case)
                found += [(m.start(), m.end(1), *self.folded[m.group(1)]) for m in folded.finditer(lower)]
            else:
                caseless = re.compile(folded.pattern, re.IGNORECASE)  # (rare: not kept)
                found += [(m.start(), m.end(1), *self.folded[m.group(1).lower()]) for m in caseless.finditer(text)
                          if m.group(1).lower() in self.folded]
        if exact is not None:
            found += [(m.start(), m.end(1), *self.exact[m.group(1)]) for m in exact.finditer(text)]
        return found


def _compile(names: dict, flags: int = 0) -> re.Pattern | None:
    """One expression matching at each word start the longest of `names` standing as whole words."""
    if not names:
        return None
    return re.compile(r"(?<!\w)(?=(" + _trie_pattern(_trie(names)) + r")(?!\w))", flags)


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
    branches = [re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:  # a name ends here, and longer ones go on: try the longer first
        return "(?:" + body + ")?"
    return body
