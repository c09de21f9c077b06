"""Undertakings: the sentences in which someone promised the panel to do something.

`undertakings(answer)` reads the answer of a Q&A pair, `passage_undertakings(text)` the prose of minutes
outside pairs ("The Commissioner agreed to provide a report on ...", "... would be circulated to Panel
Members", "Action 3: X to report back at the next meeting"). `due(sentence)` is the deadline a promise
states, `promiser(sentence)` who made it. Each rule family is one small function; look-alikes (schemes
described, past actions, RESOLVED lines, questions, refusals, rules of procedure) are turned away first.
"""

from __future__ import annotations

import re

from pcp_search.parse.keys import folded, has_any

# -- the words promises are made of ---------------------------------------------------------------
# verbs that only promise: to circulate, to report back, to look into ... something
STRONG_VERBS = (
    r"report\s+back|come\s+back|get\s+back|feed\s*back|circulate|write(?:\s+to)?|look\s+(?:into|at)|follow(?:\s+|-)up|check|find\s+out"
    r"|investigate|liaise|ask|raise|seek(?!\s+to\b)|share|send|forward|e-?mail|arrange|speak|talk|examine|obtain|chase|clarify|confirm"
    r"|respond|return|update|brief|contact|explore|consider\s+(?:whether|how)|take\s+(?:this|it|that|the\s+\w+)\s+(?:away|forward|up)"
)
# verbs that promise only with something to hand over ("provide a breakdown", "bring a report to the Panel")
WEAK_VERBS = r"provide|present|bring|give|supply|publish|produce|prepare|submit|make\s+available|set\s+out|put\s+together|do"
INFO_NOUNS = (
    r"reports?|update|briefing|details?|information|figures|breakdown|cop(?:y|ies)|note|paper|response|answers?|data|list"
    r"|feedback|summary|analysis|statistics|numbers|clarification|repl(?:y|ies)|letter|costs?|reconciliation|statement|plan"
    r"|business\s+case|timeline|timetable|results|findings|outcome|presentation|session|explanation|assurance|papers?|minutes"
)
RECIPIENT = (
    r"(?:to|with|for)\s+(?:the\s+|all\s+|each\s+|individual\s+)?(?:Police\s+(?:and|&)\s+Crime\s+)?(?:Panel|Members?|Committee|Councillors?"
    r"|Scrutiny\s+Officer|questioners?|Cllrs?\b|Councillor|him|her|you|the\s+Member)"
    r"|(?:to|at|before)\s+(?:a|the|its|their)\s+(?:next|future|subsequent|following|forthcoming)\s+(?:\w+\s+)?(?:meeting|Panel|Committee)"
)
PP_VERBS = (
    r"circulated|provided|shared|sent|forwarded|reported(?:\s+back)?|presented|brought(?:\s+back)?|given|supplied|e-?mailed"
    r"|distributed|made\s+available|fed\s+back|submitted|published|issued|clarified|confirmed"
)
PP_WORDS = ("circulated", "provided", "shared", "sent", "forwarded", "reported", "presented", "brought", "given", "supplied",
            "mailed", "distributed", "made", "fed", "submitted", "published", "issued", "clarified", "confirmed")  # one per PP_VERBS
