"""What the two front ends (CLI and TUI) share in showing text."""

from __future__ import annotations


def short(text: str | None, size: int, at_word: bool = True) -> str:
    """`text` on one line, cut to `size` characters with '…' (at a word's end unless `at_word` is false)."""
    text = " ".join((text or "").split())
    if len(text) <= size:
        return text
    cut = text[: size - 1]
    return (cut.rsplit(" ", 1)[0] if at_word else cut) + "…"
