"""Screens pushed over the search screen: the full document view, similar questions, the timeline, help."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from pcp_search.display import unmark
from pcp_search.models import Hit, citation, format_date
from pcp_search.tui.widgets import detail_text, highlight_terms, result_prompt

if TYPE_CHECKING:
    from textual import getters

    from pcp_search.tui.app import PcpSearchApp

SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n\s*\n")
MATCH_STYLE = "bold black on yellow"


class DocumentScreen(Screen):
    """The whole section a hit sits in, matched words highlighted, scrolled to the matched sentence,
    which is marked."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("c", "app.copy_citation", "Copy")]

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
                yield Static(self.section_rich(), id="doc-section")
        yield Footer(compact=True)

    def matched_span(self) -> tuple[int, int] | None:
        """Where in the section the matched sentence is (see `matched_sentence`)."""
        if not self.section_text:
            return None
        return matched_sentence(self.section_text, self.hit, self.words)

    def section_rich(self) -> Text:
        text = highlight_terms(self.section_text or "", self.words)
        span = self.matched_span()
        if span:
            text.stylize("on dark_goldenrod", *span)
            text.stylize("bold", *span)
        return text

    def on_mount(self) -> None:
        self.query_one("#doc-body").focus()
        self.call_after_refresh(self.scroll_to_match)

    def scroll_to_match(self) -> None:
        """Bring the matched sentence near the top of the view (two lines of context above it)."""
        span = self.matched_span()
        if not span:
            return
        section = self.query_one("#doc-section", Static)
        width = section.content_region.width or section.size.width
        if width <= 0:
            return
        before = Text((self.section_text or "")[: span[0]])
        lines = before.wrap(self.app.console, width)
        row = len(lines) - 1 if lines else 0  # the sentence starts on the last line of what comes before it
        body = self.query_one("#doc-body", VerticalScroll)
        body.scroll_to(y=max(0, section.virtual_region.y + row - 2), animate=False, immediate=True)


def matched_sentence(section: str, hit: Hit, words: list[str]) -> tuple[int, int] | None:
    """The sentence of the section the hit matched: among the sentences of the hit's own text (found in
    the section), the one with most of the query's words, else its first. None when the hit's text is not
    in the section."""
    record = hit.record
    own = record.get("answer") if record.get("kind") == "qa" and _matches(record.get("answer"), words) else None
    own = own or record.get("question") or record.get("text") or unmark(hit.snippet)
    start = _find_loosely(section, own)
    if start is None:
        return None
    end = _find_loosely(section, own, last=True) or len(section)
    sentences, pos = [], start
    for found in SENTENCE_END.finditer(section, start, end):
        sentences.append((pos, found.start()))
        pos = found.end()
    if pos < end:
        sentences.append((pos, end))
    best = max(sentences, key=lambda s: _matches(section[s[0]:s[1]], words), default=None)
    return best if best and best[1] > best[0] else None


def _matches(text: str | None, words: list[str]) -> int:
    low = (text or "").lower()
    return sum(low.count(w.lower().rstrip("s")) for w in words if len(w) > 2)


def _find_loosely(section: str, text: str, last: bool = False) -> int | None:
    """Where `text` starts (or, with `last`, ends) in `section`, whatever whitespace lies between words:
    found by the first (or last) eight of its words."""
    words = re.findall(r"\S+", text or "")
    if not words:
        return None
    probe = words[-8:] if last else words[:8]
    found = re.search(r"\s+".join(map(re.escape, probe)), section)
    if not found:
        return None
    return found.end() if last else found.start()