ROLES = (
    r"(?:Deputy\s+)?(?:Police\s+(?:and|&)\s+Crime\s+Commissioner|PCC|Commissioner|Mayor)|(?:Deputy\s+|Assistant\s+)?Chief\s+Constable"
    r"|Chief\s+(?:Finance\s+Officer|Executive|Superintendent|Inspector|Officer)|Chief\s+of\s+Staff|Superintendent|Inspector"
    r"|Chair(?:man|woman|person)?|Vice[- ]Chair(?:man)?|Clerk|Scrutiny\s+Officer|Monitoring\s+Officer|Treasurer"
    r"|(?:Lead\s+|Senior\s+)?Officers?|Director(?:\s+of\s+[A-Z][\w&]*(?:\s+(?:and|&)?\s*[A-Z][\w&]*){0,3})?"
    r"|Head\s+of\s+[A-Z]\w*(?:\s+[A-Z]\w*){0,2}|Force|OPCC|Office|group|team|working\s+group|Cabinet\s+Member|Leader|Portfolio\s+Holder"
)
NAME = r"[A-Z][a-z][\w'’-]*(?:\s+[A-Z][a-z][\w'’-]*){0,2}"
PERSON = (
    r"(?:County\s+|District\s+|Borough\s+)?(?:Cllrs?\.?|Councillors?)\s+" + NAME + r"(?:\s*(?:&|and)\s*" + NAME + r")?"
    r"|(?:Mr|Mrs|Ms|Miss|Dr|Professor|Supt|DCC|ACC|CC)\.?\s+" + NAME
)
# who may promise: a role (the article optional), a councillor or titled person, a pronoun, a name, initials
AGENT = (
    r"(?P<agent>(?:[Tt]he\s+|[Hh]is\s+|[Hh]er\s+|[Tt]heir\s+)?(?:" + ROLES + r")|" + PERSON + r"|[Hh]e|[Ss]he|[Tt]hey|I|[Ww]e"
    r"|officers|(?<![Tt]he\s)(?<![A-Za-z])[A-Z]{2,3}(?![\w-])|" + NAME + r")"
)
MODALS = ("would", "will", "shall", "'ll", "’ll")
MODAL = "(?:" + "|".join(MODALS) + ")"
ADVERB = r"(?:\s+(?:also|then|now|personally|gladly|happily|further|again|shortly|urgently|separately|directly|be\s+able\s+to|be\s+happy\s+to|be\s+pleased\s+to|seek\s+to|aim\s+to|try\s+to|endeavour\s+to|want\s+to))*"

# -- the rules ------------------------------------------------------------------------------------
AGREED_TO = re.compile(
    r"\b(?:agreed|undertook|undertaken|offered|promised|volunteered|pledged|committed|confirmed\s+(?:that\s+)?(?:he|she|they)\s+would)\s+"
    r"(?:to\s+)?(?:\w+ly\s+)?(?P<verb>" + STRONG_VERBS + "|" + WEAK_VERBS + r"|obtain|get|find|look|investigate|raise)\b", re.IGNORECASE)
AGREED_NEEDS = ("agreed", "undert", "offered", "promised", "volunteered", "pledged", "committed", "confirmed")  # one in every match
# every agent begins with a capital or one of these lower-case pairs of letters ('he', 'her', 'his', 'she', 'the', 'they',
# 'their', 'we', 'officers', 'group', 'team', 'working group'): the look-ahead turns the other positions away before the long
# alternation is tried (the one-letter look-ahead first, as a set of letters is tested faster than the pairs)
AGENT_START = r"(?=[A-Zthswog])(?=[A-Z]|th|h[ei]|sh|we|of|gr|te|wo)"
WILL_DO = re.compile(
    AGENT_START + AGENT + r"(?:\s*\([^)]{1,60}\))?\s+(?:[Ss]aid\s+(?:that\s+)?(?:he|she|they|it)\s+)?" + MODAL + ADVERB + r"\s+(?P<verb>" + STRONG_VERBS
    + "|" + WEAK_VERBS + r")\b")
WOULD_BE_DONE = re.compile(
    r"(?P<subject>[\w'’-]+)\s+(?:(?:would|will|shall|is\s+to|are\s+to)\s+(?:also\s+|then\s+|now\s+)?be|(?<![Ff]or\s)(?<!\bit\s)to\s+be)\s+"
    r"(?:\w+ly\s+)?(?P<verb>" + PP_VERBS + r")\b", re.IGNORECASE)
ACTION_LINE = re.compile(
    r"^(?:Action(?:\s*(?:point\s*)?\d+)?|ACTION)\s*[:.-]\s*(?P<agent>[A-Z][\w'’.-]*(?:\s+[A-Z&][\w'’.-]*){0,3}?)\s+to\s+"
    r"(?:\w+ly\s+)?(?P<verb>" + STRONG_VERBS + "|" + WEAK_VERBS + r")\b")

