"""Rule patterns for entities no list can hold: money, dates, percentages, named operations,
and people identified by a title or a role."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from pcp_search.entities.phrases import word_char

# possessive quantifiers: the same names as [A-Z][a-z]*[A-Z]?[a-z]+ without its backtracking (8x faster)
NAME = r"[A-Z](?:[a-z]*+[A-Z])?[a-z]++(?:['’-][A-Z][a-z]++)?"
SP = r"[ \t]+"
TITLE = (
    r"(?:Councillor|Cllr\.?|Chief\s+Superintendent|Det(?:ective)?\.?\s+(?:Chief\s+)?(?:Superintendent|Inspector|Sergeant|Constable)"
    r"|D[./]?\s?Supt\.?|Det\s+Supt|Superintendent|Supt\.?|Chief\s+Inspector|Inspector|Sergeant|DCI|DI|DS|DC|ACC|DCC|PC"
    r"|Professor|Prof\.?|Dr\.?|Sir|Dame|Mr\.?|Mrs\.?|Ms\.?|Miss|Lord|Baroness|Chief\s+Constable|Deputy\s+Chief\s+Constable)"
)
# Patterns that must start a word leave out the leading \b (see `at_word_starts`): a pattern that begins
# with letters lets the regular expression engine skip quickly to where they stand. One that begins with
# a set of letters or digits looks behind its first for what \b checked (WORD_START: no letter or digit
# before it), and is two to four times as fast as with \b first, which is tried at every character.
WORD_START = r"(?<!\w.)"
TITLED_PERSON = re.compile(TITLE + SP + r"(?P<name>" + NAME + r"(?:" + SP + NAME + r"){0,2})\b")
ROLE_WORDS = r"(?:Chief|Director|Head|Deputy|Scrutiny|Leader|Chair|Chairman|Vice-Chair|Strategic|Member|Police and Crime Commissioner|Thames Valley Police and Crime Commissioner|Officer|Manager|Co-ordinator|Coordinator|Assistant)"
NAME_THEN_ROLE = re.compile(r"(?P<name>[A-Z](?<![\w.].)" + NAME[len("[A-Z]"):] + SP + NAME + r")(?:[ \t]*\(|,[ \t]+(?:the[ \t]+)?|:[ \t]+)(?=[^)\n]{0,40}?\b" + ROLE_WORDS + r")")
ROLE = re.compile(ROLE_WORDS)  # (where NAME_THEN_ROLE is looked for: see `_names_then_roles`)
# An author line begins after a line break (searched for in the text after one: see `people`), not at ^, which
# the engine tries at every character; it skips to a line break in C.
AUTHOR_LINE = re.compile(r"\n(?:Author(?: and contact)?|Contact|Presented by)\s*:\s*(?P<names>.+)$", re.IGNORECASE | re.MULTILINE)

MONEY = re.compile(
    r"£\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:m|bn|k|million|billion|thousand)\b)?(?:\s*\(Band [A-H]\))?",
)
PERCENT = re.compile(r"\d" + WORD_START + r"\d*(?:\.\d+)?\s?(?:%|per\s?cent\b|percent\b)")
DATE_FORMS = (
    r"(?:"
    r"\b(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?\d{1,2}(?:st|nd|rd|th)?\s+"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?,?\s+(?:19|20)\d{2}\b"
    r"|\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+(?:19|20)\d{2}\b"
    r"|\b(?:19|20)\d{2}/\d{2}\b"
    r"|\b(?:19|20)\d{2}\s?[-–]\s?(?:19|20)\d{2}\b"
    r"|\bQtr\.?\s?[1-4]\b|\bQ[1-4]\b|\bQuarter\s+[1-4]\b"
    r")"
)
# Every form begins with one of these characters: the engine skips to them in C, then the lookbehind
# steps back over the character to match a form from there, as group 1 (a lookahead first, as before,
# is tried at every character: a third slower). The match is that one character, so `dates` passes over
# those inside the date before, as finditer of the forms went on from its end.
DATE = re.compile(r"[\dJFMASONDQTW](?<=(?=(" + DATE_FORMS + r"))[\s\S])")
# one to six capitalised words, the first written out to look behind its capital (WORD_START)
PROGRAMME_WORD = r"[\w'’-]+[ \t]+(?:(?:and|of|for|&|in|on|to)[ \t]+)?"
NAMED_PROGRAMME = re.compile(
    r"(?P<name>[A-Z]" + WORD_START + PROGRAMME_WORD + r"(?:[A-Z]" + PROGRAMME_WORD + r"){0,5}"
    r"(?:Strategy|Scheme|Programme|Campaign|Initiative|Project|Pilot|Plan))\b"
)
PROGRAMME_NOUN = re.compile(r"Strategy|Scheme|Programme|Campaign|Initiative|Project|Pilot|Plan")  # NAMED_PROGRAMME's last word (`_named_programmes`)
QUOTED = r"(?P<name>[A-Z][^'’\n]{2,60})['’][ \t]+(?:\([A-Z]+\)[ \t]+)?(?:project|scheme|campaign|programme|strategy|initiative|pilot)\b"
QUOTED_PROGRAMME = re.compile(r"['‘]" + QUOTED)
# The same in a text without '‘': an expression that begins with one character, not a set of them, lets the
# engine skip to where it stands several times as fast (six times, over c5's records)
QUOTED_PROGRAMME_AFTER_APOSTROPHE = re.compile(r"'" + QUOTED)
NOT_PROGRAMME_LEAD = {"The", "This", "That", "A", "An", "Our", "His", "Her", "Their", "Its", "Each", "Every", "Any", "No",
                      "Delivery", "Business", "Action", "Strategic", "Annual", "Joint", "Plans", "Tactical", "Implementation"}
OPERATION_NAME = r"[ \t]+(?P<name>[A-Z][a-zA-Z]+(?:[ \t]+[A-Z][a-zA-Z]+)?)"
OPERATION = re.compile(r"(?P<kind>Operation|Op\.?|Project|Programme)" + OPERATION_NAME)
# The same with the kinds one text holds: an expression that begins with the letters 'Op' (or 'Pro'), not with
# one of 'O' and 'P', lets the engine skip in C to where they stand; a text seldom holds both kinds
OPERATION_OP = re.compile(r"(?P<kind>Operation|Op\.?)" + OPERATION_NAME)
OPERATION_PRO = re.compile(r"(?P<kind>Project|Programme)" + OPERATION_NAME)
NOT_OPERATION_NAMES = {"Board", "Team", "Manager", "Management", "Group", "The", "A", "An", "Plan", "Officer", "Lead", "Update"}


def at_word_starts(pattern: re.Pattern, text: str) -> Iterator[re.Match]:
    """`pattern.finditer(text)` as if the pattern began with \\b before its first letter or digit: a match
    that starts inside a word is passed over and the search goes on from the next character."""
    pos = 0
    while (found := pattern.search(text, pos)) is not None:
        start = found.start()
        if start and word_char(text[start - 1]):
            pos = start + 1
            continue
        yield found
        pos = found.end() if found.end() > start else start + 1


NOT_SLUG = re.compile(r"[^a-z0-9]+")  # (the expressions used for each match are compiled once, here)
PERCENT_WORDS = re.compile(r"\s|%|per\s?cent|percent")
NAME_GAP = re.compile(r"[ \t]+")
POSSESSIVE = re.compile(r"['’]s$")


def slug(text: str) -> str:
    return NOT_SLUG.sub("-", text.lower()).strip("-")


def money(text: str) -> Iterator[tuple[int, int, str]]:
    """'£15 (Band D)', '£613,800', '£4.1m' as (start, end, id)."""
    for found in MONEY.finditer(text):
        value = found.group().rstrip()
        yield found.start(), found.start() + len(value), "money:" + value.replace(" ", "")


def percents(text: str) -> Iterator[tuple[int, int, str]]:
    if "%" not in text and "cent" not in text:  # (every form has one: most texts have neither)
        return
    for found in PERCENT.finditer(text):
        yield found.start(), found.end(), "percent:" + PERCENT_WORDS.sub("", found.group()) + "%"


def dates(text: str) -> Iterator[tuple[int, int, str]]:
    """Full dates, months, financial years ('2017/18'), spans ('2021-2025') and quarters ('Qtr. 3')."""
    if "20" not in text and "19" not in text and "Q" not in text:  # (every form has a year or a Q: half the texts neither)
        return
    end = 0
    for found in DATE.finditer(text):
        if found.start() >= end:
            end = found.end(1)
            yield found.start(), end, "date:" + slug(found.group(1))


def operations(text: str) -> Iterator[tuple[int, int, str]]:
    """Any 'Operation X' / 'Project X' the text names, as a programme."""
    op, pro = "Op" in text, "Project" in text or "Programme" in text
    if not op and not pro:  # (most texts have none)
        return
    for found in at_word_starts(OPERATION if op and pro else OPERATION_OP if op else OPERATION_PRO, text):
        name = found.group("name").split()
        if name[0] in NOT_OPERATION_NAMES:
            continue
        if len(name) > 1 and name[1] in NOT_OPERATION_NAMES | {"And", "In", "Of"}:
            name = name[:1]
        kind = "operation" if found.group("kind").lower().startswith("op") else found.group("kind").lower()
        end = found.start("name") + len(" ".join(name))
        yield found.start(), end, f"programme:{kind}-{slug(' '.join(name))}"


NOT_NAME_WORDS = {
    "Thames", "Valley", "Police", "Crime", "Cyber", "Council", "County", "Borough", "District", "Force", "Regional",
    "National", "Team", "Unit", "Units", "Supervisor", "Conference", "Attendees", "Digital", "Service", "Services",
    "Board", "Group", "Panel", "Officer", "Officers", "Chief", "Deputy", "Executive", "Summary", "Report", "Strategic",
    "Safeguarding", "Office", "Commissioner", "Constable", "Scrutiny", "Finance", "Director", "Head", "Manager",
    "Level", "Leads", "Lead", "The", "This", "That", "Community", "Policing", "Public", "Local", "Authority", "Member",
    "Members", "Chair", "Chairman", "Vice", "Purpose", "Date", "Author", "Recommendations", "Appendix", "Berkshire",
    "Oxfordshire", "Buckinghamshire", "Reading", "Slough", "Milton", "Keynes", "South", "North", "East", "West",
    "Home", "Cabinet", "Leader", "Partnership", "Fund", "Plan", "Policy", "Project", "Programme", "Operation",
}


def _is_name(name: str) -> bool:
    return not any(word.strip("'’") in NOT_NAME_WORDS for word in NAME_GAP.split(name))


def _strip_possessive(name: str) -> str:
    return POSSESSIVE.sub("", name)


def named_programmes(text: str) -> Iterator[tuple[int, int, str]]:
    """Named strategies, schemes, campaigns: 'Thames Valley Cyber Crime Strategy', 'Safe Places Scheme'."""
    quoted = QUOTED_PROGRAMME if "‘" in text else QUOTED_PROGRAMME_AFTER_APOSTROPHE if "'" in text else None
    if quoted is not None:
        for found in quoted.finditer(text):
            name = found.group("name").strip()
            yield found.start("name"), found.end("name"), "programme:" + slug(name)
    for found in _named_programmes(text):
        words = found.group("name").split()
        while words and words[0] in NOT_PROGRAMME_LEAD:
            words = words[1:]
        if len(words) < 2:
            continue
        name = " ".join(words)
        start = found.end("name") - len(name)
        yield start, found.end("name"), "programme:" + slug(name)


def _named_programmes(text: str) -> Iterator[re.Match]:
    """NAMED_PROGRAMME.finditer(text), searched for only in the lines with one of its last words (PROGRAMME_NOUN):
    the expression starts at every capital letter and takes up to six words from each, and most lines name no
    programme. A match is one line's (its words and the spaces between them hold no line break) and ends
    with a last word (`_in_stretches`)."""
    return _in_stretches(NAMED_PROGRAMME, PROGRAMME_NOUN, text, "\n")


def _in_stretches(pattern: re.Pattern, anchor: re.Pattern, text: str, ends: str) -> Iterator[re.Match]:
    """`pattern.finditer(text)`, searched for only in the stretch around each match of `anchor`, between
    the nearest of the characters `ends` either side. Every match of `pattern` holds a match of `anchor`
    (or looks ahead to one) and none of `ends`, so no match starts before the stretch of the next anchor,
    and none in it reaches beyond it."""
    pos = 0  # (where finditer would search from: after the last match)
    while (found_anchor := anchor.search(text, pos)) is not None:
        at, start, end = found_anchor.start(), pos, len(text)
        for char in ends:
            start = max(start, text.rfind(char, pos, at) + 1)
            if (stop := text.find(char, at)) != -1:
                end = min(end, stop)
        found = pattern.search(text, start, end)
        if found:
            yield found
            pos = found.end()
        else:
            pos = end


LEADING_TITLE = re.compile(r"^(?:" + TITLE + r")" + SP)


def _names_then_roles(text: str) -> Iterator[re.Match]:
    """NAME_THEN_ROLE.finditer(text), searched for only in the stretches of text with a role word: the
    expression starts at every capital letter, and most stretches name no role. A match and the role
    it looks ahead to stand in one stretch without a line break or ')' (`_in_stretches`)."""
    return _in_stretches(NAME_THEN_ROLE, ROLE, text, "\n)")


def canonical_name(name: str) -> str:
    """A person's name without the titles in front ('Mr Brady', 'Cllr Dr Jones' -> 'Brady', 'Jones'):
    the id is made from this, so 'Mr Brady' and 'Brady' are one person whichever is met first."""
    while (found := LEADING_TITLE.match(name)) and found.end() < len(name):
        name = name[found.end():]
    return name


@lru_cache(maxsize=8192)  # (the same few people are named again and again: 'Mr Brady' in most records of a paper)
def _person(name: str) -> tuple[str, str] | None:
    """The person's id and name without titles, or None when a word of the name is no name's ('Police')."""
    if not _is_name(name):
        return None
    canonical = canonical_name(name)
    return "person:" + slug(canonical), canonical


def people(text: str) -> Iterator[tuple[int, int, str, str]]:
    """People named with a title ('Chief Superintendent Katy Barrow-Grint', 'Cllr Smith') or a role
    ('Martin Thornley (Chief Finance Officer, OPCC)'), as (start, end, id, name); the id and name
    leave titles out."""
    for found in at_word_starts(TITLED_PERSON, text):
        name = _strip_possessive(found.group("name"))
        if person := _person(name):
            yield found.start(), found.start("name") + len(name), *person
    for found in _names_then_roles(text):
        if person := _person(found.group("name")):
            yield found.start("name"), found.end("name"), *person
    if ":" not in text:  # (an author line needs a colon)
        return
    for found in AUTHOR_LINE.finditer("\n" + text):  # (positions in it are one on from the text's)
        for part in re.split(r"\s+(?:and|&)\s+|,|;", found.group("names")):
            part = part.strip()
            titled = next(at_word_starts(TITLED_PERSON, part), None)
            inner = titled or re.fullmatch(NAME + r"\s+" + NAME, part.split(":")[0].strip())
            if inner and not titled and _is_name(inner.group()):
                name = inner.group()
                start = found.start("names") - 1 + found.group("names").find(name)
                yield start, start + len(name), "person:" + slug(canonical_name(name)), canonical_name(name)
