"""The store's own BM25F over posting arrays must rank exactly as Whoosh's searcher does."""

from collections import Counter

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


def _filed_segment(folder, results, whoosh_flush: bool, monkeypatch, fill_empty: bool = False):
    """A worker's segment of the seed papers' records, adopted into an index of its own; with
    `whoosh_flush`, made by Whoosh's own add_document and filed by its add_postings (one posting at a time)."""
    from pcp_search.engine import internals

    with monkeypatch.context() as patch:
        if whoosh_flush:
            patch.setattr(internals.IndexWriter, "_flush_segment", internals.SegmentWriter._flush_segment)
            patch.setattr(internals.IndexWriter, "add_fields", lambda writer, fields: writer.add_document(**fields))
        store = Store(folder)
        store.create_if_missing().close()
        builder = store.segment_builder()
        for result in results:
            for fields in result.fields:
                builder.add({"asked_by": "", "answered_by": "", "entities": ""} | fields if fill_empty else fields)
        segment = builder.finish()
        with store.writer() as writer:
            writer.adopt(segment)
    return Store(folder)


def _everything_in(store):
    """Every term's postings with each block's statistics, every document's field lengths, stored fields
    and column values."""
    searcher = store._searcher()
    out = []
    for sub, _ in searcher.leaf_searchers():
        reader = sub.reader()
        for fieldname, text in reader.all_terms():
            matcher, blocks = reader.postings(fieldname, text), []
            if not hasattr(matcher, "_next_block"):  # postings kept in the term's entry (inline)
                blocks.append(("inline", matcher.max_quality()))
            while hasattr(matcher, "_next_block") and matcher.is_active():
                blocks.append((matcher.block_min_length(), matcher.block_max_length(), matcher.block_max_weight()))
                matcher._next_block()
            out.append((fieldname, text, list(reader.postings(fieldname, text).items_as("weight")), blocks))
        for fieldname in ("body", "asked_by", "answered_by", "entities"):
            out.append([reader.doc_field_length(n, fieldname) for n in range(reader.doc_count_all())])
        out.append([reader.stored_fields(n) for n in range(reader.doc_count_all())])
        for fieldname in ("document", "kind", "date", "year", "entity_ids", "payload"):
            out.append((fieldname, list(reader.column_reader(fieldname))))
    return out


@pytest.fixture(scope="module")
def seed_results():
    from pcp_search.entities.registry import gazetteer
    from pcp_search.filework import Job, _main_tagger, _process_one
    from pcp_search.indexer import file_sha
    from tests.conftest import SEEDS

    _main_tagger(gazetteer())
    return [_process_one(Job(str(p), p.name, p.name, *file_sha(p)), Counter()) for p in sorted(SEEDS.glob("*.txt"))]


def test_a_workers_segment_files_its_postings_as_whoosh_does(tmp_path, seed_results, monkeypatch):
    ours = _everything_in(_filed_segment(tmp_path / "ours", seed_results, False, monkeypatch))
    whooshs = _everything_in(_filed_segment(tmp_path / "whoosh", seed_results, True, monkeypatch))
    assert any(len(entry[3]) > 1 for entry in ours if len(entry) == 4)  # terms spanning several blocks
    assert any(entry[3][0][0] == "inline" for entry in ours if len(entry) == 4)  # and terms with one posting
    assert ours == whooshs


def test_empty_text_fields_left_out_make_the_same_index(tmp_path, seed_results, monkeypatch):
    left_out = _everything_in(_filed_segment(tmp_path / "left", seed_results, False, monkeypatch))
    given = _everything_in(_filed_segment(tmp_path / "given", seed_results, False, monkeypatch, fill_empty=True))
    assert left_out == given


