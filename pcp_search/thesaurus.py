"""Members' words to the papers' words: a small domain thesaurus used by query expansion.

Each entry maps what a member might type (one to three words, lower case) to the terms the papers
use. It is kept small on purpose: an entry stays only when the labelled real-paper queries show it
helps (`make eval`), since every alternative also adds matches that are not wanted.
"""

from __future__ import annotations

TERMS: dict[str, list[str]] = {
    # police, in members' slang
    "bobbies": ["officers", "police"],
    "bobby": ["officer", "police"],
    "coppers": ["officers", "police"],
    "copper": ["officer", "police"],
    "cops": ["officers", "police"],
    "cop shop": ["front counter", "police station"],
    "cop shops": ["front counters", "police stations"],
    "on the beat": ["neighbourhood policing", "community policing"],
    # calls
    "999": ["emergency"],
    "999 calls": ["emergency calls", "999"],
    "call handlers": ["contact management", "call handling"],
    # money
    "council tax": ["precept"],
    "precept": ["council tax"],
    # places and powers
    "cameras": ["cctv"],
    "camera": ["cctv"],
    "travellers": ["encampments", "encampment"],
    "traveller": ["encampments", "encampment"],
    "gypsies": ["travellers", "encampments"],
    "camping": ["encampments", "encampment"],
    # crimes and safeguarding
    "sexually exploited": ["cse", "sexual exploitation"],
    "sexual exploitation": ["cse"],
    "grooming": ["cse", "sexual exploitation"],
    "anti-social behaviour": ["asb"],
    "antisocial behaviour": ["asb", "anti-social behaviour"],
    "background checks": ["vetting"],
    "backgrounds": ["vetting"],
    "checked again": ["vetting", "rechecking"],
    "racist": ["racism"],
    "speeding": ["speed"],
    "mown": ["grass cutting"],
    "mowing": ["grass cutting"],
    "tram": ["mass transit"],
    "light rail": ["mass transit"],
    "electric cars": ["ev"],
    "learning disabilities": ["learning difficulties"],
    "pcsos": ["community support officers"],
    "pcso": ["community support officer"],
}


def alternatives(phrase: str) -> list[str]:
    """The papers' terms for a member's phrase, or []."""
    return TERMS.get(" ".join(phrase.lower().split()), [])
