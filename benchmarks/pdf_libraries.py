"""Compare PDF text libraries on the real papers: speed (MB/s) and how often words are glued or split.

Usage: python benchmarks/pdf_libraries.py [FOLDER]   (default: ../shared/real-papers beside the repo)

A word is *glued* when a token is not in the vocabulary but splits into two vocabulary words
("spentto" -> "spent" + "to"); a word is *split* when two neighbouring tokens are not both words
but join into one ("Richard" + "s", "2" + "724", "29" + "th"). The vocabulary is every token of the
seed corpus plus every token that two libraries agree on, so a library's own mistakes cannot
vouch for themselves.
"""

from __future__ import annotations

import io
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOKEN = re.compile(r"[A-Za-z]+|\d+")


def with_pypdf(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def with_pypdfium2(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return [doc[i].get_textpage().get_text_bounded() for i in range(len(doc))]
    finally:
        doc.close()


def with_pdfminer(data: bytes) -> list[str]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer

    pages = []
    for layout in extract_pages(io.BytesIO(data)):
        pages.append("".join(el.get_text() for el in layout if isinstance(el, LTTextContainer)))
    return pages


LIBRARIES = {"pypdf": with_pypdf, "pypdfium2": with_pypdfium2, "pdfminer.six": with_pdfminer}


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def vocabulary(outputs: dict[str, dict[str, str]]) -> set[str]:
    words = set()
    for path in (ROOT.parent / "shared" / "corpus").rglob("*"):
        if path.is_file() and path.suffix in (".txt", ".md"):
            words.update(t.lower() for t in tokens(path.read_text(errors="replace")))
    per_library = Counter()
    for docs in outputs.values():
        per_library.update(set(t.lower() for text in docs.values() for t in tokens(text)))
    words |= {word for word, count in per_library.items() if count >= 2}
    return words


def is_word(token: str, vocab: set[str]) -> bool:
    token = token.lower()
    if len(token) == 1:
        return token in "ai" or token.isdigit()
    return token in vocab


SHORT = set("a i an as at be by do go he if in is it me my no of on or so to up us we".split())


def part_word(part: str, vocab: set[str]) -> bool:
    return part in SHORT or (len(part) >= 3 and part in vocab)


def glued(text: str, vocab: set[str]) -> Counter:
    found = Counter()
    for token in tokens(text):
        if token.isdigit() or len(token) < 5 or is_word(token, vocab):
            continue
        low = token.lower()
        for cut in range(2, len(low) - 1):
            if part_word(low[:cut], vocab) and part_word(low[cut:], vocab):
                found[token] += 1
                break
    return found


def split(text: str, vocab: set[str]) -> Counter:
    found = Counter()
    matches = list(re.finditer(r"[A-Za-z]+|\d+", text))
    for left, right in zip(matches, matches[1:]):
        gap = text[left.end():right.start()]
        if gap.strip() or not gap:
            continue  # only tokens separated by white space alone
        a, b = left.group(), right.group()
        if a.isdigit() != b.isdigit() and not (a.isdigit() and b.lower() in ("st", "nd", "rd", "th")):
            continue
        if a.islower() and b[0].isupper():
            continue  # "the Mayor" is not "theM"
        if a.isdigit() and b.isdigit() and (len(a + b) < 4 or "\n" not in gap):
            continue  # list numbers in a column ("1 2 3"), not a number broken in two
        joined = (a + b).lower()
        if joined in vocab and not (is_word(a, vocab) and is_word(b, vocab)):
            found[f"{a}|{b}"] += 1
    return found


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    folder = Path(args[0]) if args else ROOT.parent / "shared" / "real-papers"
    files = sorted(folder.glob("*.pdf"))
    blobs = {f.name: f.read_bytes() for f in files}
    total = sum(len(b) for b in blobs.values())
    outputs: dict[str, dict[str, str]] = {}
    seconds: dict[str, float] = {}
    for name, extract in LIBRARIES.items():
        extract(blobs[files[0].name])  # import and warm up outside the clock
        start = time.perf_counter()
        outputs[name] = {f: "\n\f".join(extract(data)) for f, data in blobs.items()}
        seconds[name] = time.perf_counter() - start
    vocab = vocabulary(outputs)
    print(f"{len(files)} PDFs, {total / 1e6:.2f} MB, vocabulary {len(vocab)} words\n")
    print("| library | MB/s | seconds | glued words | split words | examples |")
    print("|---|---|---|---|---|---|")
    for name in LIBRARIES:
        g, s = Counter(), Counter()
        for text in outputs[name].values():
            g += glued(text, vocab)
            s += split(text, vocab)
        examples = ", ".join(k for k, _ in (g.most_common(3) + s.most_common(3)))
        print(f"| {name} | {total / 1e6 / seconds[name]:.2f} | {seconds[name]:.2f} | {sum(g.values())} "
              f"| {sum(s.values())} | {examples} |")
    if "-v" in sys.argv:
        for name in LIBRARIES:
            for f, text in outputs[name].items():
                print(name, f, glued(text, vocab).most_common(8), split(text, vocab).most_common(8))


if __name__ == "__main__":
    main()
