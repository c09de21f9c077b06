"""The search screen: the box, the filter panel, the results and the detail pane, and the status line
fed by its reactive state (total, filters, busy). Searches run in worker threads that report back
with messages only."""

from __future__ import annotations

import gc
import time
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, OptionList, Static

from pcp_search.models import Hit
from pcp_search.tui.filter_controls import FilterControls
from pcp_search.tui.messages import FilterToggled, SearchCompleted, SearchFailed, TypedAhead
from pcp_search.tui.screens import DocumentScreen
from pcp_search.tui.widgets import (
    DetailPane,
    FilterPanel,
    ResultsList,
    SearchBox,
    StatusLine,
    facet_value_name,
    highlighted_hit,
)

DEBOUNCE_SECONDS = 0.08
BUSY_AFTER_SECONDS = 0.15
RESULT_LIMIT = 25
FACET_TO_FILTER = {"entities": "entity", "kind": "kind", "year": "year", "document": "doc"}

if TYPE_CHECKING:
    from textual import getters

    from pcp_search.tui.app import PcpSearchApp


class SearchScreen(FilterControls, Screen):
    """Search as you type; the first screen of the app."""

    AUTO_FOCUS = "#query"
    if TYPE_CHECKING:
        app = getters.app(PcpSearchApp)  # Textual's `app`, typed as the app this screen belongs to

    total: reactive[int | None] = reactive(None, init=False)
    filters: reactive[frozenset[tuple[str, str]]] = reactive(frozenset(), init=False)
    busy: reactive[bool] = reactive(False, init=False)

    def __init__(self, service, index_dir=None) -> None:
        super().__init__()
        self.service = service
        self.index_dir = index_dir
        self.hits: list[Hit] = []
        self.query_text = ""
        self.facets: dict = {}
        self.shown_query: str | None = None  # the typed text whose results are on screen
        self._facts = ""
        self._debounce: Timer | None = None
        self._busy_timer: Timer | None = None
        self._typed_at = 0.0

    # -- widgets -----------------------------------------------------------------------------------
    @property
    def search_box(self) -> Input:
        return self.query_one("#query", Input)

    @property
    def results(self) -> ResultsList:
        return self.query_one("#results", ResultsList)

    @property
    def detail(self) -> DetailPane:
        return self.query_one("#detail", DetailPane)

    @property
    def filter_panel(self) -> FilterPanel:
        return self.query_one("#filters", FilterPanel)

    @property
    def status(self) -> StatusLine:
        return self.query_one("#status", StatusLine)

    def compose(self) -> ComposeResult:
        # set up before it can take a key: coming back to the box carries on the query (no select-all), and a
        # steady cursor is calmer and the same in every screenshot
        box = SearchBox(placeholder="Search the papers: try Atlantic House, MASH, or 'is stop and search working?'", id="query",
                    select_on_focus=False)
        box.cursor_blink = False
        yield box
        yield Static(id="query-notes", classes="hidden")  # did you mean ...? and what the query parser did
        with Horizontal(id="main"):
            yield FilterPanel(id="filters", classes="hidden")
            yield ResultsList(id="results")
            with VerticalScroll(id="detail-scroll"):
                yield DetailPane(id="detail")
        yield StatusLine(id="status")
        yield Footer(compact=True)  # every hint fits 80 columns

    def on_mount(self) -> None:
        self.search_box.focus()
        if not self.service.ready():
            self.detail.update(_no_index_text(self.index_dir or "index"))
            self._facts = "no index"
        else:
            self._facts = _index_facts(self.service)
            self.warm_up()
            self.detail.update(Text("Type to search the papers. Enter moves to the results; ? shows the keys.", style="dim"))
        self._show_status()

    # -- the status line follows the reactive state ---------------------------------------------------
    def _show_status(self) -> None:
        chips = [(FACET_TO_FILTER[f], _chip_value(self.service.registry, f, v)) for f, v in sorted(self.filters)]
        self.status.show(self.total, chips, self._facts, self.busy)

    watch_total = watch_filters = watch_busy = _show_status

    # -- searching ---------------------------------------------------------------------------------
    @on(Input.Changed, "#query")
    def query_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self._typed_at = time.perf_counter()
        _stop(self._debounce)
        self._debounce = self.set_timer(DEBOUNCE_SECONDS, self.run_search)

    @on(Input.Submitted, "#query")
    def query_submitted(self) -> None:
        _stop(self._debounce)
        self.run_search()
        self.results.focus()

    def run_search(self) -> None:
        if not self.service.ready():
            self.notify("No index yet: run `pcp-search index corpus/` first.", severity="warning")
            return
        # "searching…" only when a search is slow to come back: a quick one would flicker it and pay for
        # an extra frame while the search runs
        _stop(self._busy_timer)
        self._busy_timer = self.set_timer(BUSY_AFTER_SECONDS, lambda: setattr(self, "busy", True))
        self.search_worker(self.full_query(), self.query_text)

    def full_query(self) -> str:
        """The typed text plus the active filters, in the query language."""
        parts = [self.query_text.strip()]
        for facet, value in sorted(self.filters):
            parts.append(f'{FACET_TO_FILTER[facet]}:"{value}"')
        return " ".join(p for p in parts if p)

    @work(thread=True, group="warm")
    def warm_up(self) -> None:
        """Read the index's columns while the user starts typing."""
        _warm(self.service)

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
        if message.query != self.query_text or not self.is_attached:
            return  # a newer keystroke is on its way, or the app is closing
        _stop(self._busy_timer)
        result = message.result
        self.hits = result.hits if result else []
        self.facets = result.facets if result else {}
        self.results.show_hits(self.hits)
        self._show_facets()
        if not self.hits:  # (with hits, the list highlights the first and the detail follows it)
            self.detail.show_hit(None)
        self.shown_query = message.query
        self.call_after_refresh(self.app.record_update, self._typed_at)
        self._show_query_notes(result)
        self.total = result.total if result else None
        self.busy = False

    def _show_query_notes(self, result) -> None:
        """Under the box, for the query on screen only: a suggestion for a misspelt word (or the fact that
        its results are shown instead), then what the query parser did."""
        line = Text()
        if result and result.suggestion and not result.corrected:  # (when corrected, a note says so)
            line.append("Did you mean ", style="dim")
            line.append(result.suggestion, style="bold")
            line.append("?", style="dim")
        for note in (result.notes if result else []):
            line.append(("  " if line else "") + note, style="dim italic")
        notes = self.query_one("#query-notes", Static)
        notes.update(line)
        notes.set_class(not line, "hidden")

    def action_focus_results(self) -> None:
        """↓ from the box goes to the results, as Enter does."""
        if self.hits:
            self.results.focus()

    def on_search_failed(self, message: SearchFailed) -> None:
        _stop(self._busy_timer)
        self.notify(f"Search failed: {message.error}", severity="error")
        self.busy = False

    @on(TypedAhead)
    def typed_ahead(self, message: TypedAhead) -> None:
        box = self.search_box
        box.focus()
        box.cursor_position = len(box.value)
        box.insert_text_at_cursor(message.character)

    # -- results, detail and filters -----------------------------------------------------------------
    @on(OptionList.OptionHighlighted, "#results")
    def result_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.detail.show_hit(self.hit_by_id(event.option.id))

    @on(OptionList.OptionSelected, "#results")
    def result_selected(self, event: OptionList.OptionSelected) -> None:
        hit = self.hit_by_id(event.option.id)
        if hit:
            self.open_document(hit)

    def hit_by_id(self, record_id: str | None) -> Hit | None:
        return next((h for h in self.hits if h.record["id"] == record_id), None)

    def current_hit(self) -> Hit | None:
        return highlighted_hit(self.results, self.hits)

    def open_document(self, hit: Hit) -> None:
        section = self.service.store.section_text(hit.record)
        words = [w for w in self.query_text.replace('"', " ").split() if ":" not in w]
        self.app.push_screen(DocumentScreen(hit, section, words))

    @on(FilterToggled)
    def filter_toggled(self, message: FilterToggled) -> None:
        self.filters = self.filters ^ {(message.facet, message.value)}
        self.run_search()


