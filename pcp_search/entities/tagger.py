"""The tagger: the registry's names found in the text (case-insensitive names, case-sensitive acronyms
and place names; `phrases.Phrases`), plus rule patterns, context rules and acronym learning."""

from __future__ import annotations

import re
from contextlib import contextmanager
from functools import lru_cache

from pcp_search.entities import acronyms, patterns
from pcp_search.entities.phrases import Phrases, word_char
from pcp_search.entities.registry import EntityEntry, Registry, gazetteer
from pcp_search.models import Entity

PROGRAMME_NOUNS = {"strategy", "duty", "programme", "program", "team", "teams", "referral", "referrals", "officer",
                   "officers", "and", "panel", "panels", "work", "training", "lead", "leads", "board", "coordinator",
                   "co-ordinator", "agenda", "strand", "case", "cases", "scheme", "activity", "plan", "plans", "funding"}
NOT_CHANNEL_NEXT = {"Islands", "Island", "Tunnel", "4", "5", "Four", "Five"}
TAGGED_LABELS = ("FORCE", "COUNCIL", "PROGRAMME", "BODY", "PERSON", "ROLE", "ACRONYM")


class Tagger:
    """Tags text with canonical entities; `learn` adds a document's acronyms and people first."""

    def __init__(self, registry: Registry | None = None) -> None:
        self.registry = registry or gazetteer()
        self._patterned: set[tuple[str, str]] = set()
        self._base = Phrases()
        self._learned = Phrases()  # what one document teaches, forgotten when it is done (`scope`)
        self._target = self._base
        self._add_patterns(self.registry.entries.values())
        self._base.compile()  # (before indexing's workers are forked from this process: once for all)

    @contextmanager
    def scope(self):
        """Tag one document: what it teaches (acronyms, people, entries the rules add) holds for it
        alone and is forgotten after, so a document's entities never depend on which documents the
        same process read before it (one worker or two give the same ids). The run's `adopt` shares
        what was learned between batches, in a fixed order."""
        mark = self.registry.checkpoint()
        patterned = set(self._patterned)
        self._target = self._learned
        try:
            yield
        finally:
            self._target = self._base
            self._learned.clear()
            self._patterned = patterned
            self.registry.rollback(mark)

    # -- patterns -------------------------------------------------------------------------------
    def _add_patterns(self, entries) -> None:
        phrases = self._target
        for entry in entries:
            if entry.label not in TAGGED_LABELS:
                continue
            for form in entry.forms():
                form = " ".join(form.split())
                if not form or (entry.id, form) in self._patterned:
                    continue
                self._patterned.add((entry.id, form))
                exact = _case_sensitive(entry, form)
                if exact and not any(c.isupper() for c in form):
                    continue  # a lower-case single word ("reading") would tag ordinary words
                phrases.add(form, entry.label, entry.id, exact)
                if entry.label in ("ACRONYM", "PROGRAMME", "BODY", "FORCE") and form.isupper() and len(form) > 1:
                    phrases.add(form + "s", entry.label, entry.id, exact=True)

    def learn(self, text: str) -> list[EntityEntry]:
        """Add the acronyms a document defines and the people it names with a title or role."""
        learned: list[EntityEntry] = []
        for abbr, long_form in acronyms.definitions(text):
            long_form = long_form.strip("'’\"” ")
            entry = self._merge_acronym(abbr, long_form)
            if entry:
                learned.append(entry)
        for _start, _end, entity_id, name in patterns.people(text):
            if entity_id not in self.registry.entries and len(name.split()) >= 2:
                entry = EntityEntry(entity_id, "PERSON", name, [], True)
                self.registry.add(entry)
                learned.append(entry)
        if learned:
            self._add_patterns(learned)
        return learned

    def adopt(self, entries: list[EntityEntry]) -> None:
        """Entities learned elsewhere (another worker's documents): tagged from now on."""
        for entry in entries:
            self.registry.add(entry)
        self._add_patterns([self.registry.get(entry.id) for entry in entries])
        self._base.compile()

    def _merge_acronym(self, abbr: str, long_form: str) -> EntityEntry | None:
        by_abbr = self.registry.find(abbr)
        by_long = self.registry.find(long_form)
        if by_abbr and (by_abbr.case_sensitive is False or abbr in by_abbr.forms()):
            self.registry.add_alias(by_abbr.id, long_form)
            return by_abbr
        if by_long:
            self.registry.add_alias(by_long.id, abbr)
            return by_long
        entry = EntityEntry(f"acronym:{abbr.lower().replace('&', 'and')}", "ACRONYM", long_form, [abbr])
        self.registry.add(entry)
        return self.registry.get(entry.id)

    # -- tagging ----------------------------------------------------------------------------------
    def tag(self, text: str, home_force: str | None = None) -> list[Entity]:
        """Entities in the text, longest match first, in text order, with context rules applied."""
        spans = [span for span in [*self._base.find(text), *self._learned.find(text)]
                 if span[3] not in CONTEXT_RULED or _keep(span, text)]
        found = _longest(spans, text)
        found += _rule_spans(text, self.registry)
        if home_force and "Force" in text:  # (the expression is tried at every character: most texts lack the word)
            found += [(m.start(1), m.end(1), "FORCE", home_force) for m in HOME_FORCE.finditer(text)]
        return _resolve(found, text)


