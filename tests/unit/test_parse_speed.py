"""The parser's shortcuts give the answers of the slow forms they replace (issue #18: indexing speed).

Each shortcut is a cheap first test before a slow pattern ('in' on the folded text), a look-ahead at a
pattern's start, or a faster spelling of the same computation; each is checked here against the slow form
on the seed papers and on made-up sentences built from the patterns' own words, odd letters included
(dotted and dotless I, the long s, the Kelvin sign, which IGNORECASE patterns match to ASCII letters).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from pcp_search.parse import dates, exchanges, meta, questions, undertakings
from pcp_search.parse.keys import alnum_key, folded, has_any, squeezed

SEED = Path(__file__).resolve().parent / "data" / "seed"
ODD = "\u0130\u0131\u017f\u212a"


def _seed_lines() -> list[str]:
    return [line for path in sorted(SEED.glob("*.txt")) for line in path.read_text(encoding="utf-8").splitlines()]


def _made_up(pattern: str, count: int = 3000, seed: int = 18) -> list[str]:
    """Sentences of the pattern's words, capitalised or not, some with a letter swapped for an odd one."""
    words = re.findall(r"[A-Za-z']+", pattern) + ["the", "said", "on", "12", "2024", ".", "(", ")", ",", "-"]
    rng = random.Random(seed)
    sentences = []
    for _ in range(count):
        picked = [rng.choice(words) for _ in range(rng.randint(2, 14))]
        picked = [w.capitalize() if rng.random() < 0.3 else w for w in picked]
        sentence = " ".join(picked)
        if rng.random() < 0.2:
            at = rng.randrange(len(sentence))
            sentence = sentence[:at] + rng.choice(ODD) + sentence[at + 1:]
        sentences.append(sentence)
    return sentences


def test_alnum_key_keeps_what_the_pattern_kept():
    samples = _seed_lines() + ["Straße İstanbul ıſ\u212a 12½ ①", "", "--", "Café’s £3.5m (2024/25)"]
    for text in samples:
        assert alnum_key(text) == re.sub(r"[^a-z0-9]+", "", text.lower())


def _odd_forms(sentence: str) -> list[str]:
    """The sentence as written and with each of i, s and k spelt by a letter IGNORECASE takes for it."""
    return [sentence, sentence.replace("i", "\u0131"), sentence.replace("i", "\u0130"), sentence.replace("s", "\u017f"),
            sentence.replace("k", "\u212a")]


@pytest.mark.parametrize("pattern, words, example", [
    (undertakings.RESOLUTION, ("resolved", "that"), "(a) That the report be noted; it was RESOLVED to agree."),
    (undertakings.QUESTION, undertakings.QUESTION_NEEDS, "Members asked the PCC whether it would be ready."),
    (undertakings.HYPOTHETICAL, undertakings.HYPOTHETICAL_NEEDS, "If it rains, then the event moves; provided that it is kept."),
    (undertakings.STANDING_PROCEDURE, undertakings.STANDING_PROCEDURE_NEEDS, "All statements and written questions are kept."),
    (undertakings.WOULD_BE_DONE, undertakings.PP_WORDS, "The figures would be circulated to the Panel."),
    (undertakings.AGREED_TO, undertakings.AGREED_NEEDS, "The PCC agreed to provide the figures; she undertook to write."),
    (undertakings.COMES_TO_MEETING, ("meeting", "panel", "committee"), "A report would come back to the next meeting."),
    (exchanges.SUPPLEMENTARY_CONTEXT, exchanges.SUPPLEMENTARY_NEEDS,
     "Members asked supplementary questions and received the following information in response"),
    (meta.SUMMONS, meta.SUMMONS_NEEDS, "You are hereby summoned to attend a meeting; Agenda and Summons"),
    (meta.MINUTES_HEAD, meta.MINUTES_HEAD_NEEDS, "Draft minutes of the meeting of the Police and Crime Panel"),
    (questions.CONTEXT_PUBLIC, ("que",), "Public Questions"),
    (questions.CONTEXT_WRITTEN, ("que",), "Written questions received"),
    (questions.PROSE_IN_RESPONSE, ("response to",),
     "In response to a question about knife crime, the Commissioner said that funding was agreed."),
], ids=lambda value: getattr(value, "pattern", "words")[:30] if not isinstance(value, str) else "example")
def test_a_case_insensitive_pattern_never_matches_without_the_words_looked_for_first(pattern, words, example):
    assert pattern.search(example)
    for text in [*_odd_forms(example), *_seed_lines(), *_made_up(pattern.pattern)]:
        if pattern.search(text):
            assert has_any(folded(text), words), text


@pytest.mark.parametrize("pattern, words", [
    (undertakings.WILL_DO, undertakings.MODALS),
    (exchanges.ASKED, exchanges.ASK_VERB_WORDS),
    (questions.PROSE_ASKED, ("asked",)),
    (exchanges.ASKING, ("asking",)),
    (exchanges.WAS_ASKED, ("asked",)),
    (meta.MEETING_OF, ("A meeting of",)),
])
def test_a_pattern_never_matches_without_the_words_looked_for_first(pattern, words):
    for text in _seed_lines() + _made_up(pattern.pattern, count=1500):
        if pattern.search(text):
            assert has_any(text, words), text