SHORT_ACTION = re.compile(
    r"(?:^|[.:]\s+)(?:[-•·]\s*)?(?P<agent>[A-Z]{2,3}(?:\s*(?:&|and|/)\s*[A-Z]{2,3})?|(?:[Tt]he\s+)?(?:Clerk|Chair(?:man)?|Officers?|OPCC"
    r"|Scrutiny\s+Officer|Secretariat)|" + PERSON + r")\s+to\s+(?:\w+ly\s+)?(?P<verb>" + STRONG_VERBS + "|" + WEAK_VERBS + r")\b")
SUBJECTS_THAT_DO_NOT_PROMISE = re.compile(
    r"^(?:it|this|that|these|those|which|who|there|what|scheme|service|programme|funding|money|budget|plan|plans|system|policy"
    r"|strategy|fund|grant|project|unit|hub|legislation|act|bill|law|order|regulations|proposal|proposals|model|approach|review"
    r"|survey|report|board|partnership|framework|website|portal|app|campaign|initiative|pilot|charter|contract|network|tool)$",
    re.IGNORECASE)
RECIPIENT_RE = re.compile(r"\b" + RECIPIENT + r"\b")
INFO_RE = re.compile(r"\b(?:" + INFO_NOUNS + r")\b", re.IGNORECASE)

# -- look-alikes ------------------------------------------------------------------------------------
RESOLUTION = re.compile(r"\bRESOLVED\b|\bresolved\s+(?:that|to)\b|^\s*(?:\(\w{1,3}\)\s*)?That\s+(?:the\s+)?\w+", re.IGNORECASE)
QUESTION = re.compile(
    r"\b(?:asked|queried|questioned|wondered|enquired|inquired|wanted\s+to\s+know|sought\s+clarification)\s+(?:\w+\s+){0,4}?"
    r"(?:whether|if|how|what|why|when|where|who|which)\b", re.IGNORECASE)
QUESTION_NEEDS = ("asked", "queri", "question", "wondered", "nquired", "wanted", "sought")  # one of these is in every match
NEGATED = re.compile(r"\b(?:not|n't|never|no\s+longer|unable|declined|refused|cannot|could\s+not)\b", re.IGNORECASE)
HYPOTHETICAL = re.compile(r"\bprovided\s+that\b|\bin\s+exceptional\s+circumstances\b|\bif\b[^,;]*,\s*then\b", re.IGNORECASE)
HYPOTHETICAL_NEEDS = ("provided", "exceptional", "then")
STANDING_PROCEDURE = re.compile(
    r"\b(?:all\s+statements|written\s+(?:questions|replies)|questions\s+and\s+replies|replies\s+to\s+questions)\b", re.IGNORECASE)
STANDING_PROCEDURE_NEEDS = ("statements", "question", "replies")
PAST = re.compile(r"\b(?:had|has|have)\s+(?:been\s+|already\s+)?(?:agreed|undertaken|provided|circulated|sent|shared)\b", re.IGNORECASE)

SENTENCE_END = re.compile(r"(?<=[.?!;])\s+(?=[A-Z(\"'‘“•·-])")
SENTENCE_END_IN_ANSWER = re.compile(r"(?<=[.?!])\s+(?=[A-Z(\"'‘“])")


def undertakings(answer: str) -> list[str]:
    """Sentences of an answer in which the responder agreed to do something ('I will provide ...')."""
    return [s for s in _sentences(answer, SENTENCE_END_IN_ANSWER) if is_promise(s, answer=True)]


def passage_undertakings(text: str) -> list[str]:
    """Sentences of minutes prose (outside Q&A pairs) in which someone promised the panel to do something."""
    return [s for s in _sentences(text, SENTENCE_END) if is_promise(s, answer=False)]


# every rule below needs one of these words: a sentence without any is no promise (most sentences); each word begins
# with one of the letters of CANDIDATE_START, whose look-ahead turns the other places away before the alternation is tried
CANDIDATE_START = r"(?=[aoupvcwst'’])"
CANDIDATE = re.compile(
    CANDIDATE_START
    + r"(?:\b(?:agreed|undertook|undertaken|offered|promised|volunteered|pledged|committed|confirmed|would|will|shall|to\s+be)\b"
    r"|['’]ll\b|\bto\s+(?:\w+ly\s+)?(?:" + STRONG_VERBS + "|" + WEAK_VERBS + r")\b)", re.IGNORECASE)


