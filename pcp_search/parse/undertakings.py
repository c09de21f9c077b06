"""Undertakings: the sentences of an answer in which the responder promised to do something."""

from __future__ import annotations

import re

UNDERTAKING = re.compile(
    r"\b(?:agreed to|undertook to|would report back|will report back|report back|would check|will check|would circulate|will circulate"
    r"|would provide|will provide|would write|will write|would come back|would send|will send|would update|will update"
    r"|would look into|will look into|would share|will share|would arrange|will arrange|would follow up|will follow up"
    r"|would be circulated|would be provided|written response would be provided|would ask|would raise|would investigate)\b",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z(\"'‘“])")


def undertakings(answer: str) -> list[str]:
    """Sentences of an answer in which the responder agreed to do something."""
    sentences = []
    for para in answer.split("\n"):
        for sentence in SENTENCE_END.split(para):
            sentence = sentence.strip(" -")
            if sentence and UNDERTAKING.search(sentence):
                sentences.append(sentence)
    return sentences