def _each_word_leading(pattern: str, frame: str) -> list[str]:
    """The frame with each word of the pattern, as written, capitalised and in lower case, put in at '{}'."""
    words = set(re.findall(r"[A-Za-z]+", re.sub(r"\[([A-Z])([a-z])\]", r"\2", pattern)))  # '[Ww]e' is 'we'
    return [frame.format(form) for word in sorted(words) for form in {word, word.capitalize(), word.lower()}]


@pytest.mark.parametrize("pattern, look_ahead, frame", [
    (undertakings.WILL_DO, undertakings.AGENT_START, "so {} will send the report to the Panel"),
    (dates.DAY_MONTH_YEAR, r"(?=[\dmtwfs])", "on {} 12 March 2024"),
    (undertakings.CANDIDATE, undertakings.CANDIDATE_START, "so she {} to write to the Panel"),
])
def test_a_look_ahead_at_the_start_turns_away_no_match(pattern, look_ahead, frame):
    """The pattern without its look-ahead finds the same matches, on text made of its own words."""
    plain = re.compile(pattern.pattern.replace(look_ahead, "", 1), pattern.flags)
    assert plain.pattern != pattern.pattern
    for text in _seed_lines() + _each_word_leading(pattern.pattern, frame) + _made_up(pattern.pattern, count=1500):
        ours = [(m.span(), m.groups()) for m in pattern.finditer(text)]
        assert ours == [(m.span(), m.groups()) for m in plain.finditer(text)], text


def test_sentence_starts_are_where_the_look_behind_form_ended():
    behind = re.compile(r"(?<=[.?!])\s+(?=[A-Z(\"'‘“])")
    rng = random.Random(18)
    made_up = ["".join(rng.choice(".?! \taB(x“") for _ in range(rng.randint(0, 30))) for _ in range(3000)]
    for text in _seed_lines() + made_up:
        assert questions._sentence_starts(text) == [0] + [m.end() for m in behind.finditer(text)], text


def test_find_date_reads_dates_without_the_year_test():
    """find_date passes over text without '19' or '20': every date pattern needs such a year."""
    assert dates.find_date("Friday 24 March 2023") == "2023-03-24"
    assert dates.find_date("24 Mawrth 1999") == "1999-03-24"
    assert dates.find_date("24 March 2118") is None
    for pattern in (dates.DAY_MONTH_YEAR, dates.WELSH_DATE, dates.ISO):
        assert "(?:19|20)" in pattern.pattern


def test_coverage_tells_the_lines_the_whole_scan_told():
    """Coverage.holds answers as the scan of all the pairs' text did, on every line of the seed papers."""
    from pcp_search.chunk import LIST_LEAD, Coverage, display_text
    from pcp_search.ingest import read_document
    from pcp_search.parse import parse_document

    for path in sorted(SEED.glob("*.txt")):
        parsed = parse_document(read_document(path))
        covered = Coverage.of(parsed)
        for section in parsed.sections:
            for line in section.lines:
                whole = display_text(line.text).strip()
                key = alnum_key(LIST_LEAD.sub("", whole))
                scan = len(key) >= 12 and (key in covered.text or (
                    len(key) > 200 and key[:100] in covered.text and key[-100:] in covered.text))
                assert covered.holds(whole) == scan, whole


def test_ask_hint_words_are_what_the_hint_pattern_found():
    """_question and _sentence_pairs look for the hint words with 'in' where a pattern of the same words was searched."""
    pattern = re.compile(r"ask|nquir|queri|question|wanted to know|sought|raised|requested|challenged|pressed")
    for text in _seed_lines() + _made_up(pattern.pattern) + ["Members wanted to know", "ASKED", "enquiry"]:
        assert has_any(text, exchanges.ASK_HINT_WORDS) == bool(pattern.search(text)), text


def test_a_titled_name_is_looked_for_only_where_the_title_hint_is():
    """_sentence_pairs searches a sentence for 'Cllr Smith' only when TITLE_HINT finds a title there: every match has one."""
    examples = ["Cllr. Smith asked", "County Councillor Hall said", "Mrs A. Jones queried", "Prof. Brown", "Dr O’Neil",
                "Ms Lee-Hart"]
    for text in _seed_lines() + examples + _made_up(exchanges.TITLED_RE.pattern):
        if exchanges.TITLED_RE.search(text):
            assert exchanges.TITLE_HINT.search(text), text
    assert all(exchanges.TITLED_RE.search(text) for text in examples)


