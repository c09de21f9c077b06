"""Widgets of the TUI: the results list, the detail pane, the filter panel and the status line."""

from __future__ import annotations

import re

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from pcp_search.display import MARK, kind_name, plural, short, short_marked
from pcp_search.models import Hit, citation, format_date
from pcp_search.spec import RULE_LABELS
from pcp_search.tui.messages import FilterToggled, TypedAhead

FACET_TITLES = {"entities": "Mentions", "kind": "Kind", "year": "Year", "document": "Document"}
KIND_FACET_NAMES = {"qa": "Q&A", "passage": "Passage"}


def marked_text(text: str, style: str = "bold reverse") -> Text:
    """'**term**' marks as highlighted Rich text."""
    out = Text()
    pos = 0
    for found in MARK.finditer(text):
        out.append(text[pos:found.start()])
        out.append(found.group(1), style=style)
        pos = found.end()
    out.append(text[pos:])
    return out


def highlight_terms(text: str, words: list[str], style: str = "bold reverse") -> Text:
    """Rich text with every occurrence of the query's words (and their stems' prefixes) highlighted."""
    rich = Text(text)
    for word in {w for w in words if len(w) > 2}:
        stem = word[:-1] if len(word) > 4 and word.endswith("s") else word
        rich.highlight_regex(re.compile(r"\b" + re.escape(stem) + r"\w*", re.IGNORECASE), style)
    return rich


def result_prompt(hit: Hit) -> Text:
    """One result as two or three lines: kind marker, date, question or title, snippet."""
    record = hit.record
    qa = record.get("kind") == "qa"
    line = Text()
    line.append(f" {kind_name(record)} ", style="bold black on green" if qa else "bold black on grey62")
    line.append(f" {format_date(record.get('date')) or 'undated':>11}  ", style="cyan")
    heading = record.get("question") if qa else (record.get("section") or record.get("title") or "")
    line.append(short(heading, 110, at_word=False), style="bold")
    line.append("\n")
    line.append_text(marked_text(short_marked(hit.snippet, 170, at_word=False), "bold yellow"))
    return line


def highlighted_hit(option_list: OptionList, hits: list[Hit]) -> Hit | None:
    """The hit a list of them highlights (the first when none is)."""
    index = option_list.highlighted
    if index is None or not (0 <= index < len(hits)):
        return hits[0] if hits else None
    return hits[index]


class SearchBox(Input):
    """The query box; ↓ (like Enter) goes down to the results."""

    BINDINGS = [Binding("down", "screen.focus_results", "Results", key_display="↓")]


class ResultsList(OptionList):
    """The hits of the current query; highlighted hit drives the detail pane."""

    def on_key(self, event) -> None:
        """A printable key bound to nothing (here, on the screen or in the app) belongs in the search box."""
        if event.is_printable and event.character and event.key not in self.screen.active_bindings:
            event.stop()
            self.post_message(TypedAhead(event.character))

    def show_hits(self, hits: list[Hit]) -> None:
        self.clear_options()
        self.add_options([Option(result_prompt(hit), id=hit.record["id"]) for hit in hits])
        if hits:
            self.highlighted = 0


class DetailPane(Static):
    """Question, answer, who asked, who answered, citation and entity tags of one hit."""

    def show_hit(self, hit: Hit | None) -> None:
        if hit is None:
            self.update(Text("No result selected.", style="dim"))
            return
        self.update(detail_text(hit, name_of=getattr(self.app, "entity_name", None)))


def detail_text(hit: Hit, with_citation: bool = True, name_of=None) -> Text:
    """The record in full; `name_of` turns an entity id into a readable name for the tags."""
    record = hit.record
    out = Text()
    if with_citation:
        out.append(citation(record) + "\n", style="bold cyan")
    if record.get("title"):
        out.append(record["title"] + "\n", style="italic")
    out.append("\n")
    if record.get("kind") == "qa":
        out.append(f"Asked by: {record.get('asked_by') or 'unknown'}\n", style="bold")
        out.append(record.get("question") or "")
        out.append("\n\n")
        out.append(f"Answered by: {record.get('answered_by') or 'no answer recorded'}\n", style="bold")
        out.append(record.get("answer") or "(no answer recorded)")
        out.append("\n")
        for sentence in record.get("undertakings") or []:
            out.append("\nUndertaking: ", style="bold magenta")
            out.append(sentence)
        out.append("\n")
    else:
        out.append(record.get("text") or "")
        out.append("\n")
    tags = [e for e in record.get("entities", []) if e["label"] not in RULE_LABELS]
    if tags:
        out.append("\nTags: ", style="bold")
        seen = set()
        for entity in tags:
            if entity["id"] in seen:
                continue
            seen.add(entity["id"])
            out.append(f" {name_of(entity['id']) if name_of else entity['id']} ", style="black on dark_cyan")
            out.append(" ")
    out.append(f"\n\nid {record['id']}", style="dim")
    return out


class FilterPanel(OptionList):
    """Facet values of the current results; Enter toggles a value as a filter."""

    BORDER_TITLE = "Filters"

    def show_facets(self, facets: dict, active: set[tuple[str, str]], name_of=lambda value: value) -> None:
        """List the facet values under a heading per facet, by their names ('Thames Valley Police (force)',
        'Q&A'), with their counts; an active filter is ticked. The first value is highlighted."""
        highlighted = self.highlighted_id()
        self.clear_options()
        options: list[Option] = []
        for facet in ("entities", "kind", "year", "document"):
            values = [(str(value), count) for value, count in list(facets.get(facet, {}).items())[:12]]
            values += [(v, 0) for f, v in sorted(active) if f == facet and v not in {x for x, _ in values}]
            if not values:
                continue
            options.append(Option(Text(FACET_TITLES[facet], style="bold underline"), disabled=True))
            for value, count in values:
                line = Text("✔ " if (facet, value) in active else "  ", style="bold green")
                line.append(facet_value_name(facet, value, name_of))
                if count:
                    line.append(f" {count}", style="dim")
                options.append(Option(line, id=f"{facet}\x1f{value}"))
        self.add_options(options or [Option("(no filters for these results)", disabled=True)])
        ids = [o.id for o in options if o.id]
        if ids:
            self.highlighted = self.get_option_index(highlighted if highlighted in ids else ids[0])

    def highlighted_id(self) -> str | None:
        if self.highlighted is None:
            return None
        return self.get_option_at_index(self.highlighted).id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            facet, value = event.option.id.split("\x1f", 1)
            self.post_message(FilterToggled(facet, value))


def facet_value_name(facet: str, value: str, name_of=lambda value: value) -> str:
    """A facet value as a reader names it: an entity by its name, a kind as 'Q&A' or 'Passage'."""
    if facet == "entities":
        return name_of(value)
    if facet == "kind":
        return KIND_FACET_NAMES.get(value, value)
    return value


class StatusLine(Static):
    """Hit count, active filter chips and index facts."""

    def show(self, total: int | None, filters: list[tuple[str, str]], facts: str, busy: bool = False) -> None:
        out = Text()
        if busy:
            out.append(" searching… ", style="bold black on yellow")
        elif total is not None:
            out.append(f" {plural(total, 'hit')} ", style="bold black on green")
        for facet, value in filters:
            out.append(" ")
            out.append(f" {facet}:{value} ✕ ", style="black on dark_cyan")
        out.append(f"  {facts}", style="dim")
        self.update(out)
