"""Load the word lists under `newsgraph/data/` once per process.

Lexicons are data, not code: each file notes its source in `#` comment lines at its top.
Plain `.txt` files hold one lower-cased entry a line; `.tsv` files have a header row.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

DATA_DIR = Path(str(resources.files("newsgraph") / "data"))
# Trained models, each in a folder with its MODEL_CARD.md (retrained by scripts/train_*.py).
MODELS_DIR = Path(str(resources.files("newsgraph") / "models"))


def _data_lines(name: str) -> list[str]:
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return [line.rstrip("\n") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def word_list(name: str) -> frozenset[str]:
    """A one-entry-per-line file as a set of lower-cased entries."""
    return frozenset(line.strip().casefold() for line in _data_lines(name))


@cache
def table(name: str) -> tuple[dict[str, str], ...]:
    """A tab-separated file with a header row, as a tuple of row dicts."""
    rows = csv.DictReader(_data_lines(name), delimiter="\t", quoting=csv.QUOTE_NONE)
    return tuple(dict(row) for row in rows)


@dataclass(frozen=True)
class CueVerb:
    lemma: str
    cue_class: str
    frames: frozenset[str]
    cue_rate: float
    train_count: int


@cache
def cue_verbs() -> dict[str, CueVerb]:
    """Reporting, belief and intention verbs by lemma (`data/cue_verbs.tsv`)."""
    verbs = {}
    for row in table("cue_verbs.tsv"):
        lemma = row["lemma"].strip().casefold()
        frames = frozenset(f.strip() for f in (row.get("frames") or "").split(",") if f.strip())
        rate = float(row.get("cue_rate") or 0.0)
        count = int(row.get("train_cue_count") or 0)
        verbs[lemma] = CueVerb(lemma, row["class"].strip(), frames, rate, count)
    return verbs


@cache
def demonyms() -> dict[str, tuple[str, str]]:
    """Adjectival form (as written, and lower-cased) -> (country name, ISO alpha-3)."""
    out: dict[str, tuple[str, str]] = {}
    for row in table("demonyms.tsv"):
        value = (row["country"], row["iso3"])
        out[row["demonym"]] = value
        out.setdefault(row["demonym"].casefold(), value)
    return out


def person_titles() -> frozenset[str]:
    return word_list("person_titles.txt")


@cache
def person_title_stems() -> frozenset[str]:
    """Person titles without their abbreviation dot ("sen." and "sen" alike)."""
    return frozenset(t.rstrip(".") for t in person_titles())


def group_nouns() -> frozenset[str]:
    return word_list("group_nouns.txt")


def channel_nouns() -> frozenset[str]:
    return word_list("channels.txt")


@cache
def gender_detector() -> Any:
    """gender-guesser's table of given names (about 40,000, with their usual gender), loaded once for
    every component that asks (it takes a few seconds)."""
    import gender_guesser.detector as detector

    return detector.Detector(case_sensitive=False)
