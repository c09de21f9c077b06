"""The Whoosh schema: which record fields are searched, with what analysis and weight."""

from __future__ import annotations

from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

# field -> BM25F weight used by the query parser
FIELD_BOOSTS = {
    "question": 3.0,
    "title": 1.5,
    "section": 1.5,
    "answer": 1.5,
    "text": 1.0,
    "entity_names": 1.2,
    "people": 1.0,
}


def build_schema() -> Schema:
    stem = StemmingAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        path=ID(stored=True),
        document=ID(stored=True),
        kind=ID(stored=True),
        doc_kind=ID(stored=True),
        date=ID(stored=True, sortable=True),
        year=NUMERIC(stored=True, sortable=True),
        title=TEXT(analyzer=stem, stored=True),
        section=TEXT(analyzer=stem, stored=True),
        question=TEXT(analyzer=stem, stored=True),
        answer=TEXT(analyzer=stem, stored=True),
        text=TEXT(analyzer=stem, stored=True, spelling=True),
        people=TEXT(stored=True),  # asked_by and answered_by, for asked:/answered:
        asked_by=TEXT(stored=False),
        answered_by=TEXT(stored=False),
        entities=KEYWORD(commas=True, lowercase=True, scorable=False),
        entity_names=TEXT(analyzer=stem),
        payload=STORED(),
    )
