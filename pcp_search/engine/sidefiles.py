"""The files pcp-search keeps in the index folder beside the engine's own: `manifest.json` (file ->
content hash, stamped with the generation and the segments' sizes), the parameters the index was built
with (`params.index.json`), `entities.json`, the words for "did you mean" (`words.json`) and each
document's kept sections (`docs/`). Each is rebuilt from the index's stored records when it is lost,
broken or older than the index."""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Iterator
from pathlib import Path

from pcp_search.engine.files import atomic_write, doc_file, read_kept
from pcp_search.engine.records import FORMAT_VERSION, index_params
from pcp_search.engine.vocabulary import Vocabulary, words_of
from pcp_search.models import qa_text
from pcp_search.spec import IndexDamaged

MANIFEST = "manifest.json"
PARAMS = "params.index.json"
REGISTRY = "entities.json"
DOCS = "docs"
VOCABULARY = "words.json"  # word -> how many records hold it, for "did you mean"


class SideFiles:
    """The index folder's own files, for `Store`, which is built on this class and gives it the four
    things it asks of the index itself (below)."""

    def __init__(self, index_dir: str | Path) -> None:
        self.dir = Path(index_dir)
        self._vocabulary = Vocabulary(self.dir / VOCABULARY, derive=lambda: self.derived()["words"])
        self._derived: tuple[int, dict] | None = None
        self.notices: list[str] = []  # one line for each of the index's own files rebuilt from the index

    # -- asked of the index (see `Store`) ----------------------------------------------------------
    def generation(self) -> int:
        raise NotImplementedError

    def stored_records(self) -> Iterator[dict]:
        raise NotImplementedError

    def segment_sizes(self) -> tuple[int, dict[str, int]]:
        raise NotImplementedError

    def fields_match(self) -> bool:
        raise NotImplementedError

    # -- the manifest and the parameters ----------------------------------------------------------
    def manifest(self) -> dict:
        """Indexed files with their content hashes and record names, as of the index's current
        generation: when `manifest.json` is missing, broken or older than the index (a run stopped
        between its commit and the manifest), it is rebuilt from the index's stored records."""
        data = self._read_json(MANIFEST)
        generation = self.generation()
        if isinstance(data, dict) and data.get("version") == FORMAT_VERSION and data.get("generation") == generation \
                and isinstance(data.get("files"), dict):
            return data
        data = {"version": FORMAT_VERSION, "generation": generation, "files": {}}
        if generation >= 0:
            data["files"] = self.derived()["files"]
            if data["files"]:
                self.notices.append(f"{MANIFEST} was missing or out of date: rebuilt from the index "
                                    f"({len(data['files'])} files)")
        return data

    def manifest_current(self) -> bool:
        data = self._read_json(MANIFEST)
        return isinstance(data, dict) and data.get("generation") == self.generation()

    def save_manifest(self, data: dict) -> None:
        """The manifest, stamped with the index's generation and its segments' sizes (written last
        after a commit: a current manifest means the files saved before it are current too)."""
        data["generation"], data["segments"] = self.segment_sizes()
        atomic_write(self.dir / MANIFEST, json.dumps(data, indent=1, ensure_ascii=False))

    def check_segment_sizes(self, generation: int) -> None:
        """Each segment file as large as it was written (the manifest notes the sizes at each commit);
        EOFError when one is not."""
        manifest = self._read_json(MANIFEST)
        if not isinstance(manifest, dict) or manifest.get("generation") != generation:
            return
        for name, size in (manifest.get("segments") or {}).items():
            if os.stat(self.dir / name).st_size != size:
                raise EOFError(f"{name} is {os.stat(self.dir / name).st_size} bytes, written as {size}")

    def compatible(self) -> bool:
        """False when the index was built by a pcp-search with another format or other parameters.
        Lost parameters are judged by the index's fields (and written again when they match)."""
        manifest = self._read_json(MANIFEST)
        if isinstance(manifest, dict) and manifest.get("version") != FORMAT_VERSION:
            return False
        params = self._read_json(PARAMS)
        if params is not None:
            return params == index_params()
        try:
            same = self.fields_match()
        except IndexDamaged:
            return True  # (damage is reported as such, not as another format)
        if same:
            self.save_params()
        return same

    def save_params(self) -> None:
        atomic_write(self.dir / PARAMS, json.dumps(index_params(), indent=1))

    def _read_json(self, name: str):
        try:
            return json.loads((self.dir / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    # -- what the records say of themselves ---------------------------------------------------------
    def derived(self) -> dict:
        """What the index's stored records say of themselves: `files` (path -> sha, size, records,
        name), `learned` (the tagger's learned entities, file by file in path order) and `words`."""
        generation = self.generation()
        if self._derived is None or self._derived[0] != generation:
            files: dict[str, dict] = {}
            learned: dict[str, list] = {}
            texts = []
            for record in self.stored_records():
                path = record["path"]
                entry = files.setdefault(path, {"sha": "", "size": 0, "records": 0,
                                                "name": record["id"].rsplit("#", 1)[0]})
                entry["records"] += 1
                source = record.get("source")
                if source:
                    entry["sha"], entry["size"] = source.get("sha", ""), source.get("size", 0)
                    learned[path] = source.get("learned", [])
                texts.append(record.get("text") or qa_text(record.get("question") or "", record.get("answer")))
            self._derived = (generation, {"files": files, "learned": [row for path in sorted(learned) for row in learned[path]],
                                          "words": dict(words_of(texts))})
        return self._derived[1]

    def registry_path(self) -> Path:
        return self.dir / REGISTRY

    def section_text(self, record: dict) -> str | None:
        """The full text of the section a record belongs to (None when the index has not kept it)."""
        try:
            data = json.loads(read_kept(doc_file(self.dir / DOCS, record.get("path", ""))))
        except (OSError, ValueError, zlib.error):
            return None
        for section in data.get("sections", []):
            if section.get("label") == record.get("section"):
                return section.get("text")
        return None

    # -- words ------------------------------------------------------------------------------------
    def words_readable(self) -> bool:
        return self._vocabulary.read() is not None

    def save_words(self, words: dict[str, int]) -> None:
        self._vocabulary.save(words)

    def word_count(self, word: str) -> int:
        """How many records hold this exact (unstemmed) word."""
        return self._vocabulary.count(word)

    def suggest_words(self, word: str, limit: int = 8) -> list[tuple[str, int]]:
        """Index words within two edits of `word`, closest and commonest first, with their counts."""
        return self._vocabulary.suggest(word, limit)