def is_promise(sentence: str, answer: bool = False) -> bool:
    """True when the sentence holds a promise to do something, and is not one of the look-alikes."""
    if not CANDIDATE.search(sentence) or _look_alike(sentence):
        return False
    return any(rule(sentence, answer) for rule in (_agreed_to, _will_do, _would_be_done, _action_line))


def _look_alike(sentence: str) -> bool:
    """RESOLVED lines and recommendations, questions, rules of procedure, conditions and refusals."""
    low = folded(sentence)  # each pattern below runs only when a word it needs is there
    return bool(sentence.rstrip().endswith("?") or (("resolved" in low or "that" in low) and RESOLUTION.search(sentence))
                or (has_any(low, QUESTION_NEEDS) and QUESTION.search(sentence))
                or (has_any(low, HYPOTHETICAL_NEEDS) and HYPOTHETICAL.search(sentence))
                or (has_any(low, STANDING_PROCEDURE_NEEDS) and STANDING_PROCEDURE.search(sentence)))


def _agreed_to(sentence: str, answer: bool) -> bool:
    """'The Commissioner agreed to provide ...', 'undertook to report back', 'offered to speak to ...';
    not a decision of the meeting ('it was agreed to adopt ...') nor one reported of others ('agreed to fund')."""
    if not has_any(folded(sentence), AGREED_NEEDS):
        return False  # the pattern is tried at every word; most sentences hold none of its verbs
    for found in AGREED_TO.finditer(sentence):
        before = sentence[:found.start()]
        if re.search(r"\b(?:it|which|that)\s+(?:was|were|had\s+been|has\s+been)\s*$", before, re.IGNORECASE) or NEGATED.search(
                sentence[max(0, found.start() - 12):found.end()]):
            continue
        if _verb_promises(found.group("verb"), sentence[found.end():]):
            return True
    return False


def _will_do(sentence: str, answer: bool) -> bool:
    """'He would report back', 'Officers would provide that information to the Councillors', 'I will write to ...'
    with a person or a role as subject (not 'the scheme would provide', 'which will provide')."""
    if not has_any(sentence, MODALS):
        return False  # the pattern is slow (any word may be the subject) and needs a modal verb
    for found in WILL_DO.finditer(sentence):
        agent = found.group("agent")
        head = agent.split()[-1]
        if SUBJECTS_THAT_DO_NOT_PROMISE.match(head) or NEGATED.search(found.group(0)[len(agent):]):
            continue
        if re.fullmatch(r"[Tt]hey|[Ww]e|I", agent) and not (answer or RECIPIENT_RE.search(sentence[found.end():])):
            continue  # a report's 'we will provide ...' is a plan; an answer's is a promise
        if _is_name(agent) and not _name_can_promise(sentence, found):
            continue
        if _verb_promises(found.group("verb"), sentence[found.end():]):
            return True
    return False


def _would_be_done(sentence: str, answer: bool) -> bool:
    """'... would be circulated to Panel Members', 'a written response would be provided', 'Copy of X to be
    circulated to the Panel': something to hand over, or someone to hand it to."""
    if PAST.search(sentence):
        return False
    low = folded(sentence)
    if not ("be" in low and has_any(low, PP_WORDS)):
        return _comes_to_a_meeting(sentence, low)  # no passive here: the pattern needs 'be' and a participle
    for found in WOULD_BE_DONE.finditer(sentence):
        before = sentence[:found.start("subject")]
        if NEGATED.search(sentence[max(0, found.start() - 40):found.end()]) or SUBJECTS_THAT_DO_NOT_PROMISE.match(found.group("subject")):
            continue
        if " to be" in found.group(0) and not _action_note(before):
            continue  # 'happy for the Report to be circulated', 'would need to be distributed'
        rest = sentence[found.end():]
        verb = found.group("verb").lower()
        if "back" in verb or RECIPIENT_RE.match(rest.strip()) or RECIPIENT_RE.search(rest[:80]):
            return True
        subject = sentence[max(0, found.start() - 60):found.end()]
        if INFO_RE.search(subject) and verb.split()[0] in ("circulated", "provided", "shared", "sent", "forwarded", "e-mailed",
                                                          "emailed", "distributed", "supplied", "made"):
            return True
    return _comes_to_a_meeting(sentence, low)


