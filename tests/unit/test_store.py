"""The store's own BM25F over posting arrays must rank exactly as Whoosh's searcher does."""

import pytest

from pcp_search.engine import Store
from pcp_search.engine.reading import parser as _parser
from pcp_search.indexer import index_paths
from tests.unit.test_indexer import write_papers

QUERIES = ["MASH", "police", "precept council tax", "stop search", "Atlantic House contractor", "PCC answer",
           "((community AND support AND officers) OR PCSO)", "funding OR councils OR recruitment", "zzzunknown OR MASH"]


@pytest.fixture(scope="module")
def segmented_index(tmp_path_factory):
    # several segments (two workers) and deletions (a changed file re-indexed): the hard cases
    folder = tmp_path_factory.mktemp("segments")
    papers = write_papers(folder / "papers")
    index_dir = folder / "ix"
    index_paths([papers], index_dir, workers=2)
    changed = sorted(papers.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nThe police precept rose again.\n", encoding="utf-8")
    index_paths([papers], index_dir, workers=1)
    return index_dir


@pytest.mark.parametrize("any_terms", [True, False])
@pytest.mark.parametrize("text", QUERIES)
def test_array_scoring_ranks_as_whoosh_does(segmented_index, text, any_terms):
    store = Store(segmented_index)
    searcher = store._searcher()
    assert len(searcher.leaf_searchers()) > 1 and any(s.reader().has_deletions() for s, _ in searcher.leaf_searchers())
    query = _parser(searcher.schema, any_terms).parse(text)
    ours = store._postings(searcher).score(query)
    assert ours is not None
    ids, scores = ours
    theirs = searcher.search(query, limit=None)
    assert sorted(ids.tolist()) == sorted(hit.docnum for hit in theirs)
    by_doc = dict(zip(ids.tolist(), scores.tolist()))
    for hit in theirs:
        assert by_doc[hit.docnum] == pytest.approx(hit.score, rel=1e-9)


def test_phrases_and_wildcards_are_left_to_whoosh(segmented_index):
    store = Store(segmented_index)
    searcher = store._searcher()
    for text in ['"Atlantic House"', "recruit*", "MASH NOT funding"]:
        assert store._postings(searcher).score(_parser(searcher.schema, True).parse(text)) is None


@pytest.mark.parametrize("start,end", [("2023", "2023-12-31"), ("0000", "9999"), ("2023-01-27", "2023-01-27"), ("2030", "2031")])
def test_date_ranges_from_the_column_match_whooshs_term_range(segmented_index, start, end):
    from whoosh import query as Q

    store = Store(segmented_index)
    searcher = store._searcher()
    node = Q.TermRange("date", start, end)
    ours = store._postings(searcher).docs(node).tolist()
    assert ours == sorted(searcher.docs_for_query(node))
    if start == "0000":
        assert ours  # the seed papers are dated
