"""Every use of Whoosh's private names, in one module (whoosh-reloaded 2.7.5 is pinned and frozen
upstream; upgrading it means reading this file). Like Whoosh's own `MpWriter(SegmentWriter)`, the
private calls sit in subclasses and small functions; nothing is patched for the whole process:

- `FastLengths`: a segment's field lengths read as one byte string, not byte by byte, for the
  writer (which looks a length up for every posting it files) and for scoring;
- `IndexWriter`: Whoosh's `SegmentWriter` that commits segments other writers finished (as
  `MpWriter._commit` does), finishes a segment for a lock holder to adopt, and adds a worker's
  records with less work per record (`add_fields`);
- `TermPool`: a worker's postings grouped by term, in place of Whoosh's sorting pool;
- `_PostingsWriter`: Whoosh's posting writer with its uncompressed short blocks and inline
  one-posting terms working as it meant them to, and blocks compressed with Zstandard, which
  `_LeafMatcher` reads (the index's codec is `_Codec`, pickled as itself);
- `segment_postings`, `bm25_parameters`: a term's postings as arrays and the BM25F constants,
  for scoring over whole posting lists (`scoring.py`);
- `searcher`: Whoosh's searcher, its segments' files mapped without being copied into memory."""

from __future__ import annotations

import copy
import time
from array import array
from pickle import dumps, loads
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3LeafMatcher,
    W3PerDocReader,
    W3PostingsWriter,
    W3Segment,
    _lenfield,
)
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.structfile import BufferFile, StructFile
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from pcp_search.engine.files import compress, decompress

SHORT_BLOCK = 128  # bytes: a posting block's pickle shorter than this is not compressed
ZSTD_BLOCK = 100  # a block's "compression" saying Zstandard (Whoosh's are zlib's levels, 1-9)
SHORT_VALUE = 200  # characters: a record's shorter values (path, date, entity ids) are analyzed once a segment
INLINE_LIMIT = 2  # a term with fewer postings than this keeps them in its entry of the term table (Whoosh: 1, none)


# -- field lengths ----------------------------------------------------------------------------------
class FastLengths(W3PerDocReader):
    """W3PerDocReader with two fixes, both in how it reads a segment's field lengths:
    - a missing length column was looked up with a stat() call each time (650,000 stats for 5 MB of
      papers): remember that it is missing;
    - each length was read from the column file one byte at a time through three layers of calls:
      read a field's whole column once (a byte per document) and index into it. This halved the
      time the writer spends filing postings."""

    def _cached_reader(self, fieldname, column):
        if fieldname in self._readers:
            return self._readers[fieldname]
        reader = super()._cached_reader(fieldname, column)
        if reader is None:
            self._readers[fieldname] = None
        return reader

    def doc_field_length(self, docnum, fieldname, default=0):
        if docnum > self._doccount:
            raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
        lengths = self.length_bytes(fieldname)
        if lengths is None:
            return default
        lbyte = lengths[docnum] if docnum < len(lengths) else 0
        if lbyte:
            return byte_to_length(lbyte)
        return None  # as whoosh does

    def length_bytes(self, fieldname: str) -> bytes | None:
        """The segment's encoded field lengths, one byte per document (read once, then kept)."""
        cache = self.__dict__.setdefault("_pcp_lengths", {})
        if fieldname not in cache:
            reader = self._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            # the column holds one unsigned byte per document ("B"); documents past its end have 0
            cache[fieldname] = None if reader is None else bytes(reader._dbfile.get(reader._basepos, reader._count))
        return cache[fieldname]


def fast_lengths(reader) -> FastLengths | None:
    """A segment reader's per-document reader, made a `FastLengths` (the same object: only this
    reader changes class, not Whoosh's); None for a reader without one (an empty index's)."""
    perdoc = getattr(reader, "_perdoc", None)
    if type(perdoc) is W3PerDocReader:
        perdoc.__class__ = FastLengths
    return perdoc