def _no_index_text(where) -> Text:
    option = "" if str(where) == "index" else f" --index-dir {where}"
    return Text(f"No index found at {where}/.\n\nBuild it with:\n\n    pcp-search index corpus/{option}\n\n"
                "or run `make run`, which builds it and opens this screen.", style="bold yellow")


def _index_facts(service) -> str:
    """'5 documents · 274 records indexed' for the status line."""
    try:
        manifest = service.store.manifest()
        return f"{len(manifest.get('files', {}))} documents · {service.store.document_count()} records indexed"
    except Exception:  # facts are decoration; never fail the screen for them
        return ""


def _chip_value(registry, facet: str, value: str) -> str:
    """What a filter chip shows: an entity by its name ('Slough Borough Council'), not its id; a kind as Q&A."""
    entry = registry.get(value) if facet == "entities" else None
    return entry.name if entry else facet_value_name(facet, value)


def _warm(service) -> None:
    try:
        service.store.warm()
    except Exception:  # noqa: BLE001 - the first search reports any real problem
        pass
    # what is alive now (the app, the index's columns) lives as long as the app: keep it out of the
    # collector's full passes, which otherwise paused typing for 30-60 ms a few times a minute
    gc.freeze()


def _stop(timer: Timer | None) -> None:
    if timer is not None:
        timer.stop()
