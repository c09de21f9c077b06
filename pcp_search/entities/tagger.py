"""The tagger: a blank spaCy pipeline with two span_rulers (case-insensitive names, case-sensitive
acronyms and place names) over the registry, plus rule patterns, context rules and acronym learning."""

from __future__ import annotations

import re
import warnings
from contextlib import contextmanager

from pcp_search.entities import acronyms, patterns
from pcp_search.entities.registry import EntityEntry, Registry, gazetteer
from pcp_search.models import Entity

warnings.filterwarnings("ignore", message=r"\[W036\]")  # a document's own rulers are empty until it teaches one
SPANS_KEY = "pcp"
PROGRAMME_NOUNS = {"strategy", "duty", "programme", "program", "team", "teams", "referral", "referrals", "officer",
                   "officers", "and", "panel", "panels", "work", "training", "lead", "leads", "board", "coordinator",
                   "co-ordinator", "agenda", "strand", "case", "cases", "scheme", "activity", "plan", "plans", "funding"}
NOT_CHANNEL_NEXT = {"Islands", "Island", "Tunnel", "4", "5", "Four", "Five"}
TAGGED_LABELS = ("FORCE", "COUNCIL", "PROGRAMME", "BODY", "PERSON", "ROLE", "ACRONYM")


class Tagger:
    """Tags text with canonical entities; `learn` adds a document's acronyms and people first."""

    def __init__(self, registry: Registry | None = None) -> None:
        import spacy

        self.registry = registry or gazetteer()
        self.nlp = spacy.blank("en")
        self.nlp.max_length = 20_000_000
        self.nlp.tokenizer = _tokenizer(self.nlp)
        self._lower = self.nlp.add_pipe("span_ruler", name="names", config={"spans_key": SPANS_KEY, "phrase_matcher_attr": "LOWER", "overwrite": False})
        self._orth = self.nlp.add_pipe("span_ruler", name="exact", config={"spans_key": SPANS_KEY, "phrase_matcher_attr": "ORTH", "overwrite": False})
        self._patterned: set[tuple[str, str]] = set()
        self._add_patterns(self.registry.entries.values())
        self._base = (self._lower, self._orth)
        # what one document teaches, in rulers of their own, emptied when the document is done (`scope`)
        self._scoped = (self.nlp.add_pipe("span_ruler", name="learned_names", config={"spans_key": SPANS_KEY, "phrase_matcher_attr": "LOWER", "overwrite": False}),
                        self.nlp.add_pipe("span_ruler", name="learned_exact", config={"spans_key": SPANS_KEY, "phrase_matcher_attr": "ORTH", "overwrite": False}))

    @contextmanager
    def scope(self):
        """Tag one document: what it teaches (acronyms, people, entries the rules add) holds for it
        alone and is forgotten after, so a document's entities never depend on which documents the
        same process read before it (one worker or two give the same ids). The run's `adopt` shares
        what was learned between batches, in a fixed order."""
        mark = self.registry.checkpoint()
        patterned = set(self._patterned)
        self._lower, self._orth = self._scoped
        try:
            yield
        finally:
            self._lower, self._orth = self._base
            for ruler in self._scoped:
                ruler.clear()
            self._patterned = patterned
            self.registry.rollback(mark)

    # -- patterns -------------------------------------------------------------------------------
    def _add_patterns(self, entries) -> None:
        lower, orth = [], []
        for entry in entries:
            if entry.label not in TAGGED_LABELS:
                continue
            for form in entry.forms():
                form = " ".join(form.split())
                if not form or (entry.id, form) in self._patterned:
                    continue
                self._patterned.add((entry.id, form))
                target = orth if _case_sensitive(entry, form) else lower
                if target is orth and not any(c.isupper() for c in form):
                    continue  # a lower-case single word ("reading") would tag ordinary words
                target.append({"label": entry.label, "pattern": form, "id": entry.id})
                if entry.label in ("ACRONYM", "PROGRAMME", "BODY", "FORCE") and form.isupper() and len(form) > 1:
                    orth.append({"label": entry.label, "pattern": form + "s", "id": entry.id})
        if lower:
            self._lower.add_patterns(lower)
        if orth:
            self._orth.add_patterns(orth)

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
        from spacy.util import filter_spans

        doc = self.nlp(text)
        spans = [span for span in doc.spans.get(SPANS_KEY, []) if _keep(span)]
        found: list[tuple[int, int, str, str]] = []
        for span in filter_spans(spans):
            found.append((span.start_char, span.end_char, span.label_, span.id_))
        found += _rule_spans(text, self.registry)
        if home_force:
            found += [(m.start(1), m.end(1), "FORCE", home_force) for m in HOME_FORCE.finditer(text)]
        return _resolve(found, text)


# Names only need words split from the punctuation around them: spaCy's English affix rules (units,
# URLs, emoticons, ...) made its tokenizer the slowest part of tagging. Patterns are tokenized by the
# same tokenizer as the text, so they match alike; the English exceptions ("Cllr.", "n't") are kept.
PREFIX = re.compile(r"""^[\[("'‘“£$€#•*–—-]""")
SUFFIX = re.compile(r"""(?:[\])"'’”.,;:!?%*…]|['’][sS]|['’])$""")
INFIX = re.compile(r"""[-–—/&+=<>|]|(?<=[a-zA-Z])[.,:;](?=[a-zA-Z])|\.\.+""")


def _tokenizer(nlp):
    from spacy.tokenizer import Tokenizer

    return Tokenizer(nlp.vocab, rules=nlp.Defaults.tokenizer_exceptions, prefix_search=PREFIX.search,
                     suffix_search=SUFFIX.search, infix_finditer=INFIX.finditer)


HOME_FORCE = re.compile(r"\b[Tt]he\s+(Force)(?!\s+[A-Z])(?:'s)?\b")


def _case_sensitive(entry: EntityEntry, form: str) -> bool:
    if entry.case_sensitive or form.lower().startswith("the "):
        return True
    words = form.split()
    if len(words) == 1:
        return True
    return any(len(w) > 1 and sum(c.isupper() for c in w) >= 2 for w in words)


def _keep(span) -> bool:
    """Context rules: 'Prevent' the programme, not the verb; 'Channel' the programme, not the sea."""
    doc = span.doc
    nxt = doc[span.end] if span.end < len(doc) else None
    prev = doc[span.start - 1] if span.start > 0 else None
    if span.id_ == "programme:prevent" and span.text == "Prevent":
        if nxt is not None and nxt.text[:1].islower() and nxt.text.lower() not in PROGRAMME_NOUNS:
            return False
        if nxt is not None and nxt.text == ":":  # the 4P strands list: 'Prevent: Preventing people ...'
            return False
    if span.id_ == "programme:channel" and span.text == "Channel":
        if prev is not None and prev.text in ("English", "the") and (nxt is None or nxt.text.lower() not in PROGRAMME_NOUNS):
            return False
        if nxt is not None and (nxt.text in NOT_CHANNEL_NEXT or (nxt.text[:1].islower() and nxt.text.lower() not in PROGRAMME_NOUNS)):
            return False
    if span.id_ == "role:pcc" and span.text == "Commissioner" and prev is not None and prev.text in ("Crime", "Police"):
        return False
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