# -- opening ----------------------------------------------------------------------------------------
class _View:
    """A read-only stream over a memoryview (what BufferFile's BytesIO is used for), copying only what
    is read."""

    def __init__(self, buf) -> None:
        self._buf = buf
        self._pos = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._buf) if size is None or size < 0 else min(len(self._buf), self._pos + size)
        data = bytes(self._buf[self._pos:end])
        self._pos = end
        return data

    def readline(self, size: int = -1) -> bytes:
        end = len(self._buf) if size is None or size < 0 else min(len(self._buf), self._pos + size)
        start = self._pos
        while start < end:
            chunk = bytes(self._buf[start:min(end, start + 4096)])
            found = chunk.find(b"\n")
            if found >= 0:
                return self.read(start + found + 1 - self._pos)
            start += len(chunk)
        return self.read(end - self._pos)

    def seek(self, pos: int, whence: int = 0) -> int:
        self._pos = pos if whence == 0 else self._pos + pos if whence == 1 else len(self._buf) + pos
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        pass


class _MappedFile(BufferFile):
    """Whoosh's BufferFile over a slice of a memory-mapped segment, without its copy: BufferFile puts the
    slice in a BytesIO at once, which copies the whole posting and term files of every segment each
    time a searcher opens (at 100 MB of papers, most of a cold search's own time)."""

    def __init__(self, buf, name=None, onclose=None):
        self._buf = buf
        self._name = name
        self.file = _View(buf)
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False


class _MappedCompound(CompoundStorage):
    def open_file(self, name, *args, **kwargs):
        if self._source and not self.is_closed:
            offset, length = self.range(name)
            return _MappedFile(memoryview(self._source)[offset:offset + length], name=name)
        return super().open_file(name, *args, **kwargs)


class _MappedSegment(W3Segment):
    """A segment (for reading only) whose compound file is opened by `_MappedCompound`."""

    def open_compound_file(self, storage):
        return _MappedCompound(storage.open_file(self.make_filename(self.COMPOUND_EXT)), use_mmap=storage.supports_mmap)


def searcher(ix):
    """`ix.searcher()`, with `_MappedSegment`s (read from the table of contents afresh: the index's own
    segment objects, which a writer pickles, are untouched), retried like Whoosh's `reader` when a
    writer removes a file just as it is opened."""
    from whoosh.searching import Searcher

    for retries in range(10, 0, -1):
        try:
            info = ix._read_toc()
            for segment in info.segments:
                if type(segment) is W3Segment:
                    segment.__class__ = _MappedSegment
            return Searcher(ix._reader(ix.storage, info.schema, info.segments, info.generation), fromindex=ix)
        except OSError:
            if retries == 1:
                raise
            time.sleep(0.05)
    raise AssertionError("unreachable")


def speed_up(searcher):
    """The searcher, its segments' lengths read by `FastLengths`."""
    for sub, _offset in searcher.leaf_searchers():
        fast_lengths(sub.reader())
    return searcher


class _Codec(W3Codec):
    """Whoosh's codec, with `FastLengths` for the writer's lookups and posting blocks compressed with
    Zstandard (`_PostingsWriter`, `_LeafMatcher`): a third of zlib's time, 3% larger. Pickled into
    the index as itself, so its segments are read with it: the index needs pcp-search to be read
    (plain Whoosh cannot), and renaming this class would make every index unreadable."""

    def per_document_reader(self, storage, segment):
        return FastLengths(storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return _PostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids, compression=self._compression,
                               inlinelimit=self._inlinelimit)

    def field_writer(self, storage, segment):
        return _FieldWriter(self, storage, segment)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return _LeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)

    def __reduce__(self):
        return _Codec, (self._blocklimit, self._compression, self._inlinelimit)


