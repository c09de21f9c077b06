"""The pcp-search terminal UI: search as you type, results, detail, filters, full view, timeline.

`make_app` is the one factory the CLI, the tests and the snapshots use; the search service is injected.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterable
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, OptionList

from pcp_search.models import Hit, citation
from pcp_search.tui.screens import DocumentScreen, HelpScreen, HitListScreen, timeline_chart
from pcp_search.tui.widgets import DetailPane, FilterPanel, ResultsList, StatusLine

DEBOUNCE_SECONDS = 0.08
BUSY_AFTER_SECONDS = 0.15
RESULT_LIMIT = 25
FACET_TO_FILTER = {"entities": "entity", "kind": "kind", "year": "year", "document": "doc"}


class SearchCompleted(Message):
    """A search finished in the worker thread."""

    def __init__(self, query: str, result) -> None:
        super().__init__()
        self.query = query
        self.result = result


class SearchFailed(Message):
    """The search layer raised; shown as a notification."""

    def __init__(self, query: str, error: str) -> None:
        super().__init__()
        self.query = query
        self.error = error


class PcpSearchApp(App):
    """Search Police and Crime Panel papers at the speed of typing."""

    CSS_PATH = "app.tcss"
    TITLE = "pcp-search"
    BINDINGS = [
        Binding("slash", "focus_search", "Search", key_display="/"),
        Binding("f", "toggle_filters", "Filters"),
        Binding("x", "clear_filters", "Clear filters"),
        Binding("s", "similar", "Similar"),
        Binding("t", "timeline", "Timeline"),
        Binding("c", "copy_citation", "Copy citation"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("f1", "help", "Help", show=False, priority=True),  # '?' types into the search box
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, service, index_dir: Path | None = None) -> None:
        super().__init__()
        self.service = service
        self.index_dir = index_dir
        self.hits: list[Hit] = []
        self.query_text = ""
        self.filters: set[tuple[str, str]] = set()
        self.facets: dict = {}
        self.total: int | None = None
        self.last_copied: str | None = None
        self.shown_query: str | None = None  # the typed text whose results are on screen
        self._debounce: Timer | None = None
        self._facts = ""
        self._typed_at = 0.0
        self._busy_timer: Timer | None = None
        self.update_ms: float | None = None  # last keystroke -> its results on screen (benchmarks/tui_latency.py)

    def _main(self, selector: str, kind):
        """A widget of the search screen, whichever screen is on top."""
        return self.screen_stack[0].query_one(selector, kind)

    # -- layout ------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Input(placeholder="Search the papers: try Atlantic House, MASH, or 'is stop and search working?'", id="query")
        with Horizontal(id="main"):
            yield FilterPanel(id="filters", classes="hidden")
            yield ResultsList(id="results")
            with VerticalScroll(id="detail-scroll"):
                yield DetailPane(id="detail")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        box = self._main("#query", Input)
        box.cursor_blink = False  # a steady cursor: calmer, and the same in every screenshot
        box.select_on_focus = False  # coming back to the box carries on the query
        box.focus()
        if not self.service.ready():
            where = self.index_dir or "index"
            option = "" if str(where) == "index" else f" --index-dir {where}"
            self._main("#detail", DetailPane).update(Text(
                f"No index found at {where}/.\n\nBuild it with:\n\n    pcp-search index corpus/{option}\n\n"
                "or run `make run`, which builds it and opens this screen.", style="bold yellow"))
            self._facts = "no index"
        else:
            self._facts = self._index_facts()
            self.warm_up()
            self._main("#detail", DetailPane).update(Text(
                "Type to search the papers. Enter moves to the results; ? shows the keys.", style="dim"))
        self._show_status()

    def _index_facts(self) -> str:
        try:
            manifest = self.service.store.manifest()
            return f"{len(manifest.get('files', {}))} documents · {self.service.store.document_count()} records indexed"
        except Exception:  # facts are decoration; never fail the screen for them
            return ""

    # -- searching ---------------------------------------------------------------------------------
    @on(Input.Changed, "#query")
    def query_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self._typed_at = time.perf_counter()
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE_SECONDS, self.run_search)

    @on(Input.Submitted, "#query")
    def query_submitted(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self.run_search()
        self._main("#results", ResultsList).focus()

    def run_search(self) -> None:
        if not self.service.ready():
            self.notify("No index yet: run `pcp-search index corpus/` first.", severity="warning")
            return
        # "searching…" only when a search is slow to come back: a quick one would flicker it and pay for
        # an extra frame while the search runs
        if self._busy_timer is not None:
            self._busy_timer.stop()
        self._busy_timer = self.set_timer(BUSY_AFTER_SECONDS, lambda: self._show_status(busy=True))
        self.search_worker(self.full_query(), self.query_text)

    def full_query(self) -> str:
        """The typed text plus the active filters, in the query language."""
        parts = [self.query_text.strip()]
        for facet, value in sorted(self.filters):
            parts.append(f'{FACET_TO_FILTER[facet]}:"{value}"')
        return " ".join(p for p in parts if p)

    @work(thread=True, group="warm")
    def warm_up(self) -> None:
        """Read the index's columns while the user starts typing (errors show with the first search)."""
        try:
            self.service.store.warm()
        except Exception:  # noqa: BLE001 - the first search reports any real problem
            pass
        # what is alive now (the app, the index's columns) lives as long as the app: keep it out of the
        # collector's full passes, which otherwise paused typing for 30-60 ms a few times a minute
        gc.freeze()

    @work(thread=True, exclusive=True, group="search")
    def search_worker(self, query: str, typed: str) -> None:
        if typed != self.query_text:
            return  # overtaken by a newer keystroke before it started: do not hold up the next search
        try:
            result = self.service.search(query, limit=RESULT_LIMIT) if query.strip() else None
        except Exception as exc:  # shown to the user as a notification, never a crash
            self.post_message(SearchFailed(query, str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
            return
        self.post_message(SearchCompleted(typed, result))

    def on_search_completed(self, message: SearchCompleted) -> None:
        if message.query != self.query_text or not self.screen_stack or not self.screen_stack[0].query("#results"):
            return  # a newer keystroke is on its way, or the app is closing
        if self._busy_timer is not None:
            self._busy_timer.stop()
        result = message.result
        self.hits = result.hits if result else []
        self.total = result.total if result else None
        self.facets = result.facets if result else {}
        self._main("#results", ResultsList).show_hits(self.hits)
        self._show_facets()
        if not self.hits:  # (with hits, the list highlights the first and the detail follows it)
            self._show_detail(None)
        self.shown_query = message.query
        self.call_after_refresh(self._updated, self._typed_at)
        if result:
            for note in result.notes:
                self.notify(note, timeout=4)
            if result.suggestion and not result.corrected:
                self.notify(f"Did you mean: {result.suggestion}?", timeout=4)
        self._show_status()

    def _updated(self, typed_at: float) -> None:
        self.update_ms = (time.perf_counter() - typed_at) * 1000

    def entity_name(self, entity_id: str) -> str:
        """'council:slough' -> 'Slough Borough Council (COUNCIL)'."""
        entry = self.service.registry.get(entity_id)
        return f"{entry.name} ({entry.label.lower()})" if entry else entity_id

    @on(ResultsList.TypedAhead)
    def typed_ahead(self, message: ResultsList.TypedAhead) -> None:
        box = self._main("#query", Input)
        box.focus()
        box.cursor_position = len(box.value)
        box.insert_text_at_cursor(message.character)

    def on_search_failed(self, message: SearchFailed) -> None:
        if self._busy_timer is not None:
            self._busy_timer.stop()
        self.notify(f"Search failed: {message.error}", severity="error")
        self._show_status()

    def _chip_value(self, facet: str, value: str) -> str:
        """What a filter chip shows: an entity by its name ('Slough Borough Council'), not its id."""
        entry = self.service.registry.get(value) if facet == "entities" else None
        return entry.name if entry else value

    def _show_status(self, busy: bool = False) -> None:
        chips = [(FACET_TO_FILTER[f], self._chip_value(f, v)) for f, v in sorted(self.filters)]
        self._main("#status", StatusLine).show(self.total, chips, self._facts, busy)

    # -- results and detail ------------------------------------------------------------------------
    @on(OptionList.OptionHighlighted, "#results")
    def result_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_detail(self.hit_by_id(event.option.id))

    @on(OptionList.OptionSelected, "#results")
    def result_selected(self, event: OptionList.OptionSelected) -> None:
        hit = self.hit_by_id(event.option.id)
        if hit:
            self.open_document(hit)

    def _show_detail(self, hit: Hit | None) -> None:
        self._main("#detail", DetailPane).show_hit(hit)

    def hit_by_id(self, record_id: str | None) -> Hit | None:
        return next((h for h in self.hits if h.record["id"] == record_id), None)

    def current_hit(self) -> Hit | None:
        if isinstance(self.screen, HitListScreen):
            option_list = self.screen.query_one("#hit-list", OptionList)
            hits = self.screen.hits
        else:
            option_list = self._main("#results", ResultsList)
            hits = self.hits
        index = option_list.highlighted
        if index is None or not (0 <= index < len(hits)):
            return hits[0] if hits else None
        return hits[index]

    def open_document(self, hit: Hit) -> None:
        section = self.service.store.section_text(hit.record)
        words = [w for w in self.query_text.replace('"', " ").split() if ":" not in w]
        self.push_screen(DocumentScreen(hit, section, words))

    # -- actions -----------------------------------------------------------------------------------
    def action_focus_search(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self._main("#query", Input).focus()

    def _show_facets(self, force: bool = False) -> None:
        """Fill the filter panel, only while it is open (typing must not pay for a hidden list)."""
        panel = self._main("#filters", FilterPanel)
        if force or not panel.has_class("hidden"):
            panel.show_facets(self.facets, self.filters, self.entity_name)

    def action_toggle_filters(self) -> None:
        panel = self._main("#filters", FilterPanel)
        panel.toggle_class("hidden")
        if not panel.has_class("hidden"):
            self._show_facets(force=True)
            panel.focus()

    def action_clear_filters(self) -> None:
        if self.filters:
            self.filters.clear()
            self.run_search()

    @on(FilterPanel.Toggled)
    def filter_toggled(self, message: FilterPanel.Toggled) -> None:
        key = (message.facet, message.value)
        self.filters.symmetric_difference_update({key})
        self.run_search()

    def action_similar(self) -> None:
        hit = self.current_hit()
        if hit is None:
            self.notify("Highlight a result first.", severity="warning")
            return
        self.similar_worker(hit)

    @work(thread=True, exclusive=True, group="similar")
    def similar_worker(self, hit: Hit) -> None:
        from pcp_search.ask import similar

        try:
            result = similar(self.service, hit.record["id"], limit=20)
        except Exception as exc:
            self.call_from_thread(self.notify, f"Similar failed: {exc}", severity="error")
            return
        heading = f"Past questions like: {(hit.record.get('question') or hit.record.get('section') or '')[:100]}"
        self.call_from_thread(self.push_screen, HitListScreen(heading, result.hits))

    def action_timeline(self) -> None:
        if not self.full_query().strip():
            self.notify("Type a query first.", severity="warning")
            return
        self.timeline_worker(self.full_query())

    @work(thread=True, exclusive=True, group="timeline")
    def timeline_worker(self, query: str) -> None:
        from pcp_search.ask import timeline

        try:
            result = timeline(self.service, query, limit=200)
        except Exception as exc:
            self.call_from_thread(self.notify, f"Timeline failed: {exc}", severity="error")
            return
        hits = [Hit(record=r, score=r.get("score", 0.0), snippet=r.get("snippet", ""))
                for g in result.groups for r in g["results"]]
        chart = timeline_chart(result.years, result.groups)
        heading = f"Timeline of '{query}': {result.total} hits, oldest first"
        self.call_from_thread(self.push_screen, HitListScreen(heading, hits, chart))

    def action_copy_citation(self) -> None:
        hit = self.screen.hit if isinstance(self.screen, DocumentScreen) else self.current_hit()
        if hit is None:
            self.notify("Nothing to copy: highlight a result.", severity="warning")
            return
        self.last_copied = citation_text(hit)
        self.copy_to_clipboard(self.last_copied)
        self.notify("Citation copied to the clipboard.")

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Search", "Go to the search box", self.action_focus_search)
        yield SystemCommand("Filters", "Show or hide the filter panel", self.action_toggle_filters)
        yield SystemCommand("Clear filters", "Remove every active filter", self.action_clear_filters)
        yield SystemCommand("Similar questions", "Past questions like the highlighted one", self.action_similar)
        yield SystemCommand("Timeline", "The current query over time", self.action_timeline)
        yield SystemCommand("Copy citation", "Copy the citation and answer", self.action_copy_citation)
        yield SystemCommand("Keys", "Show the key bindings", self.action_help)


def citation_text(hit: Hit) -> str:
    """What `c` copies: the citation, then the question and answer (or the passage)."""
    record = hit.record
    lines = [citation(record)]
    if record.get("kind") == "qa":
        lines += [f"Q: {record.get('question') or ''}", f"A: {record.get('answer') or '(no answer recorded)'}"]
    else:
        lines.append(record.get("text") or "")
    return "\n".join(lines)


def make_app(index_dir: Path | str | None = None, service=None) -> PcpSearchApp:
    """The one factory for the CLI, the tests and the snapshots."""
    from pcp_search.config import default_index_dir
    from pcp_search.search import SearchService

    index_dir = Path(index_dir) if index_dir else default_index_dir()
    return PcpSearchApp(service or SearchService(index_dir), index_dir)
