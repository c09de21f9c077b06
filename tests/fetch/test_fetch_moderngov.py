"""Fetching from a ModernGov-shaped site on 127.0.0.1: the page chain, the web service, incremental runs."""

from __future__ import annotations

import json
from pathlib import Path

from pcp_search.fetch import Source, fetch_source
from tests.fetch.conftest import samples
from tests.fetch.sites import add_service, moderngov_site


def papers_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".") and not p.name.endswith(".meta.json"))


def test_pages_bring_every_pdf_byte_identical_and_name_the_dead_link(site, settings, tmp_path):
    pdfs = moderngov_site(site)  # the web service is off: GetCommittees is a 404
    dest = tmp_path / "papers"
    report = fetch_source(Source(site.url("/ieListMeetings.aspx?CId=900&Year=0"), dest=dest), settings)

    assert len(report.downloaded) == 10, report.failed
    held = {p.read_bytes() for p in papers_in(dest)}
    assert held == set(pdfs.values())  # byte-identical
    assert [f["url"] for f in report.failed] == [site.url("/documents/s9999/Withdrawn%20report.pdf")]
    assert "404" in report.failed[0]["reason"]
    assert any("web service not used" in note for note in report.notes)

    names = {p.name for p in papers_in(dest)}
    assert "2025-06-13_Budget report.pdf" in names
    assert "2025-09-19_Printed minutes 19-Sep-2025.pdf" in names  # the Content-Disposition name
    meta = json.loads((dest / "2025-06-13_Budget report.pdf.meta.json").read_text())
    assert meta["url"] == site.url("/documents/s1014/Budget%20report.pdf")
    assert meta["meeting_date"] == "2025-06-13"
    assert meta["committee"] == "Thames Valley Police and Crime Panel"
    assert meta["panel"] == "Thames Valley PCP"
    assert meta["title"] == "Budget report"  # the link text without ModernGov's hidden item number and file size
    assert meta["sha256"] and meta["fetched_at"]
    assert set(meta) >= {"url", "meeting_date", "committee", "panel", "title", "fetched_at", "sha256", "validators"}


def test_a_second_run_downloads_nothing(site, settings, tmp_path):
    moderngov_site(site)
    source = Source(site.url("/ieListMeetings.aspx?CId=900&Year=0"), dest=tmp_path)
    fetch_source(source, settings)
    documents_before = sum(n for path, n in site.hits.items() if "/documents/" in path or "mgConvert" in path)

    again = fetch_source(source, settings)
    assert again.downloaded == []
    assert len(again.unchanged) == 10
    documents_after = sum(n for path, n in site.hits.items() if "/documents/" in path or "mgConvert" in path)
    assert documents_after - documents_before == 1  # only the dead link is tried again


def test_refresh_checks_again_and_keeps_unchanged_files(site, settings, tmp_path):
    moderngov_site(site)
    source = Source(site.url("/ieListMeetings.aspx?CId=900&Year=0"), dest=tmp_path)
    fetch_source(source, settings)
    again = fetch_source(source, settings, refresh=True)
    assert again.downloaded == [] and len(again.unchanged) == 10
    assert site.hits["/documents/s1011/Agenda.pdf"] == 2


def test_since_and_until_choose_meetings(site, settings, tmp_path):
    moderngov_site(site)
    report = fetch_source(Source(site.url("/ieListMeetings.aspx?CId=900&Year=0"), dest=tmp_path,
                                 since="2025-09-01", until="2025-12-31"), settings)
    assert {d["meeting_date"] for d in report.downloaded} == {"2025-09-19"}
    assert "/ieListDocuments.aspx?CId=900&MId=101&Ver=4" not in site.hits


def test_a_site_with_committee_id_and_default_dest(site, settings, tmp_path):
    moderngov_site(site)
    report = fetch_source(Source(site.base + "/", committee="900"), settings, corpus=tmp_path / "corpus")
    assert len(report.downloaded) == 10
    assert report.dests == [tmp_path / "corpus" / "127.0.0.1" / "Thames Valley Police and Crime Panel"]


def test_web_service_when_it_answers(site, settings, tmp_path):
    samples()
    pdfs = add_service(site)
    report = fetch_source(Source(site.base + "/", committee="Audit Committee"), settings, corpus=tmp_path)
    assert not report.failed, report.failed
    titles = {d["title"] for d in report.downloaded}
    assert titles == {"6 - CHAIR APPROVED  Minutes Audit Committee 25 Nov 2025", "DRAFT WP  FEBRUARY 2026", "Minutes"}
    dest = report.dests[0]
    assert {p.read_bytes() for p in papers_in(dest) if p.suffix == ".pdf"} == set(pdfs.values())
    minutes = next(p for p in papers_in(dest) if p.suffix == ".html")
    assert minutes.name == "2026-02-10_Minutes.html"
    assert "correct record" in minutes.read_text()  # the items' minutesnonemptyhtmlbody, joined
    meta = json.loads((dest / "2026-02-10_DRAFT WP FEBRUARY 2026.pdf.meta.json").read_text())
    assert meta["listed"] == "02/02/2026" and meta["committee"] == "Audit Committee"
    assert not any("ieListMeetings" in path for path in site.hits)  # the pages were not needed
    calls = [path for path in site.hits if "GetMeetings" in path]
    assert "sFromDate=01/01/2000" in calls[0]  # dd/mm/yyyy: ISO dates are ignored by the service
    assert not any("4966" in path for path in site.hits)  # the cancelled meeting is not asked for

    again = fetch_source(Source(site.base + "/", committee="Audit Committee"), settings, corpus=tmp_path)
    assert again.downloaded == [] and len(again.unchanged) == 3


