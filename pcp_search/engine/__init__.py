"""The search engine behind pcp-search: the only package that knows Whoosh. The layers above talk to
it in the engine-neutral terms of `pcp_search.spec`; another engine would replace this package.

    store.py      the index folder: open, write (incremental), search
    sidefiles.py  the files beside the index's: manifest, parameters, entities, words, kept sections
    records.py    a record as index fields and back; the index-time parameters
    schema.py     the fields, with a searched field that takes postings analyzed in the workers
    analysis.py   the index's stems and stop words, for snippets and spelling
    reading.py    a QuerySpec run: query parsing, filters, facets
    scoring.py    BM25F over whole posting lists as arrays
    writing.py    the lock holder's writer and the workers' segment builders
    internals.py  every private Whoosh name, in subclasses and small functions
"""

from pcp_search.engine.analysis import STOP_WORDS, analyze
from pcp_search.engine.records import kept_document, record_fields
from pcp_search.engine.store import Store

__all__ = ["STOP_WORDS", "Store", "analyze", "kept_document", "record_fields"]
