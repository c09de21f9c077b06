"""OCR for pages that are only an image: RapidOCR on ONNX Runtime, whose models ship in its wheel.

Imported only when a PDF has an image-only page, so searching never loads it."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

POUND = re.compile(r"(?<![A-Za-z])f(?=\d)")  # the recogniser reads "£80K" as "f80K"


@lru_cache(maxsize=1)
def _engine():
    try:
        from rapidocr_onnxruntime import RapidOCR
    except Exception:  # not installed, or its native libraries fail to load
        return None
    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    return RapidOCR()


def available() -> bool:
    """True when the OCR engine imports and loads its bundled models."""
    return _engine() is not None


def image_lines(image) -> list[str]:
    """The text lines of a page image (PIL), top to bottom, boxes on one line joined left to right."""
    import numpy as np

    result, _ = _engine()(np.asarray(image.convert("RGB")))
    boxes = [(_bounds(box), text) for box, text, _score in result or [] if text.strip()]
    return [respace(POUND.sub("£", line)) for line in group_lines(boxes)]


CASE_JOIN = re.compile(r"(?<=[a-z]{3})(?=[A-Z])")
RUN_ON = re.compile(r"[A-Za-z]{6,}")
COMMON_WORD_COST = 12.5  # a split is kept only when every piece is a common word ('soul dern' is not)


def respace(line: str) -> str:
    """Put back the spaces the recogniser drops in dense text ('Toreceivetheminutes' -> 'To receive the
    minutes'): a word is cut where a capital follows a small letter, then a long run of letters is
    split into the most likely English words (a dictionary word stays whole; short names are left)."""
    try:
        import wordninja
    except ImportError:  # the splitter is optional: spacing stays as recognised
        return line

    costs = wordninja.DEFAULT_LANGUAGE_MODEL._wordcost  # the word list shipped with the package

    def common(piece: str) -> bool:  # a short word must be common ('dern' is not); a long one only known
        cost = costs.get(piece.lower(), 99.0)
        return cost <= COMMON_WORD_COST or (len(piece) >= 6 and cost < 99.0)

    def split(found: re.Match) -> str:
        parts: list[str] = []
        if found.group().isupper():
            return found.group()  # capitals are spaced widely: a run of them is one word ('VIDEOCONFERENCE')
        for chunk in CASE_JOIN.split(found.group()):
            pieces = wordninja.split(chunk) if len(chunk) >= 9 and not common(chunk) else [chunk]
            parts.extend(pieces if len(pieces) > 1 and all(map(common, pieces)) else [chunk])
        return " ".join(parts)

    return RUN_ON.sub(split, line)


def _bounds(box) -> tuple[float, float, float]:
    """(top, bottom, left) of a four-point box."""
    ys = [point[1] for point in box]
    return min(ys), max(ys), min(point[0] for point in box)


def group_lines(boxes: list[tuple[tuple[float, float, float], str]]) -> list[str]:
    """Reading order: boxes sorted by top edge; a box whose vertical middle falls inside the current
    line's span joins that line; each line's boxes are sorted by x and joined with spaces."""
    lines: list[list] = []  # [top, bottom, [(left, text)]]
    for (top, bottom, left), text in sorted(boxes, key=lambda b: (b[0][0], b[0][2])):
        middle = (top + bottom) / 2
        if lines and lines[-1][0] <= middle <= lines[-1][1]:
            lines[-1][2].append((left, text))
        else:
            lines.append([top, bottom, [(left, text)]])
    return [" ".join(text.strip() for _, text in sorted(parts)) for _, _, parts in lines]