def test_following_texts_are_what_the_look_ahead_per_line_found():
    """items._following_texts gives each line the next line with text within five below, as a walk per line did."""
    from pcp_search.ingest import read_document
    from pcp_search.models import Line
    from pcp_search.parse.items import NEXT_TEXT_LINES, _following_texts

    def next_text(lines, index):  # the walk per line it replaces
        for j in range(index + 1, min(index + NEXT_TEXT_LINES + 1, len(lines))):
            if lines[j].text.strip():
                return j, lines[j].text.strip()
        return None

    rng = random.Random(18)
    made_up = [[Line(rng.choice(["", " ", "\t", "x", " y "])) for _ in range(rng.randint(0, 15))] for _ in range(500)]
    for lines in [read_document(path).lines for path in sorted(SEED.glob("*.txt"))] + made_up:
        assert _following_texts(lines) == [next_text(lines, index) for index in range(len(lines))]


def test_title_then_item_needs_the_closing_bracket_last():
    """items._candidate tries 'Title (Item 4)' only on lines ending with ')': the pattern never matches other stripped lines."""
    from pcp_search.parse.items import TITLE_THEN_ITEM

    examples = ["Police and Crime Plan (Item 4)", "Budget (Agenda Item No. 5a)", "Update (item 3) ", "Minutes (Item 2)\u2003"]
    for text in _seed_lines() + examples + _made_up(TITLE_THEN_ITEM.pattern):
        text = text.strip()
        if TITLE_THEN_ITEM.match(text):
            assert text.endswith(")"), text
    assert all(TITLE_THEN_ITEM.match(text.strip()) for text in examples)


def test_coverage_tells_made_up_lines_as_the_whole_scan():
    """Coverage.holds on pieces of the pairs' own text cut at every offset (so every alignment with the kept pieces is
    tried), lines in no pair, and long lines whose first and last hundred letters only are in a pair."""
    from pcp_search.chunk import LIST_LEAD, Coverage
    from pcp_search.models import ParsedDocument, QAPair

    rng = random.Random(18)
    words = ["police", "panel", "the", "budget", "12", "2024", "knife", "crime", "Commissioner", "said", "a", "of"]

    def prose(count: int) -> str:
        return " ".join(rng.choice(words) for _ in range(count)) + rng.choice([".", "?", ""])

    for _ in range(40):
        pairs = [QAPair(prose(rng.randint(1, 30)), rng.choice([None, prose(rng.randint(1, 200))]), None, None, None, None, None)
                 for _ in range(rng.randint(0, 6))]
        covered = Coverage.of(ParsedDocument("d", "t", "report", None, None, None, [], pairs))
        texts = [p.question for p in pairs] + [p.answer for p in pairs if p.answer]
        lines = [prose(rng.randint(1, 60)) for _ in range(30)]
        for text in texts:
            for _ in range(30):
                start = rng.randrange(len(text))
                lines.append("- (3) " + text[start:start + rng.randint(5, 400)])
            lines.append(text[:150] + " something else entirely " + text[-150:])
        for line in lines:
            key = alnum_key(LIST_LEAD.sub("", line))
            scan = len(key) >= 12 and (key in covered.text or (
                len(key) > 200 and key[:100] in covered.text and key[-100:] in covered.text))
            assert covered.holds(line) == scan, line


def _strip_html_as_it_was(raw: str, keep_cells: bool = False) -> str:
    import html

    from pcp_search.ingest import text

    brk = text.PARA_MARK if keep_cells else "\n"
    raw = text._LIST_ITEM.sub(brk + "- ", raw)
    raw = text._BLOCK_BREAK.sub(brk, raw)
    raw = text._TAG.sub("", raw)
    raw = html.unescape(raw).replace("\xa0", " ")
    if keep_cells:
        raw = re.sub(r"(?:[ \n]*\u00b6[ \n]*)+", text.PARA_MARK, raw)
        raw = "\t".join(cell.strip(" \u00b6") for cell in raw.split("\t"))
    else:
        raw = re.sub(r"\n\s*\n+", "\n", raw).strip("\n")
    return raw


def test_html_is_stripped_as_before():
    """strip_html runs the tag patterns only on text with a '<', and makes one mark of each run of paragraph marks
    by splitting at them instead of the pattern."""
    from pcp_search.ingest.text import one_para_mark, strip_html

    rng = random.Random(18)
    pieces = ["<p>", "</p>", "<br/>", "<li>", "</li>", "<b>", "&amp;", "&nbsp;", " ", "\n", "\t", "\u00b6", "a", "Cell", "**",
              "__", "*", "_", "#"]
    made_up = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 16))) for _ in range(5000)]
    for raw in _seed_lines() + made_up:
        for keep_cells in (False, True):
            assert strip_html(raw, keep_cells) == _strip_html_as_it_was(raw, keep_cells), raw
        assert one_para_mark(raw) == re.sub(r"(?:[ \n]*\u00b6[ \n]*)+", " \u00b6 ", raw), raw


def _extract_qa_as_it_was(section, default_responder: str = "PCC"):
    """extract_qa running every layout on every section, as before the section tests."""
    from pcp_search.parse.labelled import labelled_questions

    lines = [line for line in section.lines if line.text.strip()]
    used: set[int] = set()
    found = questions._numbered(lines, section, default_responder, used)
    found += labelled_questions(lines, section, used, lambda answer: questions.responder(answer, default_responder))
    found += questions._council(lines, section, used)
    found += questions._member_bullets(lines, section, default_responder, used)
    found += questions._prose(lines, section, used)
    found += _prose_exchanges_as_it_was(lines, section, used)
    pairs = [pair for _, pair in sorted(found, key=lambda item: item[0])]
    for pair in pairs:
        pair.undertakings = undertakings.undertakings(pair.answer or "")
    return pairs


