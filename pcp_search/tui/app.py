"""The pcp-search terminal UI: the app, its keys and actions over the screens; the search itself lives
in `search_screen.py`.

`make_app` is the one factory the CLI, the tests and the snapshots use; the search service is injected.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import cast

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import AwaitMount
from textual.widgets import OptionList

from pcp_search.models import Hit, citation
from pcp_search.tui.lookups import LookupViews
from pcp_search.tui.screens import DocumentScreen, HelpScreen, HitListScreen, UndertakingsScreen
from pcp_search.tui.search_screen import SearchScreen
from pcp_search.tui.widgets import highlighted_hit


class PcpSearchApp(LookupViews, App):
    """Search Police and Crime Panel papers at the speed of typing. The keys are declared here, once:
    they work on every screen (the actions find the hit in whichever list is showing)."""

    CSS_PATH = "app.tcss"
    TITLE = "pcp-search"
    # footer words kept short so every hint fits 80 columns; the help screen and the palette say more
    BINDINGS = [
        Binding("slash", "focus_search", "Search", key_display="/"),
        Binding("f", "toggle_filters", "Filters"),
        Binding("x", "clear_filters", "Clear", show=False),  # shown on the status line's chips as ✕
        Binding("s", "similar", "Similar"),
        Binding("t", "timeline", "Timeline"),
        Binding("c", "copy_citation", "Copy"),
        Binding("u", "undertakings", "Promises", show=False),  # in the help and the palette: the footer is full at 80
        Binding("b", "export_brief", "Brief", show=False),
        Binding("question_mark", "help", "Help", key_display="?", show=False),
        Binding("f1", "help", "Help", key_display="F1", priority=True),  # '?' types into the search box; F1 works everywhere
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, service, index_dir: Path | None = None) -> None:
        super().__init__()
        self.service = service
        self.index_dir = index_dir
        self.last_copied: str | None = None
        self.last_brief: str | None = None
        self.update_ms: float | None = None  # last keystroke -> its results on screen (benchmarks/tui_latency.py)

    def get_default_screen(self) -> SearchScreen:
        return SearchScreen(self.service, self.index_dir)

    @property
    def search_screen(self) -> SearchScreen:
        return cast(SearchScreen, self.screen_stack[0])  # the default screen, always at the bottom of the stack

    async def on_mount(self) -> None:
        await AwaitMount(self.search_screen, [self.search_screen])  # ready once the search box can take a key

    # what the tests and benchmarks read: the search screen's state
    @property
    def hits(self) -> list[Hit]:
        return self.search_screen.hits

    @property
    def total(self) -> int | None:
        return self.search_screen.total

    @property
    def filters(self) -> frozenset[tuple[str, str]]:
        return self.search_screen.filters

    @property
    def shown_query(self) -> str | None:
        return self.search_screen.shown_query

    def record_update(self, typed_at: float) -> None:
        self.update_ms = (time.perf_counter() - typed_at) * 1000

    def entity_name(self, entity_id: str) -> str:
        """'council:slough' -> 'Slough Borough Council (COUNCIL)'."""
        entry = self.service.registry.get(entity_id)
        return f"{entry.name} ({entry.label.lower()})" if entry else entity_id

    def current_hit(self) -> Hit | None:
        """The highlighted hit of the list on show (similar questions, a timeline, or the results)."""
        if isinstance(self.screen, HitListScreen):
            return highlighted_hit(self.screen.query_one("#hit-list", OptionList), self.screen.hits)
        return self.search_screen.current_hit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Filters and the timeline belong to the search screen: off (and out of the footer) elsewhere,
        as are similar questions in a section's full view."""
        if action in ("toggle_filters", "clear_filters", "timeline") and not isinstance(self.screen, SearchScreen):
            return False
        if action == "similar" and isinstance(self.screen, (DocumentScreen, UndertakingsScreen)):
            return False
        return True

    # -- actions -----------------------------------------------------------------------------------
    def action_focus_search(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.search_screen.search_box.focus()

    def action_toggle_filters(self) -> None:
        self.search_screen.toggle_filters()

    def action_clear_filters(self) -> None:
        self.search_screen.clear_filters()

    def action_copy_citation(self) -> None:
        if isinstance(self.screen, UndertakingsScreen):
            item = self.screen.highlighted()
            if item is not None:
                self.last_copied = f"{item.citation}\nUndertaking: {item.text}"
                self.copy_to_clipboard(self.last_copied)
                self.notify("Citation copied to the clipboard.")
            return
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
        # Textual's own "Keys" panel would sit beside ours under the same name: ours (the help screen) stays
        yield from (c for c in super().get_system_commands(screen) if c.title != "Keys")
        yield SystemCommand("Search", "Go to the search box", self.action_focus_search)
        yield SystemCommand("Filters", "Show or hide the filter panel", self.action_toggle_filters)
        yield SystemCommand("Clear filters", "Remove every active filter", self.action_clear_filters)
        yield SystemCommand("Similar questions", "Past questions like the highlighted one", self.action_similar)
        yield SystemCommand("Timeline", "The current query over time", self.action_timeline)
        yield SystemCommand("Copy citation", "Copy the citation and answer", self.action_copy_citation)
        yield SystemCommand("Undertakings", "Promises made to the panel, on the query if one is typed", self.action_undertakings)
        yield SystemCommand("Export briefing", "Save the current query's briefing as Markdown", self.action_export_brief)
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
