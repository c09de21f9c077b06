"""The `pcp-search` command line: reads options, calls the library, prints text or --json.

Exit codes: 0 success; 1 `index` skipped some files or `fetch` could not bring some papers; 2 usage error,
missing, damaged or busy index, or fatal error; 130 (Ctrl-C) or 143 (SIGTERM) an `index` run stopped.
"""

from __future__ import annotations

import os
import sys
from functools import wraps
from pathlib import Path
from typing import Annotated

import typer

from pcp_search import cli_output as out
from pcp_search.config import default_corpus_dir, default_index_dir

app = typer.Typer(
    help="Search Police and Crime Panel papers: what was asked, what the PCC answered, and where.",
    no_args_is_help=False,
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish, PowerShell
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

IndexDir = Annotated[Path | None, typer.Option("--index-dir", help="Index folder (default: $PCP_SEARCH_INDEX, else ./index).",
                                               show_default=False)]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON (the documented contract) instead of text.")]
Limit = Annotated[int, typer.Option("--limit", "-n", min=1, max=1000, help="How many results to show.")]
NoColor = Annotated[bool, typer.Option("--no-color", help="No colour or bold (also when NO_COLOR is set, TERM=dumb, or piped).")]
Highlight = Annotated[bool, typer.Option("--highlight", help="Mark matched words even when piped or uncoloured: **like this**.")]


class Fatal(Exception):
    """A one-line error for the user; exit code 2."""


def friendly(func):
    """Turn known failures into one line on stderr and exit code 2 (never a traceback)."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        from pcp_search.ask import RecordNotFound
        from pcp_search.spec import IndexBusy, IndexDamaged, IndexingFailed, IndexMissing, IndexUnusable, Interrupted

        try:
            return func(*args, **kwargs)
        except (IndexMissing, IndexBusy, IndexDamaged, IndexUnusable, IndexingFailed, Fatal, RecordNotFound) as exc:
            message = exc.args[0] if exc.args else str(exc)
            typer.echo(f"error: {message}", err=True)
            raise typer.Exit(2) from None
        except Interrupted as exc:
            typer.echo(f"\n{exc.args[0]}", err=True)
            raise typer.Exit(128 + exc.signum) from None
        except BrokenPipeError:
            raise typer.Exit(0) from None
        except (typer.Exit, typer.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug must still be one line: PCP_SEARCH_DEBUG=1 shows the traceback
            if os.environ.get("PCP_SEARCH_DEBUG"):
                raise
            detail = str(exc).splitlines()[0] if str(exc) else ""
            typer.echo(f"error: unexpected {type(exc).__name__}: {detail} (set PCP_SEARCH_DEBUG=1 for details)", err=True)
            raise typer.Exit(2) from None

    return wrapper


def _index_dir(value: Path | None) -> Path:
    return value or default_index_dir()


def _service(index_dir: Path | None):
    from pcp_search.search import SearchService

    return SearchService(_index_dir(index_dir))


# -- index ----------------------------------------------------------------------------------------
@app.command()
@friendly
def index(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders to index (default: corpus/).",
                                                       show_default=False)] = None,
    index_dir: IndexDir = None,
    workers: Annotated[int | None, typer.Option(help="Parallel worker processes (default: one per core).", min=1)] = None,
    force: Annotated[bool, typer.Option("--force", help="Re-read every file even if unchanged.")] = False,
    as_json: AsJson = False,
) -> None:
    """Index papers (.txt, .md, .pdf, .html, .docx): unchanged files are skipped, changed ones replaced,
    files gone from an indexed folder removed. Broken files are named and skipped; exit code 1 then."""
    from pcp_search.indexer import index_paths

    targets = paths or [default_corpus_dir()]
    _check_paths(targets, named=bool(paths))
    progress = out.progress_printer() if sys.stderr.isatty() and not as_json else None
    def waiting(pid: str) -> None:
        typer.echo(f"index in use by pid {pid} (another `pcp-search index` run): waiting for it to end", err=True)

    report = index_paths(targets, _index_dir(index_dir), progress=progress, workers=workers, force=force, waiting=waiting)
    if progress:
        typer.echo("", err=True)
    for note in report.notes:
        typer.echo(f"note: {note}", err=True)
    watched = _saved_search_matches(_index_dir(index_dir))
    extra = {} if watched is None else {"saved_search_matches": watched}
    out.output(as_json, lambda: report.to_json() | extra, lambda: out.show_index(report))
    if watched is not None and not as_json:
        matches = "match" if watched == 1 else "matches"
        typer.echo(f"{watched} new {matches} for saved searches (`pcp-search watch check` lists them)")
    if report.skipped:
        raise typer.Exit(1)


def _saved_search_matches(index_dir: Path) -> int | None:
    """How many records the saved searches would report now (None when there are none saved)."""
    from pcp_search import watch

    if not watch.watch_file(index_dir).exists():
        return None
    try:
        return watch.pending(_service(index_dir), index_dir)
    except ValueError as exc:
        typer.echo(f"note: {exc}", err=True)
        return None


def _check_paths(paths: list[Path], named: bool) -> None:
    """A path that is not there, or a file of a type no reader takes, is a usage error (exit 2), named."""
    from pcp_search.config import SUPPORTED_SUFFIXES

    for path in paths:
        if not path.exists():
            hint = "" if named else " (put papers there, or name files or folders: pcp-search index PATH ...)"
            raise Fatal(f"{path}: no such file or folder{hint}")
        if path.is_file() and path.suffix.lower() not in SUPPORTED_SUFFIXES:
            raise Fatal(f"{path}: unsupported file type {path.suffix or '(none)'} (supported: {', '.join(SUPPORTED_SUFFIXES)})")


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
@app.command()
@friendly
def search(
    query: Annotated[str, typer.Argument(help='Words, "phrases", AND/OR/NOT, -exclude, wildcards, and filters such as '
                                              "force:TVP kind:qa date:2017..2019.")],
    limit: Limit = 10,
    kind: Annotated[list[str] | None, typer.Option("--kind", help="Only this kind: qa or passage (repeatable).")] = None,
    entity: Annotated[list[str] | None, typer.Option("--entity", "-e",
                                                     help="Only hits tagged with this entity id or name (repeatable).")] = None,
    since: Annotated[str | None, typer.Option(help="Only hits dated on or after (2019, 2019-06, 2019-06-30).")] = None,
    until: Annotated[str | None, typer.Option(help="Only hits dated on or before.")] = None,
    sort: Annotated[str, typer.Option(help="relevance, date (newest first) or date-asc.")] = "relevance",
    index_dir: IndexDir = None,
    as_json: AsJson = False,
    no_color: NoColor = False,
    highlight: Highlight = False,
) -> None:
    """Search the index: Q&A pairs and passages, best first, each with a citation."""
    out.configure(no_color, highlight)
    # facets are part of the JSON; the text output does not show them, so it does not count them
    result = _service(index_dir).search(query, limit=limit, **_filters(kind, entity, since, until), sort=_sort(sort),
                                        facets=as_json)
    out.output(as_json, result.to_json, lambda: out.show_search(result, query))


def _filters(kind, entity, since, until) -> dict:
    from pcp_search.parse.dates import parse_user_date

    out: dict = {"kinds": [], "entities": list(entity or [])}
    for value in kind or []:
        value = {"q&a": "qa", "passages": "passage"}.get(value.lower(), value.lower())
        if value not in ("qa", "passage"):
            raise Fatal(f"unknown --kind {value!r}: use one of qa, passage")
        out["kinds"].append(value)
    for name, value, end in (("since", since, False), ("until", until, True)):
        if value:
            parsed = parse_user_date(value, end=end)
            if not parsed:
                raise Fatal(f"cannot read --{name} {value!r}: use 2019, 2019-06 or 2019-06-30")
            out[name] = parsed
    return out


def _sort(value: str) -> str:
    value = value.lower().replace("-", "_")
    if value not in ("relevance", "date", "date_asc"):
        raise Fatal(f"unknown --sort {value!r}: use one of relevance, date, date-asc")
    return value


# -- ask, similar, timeline, show ----------------------------------------------------------------------
@app.command()
@friendly
def ask(
    question: Annotated[str, typer.Argument(help="A question in plain words, e.g. 'is stop and search actually working?'")],
    limit: Limit = 3,
    index_dir: IndexDir = None,
    as_json: AsJson = False,
    no_color: NoColor = False,
    highlight: Highlight = False,
) -> None:
    """The best past answers to a question, as a brief: the answer, then who said it, when and where."""
    out.configure(no_color, highlight)
    from pcp_search.ask import ask as run_ask

    result = run_ask(_service(index_dir), question, limit=limit)
    out.output(as_json, result.to_json, lambda: out.show_ask(result))


@app.command()
@friendly
def similar(
    text_or_id: Annotated[str, typer.Argument(help="A draft question, or the id of a past question.")],
    limit: Limit = 5,
    index_dir: IndexDir = None,
    as_json: AsJson = False,
    no_color: NoColor = False,
    highlight: Highlight = False,
) -> None:
    """Has this been asked before? Past questions closest to a draft."""
    out.configure(no_color, highlight)
    from pcp_search.ask import similar as run_similar

    result = run_similar(_service(index_dir), text_or_id, limit=limit)
    out.output(as_json, result.to_json, lambda: out.show_similar(result))


@app.command()
@friendly
def timeline(
    query: Annotated[str, typer.Argument(help="A subject, e.g. CCTV or 'stop and search'.")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=5000, help="How many hits to place on the timeline.")] = 200,
    index_dir: IndexDir = None,
    as_json: AsJson = False,
    no_color: NoColor = False,
    highlight: Highlight = False,
) -> None:
    """What was said on a subject over time: hits by meeting date, oldest first, with counts per year."""
    out.configure(no_color, highlight)
    from pcp_search.ask import timeline as run_timeline

    result = run_timeline(_service(index_dir), query, limit=limit)
    out.output(as_json, result.to_json, lambda: out.show_timeline(result))


@app.command()
@friendly
def show(
    record_id: Annotated[str, typer.Argument(metavar="ID", help="A result id, e.g. 001_a12a3b4e05c5168b.txt#qa13.")],
    index_dir: IndexDir = None,
    as_json: AsJson = False,
    no_pager: Annotated[bool, typer.Option("--no-pager", help="Print straight out, even when longer than the terminal.")] = False,
) -> None:
    """The whole record, its citation and the text of the section around it (through the pager, $PAGER
    else less, when longer than the terminal)."""
    from pcp_search.ask import show as run_show

    data = run_show(_service(index_dir), record_id)
    out.output(as_json, lambda: data, lambda: out.show_record(data, pager=not no_pager))


# -- parse and entities -----------------------------------------------------------------------------
@app.command()
@friendly
def parse(
    file: Annotated[Path, typer.Argument(help="A paper to parse (.txt, .md, .pdf, .html, .docx).")],
    as_json: AsJson = False,
) -> None:
    """Show how a paper is understood: title, kind, date, sections and question → answer pairs."""
    from pcp_search.config import SUPPORTED_SUFFIXES
    from pcp_search.ingest import IngestError, read_document
    from pcp_search.parse import parse_document

    if not file.is_file():
        raise Fatal(f"{file}: no such file")
    if file.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise Fatal(f"{file}: unsupported file type {file.suffix or '(none)'} (supported: {', '.join(SUPPORTED_SUFFIXES)})")
    try:
        parsed = parse_document(read_document(file))
    except IngestError as exc:
        if not as_json:
            raise Fatal(f"{file}: {exc}") from None
        # an accepted file always gives one JSON document; what went wrong is in its warnings
        out.print_json({"document": file.name, "title": None, "kind": None, "date": None, "author": None, "panel": None,
                     "sections": [], "qa": [], "warnings": [str(exc)]})
        raise typer.Exit(1) from None
    out.output(as_json, parsed.to_json, lambda: out.show_parsed(parsed))


@app.command()
@friendly
def entities(
    label: Annotated[str | None, typer.Option("--label", "-l", help="Only this label: FORCE, COUNCIL, PROGRAMME, BODY, PERSON, "
                                                                    "ROLE, ACRONYM.")] = None,
    index_dir: IndexDir = None,
    as_json: AsJson = False,
) -> None:
    """The entities tagged in the index, most mentioned first, with their other names."""
    wanted = _entity_label(label)
    service = _service(index_dir)
    service.store.open().close()
    rows = [e for e in service.registry.entries.values() if e.count > 0 and (not wanted or e.label == wanted)]
    rows.sort(key=lambda e: (-e.count, e.label, e.name))
    out.output(as_json, lambda: [e.to_json() for e in rows], lambda: out.show_entities(rows))


def _entity_label(value: str | None) -> str | None:
    """'force', 'FORCE' or 'forces' -> 'FORCE'; anything else is a usage error listing the labels."""
    from pcp_search.entities.registry import FILTER_LABELS

    if not value:
        return None
    labels = sorted(set(FILTER_LABELS.values()))
    word = value.strip().lower()
    found = FILTER_LABELS.get(word) or FILTER_LABELS.get(word.removesuffix("s"))
    if not found:
        raise Fatal(f"unknown --label {value!r}: use one of {', '.join(labels)}")
    return found


# -- undertakings, brief, watch -----------------------------------------------------------------------
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
    service = _service(index_dir)
    service.store.open().close()  # a missing index is one line, not an empty list
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
    service = _service(index_dir)
    service.store.open().close()
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

    try:
        saved = watch.add(_service(index_dir), _index_dir(index_dir), query)
    except ValueError as exc:
        raise Fatal(str(exc)) from None
    typer.echo(f"saved {saved.query!r} ({len(saved.seen)} matches already in the index; new ones will be reported)")


@watch_app.command("list")
@friendly
def watch_list(index_dir: IndexDir = None, as_json: AsJson = False) -> None:
    """The saved searches, numbered."""
    from pcp_search import watch

    try:
        watches = watch.load(_index_dir(index_dir))
    except ValueError as exc:
        raise Fatal(str(exc)) from None
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

    try:
        gone = watch.remove(_index_dir(index_dir), number)
    except ValueError as exc:
        raise Fatal(str(exc)) from None
    typer.echo(f"removed {gone.query!r}")


@watch_app.command("check")
@friendly
def watch_check(index_dir: IndexDir = None, as_json: AsJson = False) -> None:
    """The records that arrived since the last check for each saved search, each reported once."""
    from pcp_search import watch

    service = _service(index_dir)
    service.store.open().close()
    try:
        result = watch.check(service, _index_dir(index_dir))
    except ValueError as exc:
        raise Fatal(str(exc)) from None
    out.output(as_json, result.to_json, lambda: out.show_watch_check(result))


# -- the TUI -----------------------------------------------------------------------------------------
@app.command()
def tui(index_dir: IndexDir = None) -> None:
    """Open the terminal UI (also what bare `pcp-search` does)."""
    from pcp_search.tui.app import make_app

    make_app(_index_dir(index_dir)).run()


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        from pcp_search import __version__

        try:
            number = version("pcp-search")
        except PackageNotFoundError:  # run from a source tree that was never installed
            number = __version__
        typer.echo(f"pcp-search {number}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def main_callback(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    no_color: NoColor = False,
    highlight: Highlight = False,
) -> None:
    """Search Police and Crime Panel papers. Run without a command to open the terminal UI."""
    out.configure(no_color, highlight, fresh=True)
    if ctx.invoked_subcommand is None:
        tui(None)


def main() -> None:
    if sys.stdout is None:  # started with stdout closed (`>&-`): what it would print goes nowhere
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - for the life of the process
    try:
        app()
    finally:
        _quiet_closed_stdout()


def _quiet_closed_stdout() -> None:
    """A closed or vanished stdout (`| head`, `>&-`) ends the command quietly, without Python's
    'Exception ignored' message at exit."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except (BrokenPipeError, OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
