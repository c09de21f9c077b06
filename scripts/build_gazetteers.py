"""Build pcp_search/entities/data/*.jsonl from the raw public lists in ../shared/gazetteers/.

Run once when the sources change:  python scripts/build_gazetteers.py [SOURCE_DIR]
Each output row: {"id", "label", "name", "aliases", "case_sensitive", "source", "licence"}.
The hand-curated entries (terms none of the lists hold) live in scripts/curated_entities.json.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "pcp_search" / "entities" / "data"
SOURCES = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent.parent / "shared" / "gazetteers"

OGL = "Open Government Licence v3.0 (data.police.uk)"
MYSOCIETY = "CC-BY-4.0 (mySociety, uk_local_authority_names_and_codes)"
WDTK = "CC-BY-SA-4.0 (derived from WhatDoTheyKnow via golang-wdtk-linkgenerator)"
MOJ = "MIT, Crown Copyright (Ministry of Justice acronyms)"
CURATED = "CC-BY-4.0 (pcp-search curated, checked against the papers)"

FORCE_EXTRA_ALIASES = {
    "thames-valley": ["TVP"],
    "metropolitan": ["MPS", "the Met", "Met Police", "Metropolitan Police", "Scotland Yard"],
    "greater-manchester": ["GMP"],
    "west-midlands": ["WMP"],
    "west-yorkshire": ["WYP"],
    "south-yorkshire": ["SYP"],
    "north-yorkshire": ["NYP"],
    "hampshire": ["Hampshire and the Isle of Wight Constabulary", "Hampshire and Isle of Wight Constabulary", "Hampshire Police",
                  "HIOWC"],
    "devon-and-cornwall": ["Devon and Cornwall Police", "Devon and Cornwall Constabulary"],
    "avon-and-somerset": ["Avon and Somerset Police"],
    "northern-ireland": ["PSNI"],
    "city-of-london": ["City of London Police", "CoLP"],
}
COUNCIL_EXTRA_ALIASES = {
    "WNM": ["RBWM", "Royal Borough of Windsor & Maidenhead", "Windsor & Maidenhead"],
    "WBK": ["West Berks"],
    "BUC": ["Bucks", "Bucks Council"],
    "MIK": ["MK", "MK Council"],
    "OXF": ["Oxon", "Oxfordshire CC"],
    "BRC": ["Bracknell"],
}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def entry(eid, label, name, aliases, source, licence, **extra):
    fold = (lambda text: text) if extra.get("case_sensitive") else str.lower
    seen, clean = {fold(name)}, []
    for alias in aliases:
        alias = " ".join(alias.split())
        if alias and fold(alias) not in seen:
            seen.add(fold(alias))
            clean.append(alias)
    return {"id": eid, "label": label, "name": name, "aliases": clean, "source": source, "licence": licence, **extra}


def forces() -> list[dict]:
    rows = list(csv.DictReader(open(SOURCES / "police_forces" / "data_police_uk_forces.tsv"), delimiter="\t"))
    out = []
    for row in rows:
        name = row["name"]
        place = re.sub(r"\s+(Police Service|Constabulary|Police)$", "", name)
        place = place.replace("Police Service of ", "")
        aliases = [f"{place} Police", f"{place} Constabulary", f"{place} Police Force"]
        aliases += FORCE_EXTRA_ALIASES.get(row["id"], [])
        out.append(entry(f"force:{row['id']}", "FORCE", name, aliases, "data.police.uk forces", OGL))
    return out


def councils() -> list[dict]:
    path = SOURCES / "mysociety_uk_local_authorities"
    rows = list(csv.DictReader(open(path / "uk_local_authorities.csv", encoding="utf-8")))
    variants: dict[str, list[str]] = {}
    for row in csv.DictReader(open(path / "lookup_name_to_registry.csv", encoding="utf-8")):
        variants.setdefault(row["local-authority-code"], []).append(row["la-name"])
    owner: dict[str, str] = {}
    # current authorities claim a shared alias before abolished ones
    rows.sort(key=lambda r: (r["current-authority"] != "True", r["local-authority-code"]))
    out = []
    for row in rows:
        code = row["local-authority-code"]
        aliases = [row["nice-name"]] + row["alt-names"].split(",") + variants.get(code, []) + COUNCIL_EXTRA_ALIASES.get(code, [])
        kept = []
        for alias in aliases:
            key = " ".join(alias.lower().split())
            if not key or key in owner:
                continue
            owner[key] = code
            kept.append(alias)
        out.append(entry(
            f"council:{slug(row['nice-name'])}", "COUNCIL", row["official-name"], kept,
            "mySociety uk_local_authorities", MYSOCIETY,
            code=code, gss=row["gss-code"], current=row["current-authority"] == "True",
            end_date=row["end-date"] or None, nation=row["nation"],
        ))
    return out


def bodies() -> list[dict]:
    """PCC offices and the 41 panels from the WhatDoTheyKnow list (national bodies are curated)."""
    path = SOURCES / "wdtk_linkgenerator" / "police_bodies_names.tsv"
    out = []
    for row in csv.DictReader(open(path, encoding="utf-8"), delimiter="\t"):
        name = row["name"]
        if row["is_defunct"] == "True":
            continue
        if re.search(r"Police,? (?:Fire )?and Crime (?:Commissioner|Panel)", name) or "Mayor's Office for Policing" in name:
            short = name.replace(", Fire and Crime", " and Crime")  # papers often drop the fire role
            aliases = [short] if short != name else []
            if "Commissioner" in name:
                place = name.split(" Police")[0]
                aliases += [f"Office of the {short}", f"OPCC for {place}", f"{place} OPCC", f"{place} PCC"]
            elif "Panel" in name:
                aliases += [short.replace(" and ", " & "), f"{name.split(' Police')[0]} PCP"]
            out.append(entry(f"body:{slug(row['wdtk_id'])}", "BODY", name, aliases, "WhatDoTheyKnow police bodies", WDTK))
    return out


def moj_acronyms() -> list[dict]:
    """The MoJ acronym list, kept for query expansion of acronyms the corpus uses (not for tagging)."""
    path = SOURCES / "moj_acronyms" / "moj_acronyms.tsv"
    out = []
    for row in csv.DictReader(open(path, encoding="utf-8"), delimiter="\t"):
        abbr, definition = row["abbreviation"].strip(), row["definition"].strip()
        if not abbr or not definition or "/" in abbr or len(abbr) > 10:
            continue
        out.append({"abbr": abbr, "definition": definition, "source": "MoJ acronyms", "licence": MOJ})
    return out


def curated() -> list[dict]:
    data = json.loads((HERE / "curated_entities.json").read_text(encoding="utf-8"))
    return [entry(e["id"], e["label"], e["name"], e.get("aliases", []), "pcp-search curated", CURATED,
                  **{k: v for k, v in e.items() if k not in ("id", "label", "name", "aliases")}) for e in data]


def write(name: str, rows: list[dict]) -> None:
    with open(OUT / name, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{name}: {len(rows)} rows")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    write("forces.jsonl", forces())
    write("councils.jsonl", councils())
    write("bodies.jsonl", bodies())
    write("curated.jsonl", curated())
    write("moj_acronyms.jsonl", moj_acronyms())


if __name__ == "__main__":
    main()
