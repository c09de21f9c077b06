"""Property-based tests: any query string and any paper text are handled without an exception."""

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pcp_search.entities.registry import gazetteer
from pcp_search.ingest.text import text_to_lines
from pcp_search.models import Document
from pcp_search.parse import parse_document
from pcp_search.query import plan_query
from pcp_search.search import snippet

REGISTRY = gazetteer()
SYNTAX = st.sampled_from(['"', "(", ")", "AND", "OR", "NOT", "-", "*", "?", ":", "force:", "date:", "kind:", "..", "\x00", "🚓",
                          "\u202e"])
WORDS = st.sampled_from(["MASH", "PCC", "TVP", "budget", "Slough"])
QUERY = st.lists(st.one_of(st.text(max_size=12), SYNTAX, WORDS), max_size=12).map(" ".join)
PAPER_LINES = st.sampled_from([
    "(1) What is the plan?", "[The PCC replied that it was fine.]", "- (2) Why?", "RESOLVED – That it be noted.",
    "49/23 BUDGET", "Report title: X", "Date: 24 March 2023", "Question by Cllr A to B, Police and Crime Commissioner",
    "Answer", "Page 12", "#### Members' Questions", "<p>cell</p>\t<p>reply</p>\t", "Panel Recommendations\tProgress\tAssessment",
    "The PCC was asked whether it worked. The PCC replied that it did.", "", "]", "[",
])
PAPER = st.lists(st.one_of(PAPER_LINES, st.text(max_size=60)), max_size=40).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(QUERY)
def test_any_query_plans_without_error(query):
    plan = plan_query(query, REGISTRY)
    assert isinstance(plan.boolean, str)
    assert plan.boolean.count('"') % 2 == 0


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=QUERY)
def test_any_query_searches_without_error(service, query):
    result = service.search(query, limit=5)
    assert result.total >= len(result.hits)
    for hit in result.hits:
        assert hit.record["id"]


@settings(max_examples=200, deadline=None)
@given(PAPER)
def test_any_paper_text_parses(text):
    doc = Document(path="x.txt", name="x.txt", lines=text_to_lines(text))
    parsed = parse_document(doc)
    for pair in parsed.qa:
        assert pair.question.strip()
        assert pair.answer is None or pair.answer.strip()
    for section in parsed.sections:
        assert section.text.strip()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=string.ascii_letters + " .,\n", max_size=400),
       st.sets(st.sampled_from(["budget", "polic", "crime", "a"]), max_size=3))
def test_snippets_only_mark_the_text(text, terms):
    out = snippet(text, terms, width=80)
    plain = out.replace("**", "").replace("…", "")
    assert " ".join(plain.split()) in " ".join(text.split())


BODY_TEXT = st.lists(st.one_of(st.text(max_size=20), st.sampled_from(
    ["The", "the", "a", "PCC's", "3.14", "x.y.z", "İstanbul", "Straße", "running", "runs", "\n", "*", "MASH*", "of the"])),
    max_size=30).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(BODY_TEXT)
def test_worker_postings_equal_whooshs_own_analysis(text):
    # the indexing workers analyze the searched text themselves; the index must hold exactly what
    # Whoosh's analyzer would have made, or queries (analyzed by Whoosh) would miss words
    from whoosh.fields import TEXT

    from pcp_search.engine.schema import SEARCH_FIELD, build_schema

    body = build_schema()[SEARCH_FIELD]
    assert sorted(body.postings(text)) == sorted(TEXT.index(body, text))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(BODY_TEXT, st.sampled_from(["the of a", "", "Budget", "x.y"])), max_size=6))
def test_worker_postings_of_parts_equal_whooshs_analysis_of_the_joined_text(parts):
    # a record's searched text comes in parts (heading, question, question again, answer, names):
    # analysed part by part, repeated parts once, it must index as the parts joined by new lines
    from whoosh.fields import TEXT

    from pcp_search.engine.schema import SEARCH_FIELD, build_schema

    body = build_schema()[SEARCH_FIELD]
    parts = parts + parts[:2]  # (some parts repeat, as a pair's question does)
    assert sorted(body.postings(tuple(parts))) == sorted(TEXT.index(body, "\n".join(parts)))
