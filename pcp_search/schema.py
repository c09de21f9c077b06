"""The Whoosh schema: which record fields are searched, with what analysis and weight."""

from __future__ import annotations

from whoosh.analysis import StemmingAnalyzer
from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

# The searched text of a record lives in one field, `body`: its heading (title and section), its text
# (a Q&A pair's question and answer, the question given twice so its words weigh more) and the other
# names of its entities. One field keeps each query word to one posting list: on Whoosh, searching
# four weighted fields was four times slower for no measured gain in ranking.
SEARCH_FIELD = "body"


def build_schema() -> Schema:
    stem = StemmingAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        path=ID(stored=True),
        document=ID(stored=True, sortable=True),
        kind=ID(stored=True, sortable=True),
        doc_kind=ID(stored=True),
        date=ID(stored=True, sortable=True),
        year=NUMERIC(stored=True, sortable=True),
        body=TEXT(analyzer=stem),
        asked_by=TEXT(stored=False),
        answered_by=TEXT(stored=False),
        entities=KEYWORD(commas=True, lowercase=True, scorable=False),
        entity_ids=COLUMN(VarBytesColumn()),  # the same ids, read fast for facets
        payload=STORED(),  # the whole record as JSON: what results show
    )