# -- writing ----------------------------------------------------------------------------------------
class IndexWriter(SegmentWriter):
    """Whoosh's segment writer (a) with fast length lookups, (b) whose commit also takes segments
    finished by other writers, (c) which can hand its own segment over instead of committing, and
    (d) whose searcher (for deletions) maps the segments' files rather than copying them."""

    _searcher: object | None  # SegmentWriter's cached searcher, set in its __init__

    def __init__(self, ix, lock: bool = True, limitmb: int = 256) -> None:
        super().__init__(ix, _lk=lock, limitmb=limitmb, codec=_Codec(inlinelimit=INLINE_LIMIT))

    def searcher(self, **kwargs):
        """Whoosh's cached searcher of the writer's segments, opened over `_MappedSegment` copies of
        them (the writer's own are pickled into the next table of contents) that share their set of
        deleted documents, so it sees the writer's deletions as Whoosh's does. Without this each
        batch's writer read every segment of the index into memory."""
        if kwargs or self.is_closed or self._searcher is not None:
            return super().searcher(**kwargs)
        from whoosh.index import FileIndex
        from whoosh.searching import Searcher

        segments = []
        for segment in self.segments:
            if type(segment) is W3Segment:
                if segment._deleted is None:
                    segment._deleted = set()  # (shared with the copy; Whoosh reads an empty set as none)
                segment = copy.copy(segment)
                segment.__class__ = _MappedSegment
            segments.append(segment)
        found = Searcher(FileIndex._reader(self.storage, self.schema, segments, self.generation))
        found._orig_close = found.close  # as SegmentWriter.searcher: closed when the writer finishes
        found.close = lambda: None
        self._searcher = found
        return found

    def add_reader(self, reader):  # (merging small segments reads every length of theirs)
        fast_lengths(reader)
        return super().add_reader(reader)

    def add_fields(self, fields: dict) -> None:
        """Whoosh's `add_document` for a worker's `TermPool`, the same segment made with less work per
        record: the schema's fields in the order Whoosh takes them worked out once, each posting filed
        in the pool directly, and the analysis of a repeated value (a record's path, kind, date, panel,
        entities) reused. Only for schemas without term vectors or spelling fields (ours); tests hold
        the segment equal to Whoosh's."""
        plan = self.__dict__.get("_plan")
        if plan is None:  # (a field that files its own postings, `BodyText.file_into`, is given the pool)
            plan = self._plan = [(name, field, field.column_type, getattr(field, "file_into", None))
                                 for name, field in sorted(self.schema.items())]
            self._analyzed: dict[tuple[str, object], list] = {}
        unknown = [name for name in fields if not name.startswith("_") and name not in self.schema]
        if unknown:
            raise ValueError(f"no field named {unknown[0]!r} in the schema")
        self._check_state()
        perdoc, pool, docnum = self.perdocwriter, self.pool, self.docnum
        docboost = float(fields.get("_boost", 1.0))
        analyzed = self._analyzed
        perdoc.start_doc(docnum)
        for name, field, column, file_into in plan:
            value = fields.get(name)
            if value is None:
                continue
            length = 0
            if file_into is not None and isinstance(value, (str, tuple)):
                terms = pool.fields.get(name, {})
                length, filed = file_into(value, terms, docnum, float(fields.get(f"_{name}_boost", docboost)))
                if filed:
                    pool.fields[name] = terms
                    pool.count += filed
                length *= field.scorable
            elif field.indexed:
                boost = float(fields.get(f"_{name}_boost", docboost))
                if field.unique or not isinstance(value, str) or len(value) > SHORT_VALUE:
                    items = list(field.index(value))
                elif (name, value) in analyzed:  # (the same short value analyzes to the same postings)
                    items = analyzed[(name, value)]
                else:
                    if len(analyzed) > 50_000:
                        analyzed.clear()
                    items = analyzed[(name, value)] = list(field.index(value))
                if field.scorable:
                    length = sum([item[1] for item in items])
                terms = pool.fields.get(name)
                if terms is None and items:
                    terms = pool.fields[name] = {}
                for text, _freq, weight, vbytes in items:
                    postings = terms.get(text)
                    if postings is None:
                        terms[text] = [(docnum, weight * boost, vbytes)]
                    else:
                        postings.append((docnum, weight * boost, vbytes))
                pool.count += len(items)
            perdoc.add_field(name, field, value if field.stored else None, length)
            if column:
                perdoc.add_column_value(name, column, field.to_column_value(value))
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def lock_handles(self) -> list[int]:
        """The open file handles that hold the index's write lock (a forked worker closes its copies)."""
        fd = getattr(getattr(self, "writelock", None), "fd", None)
        return [fd] if isinstance(fd, int) else []

    def commit_with(self, segments: list) -> None:
        """`SegmentWriter.commit`, plus finished segments from other writers (as Whoosh's own
        multi-process writer does): one new table of contents holds them all, or none if this fails."""
        if not segments:
            self.commit()
            return
        kept = self._merge_segments(None, False, True)  # small old segments are merged, as commit() does
        if self._added:
            kept.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(kept + segments)
        self._finish()

    def finish_segment(self):
        """This writer's records as a finished segment for the lock holder to adopt (the temp folder
        is shared: the lock holder removes it)."""
        return self._finalize_segment()

    def _flush_segment(self):
        """Whoosh's flush, but a `TermPool`'s postings are filed a term and a block at a time."""
        if not isinstance(self.pool, TermPool):
            return super()._flush_segment()
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        self.pool.write_into(self.fieldwriter, self.schema, lengths)
        self.fieldwriter.close()
        if lengths:
            lengths.close()