def _prose_exchanges_as_it_was(lines, section, used):
    pairs = exchanges._following(lines, section, used)
    pairs += exchanges._topics(lines, section, used)
    pairs += exchanges._supplementary(lines, section, used)
    skip: dict[int, int] = {}
    last_name: list[str] = []
    for index, line in enumerate(lines):
        if index in used or line.text.count("\t") > 1:
            continue
        unread: list[int] = []
        pairs += exchanges._sentence_pairs(lines, index, section, used, skip, last_name, unread)
        if unread:  # a line asking nothing: the name it gives taken at once, as before
            raw = line.text
            named = list(exchanges.TITLED_RE.finditer(raw)) if exchanges.TITLE_HINT.search(raw) else []
            lead = exchanges.PERSON_LEAD.match(raw.strip())
            if named:
                last_name[:] = [named[-1].group(0)]
            elif lead:
                last_name[:] = [lead.group("name")]
    return pairs + exchanges._points_answered(lines, section, used)


def _made_up_sections(count: int = 1500, seed: int = 18):
    """Sections of a few lines made of the words each layout looks for, in and out of place."""
    from pcp_search.models import Line, Section

    pieces = ["(3)", "- (12)", "Question 2 by Cllr Smith to the PCC", "Answer:", "Supplementary question:", "SUPPLEMENTARY",
              "Councillor Jane Smith:", "Mrs Ann Lee:", "Dr Who", "· Asked the Commissioner whether it would",
              "The Commissioner confirmed that", "In response to a question about crime, the PCC replied that it was",
              "Cllr Hoskins asked whether", "was asked", "Members queried", "A Member raised", "welcomed",
              "What is the plan for", "Would the PCC say", "?", "Q1 & Q2 – Melissa Topping", "Following questions from Members,",
              "received the following information in response", "In reply the Chief Constable said", "Resp", "RESOLVED",
              "the", "budget", "Panel", "and", ".", ",", ":", "\t", "He asked if", "response", "ollow", "Question 1:",
              "Is the Commissioner satisfied? (Mrs J Carter – Hillbrook)", "wanted to know", "sought clarification",
              "\u017fupplementary", "RE\u017fPON\u017fE TO", "In r", "asking whether"]
    titles = ("Councillor", "Cllr", "Cllr.", "Mr", "Mrs", "Ms", "Miss", "Dr", "Professor")
    whole_lines = [f"{title} {name}:" for title in titles for name in ("Jane Smith", "Lee")] + [
        "· Asked the Commissioner whether it would. The Commissioner confirmed it.", "• Queried the budget",
        "(4) What is the plan?", "[It is agreed.]", "The Chair queried the cost. The PCC replied that it was met.",
        "The Chairman sought a date.", "A Panel Member welcomed the plan. He said so.", "Members highlighted the cost.",
        "Cllr Bell expressed concern. The PCC replied that it was met.",
        "Councillor Hall raised the point. The Commissioner said it was.", "The Commissioner confirmed it would.",
        "In answer to questions from Cllr Bell, the PCC said the budget was set and agreed in full.",
        "Responding to queries from Members, the Chief Constable confirmed the figures were right."]
    rng = random.Random(seed)

    def line() -> Line:
        if rng.random() < 0.3:
            return Line(rng.choice(whole_lines))
        return Line(" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))), heading=rng.random() < 0.1)

    sections = []
    for _ in range(count):
        lines = [line() for _ in range(rng.randint(1, 8))]
        if rng.random() < 0.1:  # a block of supplementary questions, its context sentence in capitals or not
            context = rng.choice(["Members asked supplementary questions and received the FOLLOWING:",
                                  "Members asked supplementary questions and the following:"])
            lines[rng.randrange(len(lines)):0] = [Line(context), Line("Melissa Topping - Bus services"),
                                                  Line("Officers confirmed that the buses would run on time.")]
        if rng.random() < 0.2:  # people named in lines asking nothing, then 'He asked ...' (who is the last named)
            named = rng.sample(["Cllr Ann Bell spoke on the budget.", "Mr Tom Hall and Dr Jo Lee spoke on the roads.",
                                "David James from Monmouth reported on buses.", "The budget was noted.",
                                "Ruth Day said the plan was good and Cllr Ed Fox agreed."], rng.randint(1, 4))
            lines[rng.randrange(len(lines)):0] = [Line(text) for text in named] + [
                Line("He asked whether the money was spent. The PCC replied that it was spent in full.")]
        title = rng.choice(["Questions to the PCC", "Budget", "Q&A", "Minutes"])
        sections.append(Section(None, title, None, None, "\n".join(line.text for line in lines), lines=lines))
    return sections


def test_extract_qa_skips_only_the_layouts_a_section_cannot_hold():
    """extract_qa looks for a layout only in a section holding the words (or the numbered line) each of its pairs
    needs; the pairs are the ones every layout run on every section found, on the seed and fixture papers and on
    made-up sections full of the layouts' words."""
    from dataclasses import asdict

    from pcp_search.ingest import read_document
    from pcp_search.parse import parse_document

    papers = sorted(SEED.glob("*.txt")) + sorted((SEED.parent / "papers").glob("*.txt"))
    sections = [s for path in papers for s in parse_document(read_document(path)).sections] + _made_up_sections()
    found = 0
    for section in sections:
        ours = questions.extract_qa(section)
        assert [asdict(p) for p in ours] == [asdict(p) for p in _extract_qa_as_it_was(section)], section.text
        found += len(ours)
    assert found > 500


def _text_to_lines_as_it_was(raw_text: str):
    """Every line through PAGE_MARKER and clean_line, each line's page by bisecting the markers."""
    import bisect

    from pcp_search.ingest import text

    raw_text = raw_text.replace("\r\n", "\n").replace("\r", "\n")
    lines, markers = [], []
    for raw in raw_text.split("\n"):
        found = text.PAGE_MARKER.match(raw)
        if found:
            markers.append((len(lines), int(found.group(1))))
            continue
        lines.extend(text.clean_line(raw))
    if markers:
        offsets, total = [], 0
        for line in lines:
            offsets.append(total)
            total += len(line.text) + 1
        marks = [(offsets[i] if i < len(offsets) else total, n) for i, n in markers]
        positions = [pos for pos, _ in marks]
        for line, offset in zip(lines, offsets):
            following = bisect.bisect_right(positions, offset)
            after = marks[following] if following < len(marks) else None
            before = marks[following - 1] if following else None
            if after and before and after[1] == before[1] + 1:
                line.page = after[1]
            elif after and after[0] - offset <= text.PAGE_SPAN:
                line.page = after[1]
            elif before and offset - before[0] <= text.PAGE_SPAN:
                line.page = before[1] + 1
    return lines


def test_text_to_lines_reads_as_every_line_through_clean_line():
    """text_to_lines tries the page marker only on lines ending with a digit or a space, makes a plain line without
    clean_line, and walks the markers instead of bisecting them; the lines and pages are what they were."""
    from dataclasses import asdict

    from pcp_search.ingest.text import text_to_lines

    rng = random.Random(18)
    pieces = ["Page", "page", "PAGE", "P\u0430ge", " ", "  ", "\t", "\x0b", "\u2028", "\u3000", "\x1c", "3", "12", "\u0663",
              "12345", "#", "## ", "<p>", "&amp;", "**", "__", "*", "_", "a", "Budget", ".", "\u00b6", "\r"]
    made_up = []
    for _ in range(600):
        lines = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) for _ in range(rng.randint(0, 30))]
        for _ in range(rng.randint(0, 4)):  # markers, some far apart, some out of turn
            lines.insert(rng.randint(0, len(lines)), f"{rng.choice(['', ' '])}Page {rng.randint(1, 9)}{rng.choice(['', ' '])}")
        if rng.random() < 0.3:
            lines.insert(rng.randint(0, len(lines)), "x" * rng.randint(3000, 9000))
        made_up.append("\n".join(lines))
    papers = sorted(SEED.glob("*.txt")) + sorted((SEED.parent / "papers").glob("*.txt"))
    pages = 0
    for raw_text in [path.read_text(encoding="utf-8") for path in papers] + made_up:
        ours = [asdict(line) for line in text_to_lines(raw_text)]
        assert ours == [asdict(line) for line in _text_to_lines_as_it_was(raw_text)], raw_text
        pages += sum(line["page"] is not None for line in ours)
    assert pages > 1000


