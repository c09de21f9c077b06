"""More `pcp-search` commands: fetch papers from where councils publish them, and the member tools
(undertakings, brief, watch). Registered on the app of `pcp_search.cli`, which imports this module last.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from pcp_search import cli_output as out
from pcp_search.cli import AsJson, Fatal, IndexDir, _filters, _index_dir, _service, app, friendly


# -- fetch ----------------------------------------------------------------------------------------
@app.command()
@friendly
def fetch(
    url: Annotated[str | None, typer.Argument(help="A ModernGov committee or meetings page (.../ieListMeetings.aspx?CId=N, "
                                                   ".../mgCommitteeDetails.aspx?ID=N), a ModernGov site with --committee, "
                                                   "or any page that lists papers.", show_default=False)] = None,
    dest: Annotated[Path | None, typer.Option("--dest", help="Folder for the papers (default: corpus/<site>/<committee>/).",
                                              show_default=False)] = None,
    committee: Annotated[str | None, typer.Option("--committee", help="The committee's name or id on a ModernGov site.")] = None,
    since: Annotated[str | None, typer.Option(help="Only meetings on or after (2019, 2019-06, 2019-06-30).")] = None,
    until: Annotated[str | None, typer.Option(help="Only meetings on or before.")] = None,
    all_sources: Annotated[bool, typer.Option("--all", help="Fetch every source listed in the sources file.")] = False,
    sources: Annotated[Path, typer.Option("--sources", help="The sources file --all reads.")] = Path("sources.toml"),
    refresh: Annotated[bool, typer.Option("--refresh", help="Check every paper again, even those already fetched.")] = False,
    then_index: Annotated[bool, typer.Option("--index", help="Index the destination folders afterwards.")] = False,
    delay: Annotated[float, typer.Option("--delay", min=0.0, help="Seconds between two requests to one site.")] = 1.0,
    index_dir: IndexDir = None,
    as_json: AsJson = False,
) -> None:
    """Download a panel's papers from its council's ModernGov site (web service, else its pages) or any page
    that lists them: files YYYY-MM-DD_<title>.<ext> with NAME.meta.json beside each; a second run fetches
    only what is new. Dead links and non-documents are named; exit code 1 then."""
    from pcp_search.fetch import Settings, Source, SourcesError, fetch_all, fetch_source, load_sources

    if bool(url) == all_sources:
        raise Fatal("give a URL, or --all to fetch every source in the sources file")
    settings = Settings(delay=delay)
    show = out.progress_printer() if sys.stderr.isatty() and not as_json else None
    progress = (lambda done, total, title: show(done, total, title.replace("/", " "))) if show else None
    if all_sources:
        try:
            listed = load_sources(sources)
        except SourcesError as exc:
            raise Fatal(str(exc)) from None
        report = fetch_all(listed, settings, refresh=refresh, progress=progress)
    else:
        assert url  # given: the check above asks for a URL or --all
        if not url.startswith(("http://", "https://")):
            raise Fatal(f"{url}: only http(s) addresses are fetched")
        dates = _filters(None, None, since, until)
        source = Source(url=url, committee=committee, dest=dest, since=dates.get("since"), until=dates.get("until"))
        report = fetch_source(source, settings, refresh=refresh, progress=progress)
    if show:
        typer.echo("", err=True)
    indexed = None
    if then_index and report.dests:
        from pcp_search.indexer import index_paths

        indexed = index_paths(report.dests, _index_dir(index_dir))
    out.output(as_json, lambda: report.to_json() | ({"index": indexed.to_json()} if indexed else {}),
               lambda: out.show_fetch(report, indexed))
    if report.failed or (indexed and indexed.skipped):
        raise typer.Exit(1)


# -- search ---------------------------------------------------------------------------------------


# -- undertakings, brief, watch -----------------------------------------------------------------------
def _opened_service(index_dir: Path | None):
    """The search service, its index opened once so that a missing index is one line, not an empty list."""
    service = _service(index_dir)
    service.store.open().close()
    return service


@contextmanager
def _refused():
    """A saved search refused (an unreadable watch file, a number not listed): one line, exit code 2."""
    try:
        yield
    except ValueError as exc:
        raise Fatal(str(exc)) from None


@app.command()
@friendly
def undertakings(
    query: Annotated[str | None, typer.Argument(help="Only promises in records matching this query (default: all).")] = None,
    since: Annotated[str | None, typer.Option(help="Only promises made on or after (2019, 2019-06, 2019-06-30).")] = None,
    panel: Annotated[str | None, typer.Option(help="Only promises made to this panel (part of its name will do).")] = None,
    status: Annotated[str | None, typer.Option(help="Only open or followed-up ones: open, followed.")] = None,
    index_dir: IndexDir = None,
    as_json: AsJson = False,
) -> None:
    """Every promise made to the panel ('agreed to provide ...', '... would be circulated to Members'), oldest
    first: who asked, who promised, when due, and whether a later paper followed it up."""
    from pcp_search.promises import list_undertakings

    dates = _filters(None, None, since, None)
    if status and status.lower() not in ("open", "followed", "followed up", "followed-up"):
        raise Fatal(f"unknown --status {status!r}: use one of open, followed")
    service = _opened_service(index_dir)
    items = list_undertakings(service, query, since=dates.get("since"), panel=panel)
    if status:
        items = [u for u in items if (u.status == "open") == (status.lower() == "open")]
    out.output(as_json, lambda: {"query": query, "total": len(items), "undertakings": [u.to_json() for u in items]},
               lambda: out.show_undertakings(items, query))


@app.command()
@friendly
def brief(
    query: Annotated[str, typer.Argument(help="The subject, e.g. 'victim satisfaction'.")],
    fmt: Annotated[str, typer.Option("--format", help="md (Markdown) or html.")] = "md",
    output_file: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    since: Annotated[str | None, typer.Option(help="Only papers dated on or after.")] = None,
    until: Annotated[str | None, typer.Option(help="Only papers dated on or before.")] = None,
    index_dir: IndexDir = None,
    as_json: AsJson = False,
) -> None:
    """A briefing to print before a meeting: the questions and answers on a subject over time with their
    citations, the undertakings on it (open first), who and what is involved, and the timeline."""
    from pcp_search.brief import build_brief, render

    fmt = fmt.lower().lstrip(".").replace("markdown", "md")
    if fmt not in ("md", "html"):
        raise Fatal(f"unknown --format {fmt!r}: use one of md, html")
    dates = _filters(None, None, since, until)
    service = _opened_service(index_dir)
    result = build_brief(service, query, since=dates.get("since"), until=dates.get("until"))
    if as_json:
        out.print_json(result.to_json())
        return
    text = render(result, fmt)
    if output_file is None:
        typer.echo(text, nl=False)
        return
    try:
        output_file.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise Fatal(f"cannot write {output_file}: {exc.strerror}") from None
    typer.echo(f"briefing on {query!r} written to {output_file}", err=True)


watch_app = typer.Typer(help="Saved searches: what is new on a subject since the last check.", no_args_is_help=True,
                        context_settings={"help_option_names": ["-h", "--help"]})
app.add_typer(watch_app, name="watch")


@watch_app.command("add")
@friendly
def watch_add(
    query: Annotated[str, typer.Argument(help="The search to keep, in the query language of `search`.")],
    index_dir: IndexDir = None,
) -> None:
    """Save a search: `watch check` will report the records that match it from now on."""
    from pcp_search import watch

    with _refused():
        saved = watch.add(_service(index_dir), _index_dir(index_dir), query)
    typer.echo(f"saved {saved.query!r} ({len(saved.seen)} matches already in the index; new ones will be reported)")


@watch_app.command("list")
@friendly
def watch_list(index_dir: IndexDir = None, as_json: AsJson = False) -> None:
    """The saved searches, numbered."""
    from pcp_search import watch

    with _refused():
        watches = watch.load(_index_dir(index_dir))
    out.output(as_json, lambda: [w.to_json() | {"number": n} for n, w in enumerate(watches, start=1)],
               lambda: out.show_watches(watches))


@watch_app.command("remove")
@friendly
def watch_remove(
    number: Annotated[int, typer.Argument(metavar="N", help="The number `watch list` shows.")],
    index_dir: IndexDir = None,
) -> None:
    """Forget a saved search."""
    from pcp_search import watch

    with _refused():
        gone = watch.remove(_index_dir(index_dir), number)
    typer.echo(f"removed {gone.query!r}")


@watch_app.command("check")
@friendly
def watch_check(index_dir: IndexDir = None, as_json: AsJson = False) -> None:
    """The records that arrived since the last check for each saved search, each reported once."""
    from pcp_search import watch

    service = _opened_service(index_dir)
    with _refused():
        result = watch.check(service, _index_dir(index_dir))
    out.output(as_json, result.to_json, lambda: out.show_watch_check(result))


# -- the TUI -----------------------------------------------------------------------------------------
