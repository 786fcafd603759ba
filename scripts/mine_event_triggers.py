#!/usr/bin/env python
"""Mine trigger-word candidates for the event lexicons from the events-ngec snippets (issue 18).

Usage::

    python scripts/mine_event_triggers.py mine [--folds 1,2,3,4] [--top 60] [--min-snippets 4]
                                               [--min-articles 2] [--min-share 0.6]
    python scripts/mine_event_triggers.py crossval [--folds 1,2,3,4]

`mine` parses the snippets of the chosen folds with the project pipeline and collects, per snippet, its
verb lemmas (with their particle: "crack down"; and with a preposition they govern: "call for") and its
nouns (lemma, and modifier + head: "peace deal"). For each such key it counts the snippets and articles it
occurs in, its distribution over the snippets' gold PLOVER types, how many of those snippets newsgraph
misses (gold type not among its event types), and whether event_verbs.tsv, event_nouns.tsv or
event_modality.tsv already know it. Candidates are the keys that are frequent (>= --min-snippets snippets
in >= --min-articles articles) and concentrated on one type (>= --min-share of their snippets); the
uncovered ones are printed first, ranked by how many snippets of their type they would bear on. It then
prints, per gold type, the share of its snippets for which newsgraph outputs no event at all and the
candidate keys found in those snippets.

Candidates are leads for a person to check against the PLOVER codebook, not rows: a word enters the
lexicon only where it reports the type in general usage (see the marked sections at the end of
data/event_verbs.tsv and data/event_nouns.tsv).

`crossval` measures those checked rows on data their mining did not see: for each fold k of --folds, the
candidates are mined from the other folds, only the checked rows whose key is a candidate of the same type
there are added to the lexicon without the mined section, and the scores on fold k are compared before and
after. Then all checked rows are measured on all the folds. The parsed snippets are kept in memory and only
the events component is run again for each lexicon (the lexicons touch nothing upstream of it).

Fold 0 (`zlib.crc32(article_id) % 5 == 0`) is the held-out fifth: it is refused here. Nothing is written
to the repository; no corpus text is copied.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# the snippets, their folds and the held-out fold, as the evaluation harness reads them
from event_corpora import HELD_OUT_FOLD, N_FOLDS, NGEC_SNIPPETS, Snippet, load_ngec  # noqa: E402
from spacy.tokens import Doc, Token  # noqa: E402

import newsgraph.lexicons as lexicons  # noqa: E402
from newsgraph.events import lexicon as event_lexicon  # noqa: E402
from newsgraph.events.component import find_events  # noqa: E402
from newsgraph.events.nouns import event_noun_token, noun_classes  # noqa: E402
from newsgraph.events.readings import Context  # noqa: E402
from newsgraph.events.syntax import direct_object  # noqa: E402
from newsgraph.events.triggers import subject_tags, verb_lemmas  # noqa: E402
from newsgraph.pipeline import build_pipeline  # noqa: E402

SHARED = REPO.parent / "shared"
MINED_MARK = "# mined from events-ngec folds 1-4 by scripts/mine_event_triggers.py"
MINED_FILES = ("event_verbs.tsv", "event_nouns.tsv")
PAIR_GAIN = 0.15
# Object classes of event_nouns.tsv a verb key names ("+WEAPONS"); the rest (TERRITORY, POLICY...) too often
# stand for any noun to tell a verb's senses apart.
OBJECT_CLASSES = frozenset({"WEAPONS", "PERSON", "PEOPLE", "TROOPS", "POLICE", "AID", "CAPTIVES", "OFFICIAL",
                            "PROPOSAL", "DEMAND", "AGREEMENT", "TALKS", "ACCESS", "RELATIONS", "EXCHANGE",
                            "SUPPORTNOUN", "CHARGES", "COMPLAINT", "MEDIA", "ORGANIZATION", "TERRITORY",
                            "POLICY", "ASSETS", "UTILITY", "BORDER", "EMBASSY"})
# Prepositions whose verb + preposition pair is a key of its own ("call for", "crack down on").
KEY_PREPS = frozenset({"for", "on", "to", "with", "against", "from", "into", "over", "off", "out", "up", "down",
                       "back", "away", "in"})


# ---------------------------------------------------------------------------------------------------------
# Snippets and folds


def parse_folds(spec: str) -> frozenset[int]:
    folds = frozenset(int(f) for f in spec.split(",") if f.strip())
    if HELD_OUT_FOLD in folds:
        raise argparse.ArgumentTypeError("fold 0 is the held-out fifth: it is not mined or tuned on")
    if not folds or not folds <= set(range(N_FOLDS)):
        raise argparse.ArgumentTypeError(f"folds are numbers 1-{N_FOLDS - 1}, not {spec!r}")
    return folds


def load_snippets(folds: frozenset[int], path: Path = NGEC_SNIPPETS) -> list[Snippet]:
    """The snippets of `folds` only (fold 0's rows are dropped as they are read)."""
    return [s for s in load_ngec(path) if s.fold in folds]


# ---------------------------------------------------------------------------------------------------------
# Keys: what a snippet's words are looked up as


def verb_lemma(token: Token) -> str:
    """The lemma newsgraph looks the verb up as: the first of its lemma guesses the verb table knows
    ("raped" -> "rape", where the small model says "rap"), else spaCy's lemma."""
    rows = event_lexicon.verb_rows()
    return next((g for g in verb_lemmas(token) if g in rows), token.lemma_.casefold())


def verb_keys(token: Token, ctx: Context) -> set[str]:
    """'cracked down on' -> {"crack", "crack down", "crack down on"}; 'called for' -> {"call", "call for"};
    with the verb's object classes and event-noun type as the table's object column names them ("throw
    +WEAPONS", "launch +@ASSAULT") and its subject's tags as the subject column does ("throw ^CIVIL")."""
    lemma = verb_lemma(token)
    keys = {lemma}
    particle = next((c.lower_ for c in token.children if c.dep_ == "prt"), None)
    base = f"{lemma} {particle}" if particle else lemma
    keys.add(base)
    for c in token.children:
        if c.dep_ in {"prep", "agent"} and c.lower_ in KEY_PREPS and c.i > token.i:
            keys.add(f"{base} {c.lower_}")
    obj = direct_object(token)
    if obj is not None:
        keys |= {f"{lemma} +{cls}" for cls in noun_classes(obj, ctx) if cls in OBJECT_CLASSES}
        _, entry = event_noun_token(obj)
        if entry is not None and entry.type is not None:
            keys.add(f"{lemma} +@{entry.type}")
    keys |= {f"{lemma} ^{tag}" for tag in subject_tags(token, ctx) - {"ANY"}}
    return keys


# Suffixes of nouns made from verbs or naming acts ("withdrawal", "seizure", "crackdown" aside), and of
# nouns naming people ("protester", "prosecutor", "activist"), which are no events.
EVENT_SUFFIXES = ("tion", "sion", "ment", "ance", "ence", "al", "ure", "age", "ing", "ery", "ade", "ism", "cy")
AGENT_SUFFIXES = ("er", "or", "ist", "ant", "ent", "ian", "man", "men")


def is_event_noun(token: Token, verb_lemmas_seen: frozenset[str]) -> bool:
    """A noun that may name an event: the event table knows it, or it is made from a verb (a
    nominalising suffix, or the same word as a verb of the corpus: "raid", "visit"), and it does not
    name a person ("protester"). Nouns of participants and things ("car", "street") are left out."""
    lemma = token.lemma_.casefold()
    entries = event_lexicon.noun_entries()
    known = entries.get(lemma) or entries.get(token.lower_)
    if known is not None:
        return known.type is not None
    if lemma.endswith(AGENT_SUFFIXES) and not lemma.endswith(EVENT_SUFFIXES):
        return False
    return lemma.endswith(EVENT_SUFFIXES) or lemma in verb_lemmas_seen


def noun_keys(token: Token) -> set[str]:
    """'peace deals' -> {"peace deal", "deal"} (lemmas; the modifier only when next to the head)."""
    lemma = token.lemma_.casefold()
    keys = {lemma}
    for c in token.lefts:
        if c.dep_ in {"compound", "amod"} and c.i == token.i - 1 and c.is_alpha:
            keys.add(f"{c.lemma_.casefold()} {lemma}")
    return keys


def snippet_keys(doc: Doc, verb_lemmas_seen: frozenset[str]) -> dict[tuple[str, str], set[str]]:
    """(kind, key) for every verb and event noun of a parsed snippet, with the word forms seen for it;
    kind is "V" or "N"."""
    keys: dict[tuple[str, str], set[str]] = {}
    ctx = Context(doc)
    for token in doc:
        if token.pos_ == "VERB" and token.is_alpha:
            for k in verb_keys(token, ctx):
                keys.setdefault(("V", k), set()).add(token.lower_)
            unknown = unclassed_object(token, ctx)
            if unknown is not None:
                keys.setdefault(("O", unknown), set()).add(verb_lemma(token))
        elif token.pos_ == "NOUN" and token.is_alpha and is_event_noun(token, verb_lemmas_seen):
            for k in noun_keys(token):
                form = k.rsplit(" ", 1)[0] + " " + token.lower_ if " " in k else token.lower_
                keys.setdefault(("N", k), set()).add(form)
    return keys


def unclassed_object(verb: Token, ctx: Context) -> str | None:
    """The lemma of a verb's object where the verb's rows ask for an object class ("provide" + AID) and the
    object is in no class and no event noun ("provided tents"): a lead for a class member the table lacks."""
    rows = event_lexicon.verb_rows().get(verb_lemma(verb), ())
    if not any(r.object is not None and r.object.isupper() and r.object not in {"NONE", "XCOMP", "CCOMP"}
               for r in rows):
        return None
    obj = direct_object(verb)
    if obj is None or obj.pos_ != "NOUN" or not obj.is_alpha:
        return None
    token, entry = event_noun_token(obj)
    if entry is not None or noun_classes(token, ctx) or token.pos_ != "NOUN":
        return None
    return token.lemma_.casefold()


def corpus_verb_lemmas(docs: Iterable[Doc]) -> frozenset[str]:
    return frozenset(t.lemma_.casefold() for doc in docs for t in doc if t.pos_ == "VERB")


# ---------------------------------------------------------------------------------------------------------
# What the lexicons already say about a key


def lexicon_coverage(kind: str, key: str, forms: Iterable[str] = ()) -> str:
    """What the tables already say about a key: 'V:ASSAULT,-' (the types of the verb rows it reaches:
    rows without a particle, and those naming its particle or preposition), 'M:role' (event_modality),
    'N:PROTEST' or 'N:class' (event_nouns, under the key or a form seen); '' for none."""
    out = []
    words = key.split()
    if kind == "V":
        rows = event_lexicon.verb_rows().get(words[0], ())
        rest = words[1:]
        if rest and rest[0].startswith("+"):
            reached = [r for r in rows if r.object in {None, rest[0][1:], "@ANY"}]
        elif rest and rest[0].startswith("^"):
            reached = [r for r in rows if r.subject in {None, rest[0][1:]}]
        else:
            reached = [r for r in rows if r.particle is None or r.particle in rest]
        if reached:
            out.append("V:" + ",".join(sorted({r.type for r in reached})))
        role = event_lexicon.modality_roles().get(words[0])
        if role:
            out.append(f"M:{role}")
    elif kind == "O":
        return ""
    else:
        # as newsgraph looks a noun up: the compound, else its head ("military exercise" -> "exercise")
        entries = event_lexicon.noun_entries()
        entry = next((entries[k] for k in (key, *sorted(forms)) if k in entries), None)
        head = ""
        if entry is None and " " in key:
            heads = (key.split()[-1], *sorted(f.split()[-1] for f in forms))
            entry, head = next((entries[k] for k in heads if k in entries), None), "(head)"
        if entry is not None:
            out.append(f"N:{entry.type or entry.cls or '-'}{head}")
    return " ".join(out)


# ---------------------------------------------------------------------------------------------------------
# Statistics


@dataclass
class KeyStats:
    kind: str
    key: str
    types: Counter[str] = field(default_factory=Counter)
    articles: set[str] = field(default_factory=set)
    forms: set[str] = field(default_factory=set)
    missed: int = 0  # snippets where newsgraph does not output the gold type
    no_event: int = 0  # snippets where newsgraph outputs no event at all

    @property
    def n(self) -> int:
        return sum(self.types.values())

    @property
    def top(self) -> tuple[str, int]:
        return self.types.most_common(1)[0]

    @property
    def share(self) -> float:
        return self.top[1] / self.n

    @property
    def coverage(self) -> str:
        return lexicon_coverage(self.kind, self.key, self.forms)


@dataclass(frozen=True)
class Parsed:
    snippet: Snippet
    keys: dict[tuple[str, str], set[str]]
    output_types: frozenset[str]

    @property
    def found(self) -> bool:
        return self.snippet.type in self.output_types


@dataclass(frozen=True)
class Thresholds:
    min_snippets: int = 4
    min_articles: int = 2
    min_share: float = 0.6


def key_statistics(items: Iterable[Parsed]) -> dict[tuple[str, str], KeyStats]:
    stats: dict[tuple[str, str], KeyStats] = {}
    for item in items:
        for (kind, key), forms in item.keys.items():
            st = stats.setdefault((kind, key), KeyStats(kind, key))
            st.types[item.snippet.type] += 1
            st.articles.add(item.snippet.article_id)
            st.forms |= forms
            st.missed += not item.found
            st.no_event += not item.output_types
    return stats


def candidates(stats: dict[tuple[str, str], KeyStats], th: Thresholds) -> list[KeyStats]:
    """Frequent keys concentrated on one type, those of most snippets of their type first. A verb with a
    particle or preposition ("meet with") or a modifier + noun ("military exercise") is a candidate only
    where it tells more than the verb or the head noun alone: that is no candidate of the same type, or the
    pair is clearly more concentrated (by `PAIR_GAIN`)."""
    def passes(st: KeyStats) -> bool:
        return st.n >= th.min_snippets and len(st.articles) >= th.min_articles and st.share >= th.min_share

    def tells_more(st: KeyStats) -> bool:
        if " " not in st.key:
            return True
        alone = stats.get(("V", st.key.split()[0]) if st.kind == "V" else ("N", st.key.split()[-1]))
        return alone is None or not passes(alone) or alone.top[0] != st.top[0] or st.share >= alone.share + PAIR_GAIN

    chosen = [st for st in stats.values() if passes(st) and tells_more(st)]
    return sorted(chosen, key=lambda st: (-st.top[1], -st.share, st.key))


# ---------------------------------------------------------------------------------------------------------
# Parsing and scoring


def parse(snippets: Sequence[Snippet]) -> list[tuple[Snippet, Doc]]:
    nlp = build_pipeline()
    docs = nlp.pipe((s.quote for s in snippets), batch_size=64, n_process=1)
    out = []
    for done, (snippet, doc) in enumerate(zip(snippets, docs, strict=True), 1):
        if done % 500 == 0:
            print(f"  parsed {done}/{len(snippets)}", file=sys.stderr)
        out.append((snippet, doc))
    return out


def judged(parsed: Sequence[tuple[Snippet, Doc]], rerun: bool = False) -> list[Parsed]:
    """Each snippet with its keys and newsgraph's event types (`rerun`: the events component run again
    with the lexicons as they are loaded now)."""
    seen = corpus_verb_lemmas(doc for _, doc in parsed)
    out = []
    for snippet, doc in parsed:
        events = find_events(doc) if rerun else (doc._.events or [])
        out.append(Parsed(snippet, snippet_keys(doc, seen), frozenset(e.type for e in events)))
    return out


@dataclass(frozen=True)
class Scores:
    n: int
    recall: float
    macro_recall: float
    other_types: float
    no_event: float

    def line(self, label: str) -> str:
        return (f"{label} n={self.n} type-recall={self.recall:.3f} macro-recall={self.macro_recall:.3f} "
                f"other-types={self.other_types:.2f} no-event={self.no_event:.2f}")


def scores(items: Sequence[Parsed]) -> Scores:
    """As scripts/event_corpora.py: recall of the gold type, its mean over types, other types per snippet,
    the share of snippets with no event."""
    by_type: dict[str, list[Parsed]] = defaultdict(list)
    for item in items:
        by_type[item.snippet.type].append(item)
    per_type = [sum(i.found for i in group) / len(group) for group in by_type.values()]
    return Scores(len(items), sum(i.found for i in items) / len(items), sum(per_type) / len(per_type),
                  sum(len(i.output_types - {i.snippet.type}) for i in items) / len(items),
                  sum(not i.output_types for i in items) / len(items))


def per_type_recall(items: Sequence[Parsed]) -> dict[str, float]:
    by_type: dict[str, list[Parsed]] = defaultdict(list)
    for item in items:
        by_type[item.snippet.type].append(item)
    return {t: sum(i.found for i in group) / len(group) for t, group in by_type.items()}


# ---------------------------------------------------------------------------------------------------------
# Lexicon variants: the tables with and without the mined section


@dataclass(frozen=True)
class MinedRow:
    file: str
    line: str
    candidate: str  # the mined key the row was written for, from its notes: candidate "throw +WEAPONS"

    @property
    def word(self) -> tuple[str, str]:
        return self.file, self.line.split("\t")[0]


CANDIDATE_NOTE = re.compile(r'candidate "([^"]+)"')


def split_mined(text: str) -> tuple[str, list[str]]:
    """A table's text without its mined section, and the section's data lines."""
    at = text.find(MINED_MARK)
    if at < 0:
        return text, []
    lines = [ln for ln in text[at:].splitlines() if ln.strip() and not ln.startswith("#")]
    return text[:at], lines


def mined_rows() -> list[MinedRow]:
    """The checked rows of the mined sections; each row's notes name the candidate key it was written for."""
    rows = []
    for name in MINED_FILES:
        _, lines = split_mined((lexicons.DATA_DIR / name).read_text(encoding="utf-8"))
        for line in lines:
            found = CANDIDATE_NOTE.search(line)
            if found is None:
                raise ValueError(f"{name}: a mined row names no candidate: {line!r}")
            rows.append(MinedRow(name, line, found.group(1)))
    return rows


def admitted(rows: Sequence[MinedRow], found: Sequence[KeyStats]) -> list[MinedRow]:
    """The rows written for keys that are candidates in `found`; a word's rows (its constraint rows and its
    "-" fallbacks) come in together. The candidate's type need not be the row's: the codebook decides the
    type ("improve relations" is SUPPORT though most snippets with it are AGREE through "agreed to")."""
    keys = {st.key for st in found}
    words = {r.word for r in rows if r.candidate in keys}
    return [r for r in rows if r.word in words]


class LexiconVariant:
    """A copy of the data folder whose event tables hold the base rows and `extra` mined rows; entering
    it points newsgraph's lexicon loader at the copy and empties the caches."""

    def __init__(self, extra: Sequence[MinedRow]) -> None:
        self.extra = extra
        self.original = lexicons.DATA_DIR
        self.folder = Path(tempfile.mkdtemp(prefix="evlex-"))

    def __enter__(self) -> LexiconVariant:
        data = self.folder / "data"
        shutil.copytree(self.original, data)
        for name in MINED_FILES:
            base, _ = split_mined((self.original / name).read_text(encoding="utf-8"))
            lines = [r.line for r in self.extra if r.file == name]
            (data / name).write_text(base.rstrip("\n") + "\n" + "".join(ln + "\n" for ln in lines), encoding="utf-8")
        lexicons.DATA_DIR = data
        clear_caches()
        return self

    def __exit__(self, *exc: object) -> None:
        lexicons.DATA_DIR = self.original
        clear_caches()
        shutil.rmtree(self.folder, ignore_errors=True)


def clear_caches() -> None:
    for loader in (lexicons.table, event_lexicon.verb_rows, event_lexicon.noun_entries, event_lexicon.modality_roles):
        loader.cache_clear()


# ---------------------------------------------------------------------------------------------------------
# Reports


def print_candidates(found: Sequence[KeyStats], top: int) -> None:
    def row(st: KeyStats) -> str:
        spread = ", ".join(f"{t} {c}" for t, c in st.types.most_common(3))
        cover = (st.coverage or "-") if st.kind != "O" else ",".join(sorted(st.forms))[:22]
        return (f"{st.kind} {st.key:<24} {st.n:>4} {len(st.articles):>4} {st.top[0]:<10} {st.share:>5.2f} "
                f"{st.missed:>6} {st.no_event:>5}  {cover:<22} {spread}")

    header = f"k {'key':<24} {'n':>4} {'art':>4} {'type':<10} {'share':>5} {'missed':>6} {'noev':>5}  " \
             f"{'lexicon':<22} types"
    objects = [st for st in found if st.kind == "O"]
    uncovered = [st for st in found if not st.coverage and st.kind != "O"]
    covered = [st for st in found if st.coverage and st.kind != "O"]
    print(f"\n== candidates in no lexicon: {len(uncovered)} (top {top}) ==\n{header}")
    for st in uncovered[:top]:
        print(row(st))
    print(f"\n== objects in no noun class of verbs whose rows ask for one (O; the verbs under lexicon): "
          f"{len(objects)} ==\n{header}")
    for st in objects[:top]:
        print(row(st))
    print(f"\n== candidates the lexicons know, most missed first: {len(covered)} (top {top // 2}) ==\n{header}")
    for st in sorted(covered, key=lambda s: (-s.missed, s.key))[: top // 2]:
        print(row(st))


def print_no_event_by_type(items: Sequence[Parsed], found: Sequence[KeyStats], shown: int = 12) -> None:
    """Per gold type: the share of its snippets with no event, and the candidate keys (of any type; the
    candidate's own type after the key, "*" when a table knows it) in those snippets."""
    candidate_type = {(st.kind, st.key): st.top[0] + ("*" if st.coverage else "") for st in found}
    by_type: dict[str, list[Parsed]] = defaultdict(list)
    for item in items:
        by_type[item.snippet.type].append(item)
    print("\n== snippets with no event, by gold type: candidate keys they contain (key/type count) ==")
    for gold in sorted(by_type, key=lambda t: -len(by_type[t])):
        group = by_type[gold]
        empty = [i for i in group if not i.output_types]
        keys: Counter[str] = Counter()
        for item in empty:
            keys.update(f"{key}/{candidate_type[k]}" for k in item.keys if k in candidate_type for key in [k[1]])
        listed = ", ".join(f"{k} {c}" for k, c in keys.most_common(shown))
        print(f"{gold:<10} n={len(group):>4} no-event={len(empty) / len(group):.2f} ({len(empty)})  {listed}")


def command_mine(args: argparse.Namespace) -> None:
    snippets = load_snippets(args.folds)
    print(f"events-ngec: {len(snippets)} snippets in folds {sorted(args.folds)}", file=sys.stderr)
    parsed = parse(snippets)
    if args.without_mined:  # the tables as they were before the mined rows: the keys and misses they had
        with LexiconVariant([]):
            items = judged(parsed, rerun=True)
            found, th = mine_candidates(items, args)
            print_report(items, found, th, args)
        return
    items = judged(parsed)
    found, th = mine_candidates(items, args)
    print_report(items, found, th, args)


def mine_candidates(items: Sequence[Parsed], args: argparse.Namespace) -> tuple[list[KeyStats], Thresholds]:
    th = Thresholds(args.min_snippets, args.min_articles, args.min_share)
    return candidates(key_statistics(items), th), th


def print_report(items: Sequence[Parsed], found: Sequence[KeyStats], th: Thresholds, args: argparse.Namespace) -> None:
    print(f"thresholds: >= {th.min_snippets} snippets in >= {th.min_articles} articles, "
          f">= {th.min_share:.0%} on one type; {len(found)} candidates")
    print_candidates(found, args.top)
    print_no_event_by_type(items, found)
    print(scores(items).line(f"ngec folds={','.join(map(str, sorted(args.folds)))}"))


def command_crossval(args: argparse.Namespace) -> None:
    rows = mined_rows()
    print(f"{len(rows)} checked rows in the mined sections", file=sys.stderr)
    snippets = load_snippets(args.folds)
    parsed = parse(snippets)
    th = Thresholds(args.min_snippets, args.min_articles, args.min_share)
    with LexiconVariant([]):
        base = judged(parsed, rerun=True)
    label = ",".join(map(str, sorted(args.folds)))
    for held in sorted(args.folds):
        train = [i for i in base if i.snippet.fold != held]
        chosen = admitted(rows, candidates(key_statistics(train), th))
        with LexiconVariant(chosen):
            after = [i for i in judged(parsed, rerun=True) if i.snippet.fold == held]
        before = [i for i in base if i.snippet.fold == held]
        words = sorted({r.word[1] for r in chosen})
        print(f"\nfold {held}: {len(chosen)} rows ({len(words)} words) mined from the other folds: {', '.join(words)}")
        print(scores(before).line(f"  before fold={held}"))
        print(scores(after).line(f"  after  fold={held}"))
        print_type_changes(before, after)
    with LexiconVariant(rows):
        full = judged(parsed, rerun=True)
    print(f"\nall {len(rows)} checked rows, folds {label}:")
    print(scores(base).line(f"  before folds={label}"))
    print(scores(full).line(f"  after  folds={label}"))
    print_type_changes(base, full)


def print_type_changes(before: Sequence[Parsed], after: Sequence[Parsed]) -> None:
    b, a = per_type_recall(before), per_type_recall(after)
    changed = [f"{t} {b[t]:.2f}->{a[t]:.2f}" for t in sorted(b) if abs(a[t] - b[t]) > 1e-9]
    print("  type recall changed: " + (", ".join(changed) or "none"))


def arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, run in (("mine", command_mine), ("crossval", command_crossval)):
        sub = commands.add_parser(name)
        sub.add_argument("--folds", type=parse_folds, default=parse_folds("1,2,3,4"))
        sub.add_argument("--min-snippets", type=int, default=4)
        sub.add_argument("--min-articles", type=int, default=2)
        sub.add_argument("--min-share", type=float, default=0.6)
        sub.set_defaults(run=run)
        if name == "mine":
            sub.add_argument("--top", type=int, default=60)
            sub.add_argument("--without-mined", action="store_true",
                             help="mine with the tables' mined sections left out (as before they were added)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = arguments(argv)
    args.run(args)


if __name__ == "__main__":
    main()
