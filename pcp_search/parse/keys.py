"""Comparison keys of text: its lower-cased ASCII letters and digits, nothing else."""

from __future__ import annotations

import string

_NOT_ALNUM = bytes(b for b in range(128) if chr(b) not in string.ascii_lowercase + string.digits)


def alnum_key(text: str) -> str:
    """What `re.sub(r"[^a-z0-9]+", "", text.lower())` keeps, several times faster: the lower-cased text
    with non-ASCII characters dropped by the encoder and the other ASCII characters deleted in one pass."""
    return text.lower().encode("ascii", "ignore").translate(None, _NOT_ALNUM).decode("ascii")