class HitListScreen(Screen):
    """A list of hits under a heading (similar questions); Enter opens one, Escape goes back."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]
    if TYPE_CHECKING:
        app = getters.app(PcpSearchApp)  # Textual's `app`, typed as the app this screen is pushed on

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
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#hit-list").focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        hit = next((h for h in self.hits if h.record["id"] == event.option.id), None)
        if hit:
            self.app.search_screen.open_document(hit)


def timeline_chart(years: dict[str, int], groups: list[dict]) -> Text:
    """A per-year bar chart (hits without a date as a last bar, 'undated') and the meeting dates, as text."""
    out = Text()
    undated = sum(g["count"] for g in groups if not g.get("date"))
    bars = list(years.items()) + ([("undated", undated)] if undated else [])
    top = max((count for _, count in bars), default=1)
    for label, count in bars:
        out.append(f"{label:>7} ", style="bold")
        out.append("█" * max(1, round(30 * count / top)), style="green" if label != "undated" else "grey62")
        out.append(f" {count}\n")
    if groups:
        out.append("\nMeetings and reports: ", style="dim")
        out.append(", ".join(f"{format_date(g['date']) or 'undated'} ({g['count']})" for g in groups[:12]), style="dim")
    return out


class HelpScreen(ModalScreen):
    """The key bindings, in a box that fits the terminal and scrolls when the terminal is smaller."""

    BINDINGS = [Binding("escape,question_mark,q,f1", "app.pop_screen", "Close")]

    TEXT = """[b]pcp-search keys[/b]

  type       search as you type (in the search box)
  enter, ↓   from the box: go to the results
  enter      on a result: open its whole section
  up, down   move through the results
  /          back to the search box
  escape     back (from a section, a list, this help)
  f          show or hide the filters; enter toggles one
  x          remove every filter
  s          past questions like the highlighted one
  t          the current query over time, per year
  c          copy the citation and answer
  u          promises made to the panel (on the query)
  b          save the query's briefing as Markdown
  ctrl+p     command palette (every action)
  ? or F1    this help (F1 in the search box)
  ctrl+q     quit"""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(self.TEXT, id="help-text")

    def on_mount(self) -> None:
        box = self.query_one("#help-box")
        box.border_title = "Keys"
        box.border_subtitle = "escape closes"
        box.focus()


class UndertakingsScreen(Screen):
    """The promises made to the panel, oldest first: open or followed up, when, who promised, by when;
    the highlighted one's citation below; Enter opens the record it was made in."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]
    if TYPE_CHECKING:
        app = getters.app(PcpSearchApp)  # Textual's `app`, typed as the app this screen is pushed on

    def __init__(self, heading: str, items: list) -> None:
        super().__init__()
        self.heading = heading
        self.items = items

    def compose(self) -> ComposeResult:
        yield Static(Text(self.heading, style="bold"), id="list-heading")
        options = [Option(undertaking_prompt(u), id=f"u{n}") for n, u in enumerate(self.items)]
        yield OptionList(*(options or [Option("No undertakings found.", disabled=True)]), id="undertaking-list")
        yield Static("", id="undertaking-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#undertaking-list").focus()
        self.show_detail(0)

    def show_detail(self, index: int | None) -> None:
        detail = self.query_one("#undertaking-detail", Static)
        if index is None or not 0 <= index < len(self.items):
            detail.update("")
            return
        item = self.items[index]
        text = Text(item.citation, style="cyan")
        if item.followed_up_by:
            text.append(f"\nfollowed up: {item.followed_up_by['citation']}", style="green")
        detail.update(text)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show_detail(event.option_index)

    def highlighted(self):
        index = self.query_one("#undertaking-list", OptionList).highlighted
        return self.items[index] if index is not None and 0 <= index < len(self.items) else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if not 0 <= event.option_index < len(self.items):
            return
        item = self.items[event.option_index]
        record = self.app.service.get(item.id)
        if record:
            self.app.search_screen.open_document(Hit(record=record, score=0.0, snippet=item.text))


def undertaking_prompt(item) -> Text:
    """One promise as a list entry: its status and date, who promised and by when, then the sentence."""
    text = Text()
    text.append("open " if item.status == "open" else "done ", style="bold yellow" if item.status == "open" else "bold green")
    text.append(format_date(item.date) or "undated", style="bold")
    who = " · ".join(p for p in (item.promised_by, f"due {item.due}" if item.due else "") if p)
    if who:
        text.append(f" · {who}", style="dim")
    text.append("\n" + " ".join(item.text.split()))
    return text
