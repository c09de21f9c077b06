"""The messages of the TUI: what widgets tell their screen, and what worker threads report (their one
route to the UI: post_message, never call_from_thread)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from pcp_search.models import Hit

if TYPE_CHECKING:
    from rich.text import Text

    from pcp_search.search import SearchResult


@dataclass(eq=False)
class SearchCompleted(Message):
    """A search finished in the worker thread (`result` is None for an empty query)."""

    query: str
    result: SearchResult | None


@dataclass(eq=False)
class SearchFailed(Message):
    """The search layer raised; shown as a notification."""

    query: str
    error: str


@dataclass(eq=False)
class HitsFound(Message):
    """Similar questions or a timeline are ready to show as a list of hits."""

    heading: str
    hits: list[Hit]
    chart: Text | None = None


@dataclass(eq=False)
class LookupFailed(Message):
    """Similar questions or a timeline could not be made; shown as a notification."""

    error: str


@dataclass(eq=False)
class TypedAhead(Message):
    """A printable key that is no binding was pressed in the results: it belongs in the search box."""

    character: str


@dataclass(eq=False)
class FilterToggled(Message):
    """A facet value was chosen as a filter, or removed."""

    facet: str
    value: str


@dataclass(eq=False)
class UndertakingsFound(Message):
    """The promises made to the panel (on the query, if any) are ready to show."""

    heading: str
    items: list


@dataclass(eq=False)
class BriefWritten(Message):
    """The current query's briefing was written to `path`."""

    path: str
