"""A record as the index's fields and back again, and the index-time parameters that shape them."""

from __future__ import annotations

import hashlib

import orjson

from pcp_search.engine.files import CompressedDataError, pack_kept, pack_payload, payload_bytes, payload_dictionary
from pcp_search.engine.schema import SEARCH_FIELD
from pcp_search.models import RECORD_FIELDS, Entity, Record, qa_text
from pcp_search.spec import RULE_LABELS

FORMAT_VERSION = 17  # of the fields and files this code writes; the parameters below are saved beside it
QA_BOOST = 1.6  # a question with its answer outranks a passage holding the same words


def index_params() -> dict:
    """What an index is built with, saved beside it (`params.index.json`): an index built with other
    values is rebuilt by the next `index` run rather than mixed."""
    return {"format": FORMAT_VERSION, "qa_boost": QA_BOOST, "search_field": SEARCH_FIELD, "analyzer": "StemmingAnalyzer",
            "payload_dictionary": hashlib.sha1(payload_dictionary()).hexdigest()[:12]}


EMPTY_LEFT_OUT = ("asked_by", "answered_by", "entities")  # text fields left out when empty: the same index


def record_fields(record: Record, path: str, entity_names: str = "", source: dict | None = None) -> dict:
    """A record as Whoosh fields, ready for the writer: the searched text (analyzed by `BodyText`) and
    the full record as JSON (`stored_json`), compressed in the payload column."""
    # the searched text, in parts taken as joined by new lines (`BodyText.postings` analyses a repeated
    # part once): the heading, the question, the text, the entities' other names
    searched: tuple[str | None, ...] = (record.title, record.section, record.question, record.text, entity_names)
    if _text_is_the_pair(record):
        searched = (record.title, record.section, record.question, record.question, record.answer, entity_names)
    ids = list(dict.fromkeys(e.id for e in record.entities if e.label not in RULE_LABELS))
    fields = {
        "id": record.id,
        "path": path,
        "document": record.document,
        "kind": record.kind,
        "date": record.date or "",
        "year": int(record.date[:4]) if record.date else 0,
        SEARCH_FIELD: tuple(part for part in searched if part),
        "asked_by": record.asked_by or "",
        "answered_by": record.answered_by or "",
        "panel": record.panel or "",
        "entities": ",".join(ids),
        "entity_ids": ",".join(ids).encode("utf-8"),
        "_boost": QA_BOOST if record.kind == "qa" else 1.0,
        "payload": pack_payload(stored_json(record, path, source)),
    }
    for name in EMPTY_LEFT_OUT:  # (most records: an empty text field costs the writer an analysis for nothing)
        if not fields[name]:
            del fields[name]
    return fields


def stored_json(record: Record, path: str, source: dict | None = None) -> bytes:
    """The record as stored, in JSON without spaces (`payload` makes it whole again): keys without a
    value (None, an empty list) left out and each entity as [id, label, text], which made the stored
    records 8% smaller. A file's first record also carries `source` (the file's hash and size, and what the
    tagger learned from it): the index alone can rebuild the manifest and the entity registry."""
    stored = {}
    for name in STORED_FIELDS:  # (made field by field: `Record.to_json` made each entity a dict first)
        value = getattr(record, name)
        if value is not None:
            stored[name] = value
    if record.undertakings:
        stored["undertakings"] = list(record.undertakings)
    if record.entities:
        stored["entities"] = [[e.id, e.label, e.text] for e in record.entities]
    for name in STORED_AFTER:
        value = getattr(record, name)
        if value is not None:
            stored[name] = value
    stored["path"] = path
    if source:
        stored["source"] = source
    if _text_is_the_pair(record):
        del stored["text"]  # a pair's text is its question and answer: stored once, put back by `payload`
    return orjson.dumps(stored)  # (a fifth of the time json.dumps took, in UTF-8 at once)


def _text_is_the_pair(record: Record) -> bool:
    return record.question is not None and record.text == qa_text(record.question, record.answer)


STORED_ORDER = tuple(name for name in RECORD_FIELDS if name != "content_hash") + ("path",)  # as results show them
LISTS = ("undertakings", "entities")
STORED_FIELDS = STORED_ORDER[:STORED_ORDER.index("undertakings")]  # the fields stored before the lists,
STORED_AFTER = STORED_ORDER[STORED_ORDER.index("entities") + 1:-1]  # and after them (`stored_json`)


def stored(value: bytes | str) -> dict:
    """A record as `stored_json` made it, from the payload column (or, in an index of format 13 or
    before, the stored field's text); CompressedDataError when it is not whole."""
    try:
        return orjson.loads(payload_bytes(value) if isinstance(value, bytes) else value)
    except orjson.JSONDecodeError as exc:  # (damage a frame without a checksum let through)
        raise CompressedDataError(f"a stored record is not whole: {exc}") from None


def payload(value: bytes | str) -> dict:
    """A record as stored (see record_fields), whole again, its keys in the order of `Record.to_json`."""
    kept = stored(value)
    kept.pop("source", None)  # (the file's details, for rebuilding the index's own files)
    record = {}
    for key in STORED_ORDER:
        if key in kept:
            record[key] = kept.pop(key)
        elif key != "text":  # (a pair's text is put back last, from its question and answer)
            record[key] = [] if key in LISTS else None
    record.update(kept)
    record["entities"] = [Entity(*e).to_json() if isinstance(e, list) else e for e in record["entities"]]
    if "text" not in record:
        record["text"] = qa_text(record.get("question") or "", record.get("answer"))
    return record


def kept_document(document: str, sections: list[dict]) -> bytes:
    """A document's sections as kept beside the index, for `show` and the TUI's whole section (the
    files of an older index also hold the document's words, which nothing reads: "did you mean"
    counts them from the records)."""
    return pack_kept(orjson.dumps({"document": document, "sections": sections}))
