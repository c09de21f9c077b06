"""Exchanges that real minutes record in prose, sentence by sentence.

- 'Cllr Hoskins queried access and was informed that ...', 'Rebecca Bradfield asked for more information
  on ... Simon Denison said ...', 'A local resident raised concerns about ... The Chairman advised that ...':
  a sentence in which someone asks, then the answer in the rest of the paragraph or the next one;
- 'What would be the effect ...? There would be no net effect ...': questions put as questions, each
  answered by the sentences that follow;
- 'Q1 & Q2 – Melissa Topping' or 'Chris Whitfield - EV Charging' lines under 'asked supplementary
  questions and received the following information in response', each followed by its answer;
- '1. Clean Energy: The Mayor identified ...' topics under a 'Q&A' or questions item.

A question needs an asker or a question mark and an answer, except a named member asking 'whether'
or 'if', which is kept unanswered. 'The Chair asked the Committee to note ...' is a request, not a
question.
"""

from __future__ import annotations

import re

from pcp_search.models import Line, QAPair, Section
from pcp_search.parse.keys import folded, has_any, squeezed

NAME = r"[A-Z][a-z'’\-]+(?:\s+(?:[A-Z][a-z'’\-]+|O’[A-Z][a-z]+))?"
TITLED = r"(?:County\s+)?(?:Cllrs?\.?|Councillor|Mr|Mrs|Ms|Miss|Dr|Prof\.?|Professor)\s+(?:[A-Z]\.\s*)?" + NAME
GENERIC = (r"[Aa]n?\s+(?:local\s+)?(?:resident|member of the public|(?:Panel\s+|Committee\s+)?[Mm]ember(?:\s+of\s+the\s+(?:Panel|Committee))?"
           r"|councillor|questioner"
           r"|business owner|speaker)|[Tt]he\s+(?:resident|(?:Vice[- ]|Deputy\s+)?Chair(?:man|person)?|questioner|[Mm]ember|Panel"
           r"|Committee)|Members|He|She")
ASKER = rf"(?P<asker>{TITLED}|{GENERIC}|{NAME}|[A-Z]{{2,3}})"
TITLED_RE = re.compile(TITLED + r"\b")
TITLE_HINT = re.compile(r"Cllr|Councillor|Mrs?\b|Ms\b|Miss\b|Dr\b|Prof")
ASK_VERB = (r"(?:had\s+|also\s+|then\s+|further\s+|subsequently\s+)?(?:asked|enquired|inquired|queried|questioned|wanted to know"
            r"|challenged|pressed"
            r"|sought\s+(?:clarification|assurance|confirmation|an update|information|details)"
            r"|raised\s+(?:a\s+|the\s+)?(?:concerns?|questions?|issues?|query|queries)"
            r"|requested\s+(?:information|an update|clarification|details|more information))\b")
ASK_VERB_WORDS = ("asked", "enquired", "inquired", "queried", "questioned", "wanted to know", "challenged", "pressed", "sought",
                  "raised", "requested")  # one of these is in every match of ASK_VERB
ASKED = re.compile(r"(?:^|(?<=[\s,;]))" + ASKER + r"\s+(?:[^.?;]{0,150}?\b(?:and|but|then)\s+(?:also\s+)?)?" + ASK_VERB
                   + r"(?P<rest>.*)$")
ASKING = re.compile(rf"^{ASKER}\b[^.?]{{0,150}}?\basking\s+(?:what|whether|if|why|how|when|about)\b")
INLINE_ANSWER = re.compile(r"\s(?:and|but)\s+(?:was|were)\s+(?:informed|advised|told|assured)\b"
                           r"|\s(?:and|but)\s+(?:they|he|she|it|officers|the\s+\w+)\s+(?:confirmed|agreed|replied|said|explained|advised)\b|\s[-–—]\s+(?=(?:it was|this|they|he|she|the)\b)",
                           re.IGNORECASE)
Q_REFS_HEAD = re.compile(r"(?:^|(?<=[.:]\s))(?P<head>Q\d{1,3}(?:\s*(?:,|&|and)\s*Q\d{1,3})*\s*[-–—]\s*"
                         r"(?P<asker>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3}))\s*$")
