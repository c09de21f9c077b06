"""A fetch run: list a source's papers, then bring each one into the destination folder once."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from pcp_search.fetch.http import Client, FetchError, Settings, discard, host_of, validators_of
from pcp_search.fetch.moderngov import is_moderngov, list_moderngov
from pcp_search.fetch.naming import clean_title, disposition_filename, inside, numbered, paper_filename, split_ext
from pcp_search.fetch.pages import list_page
from pcp_search.fetch.papers import Listing, Paper, judge
from pcp_search.fetch.sidecar import Held, holdings, sha256_file, write_atomic, write_sidecar
from pcp_search.fetch.sources import Source

Progress = Callable[[int, int, str], None]
PANEL = re.compile(r"^(?:the\s+)?(.+?)\s+Police,?\s+(?:Fire\s+)?(?:and|&)\s+Crime\s+Panel\b", re.IGNORECASE)


@dataclass
class FetchReport:
    """What a run did: papers downloaded, already held and unchanged, and what failed (and why)."""

    downloaded: list[dict] = field(default_factory=list)
    unchanged: list[dict] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dests: list[Path] = field(default_factory=list)

    def merge(self, other: FetchReport) -> None:
        for name in ("downloaded", "unchanged", "failed", "notes", "dests"):
            getattr(self, name).extend(getattr(other, name))

    def to_json(self) -> dict:
        return {"downloaded": self.downloaded, "unchanged": self.unchanged, "failed": self.failed,
                "notes": self.notes, "dest": [str(d) for d in self.dests]}

    def summary(self) -> str:
        where = ", ".join(str(d) for d in self.dests) or "nothing"
        return f"{len(self.downloaded)} downloaded, {len(self.unchanged)} unchanged, {len(self.failed)} failed -> {where}"


def panel_name(committee: str | None) -> str | None:
    """'Thames Valley PCP' from 'Thames Valley Police and Crime Panel' (the parser's form), else the committee."""
    if not committee:
        return None
    found = PANEL.match(committee.strip())
    return f"{found.group(1).strip()} PCP" if found else committee


def list_source(client: Client, source: Source) -> Listing:
    if source.committee or is_moderngov(source.url):
        return list_moderngov(client, source.url, source.committee, source.since, source.until, source.service)
    return list_page(client, source.url, source.since, source.until)


def fetch_source(source: Source, settings: Settings | None = None, refresh: bool = False,
                 progress: Progress | None = None, corpus: Path = Path("corpus")) -> FetchReport:
    """Fetch one source into its folder; a failure of one paper is reported and the run goes on."""
    report = FetchReport()
    if not source.url.startswith(("http://", "https://")):
        report.failed.append({"url": source.url, "title": source.name, "reason": "only http(s) addresses are fetched"})
        return report
    settings = replace(settings or Settings(), allow_hosts=(settings or Settings()).allow_hosts | source.allow_hosts)
    with Client(settings, site=host_of(source.url)) as client:
        try:
            listing = list_source(client, source)
        except FetchError as exc:
            report.failed.append({"url": source.url, "title": source.name, "reason": str(exc)})
            return report
        dest = source.dest or corpus / clean_title(listing.site, "site") / clean_title(listing.committee, "papers")
        dest.mkdir(parents=True, exist_ok=True)
        report.dests.append(dest)
        report.notes.extend(listing.notes)
        report.failed.extend(listing.failed)
        held = holdings(dest)
        panel = source.panel or panel_name(listing.committee)
        for number, paper in enumerate(listing.papers):
            if progress:
                progress(number, len(listing.papers), paper.title)
            status, entry = fetch_paper(client, paper, dest, held, refresh, panel)
            getattr(report, status).append(entry)
        if progress:
            progress(len(listing.papers), len(listing.papers), "")
    return report


def fetch_paper(client: Client, paper: Paper, dest: Path, held: dict[str, Held], refresh: bool,
                panel: str | None) -> tuple[str, dict]:
    """("downloaded" | "unchanged" | "failed", what to report) for one paper."""
    old = held.get(paper.url)
    if old is not None and not old.intact():
        old = None  # gone or edited by hand: fetch it again
    if old is not None and not refresh and paper.content is None and not old.meta.get("validators"):
        if paper.listed is None or paper.listed == old.meta.get("listed"):
            return "unchanged", _entry(paper, old.path)  # ModernGov sends no validators: same URL, same listing
    part = dest / f".fetch-{hashlib.sha1(paper.url.encode()).hexdigest()[:16]}.part"
    if paper.content is not None:
        write_atomic(part, paper.content)
        headers, size, sha, kind = {}, len(paper.content), hashlib.sha256(paper.content).hexdigest(), paper.expect
    else:
        try:
            got = client.download(paper.url, part, old.meta.get("validators") if old else None)
        except FetchError as exc:
            return "failed", {"url": paper.url, "title": paper.title, "reason": str(exc)}
        if got.status == 304:
            if old is None:  # a server answering "not modified" to a request that asked for the whole paper
                return "failed", {"url": paper.url, "title": paper.title,
                                  "reason": "HTTP 304 Not Modified, though no copy was held to compare with"}
            return "unchanged", _entry(paper, old.path)
        with part.open("rb") as body:
            head = body.read(2048)
        headers, size, sha = got.headers, got.size, got.sha256
        kind, reason = judge(head, paper.expect, headers.get("content-type", ""),
                             disposition_filename(headers.get("content-disposition")))
        if kind is None:
            discard(part)
            return "failed", {"url": paper.url, "title": paper.title, "reason": reason}
    if old is not None and old.meta.get("sha256") == sha:
        discard(part)
        return "unchanged", _entry(paper, old.path)
    target = _target(dest, paper, kind, headers, held, old, sha)
    os.replace(part, target)
    discard(part)
    if old is not None and old.path != target:
        old.path.unlink(missing_ok=True)
        old.path.with_name(old.path.name + ".meta.json").unlink(missing_ok=True)
    meta = {"url": paper.url, "meeting_date": paper.meeting_date, "committee": paper.committee, "panel": panel,
            "title": paper.title, "fetched_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "sha256": sha, "validators": validators_of(headers) or None, "listed": paper.listed, "bytes": size}
    write_sidecar(target, meta)
    held[paper.url] = Held(target, meta)
    return "downloaded", _entry(paper, target) | {"bytes": size}


def _entry(paper: Paper, path: Path) -> dict:
    return {"url": paper.url, "path": str(path), "title": paper.title, "meeting_date": paper.meeting_date}


def _target(dest: Path, paper: Paper, kind: str | None, headers: dict, held: dict[str, Held], old: Held | None, sha: str) -> Path:
    """The paper's file: `YYYY-MM-DD_<title>.<ext>`, the title from the server's Content-Disposition
    name when it sends one, numbered when another paper already has the name; always inside dest."""
    given = disposition_filename(headers.get("content-disposition"))
    title = split_ext(given)[0] if given else paper.title
    name = paper_filename(paper.meeting_date, title, kind)
    taken = {h.path.name for url, h in held.items() if url != paper.url}
    for number in range(1, 1000):
        candidate = name if number == 1 else numbered(name, number)
        target = inside(dest, candidate)
        if old is not None and old.path == target:
            return target
        if candidate in taken or (target.exists() and sha256_file(target) != sha):
            continue
        return target
    raise FetchError(f"no free name for {name}")


def fetch_all(sources: list[Source], settings: Settings | None = None, refresh: bool = False,
              progress: Progress | None = None, corpus: Path = Path("corpus")) -> FetchReport:
    """Every source of a sources file, one after another; one failing does not stop the others."""
    report = FetchReport()
    for source in sources:
        report.merge(fetch_source(source, settings, refresh, progress, corpus))
    return report