HOME_FORCE = re.compile(r"[Tt]" + patterns.WORD_START + r"he\s+(Force)(?!\s+[A-Z])(?:'s)?\b")


def _case_sensitive(entry: EntityEntry, form: str) -> bool:
    if entry.case_sensitive or form.lower().startswith("the "):
        return True
    words = form.split()
    if len(words) == 1:
        return True
    return any(len(w) > 1 and sum(c.isupper() for c in w) >= 2 for w in words)


CONTEXT_RULED = {"programme:prevent", "programme:channel", "role:pcc"}  # (the ids `_keep` may drop: it keeps every other)


def _keep(span: tuple[int, int, str, str], text: str) -> bool:
    """Context rules: 'Prevent' the programme, not the verb; 'Channel' the programme, not the sea."""
    start, end, _label, entity_id = span
    if entity_id == "programme:prevent" and text[start:end] == "Prevent":
        nxt = _word_after(text, end)
        if nxt is not None and nxt[:1].islower() and nxt.lower() not in PROGRAMME_NOUNS:
            return False
        if nxt == ":":  # the 4P strands list: 'Prevent: Preventing people ...'
            return False
    if entity_id == "programme:channel" and text[start:end] == "Channel":
        nxt, prev = _word_after(text, end), _word_before(text, start)
        if prev in ("English", "the") and (nxt is None or nxt.lower() not in PROGRAMME_NOUNS):
            return False
        if nxt is not None and (nxt in NOT_CHANNEL_NEXT or (nxt[:1].islower() and nxt.lower() not in PROGRAMME_NOUNS)):
            return False
    if entity_id == "role:pcc" and text[start:end] == "Commissioner" and _word_before(text, start) in ("Crime", "Police"):
        return False
    return True


WORD_OR_SIGN = re.compile(r"\w+|\S|\s")


def _word_after(text: str, end: int) -> str | None:
    """The word (or sign, or extra space) after a match, past the one space that ends a word."""
    end += text.startswith(" ", end)
    found = WORD_OR_SIGN.match(text, end)
    return found.group() if found else None


def _word_before(text: str, start: int) -> str | None:
    """The word (or sign) before a match, past the one space that ends it."""
    if start and text[start - 1] == " ":
        start -= 1
    if start <= 0:
        return None
    begin = start - 1
    if word_char(text[begin]):
        while begin and word_char(text[begin - 1]):
            begin -= 1
    return text[begin:start]