WAS_ASKED = re.compile(rf"(?:^|(?<=[\s,;:]))(?P<asker>{TITLED})\b[^.]{{0,120}}?\b(?:was|had\s+been|were)\s+asked\s+"
                       r"(?:by\s+[^,.]{3,60}?\s+)?(?:if|whether|what|why|how|about|that)\b")
FOLLOWING = re.compile(
    r"^(?:Following|In\s+response\s+to|In\s+answer\s+to|Responding\s+to)\s+(?:(?:the\s+|a\s+)?(?:questions?|queries)\s+(?:from|by)\s+"
    r"(?P<asker1>[^,]{2,40}?)|(?P<asker2>(?:the\s+)?[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*)?)'?\s+(?:questions?|queries))\s*,\s*(?P<rest>.+)$")
LIST_ITEM = re.compile(r"^(?:[-•·▪*]|\(?[a-z]\)|[a-z]\.|\(?[ivx]{1,4}\)|\d{1,2}[.)])\s+\S")
QUESTION_WORDS = re.compile(r"^\s*(?:the\s+\w+\s+)?(?:whether|if|what|why|how|when|where|who|which|about|for|regarding|re\b|as to"
                            r"|on\b|concerns?|a\s+question|(?:the\s+)?(?:Mayor|PCC|Commissioner|Chair))",
                            re.IGNORECASE)
NOT_QUESTION = re.compile(r"^\s*(?:to\s+(?:note|introduce|confirm|approve|record|be\b)|the\s+(?:Committee|Panel|Council|members?)\s+to\b)",
                          re.IGNORECASE)
ANSWER_VERB = (r"(?:replied|responded|said|stated|confirmed|advised|explained|informed|agreed|noted|indicated|reported"
               r"|clarified|assured|acknowledged|answered|identified|welcomed|outlined|commented|added|highlighted|undertook"
               r"|accepted|emphasised|emphasized|recognised|acknowledged|suggested|felt|believed)")
ANSWERER = re.compile(
    rf"^(?:In\s+(?:response|reply)(?:\s+to\s+[^,]{{1,80}})?,?\s*)?(?:the\s+)?(?P<who>Mayor(?:\s+{NAME})?|Chair(?:man|person)?"
    rf"|Vice[- ]Chair(?:man)?|Clerk|Town Clerk|Officers?|PCC|(?:Deputy\s+)?(?:Police and Crime\s+)?Commissioner"
    rf"|Chief Constable|Cllrs?\.?\s+{NAME}(?:\s*&\s*{NAME})?|Councillor\s+{NAME}|{NAME}|[A-Z]{{2,3}})\s+(?:had\s+|also\s+|then\s+)?"
    + ANSWER_VERB + r"\b",
    re.IGNORECASE,
)
INITIALS_ANSWER = re.compile(r"^(?P<who>[A-Z]{2,3}):\s+\S")
IMPERSONAL_ANSWER = re.compile(
    r"\b(?:was|were)\s+(?:informed|advised|told|assured)\b|\bit was\s+(?:explained|confirmed|noted|reported|stated|advised|clarified)\b"
    r"|^(?:In\s+(?:response|reply)|This\b|There\s+(?:was|were|would|is|are|had)\b|Officers\b|The\s+\w+\s+(?:was|would|had|is)\b)",
    re.IGNORECASE)
SUPPLEMENTARY_CONTEXT = re.compile(
    r"supplementary questions?.{0,80}(?:following|response)|follow[- ]up questions|in response to (?:the )?(?:follow|supplementary)",
    re.IGNORECASE)
