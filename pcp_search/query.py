"""Understanding what a member typed: field filters, question filler, acronym and alias expansion.

Pure functions over strings and the entity registry; the result is a boolean query text
(words, "phrases", AND/OR/NOT, wildcards) plus engine-neutral filters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from pcp_search import thesaurus
from pcp_search.entities.registry import FILTER_LABELS, Registry, moj_acronyms
from pcp_search.parse.dates import parse_user_date
from pcp_search.spec import Filters
from pcp_search.wording import QUESTION_WORDS, dates_in_words, panels_in_words, panels_named

MAX_QUERY_CHARS = 500
FILTER = re.compile(
    r"(?<!\S)(?P<neg>-?)(?P<field>force|council|programme|program|person|body|role|acronym|entity|kind|asked|answered|doc|date|year"
    r"|panel)"
    r":(?:\"(?P<quoted>[^\"]*)\"|(?P<bare>\S+))",
    re.IGNORECASE,
)
FILLER = re.compile(
    r"^(?:(?:what|how|when|where|why|who|which|whether|has|have|had|is|are|was|were|did|does|do|can|could|will|would|should"
    r"|tell me|show me|find|any)\b.*?\b"
    r"(?:say|said|says|saying|tell|told|ask|asked|answer|answered|respond|responded|report|reported|know|think|thinks|plan|plans"
    r"|doing)\b"
    r"(?:\s+(?:about|on|regarding|concerning|to|of|with|re))?\s+)",
    re.IGNORECASE,
)
QUESTION_START = re.compile(
    r"^(?:what|how|when|where|why|who|which|whether|has|have|had|is|are|was|were|did|does|do|can|could|will|would|should|any)\b",
    re.IGNORECASE,
)
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
SPECIAL = re.compile(r"[*?\"()]|\b(?:AND|OR|NOT)\b")


@dataclass
class QueryPlan:
    """A typed query, understood."""

    original: str
    text: str  # the words to search, after filters and filler came out
    boolean: str  # `text` with expansions, in the boolean syntax
    filters: Filters = field(default_factory=Filters)
    question_shaped: bool = False
    notes: list[str] = field(default_factory=list)
    expansions: dict[str, list[str]] = field(default_factory=dict)
    excluded: list[str] = field(default_factory=list)
    worded_dates: tuple[str | None, str | None] | None = None  # filters' dates before words set them
    worded_panels: list[str] | None = None  # filters' panels before words set them
    favoured_panels: list[str] = field(default_factory=list)  # panels whose papers rank higher ('in Surrey')
    relaxed: bool = False  # set by the search when no record held every word and any word was taken

    @property
    def words(self) -> list[str]:
        return [w for w in re.findall(r"[\w'’-]+", self.text) if w.upper() not in OPERATORS]

    def widen(self) -> bool:
        """A scope read from the member's words that left nothing to find: the filters as they were before
        the words set it (dates first, then panels), and a note saying so. False when there is none left."""
        if self.worded_dates is not None:
            (self.filters.since, self.filters.until), self.worded_dates = self.worded_dates, None
            self.notes.append("nothing dated then; searched every date instead")
            return True
        if self.worded_panels is not None:
            self.filters.panels, self.worded_panels = self.worded_panels, None
            self.notes.append("nothing in those papers; searched every panel instead")
            return True
        return False


def sanitize(query: str) -> tuple[str, list[str]]:
    """Drop control characters and excess length; say what was dropped."""
    notes = []
    cleaned = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") else c for c in query)
    cleaned = " ".join(cleaned.split())
    if len(cleaned) > MAX_QUERY_CHARS:
        cleaned = cleaned[:MAX_QUERY_CHARS].rsplit(" ", 1)[0]
        notes.append(f"query shortened to its first {MAX_QUERY_CHARS} characters")
    return cleaned, notes


def plan_query(query: str, registry: Registry | None = None, filters: Filters | None = None,
               panels: list[str] | None = None) -> QueryPlan:
    """Filters out of the text, filler out of questions, expansions in. `panels`: the names of the index's
    panels (without them, no words are read as a panel)."""
    text, notes = sanitize(query)
    filters = filters or Filters()
    text = _extract_filters(text, filters, registry, notes, panels)
    before = (filters.since, filters.until)
    text = dates_in_words(text, filters, notes)
    panels_before = list(filters.panels)
    favoured: list[str] = []
    if panels:
        text = panels_in_words(text, filters, notes, panels, favoured)
    question = bool(QUESTION_START.match(text) or text.endswith("?"))
    if question:
        text = strip_filler(text)
    text = _balance(text, notes)
    text, excluded = _exclusions(text)
    expansions: dict[str, list[str]] = {}
    boolean = expand(text, registry, expansions) if registry else text
    worded = before if (filters.since, filters.until) != before else None
    worded_panels = panels_before if filters.panels != panels_before else None
    return QueryPlan(query, text, boolean, filters, question, notes, expansions, excluded, worded, worded_panels, favoured)


EXCLUDE = re.compile(r'(?:(?<!\S)-|\bNOT\s+)("[^"]+"|[\w\'’&*-]+)')


def _exclusions(text: str) -> tuple[str, list[str]]:
    """'-precept' and 'NOT precept' come out of the text: results must not contain them."""
    excluded = [m.group(1) for m in EXCLUDE.finditer(text)]
    text = " ".join(EXCLUDE.sub(" ", text).split())
    text = re.sub(r"\b(?:AND|OR)\s*$", "", text).strip()
    return text, excluded


def strip_filler(text: str) -> str:
    """'what did the PCC say about CCTV in Slough?' -> 'CCTV Slough'."""
    text = text.rstrip("?!. ")
    stripped = FILLER.sub("", text)
    words = [w for w in stripped.split()
             if w.lower().strip("?,.!'\"") not in QUESTION_WORDS or w.isupper() and len(w) > 1 and w.lower() not in ("pcc",)]
    kept = " ".join(words).strip()
    return kept or text


def _extract_filters(text: str, filters: Filters, registry: Registry | None, notes: list[str],
                     panels: list[str] | None = None) -> str:
    def take(found: re.Match) -> str:
        name = found.group("field").lower()
        value = (found.group("quoted") if found.group("quoted") is not None else found.group("bare")).strip()
        if not value:
            return " "
        if found.group("neg"):  # never read as the filter itself, which would find the opposite of what was asked
            notes.append(f"a filter cannot be excluded: '{found.group().strip()}' left out of the search")
            return " "
        if name in FILTER_LABELS or name == "entity":
            entry = registry.find(value, FILTER_LABELS.get(name)) if registry else None
            if entry is None:
                notes.append(f"no {name} called '{value}' in the index; searched it as words")
                return f" {value} "
            filters.entity_ids.append(entry.id)
        elif name == "kind":
            kinds = {"q&a": "qa", "question": "qa", "questions": "qa", "passages": "passage", "text": "passage"}
            kind = kinds.get(value.lower(), value.lower())
            if kind not in ("qa", "passage"):
                notes.append(f"unknown kind '{value}' (use kind:qa or kind:passage); ignored")
            else:
                filters.kinds.append(kind)
        elif name == "asked":
            filters.asked = value
        elif name == "answered":
            filters.answered = value
        elif name == "doc":
            filters.documents.append(value)
        elif name == "panel":
            if panels is not None and not panels_named(value, panels):
                notes.append(f"no panel called '{value}' in the index; ignored")
            else:
                filters.panels.append(value)
        elif name in ("date", "year"):
            _date_filter(value, filters, notes)
        return " "

    return " ".join(FILTER.sub(take, text).split())


def _date_filter(value: str, filters: Filters, notes: list[str]) -> None:
    low, _, high = value.partition("..")
    since = parse_user_date(low) if low else None
    until = parse_user_date(high if high else low, end=True) if (high or low) else None
    if (low and not since) or (high and not until):
        notes.append(f"could not read the date '{value}' (use 2023, 2023-03, 2017..2019); ignored")
        return
    filters.since = max(filter(None, (filters.since, since)), default=None)
    filters.until = min(filter(None, (filters.until, until)), default=None)


def _balance(text: str, notes: list[str]) -> str:
    """Unbalanced quotes or brackets, dangling operators: fall back to plain words."""
    broken = text.count('"') % 2 == 1 or text.count("(") != text.count(")")
    words = text.split()
    if words and (words[0] in OPERATORS - {"NOT"} or words[-1] in OPERATORS):
        broken = True
    if re.search(r"\b(?:AND|OR|NOT)\s+(?:AND|OR)\b", text):
        broken = True
    if re.search(r"(?<!\w)[*?]", text):
        broken = True
    if not broken:
        return text
    notes.append("the query's syntax was incomplete; searched its words instead")
    return plain_words(text)


def plain_words(text: str) -> str:
    """Only the words of a query, without operators or syntax."""
    words = re.findall(r"[\w'’&-]+", text)
    return " ".join(w for w in words if w not in OPERATORS and w.strip("-"))


def expand(text: str, registry: Registry, found: dict[str, list[str]] | None = None) -> str:
    """Add the other spellings of entities and acronyms: MASH -> (MASH OR "Multi-Agency Safeguarding Hub")."""
    found = found if found is not None else {}
    out: list[str] = []
    for segment, plain in _segments(text):
        out.append(_split_hyphens(_expand_words(segment, registry, found)) if plain else segment)
    return "".join(out)


def _split_hyphens(text: str) -> str:
    """'Multi-Agency' as two words: the index splits it anyway, and a two-word phrase costs far more."""
    return re.sub(r"(?<=[A-Za-z])-(?=[A-Za-z])", " ", text)


def _segments(text: str) -> list[tuple[str, bool]]:
    """Split into quoted/bracketed/operator parts (kept as typed) and runs of plain words."""
    parts: list[tuple[str, bool]] = []
    pattern = re.compile(r'"[^"]*"|\(|\)|\b(?:AND|OR|NOT)\b|\S*[*?]\S*')
    pos = 0
    for found in pattern.finditer(text):
        if found.start() > pos:
            parts.append((text[pos:found.start()], True))
        parts.append((found.group(), False))
        pos = found.end()
    if pos < len(text):
        parts.append((text[pos:], True))
    return parts


def _expand_words(segment: str, registry: Registry, found: dict[str, list[str]]) -> str:
    words = segment.split()
    if not words:
        return segment
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(6, len(words) - i), 0, -1):
            phrase = " ".join(words[i:i + n]).strip(",.;:!?")
            forms = _alternatives(phrase, registry)
            if forms:
                found[phrase] = forms
                # a name of several words as all of its words (a phrase costs far more; any one word finds everything)
                alts = [_all_words(phrase)] + [_all_words(f) for f in forms]
                out.append("(" + " OR ".join(dict.fromkeys(alts)) + ")")
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    lead = " " if segment[:1].isspace() else ""
    trail = " " if segment[-1:].isspace() else ""
    return lead + " ".join(out) + trail


def _all_words(text: str) -> str:
    """'Transport for City Regions' -> '(Transport AND for AND City AND Regions)'; one word as itself."""
    words = _split_hyphens(text.replace('"', "")).split()
    if len(words) == 1:
        return _quote(words[0])
    return "(" + " AND ".join(_quote(w) for w in words) + ")"


NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
                "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "fifteen": "15", "twenty": "20", "fifty": "50",
                "hundred": "100"}
COMPOUND = re.compile(r"^([A-Za-z]+)-([A-Za-z]+)$")


def _alternatives(phrase: str, registry: Registry) -> list[str]:
    """Other forms of an acronym or a name (the corpus's own definitions, the gazetteers, the MoJ list),
    a member's word in the papers' terms, a number in figures, a hyphenated word written solid."""
    if not phrase or not re.search(r"[A-Za-z0-9]", phrase):
        return []
    forms = _entity_forms(phrase, registry) + thesaurus.alternatives(phrase)
    low = phrase.lower()
    if low in NUMBER_WORDS:
        forms.append(NUMBER_WORDS[low])
    compound = COMPOUND.match(phrase)
    if compound and len(phrase) > 5:
        forms.append(compound.group(1) + compound.group(2))  # 're-offending' also as 'reoffending'
    forms = [f for f in forms if len(f.split()) <= 7]
    # keep forms the index tells apart ('Hub'/'Hubs' are one), one-word ones first, a handful at most
    seen, unique = {_stems(phrase)}, []
    for form in sorted(forms, key=lambda f: (" " in f or "-" in f, len(f))):
        key = _stems(form)
        if key not in seen:
            seen.add(key)
            unique.append(form)
    return unique[:5]


def _stems(text: str) -> tuple[str, ...]:
    from pcp_search.engine import analyze

    return tuple(stem for stem, _start, _end in analyze(text.lower()))


def _entity_forms(phrase: str, registry: Registry) -> list[str]:
    """Other names of the acronym or entity a phrase names; single ordinary words are left alone."""
    single = " " not in phrase
    acronym_like = single and 2 <= len(phrase) <= 8 and (
        phrase.isupper() or phrase in registry.acronyms() or phrase.upper() in registry.acronyms()
        or bool(re.fullmatch(r"[A-Z][a-z]?[A-Z][A-Za-z]*", phrase)))  # 'CiP', 'DfT', 'ToM'
    if single and not acronym_like:
        return []
    forms = registry.expansions(phrase)
    if not forms and acronym_like:
        forms = moj_acronyms().get(phrase.upper(), [])[:2]
    # the index holds a tagged entity's other names with each record naming it, so a several-word name
    # is added only when there is no one-word name to find it by (VAWG's mentions in lower case)
    single_forms = [f for f in forms if " " not in f and "-" not in f]
    return single_forms or list(forms)


def _quote(text: str) -> str:
    text = text.replace('"', "")
    return f'"{text}"' if " " in text or not text.isalnum() else text