class TermPool:
    """A worker's postings grouped by term as they come, in place of Whoosh's sorting pool (which
    sorts every posting, and spills sorted runs to disk past its memory limit): documents are added
    in order, so each term's postings already are; only the terms are sorted when the segment is
    written. Memory is bounded by the batch size, split between the workers, and by
    `writing.SEGMENT_POSTINGS` (a worker finishes its segment and starts another past it)."""

    def __init__(self) -> None:
        self.fields: dict[str, dict[bytes, list]] = {}  # field name -> term -> its (docnum, weight, value)s
        self.count = 0

    def add(self, item) -> None:
        fieldname, text, docnum, weight, value = item
        self.count += 1
        self.fields.setdefault(fieldname, {}).setdefault(text, []).append((docnum, weight, value))

    def iter_postings(self):
        for fieldname in sorted(self.fields):
            terms = self.fields[fieldname]
            for text in sorted(terms):
                for docnum, weight, value in terms[text]:
                    yield fieldname, text, docnum, weight, value

    def write_into(self, fieldwriter, schema, lengths) -> None:
        """File every term's postings in the segment (what Whoosh's `FieldWriter.add_postings` does
        with `iter_postings`, one posting at a time): each block of the posting writer filled at
        once, with the statistics its `add_posting` keeps (most weight, least and most length)."""
        for fieldname in sorted(self.fields):
            terms = self.fields[fieldname]
            fieldwriter.start_field(fieldname, schema[fieldname])
            sizes = lengths.length_bytes(fieldname) if isinstance(lengths, FastLengths) else None
            for text in sorted(terms):
                fieldwriter.start_term(text)
                _fill_blocks(fieldwriter._postwriter, terms[text], sizes)
                fieldwriter.finish_term()
            fieldwriter.finish_field()

    def cleanup(self) -> None:
        self.fields = {}


def _fill_blocks(writer, postings: list, sizes: bytes | None) -> None:
    """A term's postings into the posting writer's blocks: each full block written as its
    `add_posting` writes it, the last left for `finish_postings` (which marks it the last)."""
    limit = writer._blocklimit
    for start in range(0, len(postings), limit):
        if start:
            writer._write_block()  # (which starts a new block)
        ids, weights, values = zip(*postings[start:start + limit])
        writer._ids = array("I", ids)
        writer._weights = array("f", weights)
        writer._values = list(filter(None, values))  # (Whoosh keeps only the non-empty ones)
        writer._maxweight = max(0, max(weights))  # (of the weights given, not their 32-bit copies)
        if not sizes:
            found = []
        elif ids[-1] < len(sizes):  # (every document of the block has a length byte: the usual case)
            found = [size for size in map(sizes.__getitem__, ids) if size]
        else:
            found = [sizes[n] for n in ids if n < len(sizes) and sizes[n]]
        writer._minlength = byte_to_length(min(found)) if found else None
        writer._maxlength = byte_to_length(max(found)) if found else 0


class _PostingsWriter(W3PostingsWriter):
    """Whoosh's posting writer, with its blocks compressed with Zstandard (`ZSTD_BLOCK` in the block's
    header; `_LeafMatcher` reads them) and two of its own features mended:
    - a block whose pickle is short is written uncompressed, as Whoosh meant to (a bug overwrites its
      check): compressing costs more than such a block, and makes it longer;
    - a term with fewer postings than the codec's `inlinelimit` keeps them in its entry of the term
      table, as Whoosh meant to (it calls `set_inline`, which does not exist, so its limit is 1)."""

    _terminfo: Any  # the term being written (Whoosh sets it in start_postings)

    def finish_postings(self):
        if not self.written() and len(self) < self._inlinelimit:
            terminfo = self._terminfo
            terminfo.add_block(self)
            # a value per posting: Whoosh keeps only non-empty ones, and reading them back (a merge)
            # takes a missing value for '' instead of b''
            terminfo.set_inlined(self._ids, self._weights, self._values or [b""] * len(self._ids))
            self._terminfo = None
            return terminfo
        return super().finish_postings()

    def _write_block(self, last=False):
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        databytes = dumps((self._mini_ids(), self._mini_weights(), self._mini_values()), 2)
        comp = ZSTD_BLOCK if self._compression and len(databytes) >= SHORT_BLOCK else 0
        if comp:
            databytes = compress(databytes)
        ids = self._ids
        infobytes = dumps((len(ids), ids[-1], self._maxweight, comp, length_to_byte(self._minlength),
                           length_to_byte(self._maxlength)), 2)
        length = len(infobytes) + len(databytes)
        self._postfile.write_int(-length if last else length)
        self._postfile.write(infobytes)
        self._postfile.write(databytes)
        self._blockcount += 1
        self._new_block()