def test_web_service_answering_html_falls_back_to_the_pages(site, settings, tmp_path):
    folder = samples()
    moderngov_site(site)
    failure = folder / "failure-modes" / "denbighshire_GetCouncillorsByWard_returned-https-redirect-script.html"
    redirect_page = failure.read_bytes()
    site.add("/mgWebService.asmx/GetCommittees", redirect_page)
    report = fetch_source(Source(site.url("/mgCommitteeDetails.aspx?ID=900"), dest=tmp_path), settings)
    assert len(report.downloaded) == 10
    assert any("web service not used (GetCommittees answered <script>" in note for note in report.notes)


def test_service_switched_off_in_the_source_is_not_asked(site, settings, tmp_path):
    moderngov_site(site)
    fetch_source(Source(site.url("/ieListMeetings.aspx?CId=900&Year=0"), dest=tmp_path, service=False), settings)
    assert not any("mgWebService" in path for path in site.hits)


def test_real_kingston_pages(site, settings, tmp_path):
    html = samples() / "html"
    site.add("/ieListMeetings.aspx?CommitteeId=711", (html / "kingston_ieListMeetings_CommitteeId711.html").read_bytes())
    page = (html / "kingston_ieListDocuments_CId711_MId10221_minutes-published.html").read_bytes()
    site.add("/ieListDocuments.aspx?CId=711&MId=10221&Ver=4", page)
    site.add("/ieListDocuments.aspx?CId=711&MId=10162&Ver=4",
             (html / "kingston_ieListDocuments_CId711_MId10161_cancelled.html").read_bytes())
    site.add("/documents/g10230/Printed minutes Thursday 15-Jan-2026 19.30 Kingston and North Kingston Neighbourhood "
             "Committee.pdf?T=1", b"%PDF-1.4 minutes", content_type="application/pdf")
    site.add("/documents/s112218/Annex 1 - Wolverton Avenue.pdf", b"%PDF-1.4 annex", content_type="application/pdf")
    report = fetch_source(Source(site.url("/ieListMeetings.aspx?CommitteeId=711"), dest=tmp_path, since="2026-01-10",
                                 until="2026-01-31"), settings)
    titles = {d["title"] for d in report.downloaded}
    assert titles == {"Printed minutes", "Annex 1 - Wolverton Avenue"}
    assert all(d["meeting_date"] == "2026-01-15" for d in report.downloaded)
    # every other document link of the real page was tried (and is a 404 here); packs' chooser pages are not documents
    assert len(report.failed) >= 15 and not any("mgChooseDocPack" in f["url"] for f in report.failed)
    assert not any(p.suffix == ".html" for p in papers_in(tmp_path))  # printed minutes exist: no inline copy
    assert "/ieListDocuments.aspx?CId=711&MId=10337&Ver=4" not in site.hits  # outside --since/--until


def test_inline_minutes_are_kept_when_no_printed_minutes_exist(site, settings, tmp_path):
    html = samples() / "html"
    page = (html / "kingston_ieListDocuments_CId711_MId10221_minutes-published.html").read_text(encoding="utf-8")
    page = page.replace("Printed minutes", "Printed notes")  # as if the minutes were only on the page
    site.add("/ieListDocuments.aspx?CId=711&MId=10221&Ver=4", page)
    report = fetch_source(Source(site.url("/ieListDocuments.aspx?CId=711&MId=10221&Ver=4"), dest=tmp_path), settings)
    minutes = [p for p in papers_in(tmp_path) if p.suffix == ".html"]
    assert [p.name for p in minutes] == ["2026-01-15_Minutes.html"], report.downloaded
    text = minutes[0].read_text()
    assert "There were no public questions." in text and "Apologies were received from Councillors" in text


def test_web_service_answering_500_is_off_at_once(site, settings, tmp_path):
    moderngov_site(site)
    site.add("/mgWebService.asmx/GetCommittees", "Server Error", status=500)
    report = fetch_source(Source(site.url("/ieListMeetings.aspx?CId=900&Year=0"), dest=tmp_path), settings)
    assert len(report.downloaded) == 10
    assert site.hits["/mgWebService.asmx/GetCommittees"] == 1 and settings.waits == []