def test_kept_sections_are_compressed_and_plain_ones_of_an_older_index_still_read(tmp_path):
    import json
    import zlib

    import zstandard

    from pcp_search.engine.files import doc_file
    from pcp_search.engine.sidefiles import DOCS
    from pcp_search.search import SearchService

    papers = write_papers(tmp_path / "papers")
    index_paths([papers], tmp_path / "ix", workers=1)
    record = SearchService(tmp_path / "ix").search("PCC", limit=1).hits[0].record
    kept = doc_file(tmp_path / "ix" / DOCS, record["path"])
    store = Store(tmp_path / "ix")
    whole = store.section_text(record)
    plain = zstandard.ZstdDecompressor().decompress(kept.read_bytes())
    assert kept.stat().st_size < len(plain)
    assert whole and whole == next(s["text"] for s in json.loads(plain)["sections"] if s["label"] == record["section"])
    kept.write_bytes(zlib.compress(plain))  # as an index of format 12-14 kept them
    assert Store(tmp_path / "ix").section_text(record) == whole
    kept.write_bytes(plain)  # as an index kept them before they were compressed
    assert Store(tmp_path / "ix").section_text(record) == whole
    kept.write_bytes(b"\x28\xb5\x2f\xfd damaged")
    assert Store(tmp_path / "ix").section_text(record) is None


def test_a_search_on_an_index_of_another_format_says_to_rebuild_it(tmp_path):
    import json

    from pcp_search.search import SearchService

    papers = write_papers(tmp_path / "papers")
    index_paths([papers], tmp_path / "ix", workers=1)
    assert not any("rebuild" in note for note in SearchService(tmp_path / "ix").search("PCC").notes)
    params = tmp_path / "ix" / "params.index.json"
    params.write_text(json.dumps(json.loads(params.read_text()) | {"format": 1}))
    result = SearchService(tmp_path / "ix").search("PCC")
    assert result.total  # (still searchable)
    assert "this index was built by another version of pcp-search: run `pcp-search index` to rebuild it" in result.notes


def test_a_stored_record_comes_back_whole_in_its_order(seed_results):
    import json

    from pcp_search.engine.files import unpack_payload
    from pcp_search.engine.records import payload

    records = [fields for result in seed_results for fields in result.fields]
    kinds = {json.loads(unpack_payload(f["payload"]))["kind"] for f in records}
    assert kinds == {"qa", "passage"}
    for fields in records:
        stored = json.loads(unpack_payload(fields["payload"]))
        assert None not in stored.values() and stored.get("entities") != []  # (left out when stored)
        whole = payload(fields["payload"])
        assert list(whole)[:3] == ["id", "kind", "document"] and whole["path"] == fields["path"]
        assert all(set(e) == {"id", "label", "text"} for e in whole["entities"])
        if "text" not in stored:  # a pair: its text is put back last
            assert list(whole)[-1] == "text" and whole["text"].startswith(whole["question"])
    old = {"id": "a#p1", "kind": "passage", "document": "a", "title": "T", "date": None, "section": None, "page": None,
           "text": "x", "question": None, "answer": None, "asked_by": None, "answered_by": None, "undertakings": [],
           "entities": [{"id": "force:x", "label": "FORCE", "text": "X"}], "doc_kind": "", "panel": None,
           "author": None, "url": None, "path": "a"}
    back = payload(json.dumps(old))  # as stored before records were stored compact
    assert back == old and list(back) == list(old)


def test_a_stored_record_is_compressed_with_the_payload_dictionary_and_reads_back():
    import zstandard

    from pcp_search.engine.files import CompressedDataError, pack_payload, payload_dictionary, unpack_payload

    text = '{"id":"minutes.txt#qa1","text":"Gwasanaeth Heddlu – £1.2m, 5 % more"}'
    packed = pack_payload(text.encode("utf-8"))
    assert unpack_payload(packed) == text and isinstance(packed, bytes)
    assert pack_payload(text.encode("utf-8")) == packed  # (the same bytes each time: a record is compressed on its own)
    with pytest.raises(zstandard.ZstdError):  # it needs the dictionary: one made without would not read it
        zstandard.ZstdDecompressor().decompress(packed[1:])
    with pytest.raises(CompressedDataError):  # a damaged record says so (the search reports a damaged index)
        unpack_payload(packed[:-3])
    with pytest.raises(CompressedDataError):  # as does one that names no dictionary known
        unpack_payload(b"\x07" + packed[1:])
    assert len(payload_dictionary()) == 32 * 1024