COMES_TO_MEETING = re.compile(
    r"\b(?:" + INFO_NOUNS + r")\b[^.;]{0,80}?\b(?:would|will)\s+(?:be\s+)?(?:come|go|return|brought|presented|given|submitted|taken|made)"
    r"(?:\s+back)?\s+(?:to|at|before)\s+(?:a|the|its)\s+(?:next|future|subsequent|following|forthcoming)\s+(?:\w+\s+)?(?:meeting|Panel|Committee)",
    re.IGNORECASE)


def _comes_to_a_meeting(sentence: str, low: str) -> bool:
    """'A report on victim satisfaction would come to the next meeting', '... an update would be given at a future meeting'
    (`low`: the sentence folded, for the words the pattern needs)."""
    if not (("would" in low or "will" in low) and has_any(low, ("meeting", "panel", "committee"))):
        return False
    found = COMES_TO_MEETING.search(sentence)
    return found is not None and not NEGATED.search(found.group(0))


def _action_note(before: str) -> bool:
    """'Copy of the Terms of Reference to be circulated ...': an action noted in a few words, no verb before it."""
    before = re.sub(r"^\s*(?:Action(?:\s*(?:point\s*)?\d+)?|ACTION)\s*[:.-]\s*", "", before)
    return len(before.split()) <= 12 and not re.search(
        r"[,(]|\b(?:for|need|needs|needed|want|wanted|time|order|is|are|was|were|has|have|had|would|will)\b", before, re.IGNORECASE)


def _action_line(sentence: str, answer: bool) -> bool:
    """'Action 11: Iain Bell to examine ... and report back at the next meeting', 'MC to investigate ...'."""
    found = ACTION_LINE.match(sentence.strip())
    if found and _verb_promises(found.group("verb"), sentence[found.end():]):
        return True
    # 'MC to investigate if it might be possible.', 'Clerk to write to the council': an action in a few words
    return any(_verb_promises(f.group("verb"), sentence[f.end():]) for f in SHORT_ACTION.finditer(sentence))


def _verb_promises(verb: str, rest: str) -> bool:
    """A strong verb promises by itself; a weak one ('provide') needs something to hand over or someone to
    hand it to ('provide a breakdown', 'provide ... to the Panel')."""
    verb = " ".join(verb.lower().split())
    if re.fullmatch(STRONG_VERBS + r"|obtain|get|find|look|raise", verb, re.IGNORECASE):
        return True
    window = rest[:120]
    return bool(INFO_RE.search(window) or RECIPIENT_RE.search(window))


def _is_name(agent: str) -> bool:
    return bool(re.fullmatch(NAME, agent)) and agent not in ("He", "She", "They", "We") and not re.fullmatch(ROLES, agent, re.IGNORECASE)


def _name_can_promise(sentence: str, found: re.Match) -> bool:
    """A bare capitalised word is a person's name only inside the sentence ('..., which Gareth will share') or
    as a two-word name ('Arwel Davies would arrange'); 'Information will ...' or 'Members would ...' at the start
    is not someone promising."""
    agent = found.group("agent")
    if agent.split()[0].lower() in ("members", "member", "information", "details", "residents", "partners", "funding",
                                    "sentencing", "court", "data", "plans", "local"):
        return False
    if re.search(r"\b(?:the|a|an|this|that|its|our|their|of|in|at|to|from|for|by|with)\s+$", sentence[:found.start("agent")],
                 re.IGNORECASE):
        return False  # 'the Authority would ...', 'the West of England will ...': a body or a place, not a person
    return found.start("agent") > 0 or len(agent.split()) >= 2


def _sentences(text: str, splitter: re.Pattern) -> list[str]:
    """The sentences of a text: a line broken in the middle of a sentence is joined to the next first."""
    sentences = []
    for para in _paragraphs(text):
        for sentence in splitter.split(para):
            sentence = sentence.strip(" -")
            if sentence:
                sentences.append(sentence)
    return sentences


