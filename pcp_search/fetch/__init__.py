"""Fetch a panel's papers from where councils publish them: ModernGov (web service, else its pages)
or any page that lists papers; incremental, polite, and careful with what servers send.

    http.py       the polite client: turns per host, retries, redirects, caps, safe downloads
    moderngov.py  ModernGov's web service and page chain
    pages.py      links of HTML pages; any page that lists papers
    papers.py     what a listing finds, and whether a body is the document its link promised
    naming.py     file names that stay inside the destination
    sidecar.py    NAME.meta.json and what a folder already holds
    sources.py    sources.toml for `fetch --all`
    run.py        a run: list, then fetch each paper once
"""

from pcp_search.fetch.http import FetchError, Settings
from pcp_search.fetch.run import FetchReport, fetch_all, fetch_source
from pcp_search.fetch.sources import Source, SourcesError, load_sources

__all__ = ["FetchError", "FetchReport", "Settings", "Source", "SourcesError", "fetch_all", "fetch_source", "load_sources"]