def _sections_of(path: Path):
    from pcp_search.ingest import read_document
    from pcp_search.parse import parse_document

    return parse_document(read_document(path)).sections


def test_a_member_heading_is_looked_for_only_on_lines_ending_with_a_colon():
    """_names_a_member tries ASKER_HEADING only on the lines whose last ':' has only spaces after it, found in the
    joined text; it answers as the pattern on every stripped line, odd spaces and line breaks inside lines included."""
    from pcp_search.models import Line

    rng = random.Random(18)
    pieces = ["Councillor", "Cllr.", "Mrs", "Dr", "Professor", "Jane", "Smith", "O’Neil", "budget", ":", ": ", ":\t", ":\u3000",
              ":\x0b", ":\u2028", " ", "  ", "\t", "\n", ":\n", "x:", "::", "·", "Asked"]
    made_up = [[Line("".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(0, 6))))
                for _ in range(rng.randint(0, 6))] for _ in range(20000)]
    papers = sorted(SEED.glob("*.txt")) + sorted((SEED.parent / "papers").glob("*.txt"))
    sections = [[line for line in s.lines if line.text.strip()] for path in papers for s in _sections_of(path)]
    named = 0
    for lines in sections + made_up:
        text = "\n".join(line.text for line in lines)
        every = any(questions.ASKER_HEADING.match(line.text.strip()) for line in lines)
        named += every
        if ":" in text:
            assert questions._names_a_member(lines, text) == every or "\n" in "".join(line.text for line in lines), text
            assert questions._names_a_member(lines, text) or not every, text
    assert named > 300


