"""The sources file (`sources.toml`): the panels `fetch --all` brings up to date, one table each."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pcp_search.parse.dates import parse_user_date

EXAMPLE = """\
# sources.toml: the panels `pcp-search fetch --all` fetches
[[source]]
name = "Thames Valley"
url = "https://mycouncil.oxfordshire.gov.uk/ieListMeetings.aspx?CId=1113&Year=0"
panel = "Thames Valley PCP"
since = "2023-01-01"
# dest = "corpus/thames-valley"      # default: corpus/<site>/<committee>/
# committee = "Police and Crime Panel" # for a site address without a committee id
# allow_hosts = ["cdn.example.gov.uk"] # hosts redirects may lead to besides the site
# service = false                      # skip the web service, read the pages
"""

KEYS = {"name", "url", "committee", "dest", "since", "until", "panel", "allow_hosts", "service"}


class SourcesError(Exception):
    """A sources file that cannot be used; the message says where and why."""


@dataclass
class Source:
    """One place to fetch from and how."""

    url: str
    name: str | None = None
    committee: str | None = None
    dest: Path | None = None
    since: str | None = None
    until: str | None = None
    panel: str | None = None
    allow_hosts: frozenset[str] = field(default_factory=frozenset)
    service: bool = True


def load_sources(path: Path) -> list[Source]:
    """The sources listed in a TOML file as `[[source]]` tables (relative `dest` from the file's folder)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(f"{path}: no such file (write one like:\n{EXAMPLE})") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SourcesError(f"{path}: {exc}") from None
    tables = data.get("source")
    if not isinstance(tables, list) or not tables:
        raise SourcesError(f"{path}: no [[source]] tables")
    return [_source(table, number, path) for number, table in enumerate(tables, start=1)]


def _source(table: dict, number: int, path: Path) -> Source:
    where = f"{path}: source {number}"
    unknown = set(table) - KEYS
    if unknown:
        raise SourcesError(f"{where}: unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(KEYS))})")
    url = table.get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise SourcesError(f"{where}: `url` must be an http(s) address")
    dates = {}
    for key in ("since", "until"):
        value = table.get(key)
        if value is not None:
            dates[key] = parse_user_date(str(value), end=key == "until")
            if not dates[key]:
                raise SourcesError(f"{where}: cannot read {key} = {value!r}: use 2019, 2019-06 or 2019-06-30")
    hosts = table.get("allow_hosts", [])
    if not isinstance(hosts, list) or not all(isinstance(h, str) for h in hosts):
        raise SourcesError(f"{where}: `allow_hosts` must be a list of host names")
    dest = table.get("dest")
    return Source(url=url, name=table.get("name"), committee=_str(table.get("committee")),
                  dest=(path.parent / dest) if dest else None, panel=table.get("panel"),
                  allow_hosts=frozenset(h.lower() for h in hosts), service=bool(table.get("service", True)), **dates)


def _str(value) -> str | None:
    return None if value is None else str(value)