def _longest(spans: list[tuple[int, int, str, str]], text: str) -> list[tuple[int, int, str, str]]:
    """Overlapping names: the longest in words wins, then the earlier, then the one found first (as
    spaCy's `filter_spans` chose among its span rulers' matches)."""
    if _apart(spans):  # (most texts: no two names overlap, so all are kept; `_resolve` orders them itself)
        return spans
    spans = sorted(spans, key=lambda span: (_token_count(text[span[0]:span[1]]), -span[0]), reverse=True)
    taken = bytearray(len(text) + 1)
    kept = []
    for start, end, label, entity_id in spans:
        if 1 not in taken[start:end]:
            kept.append((start, end, label, entity_id))
            taken[start:end] = b"\x01" * (end - start)
    return kept


# the tokens spaCy's tagger made of a name: words apart at spaces, with leading signs, trailing signs
# and "'s", and hyphens, slashes and '&' inside a word, each a token of its own ('Children's' 2, 'Multi-Agency' 3)
LEADING = re.compile(r"""^[\[("'‘“£$€#•*–—-]""")
TRAILING = re.compile(r"""(?:[\])"'’”.,;:!?%*…]|['’][sS]|['’])$""")
INSIDE = re.compile(r"""[-–—/&+=<>|]|(?<=[a-zA-Z])[.,:;](?=[a-zA-Z])|\.\.+""")


@lru_cache(maxsize=16384)  # (the same few names are counted again and again)
def _token_count(name: str) -> int:
    count = 0
    for piece in name.split():
        while len(piece) > 1 and (lead := LEADING.search(piece)):
            count, piece = count + 1, piece[lead.end():]
        while len(piece) > 1 and (trail := TRAILING.search(piece)) and trail.start() > 0:
            count, piece = count + 1, piece[:trail.start()]
        count += 1 + 2 * sum(1 for sign in INSIDE.finditer(piece) if 0 < sign.start() and sign.end() < len(piece))
    return count


def _apart(spans: list[tuple[int, int, str, str]]) -> bool:
    """Whether no two spans share a character (and none is empty): then `_longest` and `_resolve` keep
    every one, whatever the order they came in, and the entities are the spans in text order."""
    end = 0
    for start, stop, _label, _entity_id in sorted(spans):
        if start < end or start >= stop:
            return False
        end = stop
    return True


def _rule_spans(text: str, registry: Registry) -> list[tuple[int, int, str, str]]:
    found = [(s, e, "MONEY", i) for s, e, i in patterns.money(text)]
    found += [(s, e, "PERCENT", i) for s, e, i in patterns.percents(text)]
    found += [(s, e, "DATE", i) for s, e, i in patterns.dates(text)]
    for start, end, entity_id in [*patterns.operations(text), *patterns.named_programmes(text)]:
        if entity_id not in registry.entries:
            registry.add(EntityEntry(entity_id, "PROGRAMME", text[start:end], []))
        found.append((start, end, "PROGRAMME", entity_id))
    for start, end, entity_id, name in patterns.people(text):
        if entity_id not in registry.entries:
            registry.add(EntityEntry(entity_id, "PERSON", name, [], True))
        found.append((start, end, "PERSON", entity_id))
    return found


def _resolve(found: list[tuple[int, int, str, str]], text: str) -> list[Entity]:
    """Drop overlaps (longer spans win; gazetteer and rules alike) and return entities in order."""
    if _apart(found):  # (most texts: nothing to drop)
        return [Entity(entity_id, label, text[start:end]) for start, end, label, entity_id in sorted(found)]
    found.sort(key=lambda f: (-(f[1] - f[0]), f[2] == "ACRONYM", f[0]))  # a named programme beats an acronym
    taken = bytearray(len(text) + 1)
    kept = []
    for start, end, label, entity_id in found:
        if 1 in taken[start:end]:
            continue
        taken[start:end] = b"\x01" * (end - start)
        kept.append((start, Entity(entity_id, label, text[start:end])))
    kept.sort(key=lambda item: item[0])
    return [entity for _, entity in kept]