def test_the_agent_look_ahead_lets_every_agent_start():
    """WILL_DO's look-ahead of a capital or a lower-case pair of letters finds the matches the pattern without it finds,
    on each kind of agent, lower-case role and pronoun, after a letter, a space or nothing."""
    plain = re.compile(undertakings.WILL_DO.pattern.replace(undertakings.AGENT_START, "", 1), undertakings.WILL_DO.flags)
    agents = ["his Officer", "his team", "her Chair", "their Clerk", "the group", "the working group", "working group", "team",
              "group", "officers", "he", "she", "they", "we", "the Force", "the PCC", "I", "Cllr Ann Lee", "Mr Bo Li", "AB",
              "Gareth", "Arwel Davies", "the Commissioner (Ms Hall)"]
    texts = [f"{lead}{agent}{said} {modal} send the report to the Panel" for agent in agents for lead in ("", "so ", "x", "(")
             for said in ("", " said that he") for modal in ("will", "would also", "'ll")]
    assert sum(bool(undertakings.WILL_DO.search(text)) for text in texts) > 400
    for text in texts:
        assert [(m.span(), m.groups()) for m in undertakings.WILL_DO.finditer(text)] == [
            (m.span(), m.groups()) for m in plain.finditer(text)], text


def _candidate_as_it_was(lines, index, text, nxt):
    """items._candidate trying every pattern on every line that passes its first test."""
    from pcp_search.parse import items

    if not (text[0].isdigit() or text[0] in "(AaIiQqPpWwMm" or text.endswith(")") or (nxt and nxt[1].startswith("("))):
        return None
    found = items.QUESTION_HEAD.match(text)
    if found and len(text) <= 150:
        return items.Candidate(index, None, items._title(text), "question", int(found.group(1)), strong=True)
    found = items.TITLE_THEN_ITEM.match(text) if text.endswith(")") else None
    if found and items._title_ok(found.group(1)):
        return items.Candidate(index, found.group(2), items._title(found.group(1)), "item", int(found.group(2)), strong=True)
    if nxt and (alone := items.ITEM_ALONE.match(nxt[1])) and len(text) <= 150 and not text.endswith("."):
        numbered = items._numbered_candidate(text, index)
        if numbered:
            numbered.strong, numbered.title_index, numbered.weight = True, nxt[0], 1.2
            return numbered
        if items._title_ok(text):
            return items.Candidate(index, alone.group(1), items._title(text), "item", int(alone.group(1)), strong=True,
                                   title_index=nxt[0])
    found = items.ITEM_WORD.match(text)
    if found:
        title, title_index = found.group(2), None
        if not title and nxt and items._title_ok(nxt[1]) and len(nxt[1]) <= 150:
            title, title_index = nxt[1], nxt[0]
        if title and items._title_ok(title):
            return items.Candidate(index, found.group(1), items._title(title), "item", int(found.group(1)), strong=True,
                                   title_index=title_index)
        return None
    if "\t" in lines[index].text and not re.match(r"^\d[\d./]*\.?\t", lines[index].text.lstrip()):
        return None
    numbered = items._numbered_candidate(text, index)
    if numbered:
        return numbered
    found = items.BARE.match(text)
    if found and nxt and items._title_ok(nxt[1]) and len(nxt[1]) <= 160 and not items.BARE.match(nxt[1]):
        number = found.group(1)
        head, _, last = number.rpartition(".")
        if number.startswith("0") or dates.find_date(nxt[1][:40]):
            return None
        return items.Candidate(index, number, items._title(nxt[1]), f"dotted:{head}" if head else "plain", int(last),
                               title_index=nxt[0])
    return None


def _made_up_head_lines(count: int, seed: int = 18) -> list[str]:
    """Lines that start like items, minutes, parts and headings do, and like none of them, odd letters first included."""
    rng = random.Random(seed)
    starts = ["", "1", "12.", "3.4", "49/23", "292.", "PCP 12/23", "Minute 5/24", "Min. 7/24", "Item 4", "item 5 -",
              "Agenda Item 6:", "\u0130tem 7", "\u0131tem 8", "Question 2 - ", "Public Question 3 – ", "Members' question 4 - ",
              "q 5", "(Item 4)",
              "Report title:", "Title:", "Minutes of the meeting held on 3 May 2024", "MINUTES", "Agenda", "REPORT TO THE PANEL",
              "Work Programme", "\u0663", "\u00b2", "M", "m", "P", "W", "A", "I", "Q", "(", "x", "-", "\t"]
    rests = ["", " Budget", " Apologies", " the budget was noted.", " (Item 3)", ")", " 2024", ":", " A", " 5", "\t12\t3"]
    return [rng.choice(starts) + rng.choice(rests) + rng.choice(["", " (Item 9)", ".", " "]) for _ in range(count)]


