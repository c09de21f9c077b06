"""Fetched papers indexed: every hit carries its paper's `url`, and its meeting's date wins over the text's."""

from __future__ import annotations

from pcp_search.fetch import Source, fetch_source
from tests.fetch.sites import moderngov_site


def test_hits_carry_url_and_their_meetings_date(site, settings, tmp_path):
    from pcp_search.indexer import index_paths
    from pcp_search.search import SearchService

    moderngov_site(site)
    # an appendix whose text names another date: the meeting's date is still its citation date
    site.pdf("/documents/s1014/Budget report.pdf", "Appendix: precept options\nDate: 1 January 2020\nBand D council tax")
    dest = tmp_path / "papers"
    fetch_source(Source(site.url("/ieListMeetings.aspx?CId=900&Year=0"), dest=dest), settings)
    report = index_paths([dest], tmp_path / "index", workers=1)
    assert report.documents == 10, report.skipped

    hits = SearchService(tmp_path / "index").search("precept options Band", limit=5).hits
    top = hits[0].to_json()
    assert top["document"] == "2025-06-13_Budget report.pdf"
    assert top["url"] == site.url("/documents/s1014/Budget%20report.pdf")
    assert top["date"] == "2025-06-13"
    assert top["panel"] == "Thames Valley PCP"
    assert top["citation"].endswith(top["url"]) and "13 Jun 2025" in top["citation"]


def test_records_without_a_sidecar_have_a_null_url(seed_index):
    from pcp_search.search import SearchService

    hit = SearchService(seed_index).search("MASH", limit=1).hits[0].to_json()
    assert "url" in hit and hit["url"] is None
