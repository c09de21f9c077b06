"""The CLI's output: each command's result as the JSON contract or as text for a reader. Commands
(cli.py) read options and call the library; they hand what it returns to `output` here."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import click
import typer

from pcp_search.display import MARK, kind_name, plural, short, short_marked, unmark

_OPTIONS = {"no_color": False, "highlight": False}


def _options() -> dict:
    return _OPTIONS


def configure(no_color: bool = False, highlight: bool = False, fresh: bool = False) -> None:
    """--no-color turns colour and bold off; --highlight marks matched words even when piped (either
    given before the command or after it). The top-level callback starts each invocation `fresh`, so one
    run's options never leak into the next (tests run many in one process)."""
    if fresh:
        _OPTIONS.update(no_color=False, highlight=False)
    _OPTIONS["no_color"] = _OPTIONS["no_color"] or no_color
    _OPTIONS["highlight"] = _OPTIONS["highlight"] or highlight


def color_enabled() -> bool:
    """Colour and bold only on a terminal that wants them: not piped, no --no-color, no NO_COLOR (any
    non-empty value, no-color.org), not TERM=dumb."""
    if _options()["no_color"] or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def print_json(data) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def output(as_json: bool, to_json: Callable[[], object], show_text: Callable[[], None]) -> None:
    """Every command's one way out: the JSON contract with --json, else text for a reader."""
    if as_json:
        print_json(to_json())
    else:
        show_text()


def show_index(report) -> None:
    for path, reason in report.skipped:
        typer.echo(f"skipped {path}: {reason}", err=True)
    for path in report.removed:
        typer.echo(f"removed {path} (no longer in the folder)", err=True)
    typer.echo(report.summary())


def progress_printer():
    def show(done: int, total: int, path: str) -> None:
        width = 30
        filled = int(width * done / max(total, 1))
        name = Path(path).name[:40]
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name:<40}")
        sys.stderr.flush()

    return show


def show_fetch(report, indexed) -> None:
    for note in report.notes:
        typer.echo(f"note: {note}", err=True)
    for item in report.downloaded:
        typer.echo(f"downloaded {item['path']}")
    for item in report.failed:
        typer.echo(f"failed {item['url']}: {item['reason']}", err=True)
    typer.echo(report.summary())
    if indexed:
        show_index(indexed)


def show_search(result, query: str) -> None:
    print_notes(result.notes, result.suggestion, result.corrected)
    if not result.hits:
        typer.echo("No results.")
        return
    typer.echo(f"{plural(result.total, 'result')} for {query!r}\n")
    for number, hit in enumerate(result.hits, start=1):
        print_hit(number, hit)


def print_notes(notes: list[str], suggestion: str | None, corrected: bool) -> None:
    for note in notes:
        typer.echo(f"note: {note}", err=True)
    if suggestion and not corrected:
        typer.echo(f"Did you mean: {suggestion}?", err=True)


def marked(text: str) -> str:
    """Matched words (`**term**` in a snippet) in bold on a colour terminal; with --highlight and no colour
    the `**` marks themselves; otherwise plain text."""
    if color_enabled():
        return MARK.sub(lambda m: typer.style(m.group(1), bold=True), text)
    return text if _options()["highlight"] else unmark(text)


def print_hit(number: int, hit, sentences: bool = False) -> None:
    from pcp_search.models import format_date

    r = hit.record
    label = kind_name(r)
    head = " · ".join(p for p in (format_date(r.get("date")), r.get("section") or r.get("title")) if p)
    typer.echo(f"{number}. [{label}] {head}")
    if r["kind"] == "qa":
        asker = f" ({r['asked_by']})" if r.get("asked_by") else ""
        typer.echo(f"   Q{asker}: {short(r['question'], 300)}")
        if sentences and hit.answer_sentences:
            typer.echo(f"   A: {' '.join(hit.answer_sentences)}")
        elif r.get("answer"):
            typer.echo(f"   A: {marked(hit.snippet) if in_answer(hit) else short(r['answer'], 300)}")
        else:
            typer.echo("   A: (no answer recorded)")
    else:
        typer.echo(f"   {marked(hit.snippet)}")
    typer.echo(f"   — {hit.to_json()['citation']}   [{r['id']}]\n")


def in_answer(hit) -> bool:
    plain = unmark(hit.snippet).strip("…")
    return plain[:40] in (hit.record.get("answer") or "")


def show_ask(result) -> None:
    print_notes(result.notes, result.suggestion, False)
    if not result.answers and not result.passages:
        typer.echo("No answers found.")
        return
    for hit in result.answers:
        r = hit.record
        typer.echo(" ".join(hit.answer_sentences) or short(r.get("answer"), 400))
        typer.echo(f"  — {hit.to_json()['citation']}")
        typer.echo(f"    asked: {short(r['question'], 200)}  [{r['id']}]\n")
    if result.passages:
        typer.echo("Related passages:\n" if result.answers else "No past answer found; related passages:\n")
        for hit in result.passages:
            typer.echo(" ".join(hit.answer_sentences) or short(hit.record.get("text"), 300))
            typer.echo(f"  — {hit.to_json()['citation']}  [{hit.record['id']}]\n")


def show_similar(result) -> None:
    if not result.hits:
        typer.echo("No similar past questions.")
        return
    for number, hit in enumerate(result.hits, start=1):
        print_hit(number, hit)


