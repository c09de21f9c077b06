"""Screens pushed over the search screen: the full document view, similar questions, the timeline, help."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from pcp_search.models import Hit, citation, format_date
from pcp_search.tui.widgets import detail_text, highlight_terms, result_prompt


class DocumentScreen(Screen):
    """The whole section a hit sits in, matched words highlighted, scrollable."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("c", "app.copy_citation", "Copy citation")]

    def __init__(self, hit: Hit, section_text: str | None, words: list[str]) -> None:
        super().__init__()
        self.hit = hit
        self.section_text = section_text
        self.words = words

    def compose(self) -> ComposeResult:
        record = self.hit.record
        yield Static(Text(citation(record), style="bold cyan"), id="doc-title")
        with VerticalScroll(id="doc-body"):
            name_of = getattr(self.app, "entity_name", None)
            yield Static(detail_text(self.hit, with_citation=False, name_of=name_of), id="doc-record")
            if self.section_text:
                yield Static(Text(f"\nSection: {record.get('section') or ''}\n", style="bold underline"))
                yield Static(highlight_terms(self.section_text, self.words), id="doc-section")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#doc-body").focus()


class HitListScreen(Screen):
    """A list of hits under a heading (similar questions); Enter opens one, Escape goes back."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, heading: str, hits: list[Hit], chart: Text | None = None) -> None:
        super().__init__()
        self.heading = heading
        self.hits = hits
        self.chart = chart

    def compose(self) -> ComposeResult:
        yield Static(Text(self.heading, style="bold"), id="list-heading")
        if self.chart is not None:
            yield Static(self.chart, id="chart")
        options = [Option(result_prompt(h), id=h.record["id"]) for h in self.hits]
        yield OptionList(*(options or [Option("Nothing found.", disabled=True)]), id="hit-list")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#hit-list").focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        hit = next((h for h in self.hits if h.record["id"] == event.option.id), None)
        if hit:
            self.app.open_document(hit)


def timeline_chart(years: dict[str, int], groups: list[dict]) -> Text:
    """A per-year bar chart and the meeting dates, as text."""
    out = Text()
    top = max(years.values(), default=1)
    for year, count in years.items():
        out.append(f"{year} ", style="bold")
        out.append("█" * max(1, round(30 * count / top)), style="green")
        out.append(f" {count}\n")
    dates = [g for g in groups if g.get("date")]
    if dates:
        out.append("\nMeetings and reports: ", style="dim")
        out.append(", ".join(f"{format_date(g['date'])} ({g['count']})" for g in dates[:12]), style="dim")
    return out


class HelpScreen(ModalScreen):
    """The key bindings."""

    BINDINGS = [Binding("escape,question_mark,q", "app.pop_screen", "Close")]

    TEXT = """[b]pcp-search keys[/b]

  type           search as you type (the search box)
  enter          from the box: go to the results; on a result: open its section
  up / down      move through the results
  /              back to the search box
  escape         back (from a full view or list)
  f              show or hide the filters; enter on a value toggles it
  x              remove all filters
  s              similar past questions to the highlighted one
  t              timeline of the current query, per year
  c              copy the citation and answer to the clipboard
  ctrl+p         command palette (every action)
  ? or F1        this help (F1 in the search box, where ? is typed)
  ctrl+q         quit
"""

    def compose(self) -> ComposeResult:
        yield Static(self.TEXT, id="help-text")