def test_item_patterns_are_tried_only_on_lines_starting_as_their_matches_do():
    """items._candidate tries QUESTION_HEAD, ITEM_WORD, the numbered patterns and BARE only on lines starting with a
    character their matches can start with; the candidates are those of every pattern tried on every line."""
    from dataclasses import asdict

    from pcp_search.ingest import read_document
    from pcp_search.models import Line
    from pcp_search.parse.items import _candidate, _following_texts

    papers = sorted(SEED.glob("*.txt")) + sorted((SEED.parent / "papers").glob("*.txt"))
    made_up = _made_up_head_lines(20000)
    documents = [read_document(path).lines for path in papers] + [
        [Line(text) for text in made_up[at:at + 20]] for at in range(0, len(made_up), 20)]
    found = 0
    for lines in documents:
        following = _following_texts(lines)
        for index, line in enumerate(lines):
            text = line.text.strip()
            if text:
                ours = _candidate(lines, index, text, following[index])
                slow = _candidate_as_it_was(lines, index, text, following[index])
                assert (ours and asdict(ours)) == (slow and asdict(slow)), text
                found += ours is not None
    assert found > 3000


def test_a_part_or_heading_opens_only_where_the_first_tests_let_it():
    """split_sections calls start_part and heading_of only where _may_open_part and _may_head let them: elsewhere they
    open nothing, in every state of the builder (no part, minutes, agenda, report; a minute seen or not)."""
    from pcp_search.models import Line
    from pcp_search.parse import sections

    lines = [Line(text, heading=heading) for text in _seed_lines() + _made_up_head_lines(6000) for heading in (False, True)]
    lines = [line for line in lines if line.text.strip()]
    opened = 0
    for part in (None, sections.Part("Minutes", "minutes"), sections.Part("Agenda", "agenda"), sections.Part("R", "report")):
        for seen_minute in (False, True):
            for index, line in enumerate(lines):
                text = line.text.strip()
                builder = sections._Builder(None)
                builder.part, builder.seen_minute = part, seen_minute
                consumed, head = builder.start_part(lines, index), builder.heading_of(line)
                opened += bool(consumed) + bool(head)
                if not sections._may_open_part(line, text):
                    assert consumed == 0, text
                if not sections._may_head(line, text):
                    assert head is None, text
                if not text[0].isdecimal():  # split_sections' first test before _bare_item
                    assert sections._bare_item(lines, index) is None, text
    assert opened > 5000


def test_a_key_is_never_longer_than_its_text():
    """drop_duplicates keys only lines of 25 characters or more: no character lower-cases into more than one ASCII letter
    or digit (a text's key is its characters' keys in turn), so a shorter line's key is shorter than 25 too."""
    for code in range(0x110000):
        if not 0xD800 <= code <= 0xDFFF:
            assert len(alnum_key(chr(code))) <= 1, hex(code)
    for text in _seed_lines() + ["\u0130" * 30, "\u0130stanbul \u212a\u017f " * 3, "Σ" * 40]:
        assert alnum_key(text) == "".join(alnum_key(c) for c in text), text


def test_passages_lay_out_only_lines_with_cells():
    """passages calls display_text only on lines holding a tab or a '¶', as display_text itself tests: it leaves the others
    as they are."""
    from pcp_search.chunk import PARA, display_text

    rng = random.Random(18)
    pieces = ["a", " ", "\t", "\u00b6", "|", "\n", "b"]
    made_up = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(5000)]
    for text in _seed_lines() + made_up:
        if not ("\t" in text or PARA in text):
            assert display_text(text) == text, text


def _drop_duplicates_as_it_was(sections):
    seen: set[str] = set()
    titles: set[str] = set()
    kept = []
    for section in sections:
        keys = {key if len(key := alnum_key(line.text)) >= 25 else "" for line in section.lines}
        keys.discard("")
        repeated = keys and len(keys & seen) >= 0.85 * len(keys) and len(keys) >= 3
        if repeated and alnum_key(section.title)[:40] in titles:
            continue
        seen |= keys
        titles.add(alnum_key(section.title)[:40])
        kept.append(section)
    return kept


def test_drop_duplicates_keeps_what_keying_every_line_kept():
    """drop_duplicates keys only lines of 25 characters or more; it keeps the sections it kept keying every line, on the
    seed papers' sections and made-up tables printed twice, of lines around 25 letters long, dotted I included."""
    from pcp_search.ingest import read_document
    from pcp_search.models import Line, Section
    from pcp_search.parse.document import drop_duplicates
    from pcp_search.parse.items import split_glued
    from pcp_search.parse.sections import split_sections

    rng = random.Random(18)
    documents = [split_sections(split_glued(read_document(path).lines)) for path in sorted(SEED.glob("*.txt"))]
    words = ["\u0130", "a", "b1", "Budget", " ", "-", "x" * 10, "2024"]
    for _ in range(600):
        rows = ["".join(rng.choice(words) for _ in range(rng.randint(2, 12))) for _ in range(rng.randint(1, 8))]
        documents.append([Section(None, rng.choice(["Table", "Other"]), None, None, "", lines=[Line(row) for row in rows])
                          for _ in range(rng.randint(1, 4))])
    dropped = 0
    for sections in documents:
        ours = drop_duplicates(sections)
        assert [id(s) for s in ours] == [id(s) for s in _drop_duplicates_as_it_was(sections)]
        dropped += len(sections) - len(ours)
    assert dropped > 100