def _paragraphs(text: str) -> list[str]:
    paras: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        if paras and not re.search(r"[.?!:;\]]$", paras[-1]) and re.match(r"[a-z(]", line):
            paras[-1] += " " + line
        else:
            paras.append(line)
    return paras


# -- what a promise says of itself ----------------------------------------------------------------
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
DUE = re.compile(
    r"\b(?:(?:at|to|for|before|by|prior\s+to|in\s+time\s+for|ahead\s+of)\s+(?:the|its|their|a)?\s*(?:next|following|future|forthcoming|"
    + MONTH + r"(?:\s+\d{4})?)\s+(?:\w+\s+){0,3}?(?:meeting|Panel|Committee|session)"
    r"|(?:at|to|before|by|prior\s+to)\s+next\s+\w+\s+meeting"
    r"|in\s+(?:a|one|two|three|four|six|twelve|\d+)\s+(?:year|month|week)(?:['’]s|s['’]?)?\s+time"
    r"|within\s+(?:the\s+next\s+)?(?:a|one|two|three|four|six|\d+)\s+(?:days|weeks|months|working\s+days)"
    r"|(?:on\s+)?" + WEEKDAY + r",?\s+\d{1,2}(?:st|nd|rd|th)?\s+" + MONTH + r"(?:\s+\d{4})?"
    r"|(?:by|before|in|during|from|until|on)\s+(?:the\s+end\s+of\s+|early\s+|mid[- ]|late\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+)?" + MONTH + r"(?:\s+\d{4})?"
    r"|on\s+" + WEEKDAY + r"|after\s+(?:Easter|Christmas|the\s+summer|the\s+election)|in\s+the\s+(?:New\s+Year|spring|summer|autumn|winter)"
    r"|(?:every|each)\s+(?:quarter|month|year|meeting)|quarterly|(?:by|before)\s+the\s+end\s+of\s+(?:the\s+)?(?:year|month|financial\s+year)"
    r"|prior\s+to\s+next\s+\w+\s+meeting|after\s+the\s+\w+\s+(?:closed|closes|ends|is\s+complete[d]?))\b")


def due(sentence: str) -> str | None:
    """The deadline a promise states, as written ('at the next meeting', 'in a year's time'), or None."""
    found = DUE.search(sentence)
    return " ".join(found.group(0).split()) if found else None


def promiser(sentence: str) -> str | None:
    """Who made the promise, as the sentence names them ('the Commissioner', 'Cllr Richards', 'Officers'),
    or None for a pronoun or a passive ('... would be circulated')."""
    for pattern in (WILL_DO, ACTION_LINE, SHORT_ACTION, AGREED_TO):
        for found in pattern.finditer(sentence):
            if "agent" in pattern.groupindex:
                agent = found.group("agent")
            else:
                before = sentence[:found.start()].rstrip()
                agents = [m.group("agent") for m in re.finditer(AGENT, before) if m.group("agent") not in OPENERS]
                agent = agents[-1] if agents else None
            if agent and not re.fullmatch(r"[Hh]e|[Ss]he|[Tt]hey|I|[Ww]e|[Ii]t", agent):
                agent = " ".join(agent.split())
                return "the " + agent if re.fullmatch(ROLES, agent) and agent[0].isupper() and agent != "Officers" else \
                    re.sub(r"^[Tt]he\s+", "the ", agent)
    return None


OPENERS = {"On", "In", "At", "As", "If", "Once", "When", "While", "Whilst", "However", "Following", "After", "Before", "Under",
           "Action", "Members", "Information", "Details", "This", "That", "There", "It"}


def promised_object(sentence: str) -> str:
    """What was promised, as the sentence words it: the words after the promise's verb ('a report on victim
    satisfaction at the next meeting'), or before a passive ('the updated protocol would be circulated')."""
    for pattern in (AGREED_TO, WILL_DO, ACTION_LINE, SHORT_ACTION):
        found = pattern.search(sentence)
        if found:
            return sentence[found.end():]
    found = WOULD_BE_DONE.search(sentence)
    if found:
        before = re.split(r"[,;:]|\b(?:that|and|which)\b", sentence[:found.start("subject")])[-1]
        return before + found.group("subject") + " " + sentence[found.end():]
    return sentence
