"""What a search asks of the index and what it gets back, engine-neutral: the query layer builds these,
the engine (`pcp_search.engine`) answers them, and nothing here knows which engine that is."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

RULE_LABELS = frozenset({"MONEY", "DATE", "PERCENT"})  # found by patterns: shown in results, never filters or aliases


class IndexMissing(Exception):
    """No index at the given folder."""


class IndexBusy(Exception):
    """Another process holds the index's write lock."""


class IndexDamaged(Exception):
    """The index's files cannot be read; `pcp-search index --force` builds a new one."""


class IndexUnusable(Exception):
    """The index folder cannot be used as asked: a file in its place, no permission, no space left."""


class IndexingFailed(Exception):
    """An `index` run could not go on (a worker was killed, ...); what was committed before stays."""


class Interrupted(Exception):  # noqa: N818 - named for what the user did
    """Ctrl-C or SIGTERM stopped an `index` run; `args[0]` says what was committed."""

    def __init__(self, message: str = "interrupted", signum: int = 2) -> None:
        super().__init__(message)
        self.signum = signum


class QuerySyntaxError(Exception):
    """The query text could not be parsed."""


@dataclass
class Filters:
    """Restrictions on a search."""

    entity_ids: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    asked: str | None = None
    answered: str | None = None
    since: str | None = None
    until: str | None = None
    exclude_ids: list[str] = field(default_factory=list)
    panels: list[str] = field(default_factory=list)  # a panel's name or its first words ('Thames Valley'); any of them


def panel_key(name: str) -> str:
    """A panel's name as a panel filter compares it: lower-case words, 'Police and Crime Panel' as 'pcp',
    no leading 'the' ('The Thames Valley Police & Crime Panel' -> 'thames valley pcp')."""
    key = " ".join(re.findall(r"[a-z0-9]+", name.lower()))
    key = re.sub(r"\bpolice (?:and )?crime panel\b", "pcp", key)
    return key.removeprefix("the ")


def panel_matches(panel: str | None, words: str) -> bool:
    """True when the panel's name begins with these words ('Thames Valley' for 'Thames Valley PCP')."""
    key, wanted = panel_key(panel or ""), panel_key(words)
    return bool(wanted) and (key == wanted or key.startswith(wanted + " "))


@dataclass
class QuerySpec:
    """What to search for: `text` in the boolean syntax (words, "phrases", AND/OR/NOT, wildcards)."""

    text: str
    filters: Filters = field(default_factory=Filters)
    candidates: int = 200
    sort: str = "relevance"  # or "date" (newest first) or "date_asc"
    facets: bool = False
    any_terms: bool = True  # OR semantics with a bonus for documents matching more terms
    exclude: list[str] = field(default_factory=list)  # words or "phrases" no result may contain


@dataclass
class Candidate:
    """One hit as the engine ranked it: the stored record and its score."""

    payload: dict
    score: float


@dataclass
class RawResults:
    """The engine's answer: the total, the best candidates, the query's terms (as the index analyzed
    them, for snippets) and, when asked, facet counts over the whole result set."""

    total: int
    candidates: list[Candidate]
    terms: set[str]
    facets: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what the engine chose (a wildcard's words capped)
