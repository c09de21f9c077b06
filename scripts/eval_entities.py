"""Print the tagger's precision and recall per label on the hand-labelled sample.

    python scripts/eval_entities.py [--errors]
"""

import sys
from pathlib import Path

from pcp_search.entities.evaluate import evaluate, load_sample
from pcp_search.entities.tagger import Tagger

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    tagger = Tagger()
    for paper in sorted((ROOT / "tests" / "data" / "seed").glob("*.txt")):
        tagger.learn(paper.read_text(encoding="utf-8"))
    report = evaluate(tagger, load_sample(ROOT / "tests" / "data" / "entities_sample.jsonl"), home_force="force:thames-valley")
    print(f"{'label':<10} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>8}")
    for label, r in report.items():
        print(f"{label:<10} {r['tp']:>4} {r['fp']:>4} {r['fn']:>4} {r['precision']:>10.3f} {r['recall']:>8.3f}")
        if "--errors" in sys.argv:
            for error in r["errors"]:
                print("    ", error)


if __name__ == "__main__":
    main()
