"""The app's look-ups beside the search: similar past questions, the timeline, the undertakings and
a briefing to print. Each runs in a worker thread and posts one message back (a list of hits, the
undertakings, a written file, or a failure), which the handlers here turn into a screen or a notice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message

from pcp_search.display import plural
from pcp_search.models import Hit
from pcp_search.tui.messages import BriefWritten, HitsFound, LookupFailed, UndertakingsFound
from pcp_search.tui.screens import HitListScreen, UndertakingsScreen, timeline_chart

if TYPE_CHECKING:
    from textual.app import App

    from pcp_search.search import SearchService
    from pcp_search.tui.search_screen import SearchScreen

    class _AppParts(App):
        """What the mixin uses of PcpSearchApp, for the type check (PcpSearchApp defines them)."""

        service: SearchService
        last_brief: str | None

        @property
        def search_screen(self) -> SearchScreen: ...

        def current_hit(self) -> Hit | None: ...
else:
    _AppParts = object


class LookupViews(_AppParts):
    """Actions and workers of the App (mixed into it) that open the side views."""

    def action_similar(self) -> None:
        hit = self.current_hit()
        if hit is None:
            self.notify("Highlight a result first.", severity="warning")
            return
        self.similar_worker(hit)

    @work(thread=True, exclusive=True, group="similar")
    def similar_worker(self, hit: Hit) -> None:
        from pcp_search.ask import similar

        heading = f"Past questions like: {(hit.record.get('question') or hit.record.get('section') or '')[:100]}"
        self._post_lookup("Similar", lambda: HitsFound(heading, similar(self.service, hit.record["id"], limit=20).hits))

    def action_timeline(self) -> None:
        query = self.search_screen.full_query()
        if not query.strip():
            self.notify("Type a query first.", severity="warning")
            return
        self.timeline_worker(query)

    @work(thread=True, exclusive=True, group="timeline")
    def timeline_worker(self, query: str) -> None:
        from pcp_search.ask import timeline

        def found() -> HitsFound:
            result = timeline(self.service, query, limit=200)
            hits = [Hit(record=r, score=r.get("score", 0.0), snippet=r.get("snippet", ""))
                    for g in result.groups for r in g["results"]]
            chart = timeline_chart(result.years, result.groups)
            return HitsFound(f"Timeline of '{query}': {plural(result.total, 'hit')}, oldest first", hits, chart)

        self._post_lookup("Timeline", found)

    def action_undertakings(self) -> None:
        self.undertakings_worker(self.search_screen.full_query().strip())

    @work(thread=True, exclusive=True, group="undertakings")
    def undertakings_worker(self, query: str) -> None:
        from pcp_search.promises import list_undertakings

        def found() -> UndertakingsFound:
            items = list_undertakings(self.service, query or None)
            still = sum(1 for u in items if u.status == "open")
            subject = f" on '{query}'" if query else ""
            return UndertakingsFound(f"{plural(len(items), 'undertaking')}{subject}: {still} open, oldest first", items)

        self._post_lookup("Undertakings", found)

    def on_undertakings_found(self, message: UndertakingsFound) -> None:
        self.push_screen(UndertakingsScreen(message.heading, message.items))

    def action_export_brief(self) -> None:
        query = self.search_screen.full_query().strip()
        if not query:
            self.notify("Type a query first: the briefing is on the current query.", severity="warning")
            return
        self.brief_worker(query)

    @work(thread=True, exclusive=True, group="brief")
    def brief_worker(self, query: str) -> None:
        from pcp_search.brief import build_brief, to_markdown

        def written() -> BriefWritten:
            path = brief_path(query)
            path.write_text(to_markdown(build_brief(self.service, query)), encoding="utf-8")
            return BriefWritten(str(path))

        self._post_lookup("Briefing", written)

    def _post_lookup(self, what: str, run: Callable[[], Message]) -> None:
        """A look-up's one message back to the app, made in the worker thread: what `run` returns, or
        LookupFailed naming `what` when it fails."""
        try:
            message = run()
        except Exception as exc:
            message = LookupFailed(f"{what} failed: {exc}")
        self.post_message(message)

    def on_brief_written(self, message: BriefWritten) -> None:
        self.last_brief = message.path
        self.notify(f"Briefing written to {message.path}")

    def on_hits_found(self, message: HitsFound) -> None:
        self.push_screen(HitListScreen(message.heading, message.hits, message.chart))

    def on_lookup_failed(self, message: LookupFailed) -> None:
        self.notify(message.error, severity="error")


def brief_path(query: str) -> Path:
    """Where the TUI saves a briefing: `brief-<query>.md` in the working folder (numbered when taken)."""
    slug = re.sub(r"[^a-z0-9]+", "-", query.lower()).strip("-")[:40] or "query"
    path = Path.cwd() / f"brief-{slug}.md"
    number = 2
    while path.exists():
        path = Path.cwd() / f"brief-{slug}-{number}.md"
        number += 1
    return path