def test_a_record_stored_by_an_index_of_format_14_to_16_reads_back():
    # those records were compressed with the first dictionary, with no byte before them naming it: this
    # one as c1082e2 stored it (a changed or misnamed first dictionary would leave such indexes unreadable)
    import hashlib

    from pcp_search.engine.files import PAYLOAD_DICTIONARIES, ZSTD_MAGIC, unpack_payload
    from pcp_search.engine.records import payload

    stored = bytes.fromhex("28b52ffd204bbd0100340247776173616e6165746820486564646c75c2a3312e326d2c20352025206d6f72"
                           "65227d0500b97a153684cce1d69080f82003897840")
    assert unpack_payload(stored) == '{"id": "minutes.txt#qa1", "text": "Gwasanaeth Heddlu – £1.2m, 5 % more"}'
    assert payload(stored)["text"] == "Gwasanaeth Heddlu – £1.2m, 5 % more"
    first = PAYLOAD_DICTIONARIES[ZSTD_MAGIC[0]].read_bytes()
    assert hashlib.sha1(first).hexdigest()[:12] == "407df1efdc79"  # (the hash those indexes' parameters name)


def test_a_record_that_decompresses_to_broken_json_is_damage():
    from pcp_search.engine.files import CompressedDataError, pack_payload
    from pcp_search.engine.records import payload

    with pytest.raises(CompressedDataError):
        payload(pack_payload(b'{"id":"a#qa1","text":"cut sh'))


def test_records_compress_and_read_back_from_many_threads_at_once():
    # the TUI reads kept sections on its main thread while searches run in worker threads: Zstandard's
    # (de)compressors must not be shared between threads (one shared decompressor gave wrong records)
    from concurrent.futures import ThreadPoolExecutor

    from pcp_search.engine.files import pack_payload, unpack_payload

    texts = [f'{{"id": "paper{n}.txt#qa{n}", "text": "{"precept " * (n % 50)}{n}"}}'.encode() for n in range(400)]
    packed = [pack_payload(text) for text in texts]

    def round_trip(start: int) -> bool:
        order = range(start, start + len(texts))
        return all(unpack_payload(packed[n % len(texts)]) == texts[n % len(texts)].decode() and
                   pack_payload(texts[n % len(texts)]) == packed[n % len(texts)] for n in order)

    with ThreadPoolExecutor(8) as pool:
        assert all(pool.map(round_trip, range(0, 400, 50)))


def test_many_small_runs_merge_their_segments_and_every_paper_stays_found(tmp_path):
    # every record's id is a term with one posting, kept in the term table; after a few commits
    # Whoosh merges the small segments, reading such terms back (this once failed at the 11th run)
    from pcp_search.search import SearchService
    from tests.faults.conftest import paper

    topics = ["zanzibarite", "quarzelmond", "blorptastic", "fizzlewick", "grommetry", "wibblethorpe",
              "snorkelwise", "plinthwork", "crumblenook", "dazzlepot", "frobnitzer", "glimmerfax", "hobbleknot"]
    papers, index_dir = tmp_path / "papers", tmp_path / "ix"
    for n, topic in enumerate(topics):
        paper(papers, f"p{n:02}.txt", topic)
        report = index_paths([papers], index_dir, workers=1)
        assert report.documents == 1 and not report.skipped
    _generation, segments = Store(index_dir).segment_sizes()
    assert len(segments) < len(topics)  # (some were merged)
    service = SearchService(index_dir)
    for n, topic in enumerate(topics):
        hits = service.search(topic, limit=5).hits
        assert hits and hits[0].record["path"].endswith(f"p{n:02}.txt")
        assert service.store.get(hits[0].record["id"]) == hits[0].record  # (looked up by its id term)


@pytest.mark.parametrize("text", ["police", '"police and crime"', "pol*", "police -precept", "mash OR hub"])
def test_a_date_sort_puts_the_newest_or_oldest_first_the_undated_last_with_relevance_scores(service, text):
    # Whoosh's sorted search gave its sort key as each hit's score (a phrase sorted oldest first
    # failed converting a date to a number); the scores must be the ones a relevance search gives
    by_relevance = {hit.record["id"]: hit.score for hit in service.search(text, limit=1000).hits}
    assert by_relevance
    for sort, newest in (("date", True), ("date_asc", False)):
        hits = service.search(text, limit=1000, sort=sort).hits
        assert {hit.record["id"] for hit in hits} == set(by_relevance)
        dates = [hit.record["date"] or "" for hit in hits]
        dated = [date for date in dates if date]
        assert dated == sorted(dated, reverse=newest) and dates == dated + [""] * (len(dates) - len(dated))
        assert all(hit.score == pytest.approx(by_relevance[hit.record["id"]]) for hit in hits)
