"""Listing promises across an index, their follow-up, the briefing and saved searches, on two meetings of
a made-up panel (tests/data/promises): in June the Commissioner promises a report on victim satisfaction,
in September the report is an item of its own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pcp_search.brief import build_brief, to_html, to_markdown
from pcp_search.indexer import index_paths
from pcp_search.promises import list_undertakings
from pcp_search.search import SearchService

DATA = Path(__file__).resolve().parents[1] / "data" / "promises"
JUNE = "2023-06-13_minutes.txt"
SEPTEMBER = "2023-09-19_minutes.txt"


@pytest.fixture(scope="module")
def two_meetings(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("promises")
    shutil.copytree(DATA, folder / "corpus")
    index_paths([folder / "corpus"], folder / "index", workers=1)
    return folder / "index"


def test_promises_are_listed_with_their_date_asker_and_deadline(two_meetings):
    items = list_undertakings(SearchService(two_meetings))
    texts = [u.text for u in items]
    assert len(items) == 2, texts
    report, figures = items
    assert report.text.startswith("The Commissioner agreed to provide a report on victim satisfaction")
    assert report.date == "2023-06-13" and report.document == JUNE
    assert report.asked_by == "Cllr P Singh" and report.promised_by == "the Commissioner"
    assert report.due == "to the next meeting"
    assert "13 Jun 2023" in report.citation and report.id.startswith(JUNE + "#")
    assert figures.promised_by == "the Chief Finance Officer" and figures.due == "after the tender closed"


def test_look_alikes_in_the_minutes_are_not_listed(two_meetings):
    texts = " ".join(u.text for u in list_undertakings(SearchService(two_meetings)))
    assert "scheme would provide" not in texts and "undertook a survey" not in texts and "rural crime" not in texts


def test_a_promise_reported_on_later_is_followed_up_with_the_later_citation(two_meetings):
    report, figures = list_undertakings(SearchService(two_meetings))
    assert report.status == "followed up"
    assert report.followed_up_by["date"] == "2023-09-19"
    assert "19 Sep 2023" in report.followed_up_by["citation"] and SEPTEMBER in report.followed_up_by["citation"]
    assert figures.status == "open" and figures.followed_up_by is None


def test_query_since_and_panel_narrow_the_list(two_meetings):
    service = SearchService(two_meetings)
    assert [u.document for u in list_undertakings(service, "victim satisfaction")] == [JUNE]
    assert list_undertakings(service, since="2023-07-01") == []
    assert len(list_undertakings(service, panel="Northfold")) == 2
    assert list_undertakings(service, panel="Thames Valley") == []


def test_the_brief_holds_the_promised_report_with_its_date_and_the_history(two_meetings):
    brief = build_brief(SearchService(two_meetings), "victim satisfaction")
    text = to_markdown(brief)
    assert text.startswith("# Briefing: victim satisfaction")
    assert "agreed to provide a report on victim satisfaction" in text and "13 Jun 2023" in text
    assert "Followed up" in text and "19 Sep 2023" in text
    assert "## Questions and answers over time" in text and "Cllr P Singh" in text
    assert "## Timeline" in text and "| 2023 |" in text
    page = to_html(brief)
    assert page.startswith("<!DOCTYPE html>") and "victim satisfaction" in page and "<script" not in page


def test_a_saved_search_reports_a_new_paper_once(tmp_path):
    from pcp_search import watch

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(DATA / JUNE, corpus / JUNE)
    index_dir = tmp_path / "index"
    index_paths([corpus], index_dir, workers=1)
    service = SearchService(index_dir)
    watch.add(service, index_dir, "victim satisfaction")
    assert watch.watch_file(index_dir) == tmp_path / "index.watches.json"
    assert watch.check(service, index_dir).total == 0  # what was there when saved is not news

    shutil.copy(DATA / SEPTEMBER, corpus / SEPTEMBER)
    index_paths([corpus], index_dir, workers=1)
    assert watch.pending(service, index_dir) >= 1  # counted without being marked seen
    first = watch.check(service, index_dir)
    assert first.total >= 1 and {r["document"] for r in first.watches[0]["new"]} == {SEPTEMBER}
    assert watch.check(service, index_dir).total == 0  # reported once, not again
    index_paths([corpus], index_dir, workers=1, force=True)
    assert watch.check(SearchService(index_dir), index_dir).total == 0  # nor after a rebuild


def test_saved_searches_are_listed_and_removed(tmp_path):
    from pcp_search import watch

    index_dir = tmp_path / "index"
    service = SearchService(index_dir)
    watch.add(service, index_dir, "CCTV")
    watch.add(service, index_dir, "knife crime")
    with pytest.raises(ValueError):
        watch.add(service, index_dir, "CCTV")
    assert [w.query for w in watch.load(index_dir)] == ["CCTV", "knife crime"]
    assert watch.remove(index_dir, 1).query == "CCTV"
    assert [w.query for w in watch.load(index_dir)] == ["knife crime"]
    with pytest.raises(ValueError, match="no saved search number 5"):
        watch.remove(index_dir, 5)
