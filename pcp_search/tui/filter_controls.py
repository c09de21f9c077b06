"""The search screen's filter panel: opened and closed, filled only while open, and fitted to narrow
terminals, where it takes the detail pane's place."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual import getters
    from textual.screen import Screen

    from pcp_search.tui.app import PcpSearchApp
    from pcp_search.tui.widgets import FilterPanel

    class _SearchScreenParts(Screen):
        """What the mixin uses of the SearchScreen, for the type check (SearchScreen defines them)."""

        app = getters.app(PcpSearchApp)
        facets: dict
        filters: frozenset[tuple[str, str]]

        @property
        def filter_panel(self) -> FilterPanel: ...

        def run_search(self) -> None: ...
else:
    _SearchScreenParts = object


class FilterControls(_SearchScreenParts):
    """Filter-panel behaviour of the SearchScreen (mixed into it)."""

    def _show_facets(self, force: bool = False) -> None:
        """Fill the filter panel, only while it is open (typing must not pay for a hidden list)."""
        panel = self.filter_panel
        if force or not panel.has_class("hidden"):
            panel.show_facets(self.facets, set(self.filters), self.app.entity_name)

    def toggle_filters(self) -> None:
        panel = self.filter_panel
        panel.toggle_class("hidden")
        if not panel.has_class("hidden"):
            self._show_facets(force=True)
            panel.focus()
        self._fit_panes()

    def on_resize(self) -> None:
        self._fit_panes()

    def _fit_panes(self) -> None:
        """Under 110 columns three panes are too narrow to read: the open filter panel takes the detail's place."""
        self.set_class(not self.filter_panel.has_class("hidden") and self.size.width < 110, "narrow-filters")

    def clear_filters(self) -> None:
        if self.filters:
            self.filters = frozenset()
            self.run_search()