def test_squeezed_is_the_split_and_join():
    """squeezed gives back a text without runs of white space, unprintable characters or a space at its ends as it is:
    every white-space character but the space is unprintable (every code point), so such a text is what the split and
    join make of it; on other texts it is the split and join."""
    for code in range(0x110000):
        if not 0xD800 <= code <= 0xDFFF and chr(code).isspace():
            assert code == 0x20 or not chr(code).isprintable(), hex(code)
    rng = random.Random(18)
    spaces = [" ", "  ", "\t", "\n", "\x0b", "\x1c", "\x85", "\xa0", "\u2028", "\u3000", "\u200b", "\ufeff"]
    made_up = ["".join(rng.choice(spaces + ["a", "Bb", "’", "."]) for _ in range(rng.randint(0, 10))) for _ in range(20000)]
    kept = 0
    for text in _seed_lines() + made_up:
        assert squeezed(text) == " ".join(text.split()), repr(text)
        kept += squeezed(text) is text
    assert kept > 1000


def _heading_as_it_was(lines):
    """meta.heading making its own heads of 8 and 20 lines."""
    from pcp_search.parse import meta

    matter = meta.front_matter_title(lines)
    if matter:
        date_at = meta._date_start(matter)
        before = meta.MINUTES_CLAUSE.sub(" ", matter[:date_at]) if date_at < len(matter) else matter
        return meta.tidy(meta.HELD.sub("", " ".join(before.split())).strip(" -–—,"))
    picked: list[str] = []
    for text in meta.head_texts(lines, 8):
        date = meta.find_date(text) if len(text) <= 240 else None
        if (meta.PRESENT.match(text) or text.endswith(":") or re.match(r"^\d", text) or (len(text) > 120 and not date)
                or text.lower().startswith(("date", "time", "venue", "title:", "---"))):
            break
        if date:
            before = text[:meta._date_start(text)].strip(" ,-–—")
            if len(before) > 12 and not meta.MEETING_WORDS.search(before[:10]):
                picked.append(before)
            break
        picked.append(text)
        if len(" ".join(picked)) > 140:
            break
    title = " ".join(picked).strip(" -–—,")
    summoned = next((found.group("body") for text in meta.head_texts(lines, 20)
                     if "A meeting of" in text and (found := meta.MEETING_OF.search(text))), None)  # its words first: far faster
    if summoned and title and summoned.lower() not in title.lower():
        title = f"{title} {summoned}"  # 'Merton Council' + 'A meeting of the Audit Committee will be held'
    return meta.tidy(title) if title else None


def test_the_head_made_once_is_what_each_reader_made():
    """parse_document makes head_texts once and meeting_date, classify_kind and heading take the first lines of it they
    read: a shorter head is the first lines of the longer one, and each gives what it gave making its own."""
    from pcp_search.ingest import read_document
    from pcp_search.models import Line
    from pcp_search.parse import meta
    from pcp_search.parse.items import split_glued
    from pcp_search.parse.sections import split_sections

    rng = random.Random(18)
    pieces = ["Page 3", "12", "Agenda and minutes", "Public Document Pack", " ", "", "Minutes of the meeting held on 3 May 2024",
              "A meeting of the Audit Committee will be held", "Date: 4 June 2024", "Police and Crime Panel", "Present:",
              "Budget", "Crime", "Panel"]
    papers = sorted(SEED.glob("*.txt")) + sorted((SEED.parent / "papers").glob("*.txt"))
    documents = [read_document(path).lines for path in papers]
    documents += [[Line(rng.choice(pieces)) for _ in range(rng.randint(0, 60))] for _ in range(300)]
    words = ["Budget", "Crime", "Panel", "Fire", "Roads", "Buses", "Parks", "Homes", "Trees", "Bins"]
    summons = "A meeting of the Audit Committee will be held"
    for at in range(12, 24):  # a heading of short lines, a summons at each place about the 20th
        documents.append([Line(word) for word in (words * 3)[:at]] + [Line(summons)])
    for lines in documents:
        head = meta.head_texts(lines)
        for count in (8, 14, 20, 30):
            assert meta.head_texts(lines, count) == head[:count]
        sections = split_sections(split_glued(lines))
        assert meta.meeting_date(lines, "x.txt", head) == meta.meeting_date(lines, "x.txt")
        assert meta.classify_kind(sections, lines, head) == meta.classify_kind(sections, lines, meta.head_texts(lines, 14))
        assert meta.heading(lines, head) == meta.heading(lines) == _heading_as_it_was(lines)
