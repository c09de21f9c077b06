"""The tagger's shortcuts give the answers of the slow forms they replace (issue #18: indexing speed).

Each shortcut is a cheap first test before a slow pattern ('in' for a word every match holds), a search
confined to where a match can stand, or a quicker path when nothing overlaps; each is checked here against
the slow form on the seed papers and on made-up strings built from the patterns' own words and signs.
"""

from __future__ import annotations

import inspect
import random
import re
from pathlib import Path

import pytest

from pcp_search.entities import acronyms, patterns, phrases, tagger
from pcp_search.entities.phrases import word_char
from pcp_search.models import Entity

SEED = Path(__file__).resolve().parents[1] / "data" / "seed"


def _seed_texts() -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEED.glob("*.txt"))]
    return texts + [line for text in texts for line in text.splitlines()]


def _made_up(words: list[str], count: int = 4000, seed: int = 18) -> list[str]:
    """Strings of the given words and signs, joined by nothing, a space or a line break."""
    rng = random.Random(seed)
    return ["".join(rng.choice(words) + rng.choice(["", " ", " ", "\n"]) for _ in range(rng.randint(1, 16)))
            for _ in range(count)]


# -- cheap first tests ---------------------------------------------------------------------------------
def _dates_slow(text: str) -> list[tuple[int, int, str]]:
    found, end = [], 0
    for match in patterns.DATE.finditer(text):
        if match.start() >= end:
            end = match.end(1)
            found.append((match.start(), end, "date:" + patterns.slug(match.group(1))))
    return found


DATE_WORDS = re.findall(r"[A-Za-z]+", patterns.DATE_FORMS) + [
    "1", "12", "3rd", "2024", "1999", "2017/18", "2021-2025", "2021 – 2022", "Q3", "Qtr.", "Quarter", "4", "31st",
    "Sept.", ",", "-", "/", "18", "21", "2", "0"]


def test_dates_are_the_expressions_matches():
    for text in _seed_texts() + _made_up(DATE_WORDS):
        assert list(patterns.dates(text)) == _dates_slow(text), text


def _operations_slow(text: str) -> list[tuple[int, int, str]]:
    found = []
    for match in patterns.at_word_starts(patterns.OPERATION, text):
        name = match.group("name").split()
        if name[0] in patterns.NOT_OPERATION_NAMES:
            continue
        if len(name) > 1 and name[1] in patterns.NOT_OPERATION_NAMES | {"And", "In", "Of"}:
            name = name[:1]
        kind = "operation" if match.group("kind").lower().startswith("op") else match.group("kind").lower()
        end = match.start("name") + len(" ".join(name))
        found.append((match.start(), end, f"programme:{kind}-{patterns.slug(' '.join(name))}"))
    return found


OPERATION_WORDS = ["Operation", "Op", "Op.", "Project", "Programme", "Bluebird", "Sceptre", "Board", "And", "Of",
                   "Stay", "Safe", "OP", "op", "Opal", "Projects", "x", "Team"]


def test_operations_are_the_expressions_matches():
    """Also where a text holds one kind only ('Op' or 'Project'/'Programme'), searched for by an expression of that kind."""
    kinds = set()
    for text in _seed_texts() + _made_up(OPERATION_WORDS):
        slow = _operations_slow(text)
        assert list(patterns.operations(text)) == slow, text
        if slow:
            kinds.add(("Op" in text, "Project" in text or "Programme" in text))
    assert kinds == {(True, True), (True, False), (False, True)}



AUTHOR_LINE_AT_CARET = re.compile(r"^(?:Author(?: and contact)?|Contact|Presented by)\s*:\s*(?P<names>.+)$",
                                  re.IGNORECASE | re.MULTILINE)
AUTHOR_SIGNS = ["Author", "AUTHOR", "author and contact", "Contact", "Presented by", "preſented BY", ":", " : ", "\n",
                "\r\n", "\n\n", "\t", "Jane Roe", "and", "&", "Cllr Ann Bee", ",", ";", "x", "  "]


def test_author_lines_are_those_found_at_line_starts():
    """AUTHOR_LINE, searched for after a line break put before the text, finds the lines ^ found."""
    for text in _seed_texts() + _made_up(AUTHOR_SIGNS, count=20000):
        slow = [(m.span("names"), m.group("names")) for m in AUTHOR_LINE_AT_CARET.finditer(text)]
        fast = [((m.start("names") - 1, m.end("names") - 1), m.group("names"))
                for m in patterns.AUTHOR_LINE.finditer("\n" + text)]
        assert fast == slow, text



