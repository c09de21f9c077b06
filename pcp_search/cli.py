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


from pcp_search import cli_tools  # noqa: E402,F401  (registers fetch, undertakings, brief, watch)


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