SUPPLEMENTARY_NEEDS = ("supplementary question", "up question", "in response to ")  # one of these is in every match
# a line holds one of these before a block of supplementary questions can open ('Q1 - Name' or the context sentence)
SUPPLEMENTARY_OPENERS = ("Q", "upplementary", "ollow", "esponse")
FOLLOWING_WORDS = ("ollowing", "esponse to", "nswer to", "esponding to")  # a line _following reads holds one of these
SUPPLEMENTARY_HEAD = re.compile(r"^(?:Q\d{1,3}(?:\s*(?:,|&|and)\s*Q\d{1,3})*\s*[-–—:]\s*)?(?P<asker>[A-Z][\w'’.]+(?:\s+[A-Z][\w'’.]+){1,3})(?:,[^-–—]{0,80})?\s*[-–—]\s*(?P<topic>\S.{1,80})$")
TOPIC = re.compile(r"^(?:\d{1,2}[.)]|[a-z][.)]|[-•·])\s+(?P<topic>[A-Z][^:.?]{2,80}):\s+(?P<answer>\S.{20,})$")
QA_SECTION = re.compile(r"\bQ\s*&\s*A\b|\bquestions?\b", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z(\"'‘“])")
WEAK_ASKERS = {"He", "She", "Members"}
# a visitor named at the start of a sentence or item ('2736. David James from Monmouthshire Housing ...')
PERSON_LEAD = re.compile(r"^(?:\d{3,5}[.:]\s+)?(?P<name>[A-Z][a-z]+\s+[A-Z][a-z'’-]+)(?=\s+(?:from|of|reported|said|explained|attended|presented)\b)")


def prose_exchanges(lines: list[Line], section: Section, used: set[int], text: str | None = None) -> list[tuple[int, QAPair]]:
    """Pairs from the prose of one section, by the index of the line each starts on (`text`: the lines' texts
    joined by line breaks, when the caller has it)."""
    if text is None:
        text = "\n".join(line.text for line in lines)
    pairs: list[tuple[int, QAPair]] = []
    if has_any(text, FOLLOWING_WORDS):
        pairs += _following(lines, section, used)
    pairs += _topics(lines, section, used)
    if has_any(text, SUPPLEMENTARY_OPENERS):
        pairs += _supplementary(lines, section, used)
    if _may_ask(lines, text):
        skip: dict[int, int] = {}  # sentences at the start of a line already taken as the last line's answer
        last_name: list[str] = []
        unread: list[int] = []  # the lines asking nothing since last_name was last brought up to date
        for index, line in enumerate(lines):
            if index in used or line.text.count("\t") > 1:
                continue
            pairs += _sentence_pairs(lines, index, section, used, skip, last_name, unread)
    pairs += _points_answered(lines, section, used)
    return pairs


def _may_ask(lines: list[Line], text: str) -> bool:
    """True when a line may ask something, as _sentence_pairs first tests each line: without one, it finds no pair."""
    return "?" in text or has_any(text, ASK_HINT_WORDS) or any(INTERROGATIVE.match(line.text.lstrip()) for line in lines)


def _points_answered(lines: list[Line], section: Section, used: set[int]) -> list[tuple[int, QAPair]]:
    """A member's point answered in the next paragraph: 'Cllr Guy supported ... / In response Mayor Godwin stated ...'."""
    pairs = []
    for index in range(len(lines) - 1):
        if index in used or index + 1 in used or not lines[index + 1].text.lstrip().startswith(("In r", "Resp")):
            continue
        text, nxt = squeezed(lines[index].text), squeezed(lines[index + 1].text)
        member = TITLED_RE.match(text)
        if member and re.match(r"^In\s+(?:response|reply)\b|^Responding\b", nxt) and not lines[index + 1].heading:
            pairs.append((index, QAPair(question=text, answer=nxt, asked_by=member.group(0), answered_by=answerer(nxt),
                                        section=section.label, page=lines[index].page, date=section.date, layout="point answered")))
            used.update((index, index + 1))
    return pairs


def _sentence_pairs(lines, index, section, used, skip, last_name, unread) -> list[tuple[int, QAPair]]:
    """The pairs of the line at `index`. `last_name` holds who was last named, for a 'He asked ...' further on; a line
    asking nothing is only put in `unread`, and the name it gives is looked for when a line asking something comes
    (most lines asking nothing are followed by none in their section)."""
    raw = lines[index].text
    if "?" not in raw and not has_any(raw, ASK_HINT_WORDS) and not INTERROGATIVE.match(raw.lstrip()):
        unread.append(index)  # no question here: only a name to remember
        return []
    if unread:
        read_names(lines, unread, last_name)
    sentences = SENTENCE_END.split(squeezed(raw))
    whole = len(sentences) == 1 and not sentences[0].rstrip().endswith((".", ":", ";"))
    asks = [_question(sentence, whole_line=whole) for sentence in sentences]  # each sentence judged once
    found = []
    k = skip.get(index, 0)
    while k < len(sentences):
        lead = PERSON_LEAD.match(sentences[k])
        # TITLED_RE opens with an optional 'County' and is tried at every letter; the hint, which every titled name holds,
        # opens with one of four capitals and is scanned for far faster
        titled = TITLED_RE.search(sentences[k]) if TITLE_HINT.search(sentences[k]) else None
        asked = asks[k]
        if not asked:
            if titled:
                last_name[:] = [titled.group(0)]
            elif lead:
                last_name[:] = [lead.group("name")]
            k += 1
            continue
        asker, question = asked
        request = question.startswith("REQUEST:")  # 'Members asked that ...': a pair only when someone replies
        question = question.removeprefix("REQUEST:")
        inline = INLINE_ANSWER.search(question)
        inline_answer = ""
        if inline:  # 'X queried access and was informed that ...', 'X asked what ... – it was explained ...'
            question, inline_answer = question[:inline.start()].strip(), question[inline.start():].strip(" -–—")
            inline_answer = re.sub(r"^(?:and|but)\s+", "", inline_answer)
        if asker in ("He", "She") and last_name:
            asker = last_name[0]  # 'Cllr Hillard reported ... He asked if ...'
        elif titled:
            last_name[:] = [titled.group(0)]
        more = k + 1
        while more < len(sentences) and ASKER_GOES_ON.match(sentences[more]):
            more += 1  # 'He also posed the question of ...': the asker still speaking, not the answer
        question = " ".join([question] + sentences[k + 1:more])
        end = more
        while end < len(sentences) and not asks[end]:
            end += 1
        answer = " ".join([inline_answer] + sentences[more:end]).strip()
        if answer and not inline_answer and not _reads_as_answer(answer) and _answers_next(lines, index, used):
            answer = ""  # the rest of the paragraph is still the member's; the next paragraph answers
        if request and not (answer and ANSWERER.match(answer)):
            k = end
            continue
        strong = question.endswith("?") or (asker not in WEAK_ASKERS and re.search(r"\b(?:whether|if|what|why|how|when)\b", question, re.I))
        if not answer and (_answers_next(lines, index, used) or (strong and _plain_next(lines, index, used))):
            following = SENTENCE_END.split(squeezed(lines[index + 1].text))
            taken = next((n for n, sentence in enumerate(following) if n and _question(sentence)), len(following))
            answer = " ".join(following[:taken])
            if taken >= len(following):
                used.add(index + 1)
            else:
                skip[index + 1] = taken
        if not answer and (asker in ("He", "She") or not re.search(r"\b(?:whether|if|what)\b", question)):
            k = end
            continue
        found.append((index, QAPair(
            question=question, answer=answer or None, asked_by=asker,
            answered_by=answerer(answer) if answer else None,
            section=section.label, page=lines[index].page, date=section.date, layout="prose exchange")))
        k = end
    if found:
        used.add(index)
    return found


def read_names(lines: list[Line], unread: list[int], last_name: list[str]) -> None:
    """Bring last_name up to date with the lines in `unread`, as if each had set it in turn: the last of them naming
    someone names who was last named (a titled name, the last in the line, before a person leading it)."""
    for index in reversed(unread):
        raw = lines[index].text
        named = list(TITLED_RE.finditer(raw)) if TITLE_HINT.search(raw) else []
        if named:
            last_name[:] = [named[-1].group(0)]
            break
        lead = PERSON_LEAD.match(raw.strip())
        if lead:
            last_name[:] = [lead.group("name")]
            break
    unread.clear()


ASKER_GOES_ON = re.compile(r"^(?:He|She|They)\s+also\b")
ASKING_CLAUSE = re.compile(r"[–—;,]\s+(?:could|can|would|will|what|why|how|when|is|are|does|do|did|has|have|should)\s+\w+\s+\w+")
# the words of a sentence that may ask something, looked for with 'in' (a pattern of these words tries each of them at
# every letter: twice as slow)
ASK_HINT_WORDS = ("ask", "nquir", "queri", "question", "wanted to know", "sought", "raised", "requested", "challenged", "pressed")
INTERROGATIVE = re.compile(
    r"^(?:What|Why|How|When|Where|Who|Which|Would|Will|Was|Were|Is|Are|Does|Do|Did|Could|Can|Has|Had|Have|Should)\s+\w+\s+\w+")


def _question(sentence: str, whole_line: bool = False) -> tuple[str, str] | None:
    """(asker, question) when the sentence asks something; a line that is one interrogative sentence
    counts even when its question mark was lost ('What level of savings was anticipated ...')."""
    if not has_any(sentence, ASK_HINT_WORDS):  # most sentences ask nothing: one cheap look before the full patterns
        if len(sentence) > 25 and INTERROGATIVE.match(sentence) and (sentence.rstrip().endswith("?") or whole_line):
            return "Member", sentence.strip()
        if len(sentence) > 25 and sentence.rstrip().endswith("?") and ASKING_CLAUSE.search(sentence):
            return "Member", sentence.strip()  # '... was not clear – could the Audit Commission clarify this?'
        return None
    found = ASKED.search(sentence) if has_any(sentence, ASK_VERB_WORDS) else None  # the pattern is slow: it tries every capital
    if found:
        rest = found.group("rest")
        if re.match(r"^\s*that\b", rest):
            return _asker(found.group("asker")), "REQUEST:" + sentence[found.start():].strip()
        if NOT_QUESTION.match(rest) or not (QUESTION_WORDS.match(rest) or "?" in rest or rest.strip() == "" or
                                            re.match(r"^\s*(?:\w+\s+)?(?:queried|questioned|raised)",
                                                     found.group(0)[len(found.group("asker")):].strip())):
            return None
        if _not_a_person(found.group("asker")):
            return None
        return _asker(found.group("asker")), sentence[found.start():].strip()
    found = ASKING.search(sentence) if "asking" in sentence else None
    if found and not _not_a_person(found.group("asker")):
        return _asker(found.group("asker")), sentence.strip()
    found = WAS_ASKED.search(sentence) if "asked" in sentence else None
    if found and not _not_a_person(found.group("asker")):
        return _asker(found.group("asker")), sentence.strip()
    if len(sentence) > 25 and INTERROGATIVE.match(sentence) and (sentence.rstrip().endswith("?") or whole_line):
        return "Member", sentence.strip()
    return None


def _not_a_person(asker: str) -> bool:
    first = asker.split()[0]
    return first in {"The", "This", "It", "Committee", "Council", "Panel", "There", "They", "We", "That", "Officers",
                     "Members'", "In", "If", "As", "At", "For", "Following", "When", "Whilst", "While"} and not re.match(
        r"^The\s+(?:resident|questioner|[Mm]ember|Panel|Committee|(?:Vice[- ]|Deputy\s+)?Chair(?:man|person)?)$", asker)


def _asker(text: str) -> str:
    text = squeezed(text)
    generic = re.match(r"^(?:an?|the)\s+(.+)$", text, re.IGNORECASE)
    if generic and not re.match(r"^(?:Cllr|Councillor)", text):
        return generic.group(1)[:1].upper() + generic.group(1)[1:]
    return text


def _reads_as_answer(text: str) -> bool:
    return bool(ANSWERER.match(text) or ROLE_SUBJECT.match(text) or IMPERSONAL_ANSWER.search(text[:120])
                or INITIALS_ANSWER.match(text))


def _plain_next(lines: list[Line], index: int, used: set[int]) -> bool:
    """The next line is an ordinary paragraph (not a heading, item, label or another question)."""
    nxt = index + 1
    if nxt >= len(lines) or nxt in used or lines[nxt].heading:
        return False
    text = squeezed(lines[nxt].text)
    return len(text) > 30 and not re.match(r"^(?:\d|[A-Z][\w ]{0,40}:|RESOLVED|Resolved)", text) and not _question(
        SENTENCE_END.split(text)[0])


ROLE_SUBJECT = re.compile(
    r"^(?:In\s+(?:response|reply),?\s*)?(?:The\s+)?(?:Deputy\s+)?(?:Police\s+and\s+Crime\s+Commissioner|Commissioner|PCC|Mayor"
    r"|(?:Deputy\s+|Assistant\s+)?Chief\s+Constable|Chief\s+Finance\s+Officer|Chief\s+Executive|Clerk|Chair(?:man)?)\s+[a-z]+")


def _answers_next(lines: list[Line], index: int, used: set[int]) -> bool:
    nxt = index + 1
    if nxt >= len(lines) or nxt in used or lines[nxt].heading:
        return False
    text = squeezed(lines[nxt].text)
    return bool(text) and not _question(SENTENCE_END.split(text)[0]) and bool(
        ANSWERER.match(text) or ROLE_SUBJECT.match(text) or IMPERSONAL_ANSWER.search(text[:120]) or INITIALS_ANSWER.match(text))


def answerer(answer: str) -> str | None:
    """Who gave the answer: the subject of its first sentence ('The Chairman advised'), else None;
    the offices canonical ('the Commissioner' -> 'PCC')."""
    from pcp_search.parse.questions import canonical_role  # questions imports this module

    found = ANSWERER.match(answer) or INITIALS_ANSWER.match(answer)
    if found:
        return canonical_role(found.group("who")) or found.group("who")
    found = ROLE_SUBJECT.match(answer)
    if found:
        return canonical_role(found.group(0)) or None
    found = re.search(r"\b(?:informed|advised|told)\s+by\s+(?:the\s+)?(?P<who>[A-Z][\w'’]+(?:\s+[A-Z][\w'’]+)?)", answer[:200])
    return found.group("who") if found else None


def _supplementary(lines: list[Line], section: Section, used: set[int]) -> list[tuple[int, QAPair]]:
    """'Name - topic' lines after a 'supplementary questions ... in response' sentence, each answered below."""
    pairs = []
    active = False
    index = 0
    while index < len(lines):
        raw = lines[index].text
        if not active and "Q" not in raw and "upplementary" not in raw and "ollow" not in raw and "esponse" not in raw:
            index += 1  # nothing here can open a block of supplementary questions
            continue
        text = squeezed(raw)
        refs = Q_REFS_HEAD.search(text) if index not in used and "Q" in text else None
        if refs:  # 'Q1 & Q2 – Melissa Topping', the answers below it
            end, body = index + 1, []
            while end < len(lines) and not Q_REFS_HEAD.search(squeezed(lines[end].text)) and not lines[end].heading \
                    and not re.match(r"^(?:RESOLVED|Resolved|Public Forum Statements)\b", lines[end].text.strip()):
                body.append(squeezed(lines[end].text))
                end += 1
            answer = "\n".join(b for b in body if b and not SUPPLEMENTARY_CONTEXT.search(b))
            if answer:
                pairs.append((index, QAPair(question=refs.group("head"), answer=answer, asked_by=refs.group("asker"),
                                            answered_by="Officers", section=section.label, page=lines[index].page,
                                            date=section.date, layout="supplementary")))
                used.update(range(index, end))
                index = end
                continue
        if ("upplementary" in text or "ollow" in text or "esponse" in text) and _opens_supplementary(text):
            active = True
            index += 1
            continue
        head = SUPPLEMENTARY_HEAD.match(text) if active and index not in used else None
        split = _split_head(text) if active and not head and index not in used else None
        if not head and not split and active and index not in used and _short_head(lines, index):
            head = re.match(r"^(?P<asker>[A-Z][\w'’.]+(?:\s+[A-Z][\w'’.]+){1,2})", text)
        if not head and not split:
            if active and (lines[index].heading or re.match(r"^(?:Public Forum Statements|Statements|RESOLVED)\b", text)):
                active = False
            index += 1
            continue
        if split:
            question, answer, asker = split
            end = index + 1
        else:
            assert head is not None  # one of head and split was found, or the line was passed over above
            question, asker = text, head.group("asker")
            end = index + 1
            body = []
            while end < len(lines) and not SUPPLEMENTARY_HEAD.match(squeezed(lines[end].text)) and not lines[end].heading \
                    and not _split_head(squeezed(lines[end].text)):
                body.append(squeezed(lines[end].text))
                end += 1
            answer = "\n".join(b for b in body if b)
        if answer:
            pairs.append((index, QAPair(question=question, answer=answer, asked_by=asker, answered_by=answerer(answer) or "Officers",
                                        section=section.label, page=lines[index].page, date=section.date, layout="supplementary")))
            used.update(range(index, end))
        index = end
    return pairs


def _opens_supplementary(text: str) -> bool:
    """'... asked supplementary questions and received the following information in response': the pattern runs
    only where its words are (it is slow, and most lines that get here only hold 'response' or 'following')."""
    return has_any(folded(text), SUPPLEMENTARY_NEEDS) and SUPPLEMENTARY_CONTEXT.search(text) is not None


def _short_head(lines: list[Line], index: int) -> bool:
    """'Ian Pond, Bristol Cycling Campaign Bristol Cycleways' above 'Officers confirmed ...': a questioner's
    name and topic on a short line, the answer on the next."""
    text = squeezed(lines[index].text)
    nxt = squeezed(lines[index + 1].text) if index + 1 < len(lines) else ""
    return (10 < len(text) <= 100 and not text.endswith((".", ":", ";")) and bool(re.match(r"^[A-Z][a-z]+\s+[A-Z]", text))
            and bool(nxt) and bool(ANSWERER.match(nxt) or IMPERSONAL_ANSWER.search(nxt[:80])))


def _split_head(text: str) -> tuple[str, str, str] | None:
    """'David Redgewell, Network - Bus Services Officers confirmed that ...': head and answer on one line."""
    found = re.match(r"^(?P<head>(?P<asker>[A-Z][\w'’.]+(?:\s+[A-Z][\w'’.]+){1,3})[^.]{0,120}?\s[-–—]\s[^.]{2,80}?)\s+(?P<answer>"
                     r"(?:Officers|The\s+\w+|It\s+was|In\s+response)\b.+)$", text)
    if found and (ANSWERER.match(found.group("answer")) or IMPERSONAL_ANSWER.search(found.group("answer")[:80])):
        return found.group("head"), found.group("answer"), found.group("asker")
    return None


def _following(lines: list[Line], section: Section, used: set[int]) -> list[tuple[int, QAPair]]:
    """'Following Councillor questions, the officers confirmed the following:' and the list below it, or
    'In response to questions from Members, the PCC said ...': one exchange, answered by the list."""
    pairs = []
    for index, line in enumerate(lines):
        if index in used or not has_any(line.text, FOLLOWING_WORDS):
            continue
        sentences = SENTENCE_END.split(squeezed(line.text))
        for k, sentence in enumerate(sentences):
            found = FOLLOWING.match(sentence)
            if not found:
                continue
            answer = [found.group("rest")] + sentences[k + 1:]
            end = index + 1
            while end < len(lines) and end not in used and LIST_ITEM.match(lines[end].text.strip()):
                answer.append(squeezed(lines[end].text))
                end += 1
            text = "\n".join(answer).strip()
            if len(text) < 40:
                break
            asker = _asker(found.group("asker1") or found.group("asker2"))
            pairs.append((index, QAPair(question=" ".join(sentences[k:k + 1])[:found.start("rest")].rstrip(" ,"),
                                        answer=text, asked_by=asker, answered_by=answerer(found.group("rest")),
                                        section=section.label, page=line.page, date=section.date, layout="following questions")))
            used.update(range(index, end))
            break
    return pairs


def _topics(lines: list[Line], section: Section, used: set[int]) -> list[tuple[int, QAPair]]:
    """'1. Clean Energy: The Mayor identified ...' under a Q&A item: members' topics and the answers."""
    if not QA_SECTION.search(section.title or ""):
        return []
    pairs = []
    for index, line in enumerate(lines):
        found = TOPIC.match(squeezed(line.text)) if index not in used else None
        if found and answerer(found.group("answer")):
            pairs.append((index, QAPair(question=found.group("topic"), answer=found.group("answer"), asked_by="Members",
                                        answered_by=answerer(found.group("answer")), section=section.label,
                                        page=line.page, date=section.date, layout="topic")))
            used.add(index)
    return pairs