ROLE_SIGNS = ["Martin", "Thornley", "Jane", "Doe", "McDonald", "O'Neil", "Barrow-Grint", " ", "  ", "\t", "\n", "(", ")",
              ",", ", the ", ": ", "Chief", "Officer", "Head", "Chairman", "x", "Police and Crime Commissioner", "ab", ".",
              "Thames", "Valley"]


def test_names_then_roles_are_the_expressions_matches():
    matched = 0
    for text in _seed_texts() + _made_up(ROLE_SIGNS, count=20000):
        slow = [(m.span(), m.group("name")) for m in patterns.NAME_THEN_ROLE.finditer(text)]
        assert [(m.span(), m.group("name")) for m in patterns._names_then_roles(text)] == slow, text
        matched += bool(slow)
    assert matched > 200

# -- names: the character before a name ------------------------------------------------------------------
def _find_slow(names: phrases.Phrases, before_name: re.Pattern, text: str) -> list[tuple[int, int, str, str]]:
    """`Phrases.find` as it was with `before_name`, \\W before the names ignoring case, which the engine checks slowly."""
    lower = text.lower()
    spaced, fold = (" " + lower, False) if len(lower) == len(text) else (" " + text, True)
    if fold:
        before_name = re.compile(before_name.pattern, re.IGNORECASE)
    found = [name for m in before_name.finditer(spaced) for name in phrases._names_at(m.group(1), m.start(), names.folded, fold)]
    exact = phrases._compile(names.exact, exact=True)  # (all exact names in one expression, as before)
    return found + [name for m in exact.finditer(text) for name in phrases._names_at(m.group(1), m.start(), names.exact)]


NEXT_TO_NAMES = ["é", "ß", "²", "①", "İ", "ǅ", "К", "_", "-", " ", "x", "1", "'", "’", "\n", "", "(", "—", "\u00a0"]


def test_names_are_found_after_the_same_characters_as_before():
    names = tagger.Tagger()._base
    before_name = re.compile(r"\W(?=(" + phrases._trie_pattern(phrases._trie(names.folded)) + r")(?!\w))")
    rng = random.Random(18)
    forms = sorted([*names.folded, *names.exact])
    for _ in range(6000):
        text = "".join(rng.choice(NEXT_TO_NAMES) + rng.choice([rng.choice(forms), rng.choice(forms).title(), "word"])
                       for _ in range(rng.randint(1, 5)))
        assert names.find(text) == _find_slow(names, before_name, text), text
    for text in _seed_texts():
        assert names.find(text) == _find_slow(names, before_name, text)


def test_exact_names_not_starting_with_a_capital_are_found_as_before():
    """The exact names starting with no capital ('the Met') have their own expression, tried only on texts
    holding one of them when they are few: the same names in the same order as one expression for all."""
    for count in (1, phrases.FEW_NAMES + 1):  # (few: looked for with 'in' first; many: always searched)
        names = phrases.Phrases()
        names.add("thames valley police", "FORCE", "force:thames-valley", exact=False)
        for name in ["MASH", "the Met Police", "Thames Valley", "tHE", "iPad", "2Gether", "Éire"]:
            names.add(name, "BODY", "body:" + name, exact=True)
        for i in range(count):
            names.add("the Met" if i == 0 else f"the {chr(65 + i) * 2} Met", "BODY", f"body:met{i}", exact=True)
        before_name = re.compile(r"\W(?=(" + phrases._trie_pattern(phrases._trie(names.folded)) + r")(?!\w))")
        assert (names.compile()[2][1] is None) is (count > phrases.FEW_NAMES)
        forms = [*names.exact, "the", "Met", "met", "Police", "pad", "x", "Thames Valley Police"]
        rng = random.Random(count)
        for _ in range(4000):
            text = "".join(rng.choice(NEXT_TO_NAMES) + rng.choice(forms) for _ in range(rng.randint(1, 6)))
            assert names.find(text) == _find_slow(names, before_name, text), text
        for text in _seed_texts():
            assert names.find(text) == _find_slow(names, before_name, text)


