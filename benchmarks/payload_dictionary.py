"""Makes a payload dictionary from the seed papers' stored records: text that the compressor
(Zstandard) can refer back to when it compresses one stored record of 1-2 KB, which alone finds little
to refer to. Its last part, the nearest, holds the records' keys; the rest is a sample of whole records.

    python benchmarks/payload_dictionary.py [--check]

The current one is pcp_search/engine/data/payloads-2.zdict (files.PAYLOAD_DICTIONARY). Indexes hold
records compressed with it, so it is never overwritten: a new one is written as payloads-new.zdict, to
be adopted with a byte of its own in files.PAYLOAD_DICTIONARIES (and a new format), and only with a
reason measured (`--check` prints how much smaller the records of the seed papers and of
../shared/real-papers, which it was not made from, are with the current one).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "data" / "seed"
REAL = ROOT.parent / "shared" / "real-papers"
SIZE = 32 * 1024  # (the size zlib's window allowed; kept)
KEYS_PART = 4 * 1024


def stored_records(paths: list[Path]) -> list[bytes]:
    from pcp_search.engine.records import stored_json
    from pcp_search.entities.tagger import Tagger
    from pcp_search.filework import process_file

    tagger, out = Tagger(), []
    for path in paths:
        records = process_file(path, tagger)[0]
        out += [stored_json(record, path.name) for record in records]
    return out


def make(records: list[bytes]) -> bytes:
    """The dictionary: every nth record up to the size, then records with their values left out (the
    keys and their order), most common shapes last. (JSON as `stored_json` writes it: no spaces.)"""
    import orjson

    shapes = Counter(orjson.dumps({key: "" if isinstance(value, str) else [] if isinstance(value, list) else value
                                   for key, value in json.loads(text).items()}) for text in records)
    keys = b"".join(shape for shape, _count in reversed(shapes.most_common()))[-KEYS_PART:]
    sample, step = b"", max(1, len(records) // 40)
    for text in records[::step]:
        sample += text
    return sample[-(SIZE - len(keys)):] + keys


def compressed(records: list[bytes], dictionary: bytes | None) -> int:
    import zstandard

    if dictionary is None:
        compressor = zstandard.ZstdCompressor(level=3)
    else:
        data = zstandard.ZstdCompressionDict(dictionary, dict_type=zstandard.DICT_TYPE_RAWCONTENT)
        compressor = zstandard.ZstdCompressor(level=3, dict_data=data, write_dict_id=False)
    return sum(len(compressor.compress(text)) for text in records)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="measure the current dictionary instead of making one")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from pcp_search.engine.files import PAYLOAD_DICTIONARY

    seeds = stored_records(sorted(SEEDS.glob("*.txt")))
    measured = PAYLOAD_DICTIONARY
    if not args.check:
        measured = PAYLOAD_DICTIONARY.with_name("payloads-new.zdict")
        measured.write_bytes(make(seeds))
        print(f"wrote {measured} (the current dictionary is left as it is)")
    dictionary = measured.read_bytes()
    real = stored_records(sorted(p for p in REAL.glob("*") if p.suffix.lower() in (".pdf", ".txt", ".html", ".md")))
    for name, records in (("seed papers", seeds), ("real papers (held out)", real)):
        if not records:
            print(f"{name}: none found")
            continue
        raw = sum(len(text) for text in records)
        plain, with_dictionary = compressed(records, None), compressed(records, dictionary)
        print(f"{name}: {len(records)} records, {raw:,} bytes; compressed {plain:,} alone, {with_dictionary:,} "
              f"with the dictionary ({with_dictionary / plain:.2f})")


if __name__ == "__main__":
    main()
