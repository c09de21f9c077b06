"""A briefing a member can print before a meeting: what was asked and answered on a subject over time, the
promises made on it (open first), the people and bodies involved, and the timeline — as Markdown or HTML,
every exchange with its citation (page and source URL where known)."""

from __future__ import annotations

import datetime as _dt
import html
from dataclasses import dataclass, field

from pcp_search.display import plural
from pcp_search.models import citation, format_date
from pcp_search.promises import Undertaking, list_undertakings

QA_LIMIT = 40
PASSAGE_LIMIT = 8


@dataclass
class Brief:
    """What a briefing holds, ready to render."""

    query: str
    prepared: str
    exchanges: list[dict]  # Q&A records, oldest first
    passages: list[dict]  # other mentions, oldest first
    undertakings: list[Undertaking]
    entities: list[tuple[str, str, int]]  # (name, label, records)
    years: dict[str, int]
    meetings: list[tuple[str | None, int]]  # (date, hits), oldest first
    total: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def open(self) -> list[Undertaking]:
        return [u for u in self.undertakings if u.status == "open"]

    @property
    def kept(self) -> list[Undertaking]:
        return [u for u in self.undertakings if u.status != "open"]

    def to_json(self) -> dict:
        return {"query": self.query, "prepared": self.prepared, "total": self.total,
                "exchanges": [_cited(r) for r in self.exchanges], "passages": [_cited(r) for r in self.passages],
                "undertakings": [u.to_json() for u in self.undertakings],
                "entities": [{"name": n, "label": lab, "count": c} for n, lab, c in self.entities],
                "years": self.years, "meetings": [{"date": d, "count": c} for d, c in self.meetings], "notes": self.notes}


def build_brief(service, query: str, since: str | None = None, until: str | None = None) -> Brief:
    """Gather the briefing on `query` from the index."""
    filters = {"since": since, "until": until}
    qa = service.search(query, limit=QA_LIMIT, kinds=["qa"], facets=False, suggest=False, **filters)
    every = service.search(query, limit=200, facets=True, suggest=False, **filters)
    passages = [h.record for h in every.hits if h.record.get("kind") != "qa"][:PASSAGE_LIMIT]
    promised = [u for u in list_undertakings(service, query, since=since) if not until or (u.date or "") <= until]
    meetings: dict[str | None, int] = {}
    for hit in sorted(every.hits, key=lambda h: h.record.get("date") or "9999"):
        meetings[hit.record.get("date")] = meetings.get(hit.record.get("date"), 0) + 1
    return Brief(
        query=query,
        prepared=_dt.date.today().isoformat(),
        exchanges=_by_date([h.record for h in qa.hits]),
        passages=_by_date(passages),
        undertakings=sorted(promised, key=lambda u: (u.status != "open", u.date or "9999")),
        entities=_entities(service, every.facets.get("entities", {})),
        years=every.facets.get("year", {}),
        meetings=list(meetings.items()),
        total=every.total,
        notes=every.notes,
    )


def _by_date(records: list[dict]) -> list[dict]:
    return sorted(records, key=lambda r: (r.get("date") or "9999", r.get("id") or ""))


def _entities(service, counts: dict[str, int]) -> list[tuple[str, str, int]]:
    rows = []
    for entity_id, count in counts.items():
        entry = service.registry.get(entity_id)
        if entry is not None:
            rows.append((entry.name, entry.label.lower(), count))
    return rows[:12]


def _cited(record: dict) -> dict:
    keep = ("id", "kind", "date", "title", "section", "page", "question", "answer", "asked_by", "answered_by", "text", "url",
            "document")
    return {k: record.get(k) for k in keep} | {"citation": citation(record)}


def _meeting(record: dict) -> str:
    return " · ".join(p for p in (format_date(record.get("date")) or "undated", record.get("title"), record.get("section")) if p)


# -- Markdown -------------------------------------------------------------------------------------
def to_markdown(brief: Brief) -> str:
    """The briefing as Markdown."""
    lines = [f"# Briefing: {brief.query}", "",
             f"Prepared {format_date(brief.prepared)} from the indexed papers: {brief.total} passages and exchanges found, "
             f"{plural(len(brief.exchanges), 'question')} answered, {plural(len(brief.open), 'undertaking')} open.", ""]
    lines += ["## Open undertakings", ""]
    lines += [_md_promise(u) for u in brief.open] or ["None found.", ""]
    if brief.kept:
        lines += ["## Undertakings followed up", ""] + [_md_promise(u) for u in brief.kept]
    lines += ["## Questions and answers over time", ""]
    if not brief.exchanges:
        lines += ["No question on this subject was found.", ""]
    for record in brief.exchanges:
        lines += [f"### {_meeting(record)}", "",
                  f"**Q ({record.get('asked_by') or 'asker not recorded'}):** {_one_line(record.get('question'))}", "",
                  f"**A ({record.get('answered_by') or 'no answer recorded'}):** "
                  f"{_one_line(record.get('answer')) or '(no answer recorded)'}",
                  "", f"*Source:* {_md_source(record)}", ""]
    if brief.passages:
        lines += ["## Other mentions", ""]
        lines += [f"- **{_meeting(r)}**: {_one_line(r.get('text'), 400)}  \n  *Source:* {_md_source(r)}" for r in brief.passages]
        lines.append("")
    lines += ["## Who and what is involved", ""]
    lines += [f"- {name} ({label}): {count}" for name, label, count in brief.entities] or ["None tagged."]
    lines += ["", "## Timeline", "", "| year | hits |", "|---|---|"]
    lines += [f"| {year} | {count} |" for year, count in brief.years.items()]
    lines += [""] + [f"- {format_date(date) or 'undated'}: {count}" for date, count in brief.meetings]
    return "\n".join(lines).rstrip() + "\n"


