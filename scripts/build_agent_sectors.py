"""Derive newsgraph/data/agent_sectors.tsv from the CAMEO/PLOVER agents dictionary.

    python scripts/build_agent_sectors.py [../shared/plover/PLOVER_agents.txt]

The agents dictionary maps role nouns ("DEFENSE_MINISTER", "REBEL_COMMANDER", "RIOT_POLICE") to CAMEO
sector codes ([~GOVMIL], [~REB], [~COP]). The events component codes an actor's sector from the role
words written around it, so it needs only phrase -> primary sector. This script expands the
dictionary's substitution sets (!MINIST!, !PERSON!) and its {plural} forms, lower-cases the phrases,
keeps the first three-letter sector of a compound code (GOVMIL -> GOV, as the first element is the
CAMEO primary role) and appends a short list of common news heads the dictionary leaves out (it
assumes its coder adds regular plurals and bare heads such as "forces" or "officials").
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO.parent / "shared" / "plover" / "PLOVER_agents.txt"
OUT = REPO / "newsgraph" / "data" / "agent_sectors.tsv"

ENTRY = re.compile(r"^(?P<phrase>[^\[{#]+?)\s*(?:\{(?P<plural>[^}]*)\})?\s*\[~(?P<code>[A-Z]+)\]")
SUBSTITUTION = re.compile(r"^!(?P<name>[A-Z]+)!\s*=\s*(?P<values>.+)$")
SKIP_SECTORS = {"JNK", "UNK", "NON"}  # "junk", "unknown" and non-actors (days, regions) carry no sector

# Bare heads and plurals the dictionary leaves to its coder's morphology, as newsgraph meets them
# in news copy ("Russian forces", "Ukrainian officials", "the defenders of the plant").
SUPPLEMENT = {
    "force": "MIL", "forces": "MIL", "troop": "MIL", "troops": "MIL", "soldiers": "MIL", "army": "MIL",
    "military": "MIL", "defender": "MIL", "defenders": "MIL", "paratrooper": "MIL", "marine": "MIL",
    "official": "GOV", "officials": "GOV", "authorities": "GOV", "authority": "GOV", "government": "GOV",
    "minister": "GOV", "ministry": "GOV", "president": "GOV", "prime minister": "GOV", "chancellor": "GOV",
    "secretary": "GOV", "spokesman": "GOV", "spokeswoman": "GOV", "spokesperson": "GOV", "negotiator": "GOV",
    "negotiators": "GOV", "envoy": "GOV", "ambassador": "GOV", "diplomat": "GOV", "kremlin": "GOV",
    "administration": "GOV", "cabinet": "GOV", "premier": "GOV", "king": "GOV", "governor": "GOV",
    "lawmaker": "LEG", "lawmakers": "LEG", "legislator": "LEG", "senator": "LEG", "parliament": "LEG",
    "congress": "LEG", "senate": "LEG",
    "police": "COP", "policeman": "COP", "officer": "COP", "officers": "COP",
    "rebel": "REB", "rebels": "REB", "separatist": "REB", "separatists": "REB", "insurgents": "REB",
    "militant": "REB", "militants": "REB", "jihadist": "REB", "jihadists": "REB",
    "protester": "CVL", "protesters": "CVL", "demonstrator": "CVL", "demonstrators": "CVL",
    "civilian": "CVL", "civilians": "CVL", "residents": "CVL", "villagers": "CVL",
    "company": "BUS", "giant": "BUS", "firm": "BUS", "group": "BUS", "producer": "BUS", "operator": "BUS",
    "union": "LAB", "workers": "LAB", "worker": "LAB",
    "court": "JUD", "judge": "JUD", "prosecutor": "JUD", "prosecutors": "JUD",
    "agency": "GOV", "intelligence": "SPY",
}


def substitutions(lines: list[str]) -> dict[str, list[str]]:
    subs = {}
    for line in lines:
        m = SUBSTITUTION.match(line.strip())
        if m:
            subs[m["name"]] = [v.strip() for v in m["values"].split(",") if v.strip()]
    return subs


def expand(phrase: str, subs: dict[str, list[str]]) -> list[str]:
    forms = [phrase]
    for name, values in subs.items():
        token = f"!{name}!"
        forms = [f.replace(token, v) for f in forms for v in values] if any(token in f for f in forms) else forms
    return forms


def normalise(phrase: str) -> str:
    return re.sub(r"\s+", " ", phrase.replace("_", " ")).strip().casefold()


def derive(source: Path) -> dict[str, str]:
    lines = source.read_text(encoding="utf-8", errors="replace").splitlines()
    subs = substitutions(lines)
    out: dict[str, str] = {}
    for line in lines:
        if line.lstrip().startswith("#"):
            continue
        m = ENTRY.match(line.strip())
        if not m:
            continue
        sector = m["code"][:3]
        if sector in SKIP_SECTORS:
            continue
        forms = expand(m["phrase"], subs)
        if m["plural"]:
            forms += expand(m["plural"], subs)
        for form in forms:
            key = normalise(form)
            if key and not key.startswith("!"):
                out.setdefault(key, sector)
    for key, sector in SUPPLEMENT.items():
        out.setdefault(key, sector)
    return out


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    rows = derive(source)
    header = [
        "# Role nouns -> CAMEO primary sector code, for actor codes (newsgraph.events).",
        "# Source: PLOVER_agents.txt, the CAMEO agents dictionary of the Computational Event Data System",
        "# project / Open Event Data Alliance (MIT licence), as distributed with ahalterman/NGEC-2025;",
        "# substitution sets and {plural} forms expanded, compound codes cut to their first sector",
        "# (GOVMIL -> GOV), [~JNK]/[~UNK]/[~NON] entries dropped; plus a short newsgraph supplement of bare heads",
        "# and plurals (see scripts/build_agent_sectors.py, which writes this file).",
        "phrase\tsector",
    ]
    body = [f"{k}\t{v}" for k, v in sorted(rows.items())]
    OUT.write_text("\n".join(header + body) + "\n", encoding="utf-8")
    print(f"wrote {len(body)} phrases to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
