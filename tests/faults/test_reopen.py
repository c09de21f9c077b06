"""A long-lived searcher (the TUI's) follows the index: a commit that deletes records, and a rebuilt
folder swapped in by `index --force` (whose generation may equal the old one's), are both seen."""

from __future__ import annotations

from pcp_search.indexer import index_paths
from pcp_search.search import SearchService
from tests.faults.conftest import paper


def test_a_kept_service_sees_deletions_and_a_swapped_in_rebuild(tmp_path):
    papers = tmp_path / "papers"
    paper(papers, "a.txt", "zanzibarite")
    paper(papers, "b.txt", "quarzelmond")
    index_dir = tmp_path / "ix"
    index_paths([papers], index_dir, workers=1)
    service = SearchService(index_dir)
    assert service.search("quarzelmond").total > 0
    (papers / "b.txt").unlink()
    index_paths([papers], index_dir, workers=1)
    assert service.search("quarzelmond").total == 0
    paper(papers, "b.txt", "blorptastic")
    index_paths([papers], index_dir, workers=1, force=True)
    assert service.search("blorptastic").total > 0
    ids = [h.record["id"] for h in service.search("zanzibarite OR blorptastic", limit=100).hits]
    assert len(ids) == len(set(ids))
    assert service.registry.find("MASH") is not None
