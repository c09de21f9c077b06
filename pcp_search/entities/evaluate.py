"""Precision and recall of the tagger against a hand-labelled sample (tests/data/entities_sample.jsonl)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

LABELS = ("FORCE", "COUNCIL", "PROGRAMME", "PERSON")


def load_sample(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row for row in rows if "text" in row]


def evaluate(tagger, sample: list[dict], home_force: str | None = None) -> dict[str, dict]:
    """Per label: true positives, false positives, false negatives, precision, recall, and the errors."""
    counts: dict[str, Counter[str]] = {label: Counter() for label in LABELS}
    errors: dict[str, list] = {label: [] for label in LABELS}
    for row in sample:
        gold = Counter((label, eid) for label, eid in row["gold"] if label in LABELS)
        predicted = Counter((e.label, e.id) for e in tagger.tag(row["text"], home_force=home_force) if e.label in LABELS)
        for key in gold | predicted:
            label = key[0]
            hit = min(gold[key], predicted[key])
            counts[label]["tp"] += hit
            counts[label]["fp"] += predicted[key] - hit
            counts[label]["fn"] += gold[key] - hit
            if predicted[key] != gold[key]:
                errors[label].append((key[1], gold[key], predicted[key], row["text"][:60]))
    report = {}
    for label, c in counts.items():
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        report[label] = {"tp": c["tp"], "fp": c["fp"], "fn": c["fn"], "precision": precision, "recall": recall, "errors": errors[label]}
    return report
