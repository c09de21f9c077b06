"""Question -> answer pairs in the layouts panels publish: numbered with bracketed answers,
council 'Question by X to Y' / 'Answer', and prose minutes ('The PCC was asked ...; he replied ...')."""

from __future__ import annotations

import re

from pcp_search.models import Line, QAPair, Section
from pcp_search.parse.exchanges import prose_exchanges
from pcp_search.parse.keys import folded, has_any
from pcp_search.parse.labelled import labelled_questions
from pcp_search.parse.undertakings import undertakings

NUMBERED_Q = re.compile(r"^(?:[-•*]\s*)?\(\s*(\d{1,2})\s*\)\.?\s+(\S.*)$")
ASKER_HEADING = re.compile(r"^(?P<asker>(?:Councillor|Cllr\.?|Mr|Mrs|Ms|Miss|Dr|Professor)\.?\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]+){0,3})\s*:\s*$")
COLON_AT_END = re.compile(r":[^\S\n]*$", re.MULTILINE)  # a line's last ':' with only spaces after it
BULLET = re.compile(r"^\s*[·•\-*▪◦]\s+(?P<text>\S.*)$")
COUNCIL_Q = re.compile(
    r"^(?:\d{1,3}\.\s+)?(?:(Supplementary|Public|Written)\s+)?Question\s+(?:(?:No\.?\s*)?\d+\s+)?(?:(?:by|from)\s+|(?<=\d\s)[-–—]\s*)"
    r"(?P<asker>[A-Z].+?)(?:\s+to\s+(?P<to>.+?))?\s*:?\s*$",
)
SUPPLEMENTARY = re.compile(r"^Supplementary\s+question\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
ANSWER_LABEL = re.compile(
    r"^(?:Supplementary\s+|(?P<role>(?:The\s+)?[A-Z][\w ]{1,40}?)[’']s?\s+)?(?:Answer|Reply|Response)(?:\s+(?:by|from)\s+(?P<who>[^:]+))?"
    r"\s*[:.-]?\s*(?P<rest>.*)$", re.IGNORECASE)
RESOLVED = re.compile(r"^(?:[-•]\s*)?RESOLVED\b")
CONTEXT_MEMBERS = re.compile(r"^Members'?\s*Questions?\b", re.IGNORECASE)
CONTEXT_WRITTEN = re.compile(r"\bwritten questions?\b", re.IGNORECASE)
CONTEXT_PUBLIC = re.compile(r"^Public\s+Questions?\b|\bpublic question", re.IGNORECASE)
CLLR_ATTRIBUTION = re.compile(r"\((?P<title>Cllr|Councillor)\.?\s+(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3})\s*[–—-]\s*(?P<place>[^)]{2,60})\)")

ROLE = (
    r"(?:Deputy\s+)?(?:Police\s+(?:and|&)\s+Crime\s+Commissioner|PCC|Commissioner)"
    r"|(?:Deputy\s+|Assistant\s+)?Chief\s+Constable|Chief\s+Finance\s+Officer|Chief\s+Executive"
    r"|Chief\s+of\s+Staff|Cabinet\s+Member|Leader"
)
REPLY_VERB = (
    r"replied|responded|reported|said|stated|confirmed|advised|explained|informed(?:\s+the\s+(?:Panel|Committee|Member|meeting))?"
    r"|commented|acknowledged|assured(?:\s+the\s+Panel)?|agreed|undertook|reiterated|noted|indicated|added|answered"
)
RESPONDER = re.compile(r"\b[Tt]he\s+(" + ROLE + r")\s+(?:" + REPLY_VERB + r")\b")
PROSE_IN_RESPONSE = re.compile(
    r"In response to (?:a |the |this |that )?(?:further |supplementary )?(?:question|query|queries|questions|point|comment|concern)s?"
    r"(?:\s+(?:from|by)\s+(?P<asker>[^,]{3,60}?))?\s*(?:,\s*)?(?P<q>(?:regarding|about|on|concerning|as to|whether|if|asking|that|relating to|in relation to)\b.+?),\s*"
    r"(?:the\s+)?(?P<who>" + ROLE + r")\s+(?P<a>(?:" + REPLY_VERB + r")\b.+)$",
    re.IGNORECASE,
)
PROSE_ASKED = re.compile(
    r"(?P<asker>The\s+(?:" + ROLE + r")|A\s+(?:Panel\s+)?Member|Members|The\s+Chair(?:man)?|(?:Councillor|Cllr\.?)\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)"
    r"\s+(?:was\s+|were\s+)?asked\s+(?P<q>.+?[.?])(?=\s|$)"
)
RAISED_VERBS = ("queried", "enquired", "inquired", "raised", "questioned", "sought", "requested", "welcomed", "suggested",
                "expressed", "highlighted", "challenged")  # one of these is in every match of PROSE_RAISED
RAISED_ASKERS = ("Member", "Chair", "Cllr", "Councillor")  # and one of these
# a member's point put as a statement, answered in the next paragraph ("Councillor Boyes welcomed the
# recommendation that ... / The PCC replied that ..."): only a member as subject, only with an answer next
PROSE_RAISED = re.compile(
    r"(?P<asker>A\s+(?:Panel\s+)?Member|Members|The\s+Chair(?:man)?|(?:Councillor|Cllr\.?)\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)"
    r"\s+(?:queried|enquired|inquired|raised|questioned|sought|requested|welcomed|suggested|expressed|highlighted|challenged)\s+(?P<q>.+?[.?])(?=\s|$)"
)
ANSWER_OPENER = re.compile(
    r"^(?:In\s+(?:response|reply)\b,?\s*(?:the\s+)?(?P<who1>" + ROLE + r")?|(?:The\s+)(?P<who2>" + ROLE + r")\s+(?:" + REPLY_VERB + r")\b|(?:He|She)\s+(?:" + REPLY_VERB + r")\b)",
)
# a sentence's stop and the space after it; the stop is matched, not looked behind for, as a pattern that opens
# with a character class is scanned for much faster (only where each match ends is used)
SENTENCE_END = re.compile(r"[.?!]\s+(?=[A-Z(\"'‘“])")


def extract_qa(section: Section, default_responder: str = "PCC") -> list[QAPair]:
    """All Q&A pairs of one section, in document order; unanswered questions are kept (answer None)."""
    lines = [line for line in section.lines if line.text.strip()]
    used: set[int] = set()
    # each layout is looked for only in a section holding what every one of its pairs needs, tested once on the
    # section's text (most sections hold none of them; a pass over their lines, line by line, found nothing)
    # (a test of one character is far faster than one of a word, and the folded text is made only when needed)
    text = "\n".join(line.text for line in lines)
    low = None
    found = _numbered(lines, section, default_responder, used) if _may_be_numbered(lines, text) else []
    found += labelled_questions(lines, section, used, lambda answer: responder(answer, default_responder))
    if "Question" in text or "supplementary" in (low := folded(text)):
        found += _council(lines, section, used)
    if ":" in text and _names_a_member(lines, text):
        found += _member_bullets(lines, section, default_responder, used)
    if ("asked" in text or (has_any(text, RAISED_ASKERS) and has_any(text, RAISED_VERBS))
            or "response to" in (folded(text) if low is None else low)):
        found += _prose(lines, section, used)
    found += prose_exchanges(lines, section, used, text)
    pairs = [pair for _, pair in sorted(found, key=lambda item: item[0])]
    for pair in pairs:
        pair.undertakings = undertakings(pair.answer or "")
    return pairs


# -- numbered questions with bracketed answers -----------------------------------------------
def _numbered(lines: list[Line], section: Section, default: str, used: set[int]) -> list[tuple[int, QAPair]]:
    pairs = []
    context = "Panel member"
    stopped = False
    asking = bool(re.search(r"\bquestions?\b|\bQ\s*&\s*A\b", section.title or "", re.IGNORECASE))
    index = 0
    while index < len(lines):
        text = lines[index].text.strip()
        if RESOLVED.match(text):
            stopped = True
        elif CONTEXT_MEMBERS.match(text):
            context, stopped, asking = "Panel member", False, True
        elif "que" in text.lower() and (opened := _question_context(text)):  # both contexts need the word 'question'
            context, stopped, asking = opened, False, True
        found = NUMBERED_Q.match(text)
        if not found or stopped or found.group(2).startswith("That "):
            index += 1
            continue
        end = _block_end(lines, index + 1)
        pair = _bracketed_pair(lines, index, end, section, context, default, found.group(2))
        asked = re.search(r"\b(?:requested|asked|queried|sought|enquired|inquired|questioned|clarification)\b", pair.question if pair else "",
                          re.IGNORECASE)
        if pair and not (asking or asked or "?" in pair.question or any(line.text.strip().startswith("[") for line in lines[index:end])):
            pair = None  # a numbered list of decisions or recommendations, not questions
        if pair:
            pairs.append((index, pair))
            used.update(range(index, end))
        index = end
    return pairs


def _may_be_numbered(lines: list[Line], text: str) -> bool:
    """True when a line is a numbered question ('(3) ...'): _numbered finds pairs only at such lines."""
    return "(" in text and any(NUMBERED_Q.match(line.text.strip()) for line in lines if "(" in line.text)


def _names_a_member(lines: list[Line], text: str) -> bool:
    """True when a line is a member's name heading their bullets ('Councillor Jane Smith:'), as ASKER_HEADING reads
    it: only the lines ending with ':' (found in `text`, the lines joined by line breaks) are tried."""
    if text.count("\n") != len(lines) - 1:
        return True  # a line holding a line break of its own: not cut into lines here (never so far)
    for found in COLON_AT_END.finditer(text):
        start = text.rfind("\n", 0, found.start()) + 1
        if ASKER_HEADING.match(text[start:found.start() + 1].strip()):
            return True
    return False


def _question_context(text: str) -> str | None:
    """'public' or 'Panel member (written question)' when a line opens public or written questions."""
    if CONTEXT_PUBLIC.search(text) and not NUMBERED_Q.match(text):
        return "public"
    if CONTEXT_WRITTEN.search(text) and not NUMBERED_Q.match(text):
        return "Panel member (written question)"
    return None


def _block_end(lines: list[Line], start: int) -> int:
    """The first line after a question block: the next question, RESOLVED or a heading."""
    for index in range(start, len(lines)):
        text = lines[index].text.strip()
        if NUMBERED_Q.match(text) or RESOLVED.match(text) or CONTEXT_MEMBERS.match(text):
            return index
        if lines[index].heading and not text.startswith("["):
            return index
    return len(lines)


def _bracketed_pair(lines, start, end, section, context, default, first: str) -> QAPair | None:
    """The question numbered on `lines[start]` (`first`: its text after the number) and its bracketed answer."""
    block = [first, *(line.text.strip() for line in lines[start + 1:end])]
    open_at = next((i for i, text in enumerate(block) if text.startswith("[")), None)
    close_at = next((i for i, text in enumerate(block) if text.endswith("]") and i > 0), None)
    if open_at is not None and open_at > 0:
        q_lines = block[:open_at]
        close = next((i for i in range(open_at, len(block)) if block[i].endswith("]")), len(block) - 1)
        a_lines = block[open_at:close + 1]
    elif close_at is not None:
        q_lines, a_lines = block[:1], block[1:close_at + 1]
    else:
        q_lines, a_lines = block[:1], block[1:]
    question = _strip_brackets(" ".join(q_lines))
    if not question or ("?" not in question and "asked" not in question.lower() and len(q_lines) == 1 and not a_lines):
        return None
    answer = _strip_brackets("\n".join(a_lines)) or None
    asked_by = _asker(question) or context
    return QAPair(
        question=question,
        answer=answer,
        asked_by=asked_by,
        answered_by=responder(answer, default) if answer else None,
        section=section.label,
        page=lines[start].page,
        date=section.date,
        layout="numbered",
    )


def _strip_brackets(text: str) -> str:
    text = text.strip()
    if text.startswith("["):
        text = text[1:]
    if text.endswith("]"):
        text = text[:-1]
    return text.strip()


# -- council layout: "Question by X to Y, Role" ... "Answer" ... ------------------------------
def _council(lines: list[Line], section: Section, used: set[int]) -> list[tuple[int, QAPair]]:
    pairs = []
    index = 0
    last_asker = last_to = None
    while index < len(lines):
        text = lines[index].text.strip()
        head = COUNCIL_Q.match(text) if index not in used else None
        supp = SUPPLEMENTARY.match(text) if index not in used and not head else None
        if not head and not supp:
            index += 1
            continue
        if head:
            asker, to = head.group("asker").strip(" ,"), (head.group("to") or "").strip(" ,") or None
            last_asker, last_to = asker, to
            q_parts = []
        else:
            assert supp is not None  # a supplementary question: the line was passed over above without one
            asker, to = last_asker or "Panel member", last_to
            q_parts = [supp.group("rest")] if supp.group("rest") else []
        j = index + 1
        while j < len(lines) and not ANSWER_LABEL.match(lines[j].text.strip()) and not _council_boundary(lines[j]):
            q_parts.append(lines[j].text.strip())
            j += 1
        a_parts: list[str] = []
        answer_who = None
        if j < len(lines) and (label := ANSWER_LABEL.match(lines[j].text.strip())):
            answer_who = label.group("who") or label.group("role")
            if label.group("rest"):
                a_parts.append(label.group("rest"))
            j += 1
            while j < len(lines) and not _council_boundary(lines[j]) and not SUPPLEMENTARY.match(lines[j].text.strip()):
                a_parts.append(lines[j].text.strip())
                j += 1
        question = " ".join(q_parts).strip()
        if head and not head.group(1) and not re.search(r"\b(?:by|from)\b", text[:40]) and not a_parts:
            index += 1  # 'Question 1 - Name - topic' in a list of questions received: no answer follows
            continue
        if question:
            answer = "\n".join(a_parts).strip() or None
            pair = QAPair(
                question=question,
                answer=answer,
                asked_by=asker,
                answered_by=_office(answer_who or to) if answer else None,
                section=section.label,
                page=lines[index].page,
                date=section.date,
                layout="council",
            )
            pairs.append((index, pair))
        used.update(range(index, j))
        index = max(j, index + 1)
    return pairs


def _council_boundary(line: Line) -> bool:
    text = line.text.strip()
    return bool(COUNCIL_Q.match(text) or line.heading or RESOLVED.match(text))


def _office(text: str | None) -> str | None:
    """'Matthew Barber, Police and Crime Commissioner' -> 'PCC'; other offices kept as written."""
    if not text:
        return None
    role = canonical_role(text)
    return role or text.strip()


def canonical_role(text: str) -> str | None:
    """The office a phrase names: PCC, Deputy PCC, Chief Constable... or None."""
    low = " ".join(text.lower().split())
    if "deputy" in low and ("commissioner" in low or "pcc" in low):
        return "Deputy PCC"
    if "commissioner" in low or re.search(r"\bpcc\b", low):
        return "PCC"
    if "deputy chief constable" in low:
        return "Deputy Chief Constable"
    if "assistant chief constable" in low:
        return "Assistant Chief Constable"
    if "chief constable" in low:
        return "Chief Constable"
    if "chief finance officer" in low:
        return "Chief Finance Officer"
    if "chief of staff" in low:
        return "Chief of Staff"
    if "cabinet member" in low:
        return text.strip()
    return None


# -- a member's name, then bullets: what they asked and what the Commissioner said -------------------
def _member_bullets(lines: list[Line], section: Section, default: str, used: set[int]) -> list[tuple[int, QAPair]]:
    """'Councillor Jane Smith:' followed by '· Asked the Commissioner whether ... The Commissioner
    confirmed that ...' bullets: each bullet is a pair, the answer from the responder's first sentence."""
    pairs = []
    asker = None
    for index, line in enumerate(lines):
        text = line.text.strip()
        heading = ASKER_HEADING.match(text)
        if heading:
            asker = heading.group("asker")
            used.add(index)
            continue
        bullet = BULLET.match(text) if asker and index not in used else None
        if not bullet:
            if asker and not BULLET.match(text):
                asker = None  # the member's list has ended
            continue
        body = bullet.group("text").strip()
        start = _response_start(body)
        question = body[:start].strip() if start else body
        answer = body[start:].strip() if start else None
        pairs.append((index, QAPair(
            question=question,
            answer=answer,
            asked_by=asker,
            answered_by=responder(answer, default) if answer else None,
            section=section.label, page=line.page, date=section.date, layout="member bullets",
        )))
        used.add(index)
    return pairs


RESPONSE_SENTENCE = re.compile(
    r"(?:In\s+(?:response|reply),?\s+)?[Tt]he\s+(?:" + ROLE + r")\s+(?:" + REPLY_VERB + r"|committed|indicated|welcomed|outlined|accepted|undertook|promised)\b"
)


def _response_start(text: str) -> int | None:
    """Where the responder's first sentence begins, after at least some question text."""
    for start in _sentence_starts(text):
        if start and RESPONSE_SENTENCE.match(text, start):
            return start
    return None


# -- prose minutes -----------------------------------------------------------------------------
def _prose(lines: list[Line], section: Section, used: set[int]) -> list[tuple[int, QAPair]]:
    pairs = []
    for index, line in enumerate(lines):
        if index in used or "\t" in line.text:
            continue
        text = line.text.strip()
        pair = _prose_in_response(text) or _prose_asked(text, lines, index, used)
        if not pair:
            continue
        pair.section, pair.page, pair.date = section.label, line.page, section.date
        pairs.append((index, pair))
        used.add(index)
    return pairs


def _prose_in_response(text: str) -> QAPair | None:
    if "response to" not in folded(text):
        return None  # the pattern opens with these words: most lines are passed over before they are cut into sentences
    for sentence_start in _sentence_starts(text):
        found = PROSE_IN_RESPONSE.match(text[sentence_start:])
        if found:
            question = "A question " + CLLR_ATTRIBUTION.sub("", found.group("q")).strip()
            return QAPair(
                question=_sentence(" ".join(question.split())),
                answer=_sentence(f"The {found.group('who')} {found.group('a')}"),
                asked_by=_clean_asker(found.group("asker")) or _asker(text) or "Panel member",
                answered_by=canonical_role(found.group("who")) or found.group("who"),
                section=None, page=None, date=None, layout="prose",
            )
    return None


def _prose_asked(text: str, lines: list[Line], index: int, used: set[int]) -> QAPair | None:
    asked = PROSE_ASKED.search(text) if "asked" in text else None  # the word is in every match: most lines are passed over
    found = asked or PROSE_RAISED.match(text)
    if not found:
        return None
    subject = found.group("asker")
    role = canonical_role(subject)
    rest = text[found.end():].strip()
    if not rest and index + 1 < len(lines) and index + 1 not in used:
        nxt = lines[index + 1].text.strip()
        if ANSWER_OPENER.match(nxt):
            rest = nxt
            used.add(index + 1)
    opener = ANSWER_OPENER.match(rest) if rest else None
    if not opener:
        return None
    who = opener.group("who1") or opener.group("who2")
    asked_by: str | None
    if role:  # "The PCC was asked ..." : asked of the PCC by a member
        asked_by, answered_by = _asker(text) or "Panel member", role
    else:
        asked_by, answered_by = _clean_asker(subject), canonical_role(who or "") or "PCC"
    return QAPair(
        question=_sentence(text[found.start():found.end()]),
        answer=rest,
        asked_by=asked_by,
        answered_by=canonical_role(who) if who else answered_by,
        section=None, page=None, date=None, layout="prose",
    )


def _sentence_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in SENTENCE_END.finditer(text)]


def _sentence(text: str) -> str:
    text = text.strip()
    return text[0].upper() + text[1:] if text else text


def _clean_asker(text: str | None) -> str | None:
    if not text:
        return None
    text = text.strip()
    if re.match(r"^(?:a|the)\s+(?:panel\s+)?member$", text, re.IGNORECASE) or text.lower() == "members":
        return "Panel member"
    return text


def _asker(text: str) -> str | None:
    """'(Cllr Name – District)' attribution in the text, as 'Cllr Name (District)'."""
    found = CLLR_ATTRIBUTION.search(text)
    if found:
        return f"Cllr {found.group('name')} ({found.group('place').strip()})"
    return None


# -- who answered, and what they undertook -------------------------------------------------------
def responder(answer: str, default: str = "PCC") -> str:
    """The office holder an answer comes from ('The Chief Constable replied ...'), else the default."""
    found = RESPONDER.search(answer[:400])
    if found:
        return canonical_role(found.group(1)) or default
    return default
