"""One reading of PolNeAR's attribution gold, and the pairing and source check of its scorer.

`../shared/tools/score_attribution_corpus.py` is the reference; this restates it (the scorer is not
imported: it lies outside the repository) for the scripts and benchmarks that need it per statement:
`train_source_ranker.py` (labels), `source_errors.py` (what is wrong) and `benchmarks/calibration.py`
(confidence against right sources). A stem's gold is its first `.ann` file in sorted order; a prediction
pairs with a gold attribution when its content overlaps at least half the gold content, best relative
overlap first, one to one; the source is right when the speaker span overlaps the gold source or the
speaker's name equals the gold source text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Fragments = list[tuple[int, int]]


@dataclass(frozen=True)
class Gold:
    """One gold attribution: its content (brat fragments), its source's fragments and text (or none)."""

    content: Fragments
    source: Fragments | None
    source_text: str | None


def fragments(spec: str) -> Fragments:
    """'12 30;35 40' -> [(12, 30), (35, 40)]."""
    out = []
    for part in spec.split(";"):
        start, end = part.split()
        out.append((int(start), int(end)))
    return out


def read_ann(path: Path) -> list[Gold]:
    """The attributions of a brat .ann file: content spans with their source span and text."""
    spans: dict[str, tuple[Fragments, str]] = {}
    relations: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if not parts[0]:
            continue
        if parts[0].startswith("T") and len(parts) >= 2:
            _, _, spec = parts[1].partition(" ")
            spans[parts[0]] = (fragments(spec), parts[2] if len(parts) > 2 else "")
        elif parts[0].startswith("E") and len(parts) >= 2:
            relations.append(dict(a.split(":", 1) for a in parts[1].split() if ":" in a))
    out = []
    for rel in relations:
        content = rel.get("Content")
        if not content or content not in spans:
            continue
        source = spans.get(rel.get("Source", ""))
        out.append(Gold(spans[content][0], source[0] if source else None, source[1] if source else None))
    return out


def gold_file(corpus: Path, stem: str) -> Path | None:
    """The .ann file the scorer reads for a stem (the first in sorted order), if there is one."""
    anns = sorted((corpus / "attributions").glob(stem + "_*.ann"))
    return anns[0] if anns else None


def overlap(frags: Fragments, start: int, end: int) -> int:
    return sum(max(0, min(e, end) - max(s, start)) for s, e in frags)


def pair(gold: Sequence[Gold], contents: Sequence[tuple[int, int]]) -> dict[int, int]:
    """Predicted content index -> gold index, as the scorer pairs them."""
    candidates = []
    for gi, g in enumerate(gold):
        gold_len = sum(e - s for s, e in g.content) or 1
        for pi, (start, end) in enumerate(contents):
            o = overlap(g.content, start, end)
            if o and o >= 0.5 * gold_len:
                candidates.append((o / max(gold_len, end - start), gi, pi))
    candidates.sort(reverse=True)
    used_gold: set[int] = set()
    out: dict[int, int] = {}
    for _, gi, pi in candidates:
        if gi not in used_gold and pi not in out:
            used_gold.add(gi)
            out[pi] = gi
    return out


def normalised(s: str | None) -> str:
    s = unicodedata.normalize("NFKD", s or "")
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", s.casefold()).split())


def source_right(gold: Gold, speaker: Any) -> bool:
    """Is a statement's speaker (its JSON: start, end, name) the gold source, as the scorer judges it?"""
    if not isinstance(speaker, dict) or gold.source is None:
        return False
    right = False
    if speaker.get("start") is not None and speaker.get("end") is not None:
        right = overlap(gold.source, int(speaker["start"]), int(speaker["end"])) > 0
    if not right and speaker.get("name"):
        right = normalised(str(speaker["name"])) == normalised(gold.source_text)
    return right