def _md_promise(u: Undertaking) -> str:
    who = _who(u)
    line = f"- **{format_date(u.date) or 'undated'}** — {_one_line(u.text)}" + (f" ({who})" if who else "")
    line += f"  \n  *Source:* {u.citation}"
    if u.followed_up_by:
        line += f"  \n  *Followed up:* {u.followed_up_by['citation']}"
    return line + "\n"


def _who(u: Undertaking) -> str:
    parts = (f"promised by {u.promised_by}" if u.promised_by else "", f"asked by {u.asked_by}" if u.asked_by else "",
             f"due {u.due}" if u.due else "")
    return ", ".join(p for p in parts if p)


def _md_source(record: dict) -> str:
    text = citation(record)
    url = record.get("url")
    return text.replace(url, f"<{url}>") if url else text


def _one_line(text: str | None, size: int = 1200) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= size else text[: size - 1].rsplit(" ", 1)[0] + "…"


# -- HTML -----------------------------------------------------------------------------------------
def to_html(brief: Brief) -> str:
    """The briefing as a standalone HTML page (prints on A4 as it reads on screen)."""
    e = html.escape
    body = [f"<h1>Briefing: {e(brief.query)}</h1>",
            f"<p>Prepared {e(format_date(brief.prepared) or '')} from the indexed papers: {brief.total} passages and exchanges "
            f"found, {plural(len(brief.exchanges), 'question')} answered, {plural(len(brief.open), 'undertaking')} open.</p>",
            "<h2>Open undertakings</h2>", _html_promises(brief.open) or "<p>None found.</p>"]
    if brief.kept:
        body += ["<h2>Undertakings followed up</h2>", _html_promises(brief.kept)]
    body.append("<h2>Questions and answers over time</h2>")
    if not brief.exchanges:
        body.append("<p>No question on this subject was found.</p>")
    for r in brief.exchanges:
        body += [f"<h3>{e(_meeting(r))}</h3>",
                 f"<p><b>Q ({e(r.get('asked_by') or 'asker not recorded')}):</b> {e(_one_line(r.get('question')))}</p>",
                 f"<p><b>A ({e(r.get('answered_by') or 'no answer recorded')}):</b> "
                 f"{e(_one_line(r.get('answer')) or '(no answer recorded)')}</p>",
                 f"<p class=source>Source: {_html_source(r)}</p>"]
    if brief.passages:
        body += ["<h2>Other mentions</h2>", "<ul>"] + [
            f"<li><b>{e(_meeting(r))}</b>: {e(_one_line(r.get('text'), 400))}"
            f"<br><span class=source>Source: {_html_source(r)}</span></li>"
            for r in brief.passages] + ["</ul>"]
    body += ["<h2>Who and what is involved</h2>", "<ul>"]
    body += [f"<li>{e(name)} ({e(label)}): {count}</li>" for name, label, count in brief.entities] + ["</ul>"]
    body += ["<h2>Timeline</h2>", "<table><tr><th>year</th><th>hits</th></tr>"]
    body += [f"<tr><td>{e(year)}</td><td>{count}</td></tr>" for year, count in brief.years.items()] + ["</table>", "<ul>"]
    body += [f"<li>{e(format_date(date) or 'undated')}: {count}</li>" for date, count in brief.meetings] + ["</ul>"]
    style = ("body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.4}.source{color:#555;font-size:90%}"
             "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .6em}")
    return ("<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
            f"<title>Briefing: {e(brief.query)}</title><style>{style}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def _html_promises(items: list[Undertaking]) -> str:
    e = html.escape
    if not items:
        return ""
    rows = []
    for u in items:
        who = _who(u)
        row = f"<li><b>{e(format_date(u.date) or 'undated')}</b> — {e(_one_line(u.text))}" + (f" ({e(who)})" if who else "")
        row += f"<br><span class=source>Source: {e(u.citation)}</span>"
        if u.followed_up_by:
            row += f"<br><span class=source>Followed up: {e(u.followed_up_by['citation'])}</span>"
        rows.append(row + "</li>")
    return "<ul>" + "\n".join(rows) + "</ul>"


def _html_source(record: dict) -> str:
    text = html.escape(citation(record))
    url = record.get("url")
    if url:
        text = text.replace(html.escape(url), f'<a href="{html.escape(url, quote=True)}">{html.escape(url)}</a>')
    return text


def render(brief: Brief, fmt: str = "md") -> str:
    return to_html(brief) if fmt == "html" else to_markdown(brief)
