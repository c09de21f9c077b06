"""Comparison keys of text: its lower-cased ASCII letters and digits, nothing else."""

from __future__ import annotations

import string

_NOT_ALNUM = bytes(b for b in range(128) if chr(b) not in string.ascii_lowercase + string.digits)


def alnum_key(text: str) -> str:
    """What `re.sub(r"[^a-z0-9]+", "", text.lower())` keeps, several times faster: the lower-cased text
    with non-ASCII characters dropped by the encoder and the other ASCII characters deleted in one pass."""
    return text.lower().encode("ascii", "ignore").translate(None, _NOT_ALNUM).decode("ascii")


# the characters a case-insensitive pattern matches to an ASCII letter although they are none:
# dotted and dotless I, the long s and the Kelvin sign
_ODD_CASES = (("\u0130", "i"), ("\u0131", "i"), ("\u017f", "s"), ("\u212a", "k"))


def folded(text: str) -> str:
    """The text lower-cased as an IGNORECASE pattern reads it: every character such a pattern matches to an
    ASCII letter is that letter, so `word in folded(text)` is a safe first test before the pattern itself."""
    if not text.isascii():
        for odd, letter in _ODD_CASES:
            text = text.replace(odd, letter)
    return text.lower()


def has_any(text: str, words: tuple[str, ...]) -> bool:
    """True when one of the words occurs in the text (a plain substring test, far cheaper than a pattern)."""
    for word in words:  # a plain loop: twice as fast as any() over a generator
        if word in text:
            return True
    return False


def squeezed(text: str) -> str:
    """`" ".join(text.split())`: the text with its runs of white space made one space and none at its ends; a text that
    is so already (most lines) is given back as it is, told by tests made in C: every white-space character but the
    space is unprintable, so a printable text without a double space or a space at either end is one."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())