def show_timeline(result) -> None:
    from pcp_search.models import format_date

    if not result.total:
        typer.echo("No results.")
        return
    top = max(result.years.values(), default=1)
    for year, count in result.years.items():
        typer.echo(f"{year}  {'█' * max(1, round(20 * count / top))} {count}")
    typer.echo("")
    for group in result.groups:
        typer.echo(f"{format_date(group['date']) or 'undated'} ({group['count']})")
        for item in group["results"][:5]:
            text = short(item["question"], 110) if item.get("question") else marked(short_marked(item.get("snippet"), 110))
            typer.echo(f"  [{kind_name(item)}] {text}  [{item['id']}]")
        if group["count"] > 5:
            typer.echo(f"  … {group['count'] - 5} more")


def show_record(data: dict, pager: bool = True) -> None:
    """One record whole; longer than the terminal, it goes through the pager ($PAGER, else less) as git's
    and man's output does, unless piped or `pager` is false."""
    lines = [data["citation"], f"{data.get('title') or ''}\n"]
    if data["kind"] == "qa":
        lines.append(f"Question ({data.get('asked_by') or 'unknown'}):\n{data['question']}\n")
        lines.append(f"Answer ({data.get('answered_by') or 'none recorded'}):\n{data.get('answer') or '(no answer recorded)'}\n")
        lines += [f"Undertaking: {sentence}" for sentence in data.get("undertakings") or []]
    else:
        lines.append(data["text"] + "\n")
    if data.get("section_text"):
        lines.append(f"--- Section {data.get('section')} ---\n{data['section_text']}")
    text = "\n".join(lines)
    if pager and sys.stdout.isatty() and sys.stdin.isatty() and _rows(text) >= shutil.get_terminal_size().lines - 1:
        os.environ.setdefault("LESS", "FRX")  # quit at once when it fits after all, keep any colour, leave the screen as it was
        click.echo_via_pager(text + "\n", color=color_enabled())
    else:
        typer.echo(text)


def _rows(text: str) -> int:
    """How many terminal rows `text` takes, long lines wrapped."""
    width = max(shutil.get_terminal_size().columns, 1)
    return sum(max(1, -(-len(line) // width)) for line in text.splitlines())


def show_parsed(parsed) -> None:
    for warning in parsed.warnings:
        typer.echo(f"warning: {warning}", err=True)
    typer.echo(f"{parsed.title}\nkind: {parsed.kind}  date: {parsed.date}  panel: {parsed.panel}\n")
    typer.echo(f"{len(parsed.sections)} sections:")
    for section in parsed.sections:
        pages = f" (p. {section.page_start})" if section.page_start else ""
        typer.echo(f"  {section.label[:90]}{pages}")
    typer.echo(f"\n{len(parsed.qa)} question → answer pairs:")
    for pair in parsed.qa:
        typer.echo(f"  [{pair.section or ''}] {pair.asked_by} → {pair.answered_by or 'no answer'}")
        typer.echo(f"    Q: {short(pair.question, 150)}")
        typer.echo(f"    A: {short(pair.answer or '(none)', 150)}")


def show_entities(rows) -> None:
    for entry in rows:
        aliases = ", ".join(entry.aliases[:4])
        typer.echo(f"{entry.count:5d}  {entry.label:<9} {entry.id:<40} {entry.name}" + (f"  ({aliases})" if aliases else ""))


def show_undertakings(items, query: str | None) -> None:
    from pcp_search.models import format_date

    if not items:
        typer.echo("No undertakings found." + (f" (for {query!r})" if query else ""))
        return
    still = sum(1 for u in items if u.status == "open")
    subject = f" on {query!r}" if query else ""
    typer.echo(f"{plural(len(items), 'undertaking')}{subject}: {still} open, {len(items) - still} followed up\n")
    for number, u in enumerate(items, start=1):
        parts = (f"by {u.promised_by}" if u.promised_by else "", f"asked by {u.asked_by}" if u.asked_by else "",
                 f"due {u.due}" if u.due else "")
        who = ", ".join(p for p in parts if p)
        typer.echo(f"{number}. [{u.status}] {format_date(u.date) or 'undated'}" + (f" · {who}" if who else ""))
        typer.echo(f"   {short(u.text, 400)}")
        typer.echo(f"   — {u.citation}   [{u.id}]")
        if u.followed_up_by:
            typer.echo(f"   followed up: {u.followed_up_by['citation']}   [{u.followed_up_by['id']}]")
        typer.echo("")


def show_watches(watches) -> None:
    if not watches:
        typer.echo("No saved searches: `pcp-search watch add QUERY` saves one.")
        return
    for number, watch in enumerate(watches, start=1):
        typer.echo(f"{number}. {watch.query}  (added {watch.added[:10]}, last checked {(watch.checked or 'never')[:16]}, "
                   f"{plural(len(watch.seen), 'match', 'matches')} seen)")


def show_watch_check(result) -> None:
    from pcp_search.models import citation, format_date

    if not result.watches:
        typer.echo("No saved searches: `pcp-search watch add QUERY` saves one.")
        return
    for watch in result.watches:
        typer.echo(f"{watch['number']}. {watch['query']}: {plural(len(watch['new']), 'new match', 'new matches')}")
        for record in watch["new"]:
            head = " · ".join(p for p in (format_date(record.get("date")), record.get("section") or record.get("title")) if p)
            typer.echo(f"   [{kind_name(record)}] {head}")
            typer.echo(f"   {short(record.get('question') or record.get('text'), 200)}")
            typer.echo(f"   — {citation(record)}   [{record['id']}]")
        typer.echo("")
