"""Score the undertaking (promise) detector against the hand-made gold list in tests/data/undertakings_gold.json.

Each gold document (a real paper in ../shared/real-papers/, override with PCP_REAL_PAPERS, or a seed paper in
tests/data/seed) is read, parsed and cut into records as `index` does, and its promises are listed as
`pcp-search undertakings` lists them. A gold promise is found when a listed promise of its document holds
its text; a look-alike is a false alarm when one does.

    python scripts/eval_undertakings.py             # precision, recall, false alarms
    python scripts/eval_undertakings.py --details   # also each miss and each false alarm, and what else was listed
    python scripts/eval_undertakings.py --json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "data" / "undertakings_gold.json"
SEEDS = REPO / "tests" / "data" / "seed"


def real_papers() -> Path:
    return Path(os.environ.get("PCP_REAL_PAPERS") or REPO.parent / "shared" / "real-papers")


def norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower().replace("’", "'")).strip()


def listed(document: str) -> list:
    """The promises `undertakings` lists for one paper (without follow-up, which needs an index)."""
    sys.path.insert(0, str(REPO))
    from pcp_search.chunk import build_records
    from pcp_search.ingest import read_document
    from pcp_search.parse import parse_document
    from pcp_search.promises import from_records

    path = SEEDS / document if (SEEDS / document).exists() else real_papers() / document
    doc = read_document(path)
    records = build_records(doc, parse_document(doc))
    return from_records(r.to_json() for r in records)


def score(gold: dict | None = None) -> dict:
    gold = gold or json.loads(GOLD.read_text(encoding="utf-8"))
    documents = sorted({e["document"] for e in gold["promises"] + gold["look_alikes"]})
    found = {d: listed(d) for d in documents}

    def hit(entry):
        return next((u for u in found[entry["document"]] if norm(entry["text"]) in norm(u.text)), None)

    promises = [(e, hit(e)) for e in gold["promises"]]
    alarms = [(e, hit(e)) for e in gold["look_alikes"]]
    tp = sum(1 for _e, u in promises if u)
    fp = sum(1 for _e, u in alarms if u)
    labelled = {norm(e["text"]) for e in gold["promises"] + gold["look_alikes"]}
    others = [(d, u.text) for d in documents for u in found[d] if not any(t in norm(u.text) for t in labelled)]
    dues = [(e, u) for e, u in promises if u and e.get("due")]
    return {
        "promises": len(promises), "found": tp, "recall": tp / len(promises),
        "look_alikes": len(alarms), "false_alarms": fp, "precision": tp / max(1, tp + fp),
        "undated": sum(1 for d in documents for u in found[d] if not u.date),
        "due_right": sum(1 for e, u in dues if u.due and norm(e["due"]) in norm(u.due)), "due_stated": len(dues),
        "missed": [e for e, u in promises if not u], "alarms": [e for e, u in alarms if u], "unlabelled": others,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = score()
    if args.json:
        print(json.dumps(result, indent=1, ensure_ascii=False))
        return 0
    print(f"recall    {result['found']}/{result['promises']} = {result['recall']:.0%} of gold promises listed")
    print(f"precision {result['found']}/{result['found'] + result['false_alarms']} = {result['precision']:.0%} "
          f"({result['false_alarms']} of {result['look_alikes']} look-alikes listed)")
    print(f"due       {result['due_right']}/{result['due_stated']} stated deadlines read; {result['undated']} listed undated; "
          f"{len(result['unlabelled'])} listed outside the gold")
    if args.details:
        for entry in result["missed"]:
            print(f"  missed  {entry['document']}: {entry['text']}")
        for entry in result["alarms"]:
            print(f"  alarm   {entry['document']}: {entry['text']} ({entry['why']})")
        for document, text in result["unlabelled"]:
            print(f"  other   {document}: {text[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