class _FieldWriter(W3FieldWriter):
    """Whoosh's writer of a segment's term table and postings, its files knowing their own positions:
    Whoosh asks the system for them two or three times a term (1.5% of indexing)."""

    def _create_file(self, ext):
        return _PositionedFile(super()._create_file(ext))


class _PositionedFile(StructFile):
    """A StructFile written from its start that counts what is written to it instead of asking the
    system where it is; every write goes through `write` (Whoosh's own pickles and arrays go to the
    file itself)."""

    def __init__(self, opened: StructFile) -> None:
        self.__dict__.update(opened.__dict__)
        self.is_real = False  # (so that write_array goes through write)
        self._position = self.file.tell()

    def write(self, data) -> None:
        self.file.write(data)
        self._position += len(data)

    def write_pickle(self, obj, protocol=-1) -> None:
        self.write(dumps(obj, protocol))

    def tell(self) -> int:
        return self._position

    def seek(self, *args) -> int:
        self._position = self.file.seek(*args)
        return self._position

    def close(self) -> None:
        if not self.is_closed and self._position != self.file.tell():  # (a write that went round `write`)
            raise OSError(f"{self._name}: written to {self.file.tell()} bytes, counted {self._position}")
        super().close()


class _LeafMatcher(W3LeafMatcher):
    """Whoosh's reader of a term's posting blocks, for blocks compressed with Zstandard (by
    `_PostingsWriter`; a damaged one raises CompressedDataError)."""

    def _read_data(self):
        data = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        self._data = loads(decompress(data) if self._compression == ZSTD_BLOCK else data)


# -- reading for scoring ----------------------------------------------------------------------------
def bm25_parameters(weighting, fieldname: str) -> tuple[float, float]:
    """(B, K1) of Whoosh's BM25F weighting for a field."""
    return weighting._field_B.get(fieldname, weighting.B), weighting.K1


def segment_postings(reader, fieldname: str, text):
    """A segment's (docnums, weights) of a term, a block at a time, deleted documents left out."""
    matcher = reader.postings(fieldname, text)
    if isinstance(matcher, FilterMatcher):  # the segment has deletions: taken away below
        matcher = matcher.child
    if isinstance(matcher, W3LeafMatcher) and not matcher._byteids:
        # each block's data is (docnum deltas, weights or one weight or None for all 1.0, ...):
        # decoded with numpy rather than Whoosh's per-posting generators
        id_blocks, weight_blocks = [], []
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            deltas, weights = matcher._data[0], matcher._data[1]
            id_blocks.append(np.cumsum(np.asarray(deltas, dtype=np.int64)))
            count = len(deltas)
            if weights is None:
                weight_blocks.append(np.ones(count))
            elif isinstance(weights, float):
                weight_blocks.append(np.full(count, weights))
            else:
                weight_blocks.append(np.asarray(weights, dtype=np.float64))
            matcher._next_block()
        docnums = np.concatenate(id_blocks) if id_blocks else np.zeros(0, np.int64)
        values = np.concatenate(weight_blocks) if weight_blocks else np.zeros(0)
    else:  # postings kept inline in the term's entry: a handful, read one by one
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        docnums = np.array(ids, dtype=np.int64)
        values = np.array(weights, dtype=np.float64)
    if reader.has_deletions():
        keep = ~np.isin(docnums, np.fromiter(reader.deleted_docs_set, np.int64))
        docnums, values = docnums[keep], values[keep]
    return docnums, values


# -- the index's files --------------------------------------------------------------------------------
def segment_files(ix) -> list[str]:
    """The file names of the index's current segments (one compound `.seg` file each)."""
    return [segment.make_filename(".seg") for segment in ix._segments()]


def latest_generation(folder: str, indexname: str) -> int:
    """The generation of the newest table of contents in the folder (-1 for none), without reading it."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    return TOC._latest_generation(FileStorage(folder), indexname)
