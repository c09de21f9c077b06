"""Understanding what a member typed: field filters, question filler, acronym and alias expansion.

Pure functions over strings and the entity registry; the result is a boolean query text
(words, "phrases", AND/OR/NOT, wildcards) plus engine-neutral filters.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from pcp_search import thesaurus
from pcp_search.entities.registry import FILTER_LABELS, Registry, gazetteer, moj_acronyms
from pcp_search.parse.dates import MONTHS, parse_user_date
from pcp_search.spec import Filters, panel_key, panel_matches

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
QUESTION_WORDS = {
    "what", "how", "when", "where", "why", "who", "which", "whether", "is", "are", "was", "were", "did", "does", "do",
    "doe", "has", "have", "had", "can", "could", "will", "would", "should", "there", "any", "actually", "really",
    "many", "much", "about", "the", "a", "an", "of", "to", "in", "on", "for", "it", "its", "this", "that", "be", "been",
    "being", "me", "us", "we", "our", "they", "their", "pcc", "pcc's", "commissioner", "said", "say", "says",
    "tell", "told", "happening", "going", "anything", "something", "currently", "now", "still", "yet", "ever", "at",
    "and", "or", "with", "by", "from", "as", "if", "so", "than", "then", "i", "you", "your", "he", "his", "she", "her",
}
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


_MONTH_NAMES = r"(january|february|march|april|may|june|july|august|september|october|november|december)"
MONTH_IN_WORDS = re.compile(r"\b(?:(?:in|during|at|from|of)\s+)?(?:the\s+)?(?P<month>" + _MONTH_NAMES
                            + r")\s+(?P<year>(?:19|20)\d{2})\b(?![/-]\d)", re.IGNORECASE)
LAST_MONTH = re.compile(r"\b(?:last|this\s+past)\s+(?P<month>" + _MONTH_NAMES + r")\b", re.IGNORECASE)
YEAR_IN_WORDS = re.compile(r"\b(?P<prep>in|during|since|from|the)\s+(?P<year>(?:19|20)\d{2})\b(?![/-]\d)", re.IGNORECASE)


def dates_in_words(text: str, filters: Filters, notes: list[str], today: dt.date | None = None) -> str:
    """'in March 2026', 'last June', 'in 2021', 'since 2019', 'the 2009 audit committee': a date filter
    (with a note saying so), the words taken out of the searched text. A filter typed as `date:` wins."""
    if filters.since or filters.until:
        return text
    today = today or dt.date.today()
    found = MONTH_IN_WORDS.search(text)
    if found:
        month, year = MONTHS[found.group("month").lower()], int(found.group("year"))
        return _take_date(text, found, f"{year}-{month:02d}", f"{year}-{month:02d}", filters, notes)
    found = LAST_MONTH.search(text)
    if found:
        month = MONTHS[found.group("month").lower()]
        year = today.year if month < today.month else today.year - 1
        return _take_date(text, found, f"{year}-{month:02d}", f"{year}-{month:02d}", filters, notes)
    found = YEAR_IN_WORDS.search(text)
    if found:
        low = found.group("year")
        high = None if found.group("prep").lower() in ("since", "from") else low
        kept = "the " if found.group("prep").lower() == "the" else ""
        return _take_date(text, found, low, high, filters, notes, kept)
    return text


def _take_date(text, found, low, high, filters, notes, kept="") -> str:
    filters.since = parse_user_date(low)
    filters.until = parse_user_date(high, end=True) if high else None
    span = low if high == low else f"{low} or later" if high is None else f"{low}..{high}"
    notes.append(f"read '{found.group().strip()}' as a date: searched papers dated {span}")
    return " ".join((text[:found.start()] + " " + kept + text[found.end():]).split())


PANEL_WORD = re.compile(r"\b(?:police(?:,?\s+fire)?\s+(?:and|&)\s+crime\s+|police\s+)?(?:panel|pcp)(?:['’]s)?\b",
                        re.IGNORECASE)
WORDS_BEFORE = re.compile(r"(?<![\w'’.&-])(?:[\w'’.&-]+\s+){1,9}$")  # the words right before 'panel'; the place ends them
IN_WORD = re.compile(r"\b(?:in|across|within)\s+(?:the\s+)?", re.IGNORECASE)
WORDS_AFTER = re.compile(r"[\w'’.&-]+(?:\s+[\w'’.&-]+){0,8}")
LEAD_IN = re.compile(r"(?:\b(?:on|at|of|from|by|to|for|in)\s+)?(?:\bthe\s+)?$", re.IGNORECASE)
FORCE_WORDS = {"police", "constabulary", "force", "pcc", "pcc's", "fire"}
CONNECTORS = {"and", "&", "of", "on", "upon"}
PLACE_BODY = re.compile(r"\s+(?:(?:metropolitan|royal|london)\s+)?(?:(?:county|borough|city|district|town)\s+)*"
                        r"(?:council|police|constabulary|police force|force)$", re.IGNORECASE)
# the gazetteers' one-word places that are everyday words too: typed in lower case, they are the words
ORDINARY_PLACES = {"brent", "bury", "craven", "derby", "down", "eden", "fife", "hackney", "harrow", "hart", "highland",
                   "highlands", "hull", "met", "metropolitan", "mod", "moray", "reading", "rugby", "slough", "swale",
                   "titan", "zephyr"}


def panels_in_words(text: str, filters: Filters, notes: list[str], panels: list[str],
                    favoured: list[str] | None = None) -> str:
    """'on the Thames Valley panel', "surrey's panel", 'the kent and medway PCP': a panel filter (with a note
    saying so), the words taken out of the searched text; 'in Thames Valley': that panel's papers favoured
    (added to `favoured`), the words kept. Only panels the index holds; a force ('Thames Valley Police
    funding', 'in Thames Valley Police') is the subject, not a panel. In lower case, a single word is a place
    only when it is a county or town of the gazetteers and no everyday word ('in surrey', not 'in crime' or
    'in reading'). A filter typed as `panel:` wins."""
    if filters.panels:
        return text
    for found in PANEL_WORD.finditer(text):
        before = WORDS_BEFORE.search(text[:found.start()])
        if not before:
            continue
        start, place, name = _panel_ending(text, before.start(), found.start(), panels)
        if name:
            lead_in = LEAD_IN.search(text[:start])  # 'on the', 'at the': always found, perhaps empty
            start = lead_in.start() if lead_in else start
            filters.panels.append(place)
            notes.append(f"read '{text[start:found.end()].strip()}' as a panel: searched only the papers of {name}")
            return " ".join((text[:start] + " " + text[found.end():]).split())
    for found in IN_WORD.finditer(text):
        after = WORDS_AFTER.match(text, found.end())
        end, place, name = _panel_beginning(text, found.end(), after.end() if after else found.end(), panels)
        if name:
            if favoured is not None:
                favoured.append(place)
            notes.append(f"read '{text[found.start():end]}' as a place: papers of {name} ranked higher")
            break
    return text


def _panel_ending(text: str, start: int, end: int, panels: list[str]) -> tuple[int, str, str | None]:
    """The longest run of the words in text[start:end] that ends where they end and names one of the index's
    panels by its first words (so the subject words before it stay): where the run begins, the place
    ("Surrey's" -> 'Surrey', 'Thames Valley Police' -> 'Thames Valley') and the panel's name."""
    for word in re.finditer(r"\S+", text[start:end]):
        run = text[start + word.start():end].split()
        place = _no_force(re.sub(r"['’]s$", "", " ".join(run)))
        name = _panel_of(place, panels, first=start + word.start() == 0)
        if name:
            return start + word.start(), place, name
    return end, "", None


def _panel_beginning(text: str, start: int, end: int, panels: list[str]) -> tuple[int, str, str | None]:
    """The longest run of the words in text[start:end] that begins where they begin and names one of the
    index's panels: where the run ends, the place and the panel's name. A force ('Thames Valley Police') is
    none."""
    words = text[start:end].split()
    for n in range(len(words), 0, -1):
        run = words[:n]
        if {w.lower() for w in run} & FORCE_WORDS:
            continue
        name = _panel_of(" ".join(run), panels)
        if name:
            if n < len(words) and words[n].lower() in FORCE_WORDS:
                break  # 'in Thames Valley Police': the force
            return start + len(" ".join(run)), " ".join(run), name
    return start, "", None


def _panel_of(place: str, panels: list[str], first: bool = False) -> str | None:
    """The panels `place` names, as panels_named says them; None when it is no place: it begins or ends with
    a joining or question word ('and', 'the', 'this'), or is one lower-case word that is no county or town
    of the gazetteers or is an everyday word too ('crime', 'reading'). The `first` word of the query is
    taken as lower case: its capital says nothing."""
    words = place.split()
    if not words or {words[0].lower(), words[-1].lower()} & (CONNECTORS | QUESTION_WORDS):
        return None
    key = panel_key(place)
    name = panels_named(place, panels) if key and key.split()[0] in _first_words(tuple(panels)) else None
    if name and len(words) == 1 and (first or not words[0][:1].isupper()) and not _a_place(words[0].lower()):
        return None
    return name


@lru_cache(maxsize=4)
def _first_words(panels: tuple[str, ...]) -> frozenset[str]:
    """The first word of each panel's name, as panel_key gives it: a run beginning otherwise names none."""
    return frozenset(key.split()[0] for key in map(panel_key, panels) if key)


def _a_place(word: str) -> bool:
    return word in gazetteer_places() and word not in ORDINARY_PLACES


@lru_cache(maxsize=1)
def gazetteer_places() -> frozenset[str]:
    """The one-word places the gazetteers' forces and councils are named after ('surrey', 'kent', 'bristol')."""
    places = set()
    for entry in gazetteer().entries.values():
        if entry.label in ("FORCE", "COUNCIL"):
            for form in entry.forms():
                place = re.sub(r"^(?:london borough of|royal borough of|city of|the)\s+", "", PLACE_BODY.sub("", form),
                               flags=re.IGNORECASE)
                if len(place.split()) == 1:
                    places.add(place.lower())
    return frozenset(places)


def panels_named(words: str, panels: list[str]) -> str | None:
    """The panels among `panels` whose name is or begins with these words, as a note names them: the
    shortest name ('Thames Valley' -> 'Thames Valley PCP'; a heading read as a panel's name can run on)
    and how many others; None when there are none."""
    names = sorted((name for name in panels if panel_matches(name, words)), key=len)
    if len(names) > 1:
        return f"{names[0]} and {len(names) - 1} other{'s' if len(names) > 2 else ''} beginning '{words}'"
    return names[0] if names else None


def _no_force(place: str) -> str:
    """'Thames Valley Police and Crime' (before 'Panel') and 'Thames Valley Police' as 'Thames Valley'."""
    return re.sub(r"\s+(?:Police(?:\s+(?:and|&)\s+Crime)?|Constabulary)$", "", place, flags=re.IGNORECASE)


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