def test_few_names_are_looked_for_with_in_first():
    """A table of few names (what one document teaches) is searched only in texts holding one of them: the
    same names found as by its expressions alone, in texts with and without them, ignoring case or not."""
    rng = random.Random(18)
    base = sorted([*tagger.Tagger()._base.folded, *tagger.Tagger()._base.exact])
    for _ in range(60):
        names = phrases.Phrases()
        chosen = rng.sample(base, rng.randint(1, 40))
        for name in chosen:
            names.add(name, "ACRONYM", "acronym:" + name, exact=rng.random() < 0.5 or not name.islower())
        names.add(chosen[0] + "s", "ACRONYM", "acronym:s", exact=True)  # (a name holding another)
        before_name = before_name_of(names)
        forms = [*chosen, *(name.upper() for name in chosen), "word", "the"]
        for _ in range(300):
            text = "".join(rng.choice(NEXT_TO_NAMES) + rng.choice(forms) for _ in range(rng.randint(1, 5)))
            assert names.find(text) == _find_slow(names, before_name, text), text
    names = phrases.Phrases()
    for name in ("MASH", "Martin Thornley", "multi-agency safeguarding hub"):
        names.add(name, "ACRONYM", "acronym:mash", exact=name[0].isupper())
    for text in _seed_texts():
        assert names.find(text) == _find_slow(names, before_name_of(names), text)
    assert phrases._few(["MASH", "MASHs", "PCC", "OPCC", "the Met"]) == ["PCC", "MASH", "the Met"]
    assert phrases._few([f"N{i:03d}" for i in range(phrases.FEW_NAMES + 1)]) is None


def before_name_of(names: phrases.Phrases) -> re.Pattern:
    """The expression finding names ignoring case after \\W, as before (one matching nothing when there are none)."""
    return re.compile(r"\W(?=(" + phrases._trie_pattern(phrases._trie(names.folded or {"\x00": 0})) + r")(?!\w))")

# -- overlaps: the quick path when no two spans overlap -------------------------------------------------
def _longest_slow(spans, text):
    spans = sorted(spans, key=lambda span: (tagger._token_count(text[span[0]:span[1]]), -span[0]), reverse=True)
    taken = bytearray(len(text) + 1)
    kept = []
    for start, end, label, entity_id in spans:
        if 1 not in taken[start:end]:
            kept.append((start, end, label, entity_id))
            taken[start:end] = b"\x01" * (end - start)
    return kept


def _resolve_slow(found, text):
    found.sort(key=lambda f: (-(f[1] - f[0]), f[2] == "ACRONYM", f[0]))
    taken = bytearray(len(text) + 1)
    kept = []
    for start, end, label, entity_id in found:
        if 1 in taken[start:end]:
            continue
        taken[start:end] = b"\x01" * (end - start)
        kept.append((start, Entity(entity_id, label, text[start:end])))
    kept.sort(key=lambda item: item[0])
    return [entity for _, entity in kept]


def _random_spans(rng: random.Random, text: str) -> list[tuple[int, int, str, str]]:
    spans = []
    for _ in range(rng.randint(0, 8)):
        start = rng.randrange(len(text))
        end = min(len(text), start + rng.randint(1, 12))
        spans.append((start, end, rng.choice(["ACRONYM", "FORCE", "DATE"]), f"id:{rng.randint(0, 3)}"))
    return spans


def test_overlaps_are_settled_as_before():
    rng = random.Random(18)
    text = "Thames Valley Police and the PCC's Office (OPCC) met on 3 May 2024 - Multi-Agency Hub"
    for _ in range(20000):
        spans, rules = _random_spans(rng, text), _random_spans(rng, text)
        assert tagger._resolve(tagger._longest(list(spans), text) + rules, text) == \
            _resolve_slow(_longest_slow(list(spans), text) + rules, text)


@pytest.mark.parametrize("spans, apart", [
    ([], True), ([(0, 2, "A", "a")], True), ([(3, 5, "A", "a"), (0, 3, "A", "a")], True),
    ([(0, 3, "A", "a"), (2, 5, "A", "a")], False), ([(0, 3, "A", "a"), (0, 3, "B", "b")], False),
    ([(2, 2, "A", "a")], False),
])
def test_apart(spans, apart):
    assert tagger._apart(spans) is apart


