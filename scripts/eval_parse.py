"""Score the parser against hand-made gold annotations of the real committee papers.

Each file in tests/data/real_gold/ describes one document in ../shared/real-papers/ (beside the repository; override
with PCP_REAL_PAPERS): its kind, meeting date, words its title must contain, its numbered items, its question ->
answer exchanges, strings that must not become questions, page furniture and, for scans, phrases OCR must recover.
The gold was written by reading the documents, not from parser output.

    python scripts/eval_parse.py                 # one line per document, then totals
    python scripts/eval_parse.py --details       # also each miss: what was expected, what was parsed
    python scripts/eval_parse.py --json          # the figures as JSON
    python scripts/eval_parse.py --doc tintern   # only documents whose file name contains this
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLD_DIR = REPO / "tests" / "data" / "real_gold"
GOLD_KEYS = {
    "document": str,
    "kind": str,
    "kind_also_ok": list,
    "date": str,
    "title_must_contain": list,
    "items": list,
    "item_count_min": (int, type(None)),
    "pairs": list,
    "pair_count": (int, type(None)),
    "no_qa": bool,
    "must_not_be_pairs": list,
    "furniture": list,
    "ocr_phrases": list,
    "notes": str,
}
KINDS = {"minutes", "agenda", "report", "qa_pack", "pack", "notes"}
THRESHOLD = 0.9

_CHAR_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u00ad": None,
        "\u200b": None,
    }
)


def papers_dir() -> Path:
    """Where the real papers live: $PCP_REAL_PAPERS, else shared/real-papers beside the repository."""
    env = os.environ.get("PCP_REAL_PAPERS")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared" / "real-papers"


def norm(text: str | None) -> str:
    """Case-folded text with quotes, apostrophes and dashes unified, soft hyphens removed, whitespace collapsed."""
    if not text:
        return ""
    return re.sub(r"\s+", " ", text.translate(_CHAR_MAP)).strip().lower()


def norm_number(number: str | None) -> str:
    return re.sub(r"\s+", " ", (number or "").strip()).rstrip(".").strip().lower()


def load_gold(gold_dir: Path = GOLD_DIR) -> list[dict]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(gold_dir.glob("*.json"))]


def _short(text: str | None, width: int = 90) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def _match_items(gold: dict, sections: list) -> tuple[int, list[str]]:
    """Count gold items found (one parsed section per gold item); return the misses for --details."""
    used: set[int] = set()
    found, misses = 0, []
    for item in gold["items"]:
        number, start = norm_number(item["number"]), norm(item["title_starts"])
        hit = next(
            (
                i
                for i, s in enumerate(sections)
                if i not in used and norm_number(s.number) == number and norm(s.title).startswith(start)
            ),
            None,
        )
        if hit is None:
            same_number = [s for s in sections if norm_number(s.number) == number]
            seen = (
                f"parsed '{same_number[0].number} {_short(same_number[0].title, 50)}'"
                if same_number
                else "no section with that number"
            )
            misses.append(f"item {item['number']} '{item['title_starts']}': {seen}")
        else:
            used.add(hit)
            found += 1
    return found, misses


def _match_pairs(gold: dict, qa: list) -> tuple[int, int, set[int], list[str]]:
    """Match gold pairs to parsed pairs one to one; return (found, askers right, parsed indexes used, misses)."""
    used: set[int] = set()
    found = askers = 0
    misses = []
    parsed = [(norm(p.question), norm(p.answer), norm(p.asked_by)) for p in qa]
    for g in gold["pairs"]:
        gq, ga, who = norm(g["question_contains"]), norm(g["answer_contains"]), norm(g["asked_by"])
        candidates = []
        for i, (q, a, asker) in enumerate(parsed):
            if i in used or (ga and ga not in a):
                continue
            if gq in q:
                candidates.append((0 if who in asker else 1, 0, i))
            elif gq in f"{q} {a}":
                candidates.append((0 if who in asker else 1, 1, i))
        if not candidates:
            near = [p for p, (q, _a, _w) in zip(qa, parsed, strict=True) if gq in q or gq in norm(f"{p.question} {p.answer}")]
            seen = (
                f"question found but answer was '{_short(near[0].answer, 60)}'" if near else "no parsed pair holds the question"
            )
            misses.append(
                f"pair p.{g['page']} Q '{_short(g['question_contains'], 60)}' / A '{_short(g['answer_contains'], 50)}': {seen}"
            )
            continue
        right, _, index = min(candidates)
        used.add(index)
        found += 1
        if right == 0:
            askers += 1
        else:
            misses.append(
                f"asker for '{_short(g['question_contains'], 50)}': expected '{g['asked_by']}', parsed '{qa[index].asked_by}'"
            )
    return found, askers, used, misses


def _empty_row(gold: dict, error: str | None = None) -> dict:
    return {
        "document": gold["document"],
        "gold_pairs": len(gold["pairs"]),
        "gold_items": len(gold["items"]),
        "kind_ok": False,
        "date_ok": False,
        "title_ok": False,
        "items_found": 0,
        "sections": 0,
        "pairs_found": 0,
        "askers_right": 0,
        "parsed_pairs": 0,
        "false_pairs": 0,
        "must_not_hits": 0,
        "furniture_hits": 0,
        "ocr_ok": True,
        "right": False,
        "error": error,
        "misses": [],
    }


def evaluate_document(gold: dict, path: Path) -> dict:
    """Parse one real document and score it against its gold annotation."""
    from pcp_search.ingest import IngestError, read_document
    from pcp_search.parse import parse_document

    result = _empty_row(gold)
    try:
        doc = read_document(path)
    except IngestError as exc:
        result["error"] = f"ingest: {exc}"
        return result
    except Exception as exc:  # noqa: BLE001 - a reader crash is a wrong document, not a crashed evaluation
        result["error"] = f"ingest crashed: {type(exc).__name__}: {_short(str(exc), 120)}"
        return result
    try:
        parsed = parse_document(doc)
    except Exception as exc:  # noqa: BLE001
        result["error"] = f"parse crashed: {type(exc).__name__}: {_short(str(exc), 120)}"
        return result

    misses = result["misses"]
    kinds = [gold["kind"], *gold["kind_also_ok"]]
    result["kind_ok"] = parsed.kind in kinds
    if not result["kind_ok"]:
        misses.append(f"kind: expected {'/'.join(kinds)}, parsed {parsed.kind!r}")
    parsed_date = str(parsed.date)[:10] if parsed.date else None
    result["date_ok"] = parsed_date == gold["date"]
    if not result["date_ok"]:
        misses.append(f"date: expected {gold['date']}, parsed {parsed_date}")
    title = norm(parsed.title)
    result["title_ok"] = all(norm(t) in title for t in gold["title_must_contain"])
    if not result["title_ok"]:
        misses.append(f"title: expected to contain {gold['title_must_contain']}, parsed '{_short(parsed.title, 80)}'")

    sections = list(parsed.sections)
    result["sections"] = len(sections)
    result["items_found"], item_misses = _match_items(gold, sections)
    misses.extend(item_misses)
    if gold["items"]:
        items_ok = result["items_found"] >= THRESHOLD * len(gold["items"])
    elif gold["item_count_min"]:
        items_ok = len(sections) >= gold["item_count_min"]
        if not items_ok:
            misses.append(f"sections: expected at least {gold['item_count_min']}, parsed {len(sections)}")
    else:
        items_ok = True

    qa = list(parsed.qa)
    result["parsed_pairs"] = len(qa)
    found, askers, used, pair_misses = _match_pairs(gold, qa)
    result["pairs_found"], result["askers_right"] = found, askers
    misses.extend(pair_misses)
    if gold["no_qa"]:
        result["false_pairs"] = len(qa)
        misses.extend(f"false pair p.{p.page}: Q '{_short(p.question, 70)}'" for p in qa[:5])
    else:
        extra = len(qa) - len(used)
        if gold["pair_count"]:
            extra = max(0, extra - (gold["pair_count"] - len(gold["pairs"])))
        result["false_pairs"] = extra
    pairs_ok = askers >= THRESHOLD * len(gold["pairs"]) if gold["pairs"] else True
    if gold["no_qa"] and qa:
        pairs_ok = False

    for bad in gold["must_not_be_pairs"]:
        b = norm(bad)
        for p in qa:
            if b in norm(p.question):
                result["must_not_hits"] += 1
                misses.append(f"must not be a question: '{_short(bad, 60)}' (parsed Q p.{p.page})")

    texts = [norm(s.text) for s in sections] + [norm(p.answer) for p in qa]
    for furniture in gold["furniture"]:
        f = norm(furniture)
        hits = sum(t.count(f) for t in texts)
        if hits:
            result["furniture_hits"] += hits
            misses.append(f"furniture '{furniture}' inside texts {hits}x")

    if gold["ocr_phrases"]:
        full = norm(doc.text + "\n" + "\n".join(s.text for s in sections))
        lost = [phrase for phrase in gold["ocr_phrases"] if norm(phrase) not in full]
        result["ocr_ok"] = not lost
        misses.extend(f"OCR phrase missing: '{phrase}'" for phrase in lost)

    result["right"] = bool(
        result["kind_ok"]
        and result["date_ok"]
        and result["title_ok"]
        and items_ok
        and pairs_ok
        and not result["must_not_hits"]
        and not result["furniture_hits"]
        and result["ocr_ok"]
    )
    return result


def evaluate(only: str | None = None, real: Path | None = None, gold_dir: Path = GOLD_DIR) -> dict:
    """Score every gold document (or those whose file name contains `only`); return per-document rows and totals."""
    real = real or papers_dir()
    rows = []
    for gold in load_gold(gold_dir):
        if only and only != gold["document"] and only.lower() not in gold["document"].lower():
            continue
        path = real / gold["document"]
        if path.is_file():
            row = evaluate_document(gold, path)
        else:
            row = _empty_row(gold, error="file missing")
        rows.append(row)
    gold_pairs = sum(r["gold_pairs"] for r in rows)
    totals = {
        "documents": len(rows),
        "documents_right": sum(r["right"] for r in rows),
        "documents_right_pct": round(100 * sum(r["right"] for r in rows) / len(rows), 1) if rows else 0.0,
        "gold_pairs": gold_pairs,
        "pairs_found": sum(r["pairs_found"] for r in rows),
        "pairs_found_pct": round(100 * sum(r["pairs_found"] for r in rows) / gold_pairs, 1) if gold_pairs else 0.0,
        "askers_right": sum(r["askers_right"] for r in rows),
        "askers_right_pct": round(100 * sum(r["askers_right"] for r in rows) / gold_pairs, 1) if gold_pairs else 0.0,
        "false_pairs": sum(r["false_pairs"] for r in rows),
        "gold_items": sum(r["gold_items"] for r in rows),
        "items_found": sum(r["items_found"] for r in rows),
        "furniture_hits": sum(r["furniture_hits"] for r in rows),
    }
    return {"papers": str(real), "documents": rows, "totals": totals}


def _mark(ok: bool) -> str:
    return "ok" if ok else "--"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--details", action="store_true", help="print each miss: expected vs parsed")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--doc", metavar="NAME", help="only the document(s) whose file name contains NAME")
    args = ap.parse_args(argv)

    real = papers_dir()
    if not real.is_dir():
        print(f"real papers not found at {real} (set PCP_REAL_PAPERS)", file=sys.stderr)
        return 2
    report = evaluate(args.doc, real)
    if not report["documents"]:
        print(f"no gold document matches {args.doc!r}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0

    width = max(len(r["document"]) for r in report["documents"])
    print(f"{'document':<{width}}  kind date title  items   pairs  askers false furn  result")
    for r in report["documents"]:
        items = f"{r['items_found']}/{r['gold_items']}" if r["gold_items"] else f"({r['sections']})"
        line = (
            f"{r['document']:<{width}}  {_mark(r['kind_ok']):<4} {_mark(r['date_ok']):<4} {_mark(r['title_ok']):<5} "
            f"{items:>7} {r['pairs_found']:>3}/{r['gold_pairs']:<3} {r['askers_right']:>6} {r['false_pairs']:>5} "
            f"{r['furniture_hits']:>4}  {'RIGHT' if r['right'] else 'wrong'}"
        )
        if r["error"]:
            line += f"  ({r['error']})"
        print(line)
        if args.details:
            for miss in r["misses"]:
                print(f"    - {miss}")
    t = report["totals"]
    print(
        f"\ngold pairs found: {t['pairs_found']}/{t['gold_pairs']} ({t['pairs_found_pct']}%)   "
        f"askers right: {t['askers_right']}/{t['gold_pairs']} ({t['askers_right_pct']}%)   false pairs: {t['false_pairs']}"
    )
    print(
        f"items found: {t['items_found']}/{t['gold_items']}   furniture hits: {t['furniture_hits']}   "
        f"documents right: {t['documents_right']}/{t['documents']} ({t['documents_right_pct']}%)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
