"""Members' own words for a scope: dates ('in March 2026', 'last June', 'since 2019') and panels ('on the
Thames Valley panel', "surrey's panel", 'in Thames Valley') read as filters or a boost, each with a note
saying so, the words taken out of the searched text when they only scope it. Used by `pcp_search.query`."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from pcp_search.entities.registry import gazetteer
from pcp_search.parse.dates import MONTHS, parse_user_date
from pcp_search.spec import Filters, panel_key, panel_matches

# the words of a question that say nothing of its subject (left out of a question's search, never a place)
QUESTION_WORDS = {
    "what", "how", "when", "where", "why", "who", "which", "whether", "is", "are", "was", "were", "did", "does", "do",
    "doe", "has", "have", "had", "can", "could", "will", "would", "should", "there", "any", "actually", "really",
    "many", "much", "about", "the", "a", "an", "of", "to", "in", "on", "for", "it", "its", "this", "that", "be", "been",
    "being", "me", "us", "we", "our", "they", "their", "pcc", "pcc's", "commissioner", "said", "say", "says",
    "tell", "told", "happening", "going", "anything", "something", "currently", "now", "still", "yet", "ever", "at",
    "and", "or", "with", "by", "from", "as", "if", "so", "than", "then", "i", "you", "your", "he", "his", "she", "her",
}

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
            rest = " ".join((text[:start] + " " + text[found.end():]).split())
            return rest if re.search(r"\w", rest) else text  # (the panel's name alone: searched for, in its papers)
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
            if n < len(words) and (words[n].lower() in FORCE_WORDS or words[n][:1].isupper()):
                break  # 'in Thames Valley Police': the force; 'in West Mercia', 'in Merton Park': another place
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