def test_tags_of_the_seed_papers_are_as_the_slow_forms_give():
    tagged = tagger.Tagger()
    for path in sorted(SEED.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        with tagged.scope():
            tagged.learn(text)
            for paragraph in text.split("\n\n"):
                spans = [span for span in [*tagged._base.find(paragraph), *tagged._learned.find(paragraph)]
                         if tagger._keep(span, paragraph)]
                found = _longest_slow(spans, paragraph) + tagger._rule_spans(paragraph, tagged.registry)
                if "Force" in paragraph:
                    found += [(m.start(1), m.end(1), "FORCE", "force:x") for m in tagger.HOME_FORCE.finditer(paragraph)]
                assert tagged.tag(paragraph, home_force="force:x") == _resolve_slow(found, paragraph)


def test_word_char_is_what_the_expressions_call_a_word_character():
    for char in "aZ09_ É\u0130ß-'’.(\u00b2\u2460":
        assert word_char(char) is bool(re.match(r"\w", char))


# -- acronyms defined after the acronym: looked for near brackets only -----------------------------------
ABBR_SIGNS = ["A", "B", "C", "&", "s", "'", "’", " ", "  ", "\n", "\t", "(", ")", "((", "x", "Long", "Form", "word",
              "of", "Multi-Agency", "MASH", "(MASH)", "PCC", ".", ",", "É", "_", "1", "Safeguarding Hub", "MASH (",
              "AB&C's (", "VRU's\n (", "(Violence Reduction Unit)", "Long Form Words)", "ABCDEFGHIJK (", "ÉA ("]


def test_acronyms_before_brackets_are_the_expressions_matches():
    texts = _seed_texts() + _made_up(ABBR_SIGNS, count=20000)
    matched = 0
    for text in texts:
        slow = [(m.span(), m.groups()) for m in acronyms.ABBR_THEN_LONG.finditer(text)]
        assert [(m.span(), m.groups()) for m in acronyms._abbr_then_long(text)] == slow, text
        matched += bool(slow)
    assert matched > 800  # (the made-up strings define acronyms often enough to test something)


# -- named programmes: quoted names after an apostrophe ---------------------------------------------------
def _named_programmes_slow(text: str) -> list[tuple[int, int, str]]:
    """`named_programmes` with QUOTED_PROGRAMME, which begins with a set of two characters, on every text with either."""
    found = []
    if "'" in text or "‘" in text:
        for match in patterns.QUOTED_PROGRAMME.finditer(text):
            name = match.group("name").strip()
            found.append((match.start("name"), match.end("name"), "programme:" + patterns.slug(name)))
    if patterns.PROGRAMME_NOUN.search(text):
        for match in patterns.NAMED_PROGRAMME.finditer(text):
            words = match.group("name").split()
            while words and words[0] in patterns.NOT_PROGRAMME_LEAD:
                words = words[1:]
            if len(words) >= 2:
                name = " ".join(words)
                found.append((match.end("name") - len(name), match.end("name"), "programme:" + patterns.slug(name)))
    return found


QUOTE_SIGNS = ["'", "‘", "’", "'Safe Places'", "‘Safe", "Places’", "Safe", "Places", "project", "scheme", "pilot", "(SP)",
               "The", "Thames Valley", "Strategy", "Scheme", "x", "Op", "\t", "  ", "\n", "Don't", "‘A", "B’", "of"]


def test_named_programmes_are_the_expressions_matches():
    matched = 0
    for text in _seed_texts() + _made_up(QUOTE_SIGNS, count=20000):
        slow = _named_programmes_slow(text)
        assert list(patterns.named_programmes(text)) == slow, text
        matched += bool(slow)
    assert matched > 1000


PROGRAMME_SIGNS = ["Safe", "Places", "Scheme", "Thames Valley", "Strategy", "Plan", "Planning", "Pilot", "Project", "of", "and",
                   "The", "x", "\t", "  ", "\n", "\r\n", "-", "'", "Women’s", "Cyber Crime", "Op", "É", "1", ".", "Programme"]


def test_named_programmes_are_searched_for_in_the_lines_of_their_last_words():
    matched = 0
    for text in _seed_texts() + _made_up(PROGRAMME_SIGNS, count=20000):
        slow = [(m.span(), m.group("name")) for m in patterns.NAMED_PROGRAMME.finditer(text)]
        assert [(m.span(), m.group("name")) for m in patterns._named_programmes(text)] == slow, text
        matched += bool(slow)
    assert matched > 2000


# -- acronyms defined after their long form: the runs of words tried ----------------------------------------
def _matching_suffix_slow(words: list[str], abbr: str) -> str | None:
    """`_matching_suffix` as it was: every run of trailing words, each read from its first word."""
    for start in range(len(words) - 1, -1, -1):
        candidate = words[start:]
        if candidate[0].lower() in acronyms.MINOR:
            continue
        if acronyms._initials_match(candidate, abbr):
            return " ".join(candidate).strip(" ,;:")
    return None


LONG_FORM_WORDS = ["Multi-Agency", "Safeguarding", "Hub", "hub", "of", "the", "and", "&", "Of", "Police", "Crime",
                   "Panel", "Violence", "Reduction", "Unit", "A", "a", "Anti-Social", "in/out", "Women's", "x", "Y", "-"]


def test_long_forms_before_acronyms_are_the_runs_of_words_found_before():
    rng = random.Random(18)
    cases = [(acronyms.WORD.findall(text[max(0, m.start() - 160):m.start()].rsplit("\n", 1)[-1])[-10:], m.group(1))
             for text in _seed_texts() for m in acronyms.BRACKETED_ABBR.finditer(text)]
    for _ in range(20000):
        words = [rng.choice(LONG_FORM_WORDS) for _ in range(rng.randint(0, 10))]
        initials = [part[0].upper() for word in words for part in re.split(r"[-/]", word) if part]
        abbr = "".join(c for c in initials if rng.random() < 0.8) + rng.choice(["", "", "&", "s", "X", "/"])
        cases.append((words, abbr))
    found = 0
    for words, abbr in cases:
        assert acronyms._matching_suffix(words, abbr) == _matching_suffix_slow(words, abbr), (words, abbr)
        found += acronyms._matching_suffix(words, abbr) is not None
    assert found > 2000


# -- people: each name's id worked out once ------------------------------------------------------------------
def _people_slow(text: str) -> list[tuple[int, int, str, str]]:
    """`people` without its kept ids: each titled or role-named person's id and name worked out at each match."""
    found = []
    for match in patterns.at_word_starts(patterns.TITLED_PERSON, text):
        name = patterns._strip_possessive(match.group("name"))
        if patterns._is_name(name):
            canonical = patterns.canonical_name(name)
            found.append((match.start(), match.start("name") + len(name), "person:" + patterns.slug(canonical), canonical))
    for match in patterns._names_then_roles(text):
        name = match.group("name")
        if patterns._is_name(name):
            canonical = patterns.canonical_name(name)
            found.append((match.start("name"), match.end("name"), "person:" + patterns.slug(canonical), canonical))
    return found + _author_people(text)


def _author_people(text: str) -> list[tuple[int, int, str, str]]:
    if ":" not in text:
        return []
    found = []
    for match in patterns.AUTHOR_LINE.finditer("\n" + text):
        for part in re.split(r"\s+(?:and|&)\s+|,|;", match.group("names")):
            part = part.strip()
            titled = next(patterns.at_word_starts(patterns.TITLED_PERSON, part), None)
            inner = titled or re.fullmatch(patterns.NAME + r"\s+" + patterns.NAME, part.split(":")[0].strip())
            if inner and not titled and patterns._is_name(inner.group()):
                name = inner.group()
                start = match.start("names") - 1 + match.group("names").find(name)
                canonical = patterns.canonical_name(name)
                found.append((start, start + len(name), "person:" + patterns.slug(canonical), canonical))
    return found


PERSON_SIGNS = ["Mr", "Cllr", "Dr", "Chief Superintendent", "Katy", "Barrow-Grint", "Brady's", "Brady’s", "Police", "Jones",
                "Martin", "Thornley", "(Chief Finance Officer)", ", Head of", ": Director", "Author:", "and", "Mrs", "Smith",
                "Thames Valley", "Cllr Dr", "Prof.", "x", "\n", "(", ")"]


def test_people_are_as_each_match_gives():
    matched = 0
    for text in _seed_texts() + _made_up(PERSON_SIGNS, count=20000):
        slow = _people_slow(text)
        assert list(patterns.people(text)) == slow, text
        matched += bool(slow)
    assert matched > 3000


# -- context rules: asked only about the ids they rule on -------------------------------------------------------
def test_context_rules_are_asked_only_about_the_ids_they_rule_on():
    """`tag` calls `_keep` only for CONTEXT_RULED ids: they are the ids `_keep` names, and it keeps any other
    name wherever it stands (the seed papers' spans, and spans of other ids over the ruled words in made-up strings)."""
    assert set(re.findall(r'entity_id == "([^"]+)"', inspect.getsource(tagger._keep))) == tagger.CONTEXT_RULED
    names = tagger.Tagger()._base
    spans = [(span, text) for text in _seed_texts() for span in names.find(text)]
    rng = random.Random(18)
    for text in _made_up(["Prevent", "Channel", "Commissioner", "Crime", "Police", "English", "the", ":", "duty", "work",
                          "Islands", "4", "x"], count=4000):
        start = rng.randrange(len(text))
        entity_id = rng.choice(["programme:x", "role:x", "force:x"])
        spans.append(((start, rng.randint(start, len(text)), "PROGRAMME", entity_id), text))
    kept = [tagger._keep(span, text) for span, text in spans if span[3] not in tagger.CONTEXT_RULED]
    assert all(kept) and len(kept) > 5000
