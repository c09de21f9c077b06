"""What servers do to a download: 304, 429 with Retry-After, 5xx, slow answers, cut transfers,
hostile Content-Disposition names, HTML served for a PDF, redirects, size caps."""

from __future__ import annotations

import dataclasses
import json

import pytest

from pcp_search.fetch import FetchError, Settings, Source, fetch_source
from pcp_search.fetch.http import Client, retry_after
from tests.fetch.conftest import make_pdf, slow
from tests.fetch.test_fetch_moderngov import papers_in

LIST = '<html><head><title>Police and Crime Panel papers</title></head><body>{}</body></html>'


def listing(site, *hrefs: str, path: str = "/papers.html") -> str:
    site.add(path, LIST.format("".join(f'<p><a href="{h}">Paper {n} 12 March 2025</a></p>' for n, h in enumerate(hrefs))))
    return site.url(path)


def sequence(*responses):
    """A route answering with each (status, headers, body) in turn, then repeating the last."""
    calls = []

    def respond(handler):
        status, headers, body = responses[min(len(calls), len(responses) - 1)]
        calls.append(dict(handler.headers))
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    respond.calls = calls
    return respond


def truncated(body: bytes, times: int, etag: str | None = None):
    """Sends half of `body` (with the full Content-Length) `times` times, then answers whole; with an
    ETag it takes Range requests."""
    calls = []

    def respond(handler):
        calls.append(dict(handler.headers))
        ranged = handler.headers.get("Range") if etag and handler.headers.get("If-Range") == etag else None
        start = int(ranged.split("=")[1].rstrip("-")) if ranged else 0
        handler.send_response(206 if ranged else 200)
        handler.send_header("Content-Type", "application/pdf")
        handler.send_header("Content-Length", str(len(body) - start))
        if etag:
            handler.send_header("ETag", etag)
            handler.send_header("Accept-Ranges", "bytes")
        handler.end_headers()
        if len(calls) <= times:
            handler.wfile.write(body[start:start + (len(body) - start) // 2])
            handler.wfile.flush()
            handler.close_connection = True
            return
        handler.wfile.write(body[start:])

    respond.calls = calls
    return respond


def test_conditional_get_and_304(site, settings, tmp_path):
    body = make_pdf("Report")
    route = sequence((200, {"Content-Type": "application/pdf", "ETag": '"v1"'}, body), (304, {"ETag": '"v1"'}, b""))
    site.handle("/r.pdf", route)
    url = listing(site, "r.pdf")
    assert len(fetch_source(Source(url, dest=tmp_path), settings).downloaded) == 1
    meta = json.loads(next(tmp_path.glob("*.meta.json")).read_text())
    assert meta["validators"] == {"etag": '"v1"'}
    again = fetch_source(Source(url, dest=tmp_path), settings)
    assert again.downloaded == [] and len(again.unchanged) == 1
    assert route.calls[1]["If-None-Match"] == '"v1"'


def test_304_to_a_plain_request_fails_that_paper_only(site, settings, tmp_path):
    site.handle("/a.pdf", sequence((304, {}, b"")))  # "not modified" though nothing was asked conditionally
    site.pdf("/b.pdf", "Other report")
    report = fetch_source(Source(listing(site, "a.pdf", "b.pdf"), dest=tmp_path), settings)
    assert len(report.downloaded) == 1 and report.unchanged == []
    assert report.failed[0]["reason"] == "HTTP 304 Not Modified, though no copy was held to compare with"


def test_429_waits_as_told_by_retry_after(site, settings, tmp_path):
    body = make_pdf("Report")
    site.handle("/r.pdf", sequence((429, {"Retry-After": "7"}, b"slow down"), (200, {"Content-Type": "application/pdf"}, body)))
    report = fetch_source(Source(listing(site, "r.pdf"), dest=tmp_path), settings)
    assert len(report.downloaded) == 1
    assert 7.0 in settings.waits  # honoured (the test's sleep only records it)


def test_retry_after_too_long_fails_that_paper_only(site, settings, tmp_path):
    site.handle("/a.pdf", sequence((429, {"Retry-After": "86400"}, b"")))
    site.pdf("/b.pdf", "Other report")
    report = fetch_source(Source(listing(site, "a.pdf", "b.pdf"), dest=tmp_path), settings)
    assert len(report.downloaded) == 1
    assert "asked to wait 86400s" in report.failed[0]["reason"]


def test_5xx_is_retried_with_backoff_then_named(site, settings, tmp_path):
    route = sequence((503, {}, b"busy"))
    site.handle("/r.pdf", route)
    report = fetch_source(Source(listing(site, "r.pdf"), dest=tmp_path), settings)
    assert report.failed[0]["reason"] == "HTTP 503 Service Unavailable (after 3 tries)"
    assert len(route.calls) == 3 and settings.waits[:2] == [0.01, 0.02]


def test_a_slow_server_times_out_and_the_run_goes_on(site, settings, tmp_path):
    site.handle("/slow.pdf", slow(1.0))
    site.pdf("/quick.pdf", "Quick report")
    quick = dataclasses.replace(settings, timeout=0.2, retries=0)
    report = fetch_source(Source(listing(site, "slow.pdf", "quick.pdf"), dest=tmp_path), quick)
    assert [d["title"] for d in report.downloaded] == ["Paper 1 12 March 2025"]
    assert "timed out" in report.failed[0]["reason"]


def test_a_cut_transfer_is_never_kept(site, settings, tmp_path):
    site.handle("/r.pdf", truncated(make_pdf("Report " * 200), times=99))
    report = fetch_source(Source(listing(site, "r.pdf"), dest=tmp_path), settings)
    assert "cut short" in report.failed[0]["reason"] or "incomplete" in report.failed[0]["reason"]
    assert papers_in(tmp_path) == []


def test_a_cut_transfer_is_tried_again_whole(site, settings, tmp_path):
    body = make_pdf("Report " * 200)
    site.handle("/r.pdf", truncated(body, times=1))
    report = fetch_source(Source(listing(site, "r.pdf"), dest=tmp_path), settings)
    assert len(report.downloaded) == 1
    assert papers_in(tmp_path)[0].read_bytes() == body


def test_an_interrupted_download_resumes_with_a_range(site, settings, tmp_path):
    body = make_pdf("Report " * 400)
    route = truncated(body, times=1, etag='"abc"')
    site.handle("/r.pdf", route)
    no_retry = dataclasses.replace(settings, retries=0)
    first = fetch_source(Source(listing(site, "r.pdf"), dest=tmp_path), no_retry)  # the run is cut off
    assert first.failed and papers_in(tmp_path) == []
    second = fetch_source(Source(site.url("/papers.html"), dest=tmp_path), no_retry)
    assert len(second.downloaded) == 1
    assert papers_in(tmp_path)[0].read_bytes() == body
    assert route.calls[1]["Range"] == f"bytes={(len(body)) // 2}-"


@pytest.mark.parametrize("given", ['attachment; filename="../../../escape.pdf"', 'attachment; filename="/etc/cron.d/x.pdf"',
                                   "attachment; filename*=UTF-8''..%2F..%2Fup%2Fhere.pdf",
                                   'attachment; filename="..\\\\..\\\\win.pdf"', 'attachment; filename=".."'])
def test_content_disposition_names_cannot_leave_dest(site, settings, tmp_path, given):
    dest = tmp_path / "in" / "here"
    site.pdf("/mgConvert2PDF.aspx?ID=1", "Report", headers={"Content-Disposition": given})
    report = fetch_source(Source(listing(site, "mgConvert2PDF.aspx?ID=1"), dest=dest), settings)
    assert len(report.downloaded) == 1, report.failed
    landed = [p for p in tmp_path.rglob("*") if p.is_file() and not p.name.endswith(".meta.json")]
    assert [p.parent for p in landed] == [dest]
    assert not landed[0].name.startswith(".")


def test_an_html_page_served_for_a_pdf_link_is_not_kept(site, settings, tmp_path):
    site.add("/documents/s1/Report.pdf", "<!DOCTYPE html><html><body>Checking your browser...</body></html>")
    site.pdf("/documents/s2/Real.pdf", "Real report")
    report = fetch_source(Source(listing(site, "documents/s1/Report.pdf", "documents/s2/Real.pdf"), dest=tmp_path), settings)
    assert [p.name for p in papers_in(tmp_path)] == ["2025-03-12_Paper 1 12 March 2025.pdf"]
    assert report.failed[0]["url"].endswith("/documents/s1/Report.pdf")
    assert "served an HTML page, not a PDF" in report.failed[0]["reason"]


def test_size_cap(site, settings, tmp_path):
    site.pdf("/big.pdf", "Big report " * 100)
    report = fetch_source(Source(listing(site, "big.pdf"), dest=tmp_path), dataclasses.replace(settings, max_bytes=500))
    assert "cap" in report.failed[0]["reason"] and papers_in(tmp_path) == []


def test_redirects_stay_on_the_site_unless_allowed(site, settings, tmp_path):
    site.add("/moved.pdf", b"", status=302, headers={"Location": "/r.pdf"})
    site.pdf("/r.pdf", "Report")
    site.add("/away.pdf", b"", status=302, headers={"Location": "http://localhost:9/elsewhere.pdf"})
    report = fetch_source(Source(listing(site, "moved.pdf", "away.pdf"), dest=tmp_path), settings)
    assert len(report.downloaded) == 1
    assert "redirected off the site to http://localhost:9/elsewhere.pdf" in report.failed[0]["reason"]


def test_only_http_links_and_the_sites_own_documents(site, settings, tmp_path):
    site.pdf("/r.pdf", "Report")
    url = listing(site, "r.pdf", "ftp://example.org/x.pdf", "file:///etc/passwd.pdf", "javascript:alert(1)",
                  "https://example.org/off-site.pdf")
    report = fetch_source(Source(url, dest=tmp_path), settings)
    assert len(report.downloaded) == 1 and report.failed == []


def test_a_page_that_lists_papers_and_its_meeting_pages(site, settings, tmp_path):
    site.pdf("/docs/agenda-2025-03-12.pdf", "Agenda")
    site.add("/meetings/march.html", LIST.format('<a href="/docs/report.pdf">Chief Constable report</a>'
                                                 '<a href="/docs/old.doc">Old format</a>'))
    site.pdf("/docs/report.pdf", "Report")
    site.add("/index.html", LIST.format('<a href="/docs/agenda-2025-03-12.pdf">Agenda</a>'
                                        '<a href="/meetings/march.html">Meeting 12 March 2025</a>'
                                        '<a href="/about.html">About us</a>'))
    report = fetch_source(Source(site.url("/index.html"), dest=tmp_path), settings)
    assert {(d["title"], d["meeting_date"]) for d in report.downloaded} == {("Agenda", "2025-03-12"),
                                                                            ("Chief Constable report", "2025-03-12")}
    assert "/about.html" not in site.hits and "/docs/old.doc" not in site.hits


def test_a_dead_listing_is_named(site, settings, tmp_path):
    report = fetch_source(Source(site.url("/nothing.html"), dest=tmp_path), settings)
    assert report.failed[0]["reason"].startswith("HTTP 404")


def test_user_agent_names_the_tool_and_requests_take_turns(site, settings):
    site.pdf("/r.pdf", "Report")
    polite = dataclasses.replace(settings, delay=0.05)
    with Client(polite, site="127.0.0.1") as client:
        client.page(site.url("/r.pdf"))
        client.page(site.url("/r.pdf"))
        with pytest.raises(FetchError, match="off the site"):
            client.page("http://example.org/")
    assert site.log[0][1]["User-Agent"].startswith("pcp-search/")
    assert len(settings.waits) == 1 and 0 < settings.waits[0] <= 0.05  # the second request waited its turn


def test_retry_after_reads_seconds_and_dates():
    assert retry_after("12") == 12.0
    assert retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0
    assert retry_after("soon") is None and retry_after(None) is None
    assert Settings().user_agent.startswith("pcp-search/")
