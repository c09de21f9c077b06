"""The entity registry: gazetteer entries plus acronyms learned from the papers (pure Python).

Search loads it from the index (`entities.json`) to resolve `--entity`, `force:` filters and to expand
acronyms and aliases; the tagger builds its patterns from it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

DATA_FILES = ("forces.jsonl", "councils.jsonl", "bodies.jsonl", "curated.jsonl")
FILTER_LABELS = {"force": "FORCE", "council": "COUNCIL", "programme": "PROGRAMME", "program": "PROGRAMME",
                 "person": "PERSON", "body": "BODY", "role": "ROLE", "acronym": "ACRONYM"}


@dataclass
class EntityEntry:
    """One canonical entity and every spelling it goes by."""

    id: str
    label: str
    name: str
    aliases: list[str] = field(default_factory=list)
    case_sensitive: bool = False
    count: int = 0

    def forms(self) -> list[str]:
        return [self.name, *self.aliases]

    def to_json(self) -> dict:
        return {"id": self.id, "label": self.label, "name": self.name, "aliases": self.aliases, "count": self.count}


class Registry:
    """Entities by id, with case-insensitive lookup by name or alias."""

    def __init__(self, entries: list[EntityEntry] | None = None) -> None:
        self.entries: dict[str, EntityEntry] = {}
        self._by_form: dict[str, str] = {}
        self._acronyms: set[str] | None = None
        self._journal: list[tuple] | None = None  # changes since a checkpoint, to roll them back
        for entry in entries or []:
            self.add(entry)

    def add(self, entry: EntityEntry) -> None:
        existing = self.entries.get(entry.id)
        if existing:
            for alias in entry.forms():
                self.add_alias(existing.id, alias)
            return
        self.entries[entry.id] = entry
        self._acronyms = None
        keys = [key for key in dict.fromkeys(_key(form) for form in entry.forms()) if key not in self._by_form]
        for key in keys:
            self._by_form[key] = entry.id
        if self._journal is not None:
            self._journal.append(("entry", entry.id, keys))

    def add_alias(self, entity_id: str, alias: str) -> None:
        entry = self.entries[entity_id]
        before = len(entry.aliases)
        if _key(alias) not in {_key(f) for f in entry.forms()}:
            entry.aliases.append(alias)
            self._acronyms = None
        key = _key(alias)
        added = key not in self._by_form
        if added:
            self._by_form[key] = entity_id
        if self._journal is not None:
            self._journal.append(("alias", entity_id, before, key if added else None))

    def checkpoint(self) -> int:
        """A mark to `rollback` to: what is added from now on can be taken away again."""
        if self._journal is None:
            self._journal = []
        return len(self._journal)

    def rollback(self, mark: int) -> None:
        """Forget every entry and alias added since the checkpoint `mark`."""
        while self._journal and len(self._journal) > mark:
            change = self._journal.pop()
            if change[0] == "entry":
                del self.entries[change[1]]
                for key in change[2]:
                    self._by_form.pop(key, None)
            else:
                del self.entries[change[1]].aliases[change[2]:]
                if change[3] is not None:
                    self._by_form.pop(change[3], None)
        self._acronyms = None
        if mark == 0:
            self._journal = None

    def get(self, entity_id: str) -> EntityEntry | None:
        return self.entries.get(entity_id)

    def find(self, text: str, label: str | None = None) -> EntityEntry | None:
        """An entity by id, name or alias (case-insensitive); `label` narrows the search."""
        text = text.strip()
        entry = self.entries.get(text) or self.entries.get(text.lower())
        if entry is None and label:
            prefix = f"{[k for k, v in FILTER_LABELS.items() if v == label][0]}:"
            entry = self.entries.get(prefix + _slug(text))
        if entry is None:
            entity_id = self._by_form.get(_key(text))
            entry = self.entries.get(entity_id) if entity_id else None
            if entry is not None and label and entry.label != label:
                entry = next((e for e in self.entries.values() if e.label == label and _key(text) in {_key(f) for f in e.forms()}), None)
        if entry is None and label:
            # a unique entity of that label whose name contains the text ("hampshire" -> the force)
            matches = [e for e in self.entries.values() if e.label == label and _key(text) in _key(e.name)]
            entry = matches[0] if len(matches) == 1 else None
        if entry and label and entry.label != label:
            return None
        return entry

    def acronyms(self) -> set[str]:
        """Every one-word, all-capitals form in the registry ('MASH', 'PCSO')."""
        if self._acronyms is None:
            self._acronyms = {f for e in self.entries.values() for f in e.forms() if f.isupper() and " " not in f}
        return self._acronyms

    def expansions(self, text: str) -> list[str]:
        """Other spellings of the entity a phrase names: 'MASH' -> 'Multi-Agency Safeguarding Hub', ..."""
        entity_id = self._by_form.get(_key(text))
        if not entity_id:
            return []
        entry = self.entries[entity_id]
        return [form for form in entry.forms() if _key(form) != _key(text)]

    def to_json(self) -> list[dict]:
        return [e.to_json() | {"case_sensitive": e.case_sensitive} for e in self.entries.values()]

    def save(self, path: Path) -> None:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.to_json(), ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> "Registry":
        rows = json.loads(path.read_text(encoding="utf-8"))
        return cls([entry_from_row(row) for row in rows])



def derived_registry(learned: list[dict], counts: dict[str, int]) -> Registry:
    """The registry as the index's records rebuild it: the gazetteers, what the tagger learned from
    each file (in path order) and each entity's count of records."""
    registry = gazetteer()
    for row in learned:
        registry.add(entry_from_row(row))
    for entry in registry.entries.values():
        entry.count = counts.get(entry.id.lower(), 0)
    return registry


def entry_from_row(row: dict) -> EntityEntry:
    """An entry from its JSON form (data files, entities.json, rows sent to worker processes)."""
    return EntityEntry(
        id=row["id"], label=row["label"], name=row["name"], aliases=list(row.get("aliases", [])),
        case_sensitive=bool(row.get("case_sensitive")), count=int(row.get("count", 0)),
    )


def _key(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@lru_cache(maxsize=1)
def _gazetteer_rows() -> tuple[dict, ...]:
    rows: list[dict] = []
    folder = resources.files("pcp_search.entities") / "data"
    for name in DATA_FILES:
        with (folder / name).open(encoding="utf-8") as fh:
            rows.extend(json.loads(line) for line in fh if line.strip())
    return tuple(rows)


def gazetteer() -> Registry:
    """A fresh registry of the packaged gazetteers."""
    return Registry([entry_from_row(row) for row in _gazetteer_rows()])


@lru_cache(maxsize=1)
def moj_acronyms() -> dict[str, list[str]]:
    """The MoJ acronym list: abbreviation -> definitions (used to expand acronyms the corpus uses)."""
    table: dict[str, list[str]] = {}
    with (resources.files("pcp_search.entities") / "data" / "moj_acronyms.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            table.setdefault(row["abbr"], []).append(row["definition"])
    return table
