"""Plain dataclasses passed between the pipeline stages (ingest, parse, chunk, tag, store, search)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields


@dataclass
class Line:
    """One line of a document's text, with the page it sits on (None where unknown)."""

    text: str
    page: int | None = None
    heading: bool = False
    ocr: bool = False  # read from a page image by OCR


@dataclass
class Document:
    """A file read into lines; `meta` holds sidecar overrides (title, date, kind, author, panel) and `url`."""

    path: str
    name: str
    lines: list[Line]
    sha: str = ""
    fmt: str = "text"
    meta: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # what the reader could not do (pages OCR'd, skipped)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass
class Section:
    """A minute, agenda item, report or numbered report section, bounded in the document."""

    number: str | None
    title: str
    page_start: int | None
    page_end: int | None
    text: str
    date: str | None = None
    author: str | None = None
    part: str | None = None  # the report or minutes the section belongs to
    lines: list[Line] = field(default_factory=list, repr=False)

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}".strip() if self.number else self.title

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "title": self.title,
            "page_start": self.page_start,
            "page_end": self.page_end,
            "text": self.text,
        }


@dataclass
class QAPair:
    """A question put to the PCC (or other office holder) and the answer given."""

    question: str
    answer: str | None
    asked_by: str | None
    answered_by: str | None
    section: str | None
    page: int | None
    date: str | None
    undertakings: list[str] = field(default_factory=list)
    layout: str = ""
    responses: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        data = asdict(self)
        data.pop("layout")
        data.pop("responses")
        data["answered"] = self.answer is not None
        if self.responses:
            data["responses"] = self.responses
        return data


@dataclass
class ParsedDocument:
    """The structure of one document: metadata, sections and question -> answer pairs."""

    document: str
    title: str
    kind: str
    date: str | None
    author: str | None
    panel: str | None
    sections: list[Section]
    qa: list[QAPair]
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "document": self.document,
            "title": self.title,
            "kind": self.kind,
            "date": self.date,
            "author": self.author,
            "panel": self.panel,
            "sections": [s.to_json() for s in self.sections],
            "qa": [q.to_json() for q in self.qa],
            "warnings": list(self.warnings),
        }


@dataclass
class Entity:
    """An entity mention: canonical id, label and the text as written."""

    id: str
    label: str
    text: str

    def to_json(self) -> dict:
        return {"id": self.id, "label": self.label, "text": self.text}


@dataclass
class Record:
    """One indexable unit: a Q&A pair or a passage of a section, with everything a citation needs."""

    id: str
    kind: str  # "qa" or "passage"
    document: str
    title: str
    date: str | None
    section: str | None
    page: int | None
    text: str
    question: str | None = None
    answer: str | None = None
    asked_by: str | None = None
    answered_by: str | None = None
    undertakings: list[str] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    doc_kind: str = ""
    panel: str | None = None
    author: str | None = None
    url: str | None = None  # where the paper was fetched from (its sidecar's `url`)
    content_hash: str = ""

    def to_json(self) -> dict:
        # field by field: dataclasses.asdict deep-copies every entity only for them to be replaced
        data = {name: getattr(self, name) for name in RECORD_FIELDS}
        data["undertakings"] = list(self.undertakings)
        data["entities"] = [e.to_json() for e in self.entities]
        return data


RECORD_FIELDS = tuple(f.name for f in fields(Record))


def qa_text(question: str, answer: str | None) -> str:
    """The text of a Q&A record: its question, then its answer."""
    return question + ("\n\n" + answer if answer else "")


@dataclass
class Hit:
    """A search result: a record, its score and a snippet with the matched terms marked."""

    record: dict
    score: float
    snippet: str
    answer_sentences: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        data = dict(self.record)
        data["score"] = round(self.score, 4)
        data["snippet"] = self.snippet
        data["citation"] = citation(self.record)
        if self.answer_sentences:
            data["answer_sentences"] = self.answer_sentences
        return data


def format_date(iso: str | None) -> str | None:
    """'2023-01-27' -> '27 Jan 2023'."""
    if not iso:
        return None
    import datetime as _dt

    try:
        return _dt.date.fromisoformat(iso).strftime("%-d %b %Y")
    except ValueError:
        return iso


def citation(record: dict) -> str:
    """A quotable citation: who answered, panel, meeting date, minute or item, page, document, source URL."""
    parts = []
    if record.get("answered_by"):
        parts.append(record["answered_by"])
    if record.get("panel"):
        parts.append(record["panel"])
    if record.get("date"):
        parts.append(format_date(record["date"]))
    section = record.get("section")
    if section:
        number = section.split(" ", 1)[0]
        if "/" in number and number.replace("/", "").isdigit():
            parts.append(f"minute {number}")
        else:
            parts.append(section if len(section) <= 60 else section[:57] + "...")
    if record.get("page"):
        parts.append(f"p. {record['page']}")
    parts.append(record.get("document", ""))
    if record.get("url"):
        parts.append(record["url"])
    return ", ".join(p for p in parts if p)
