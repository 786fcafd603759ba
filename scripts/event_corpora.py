#!/usr/bin/env python
"""Evaluation harness for the events component on the corpora under ../shared (issue 18).

Usage::

    python scripts/event_corpora.py ngec [--folds all] [--folds 0] [--misses 30] [--jsonl out.jsonl]
    python scripts/event_corpora.py polnear [--list]
    python scripts/event_corpora.py synthetic [--sample 500] [--seed 0] [--sentences 3]

Three checks, each through the public pipeline only (`newsgraph.pipeline.build_pipeline`, `doc._.events`):

* `ngec`: the 4,300 snippets of real VOA news in `../shared/corpora/events-ngec/snippets.tsv`, each the
  evidence for one PLOVER type. A snippet is found when the gold type is among the types of the events
  output for it (the snippet may hold other events too, so other types are counted, not scored as wrong).
  Snippets are split into five folds by article (`zlib.crc32(article_id) % 5`); fold 0 is the held-out
  fifth that nothing is trained or tuned on. `--folds` may be given several times: one report each, the
  snippets of all of them parsed once. Each report ends with one greppable line:
  `ngec folds=0 n=... type-recall=... macro-recall=... other-types=... no-event=...`.
* `polnear`: every ASSAULT and COERCE event in the 84 PolNeAR dev articles (US election news of 2016), as a
  table by trigger lemma, to judge whether they are physical acts; ends with
  `polnear violence: assault=.. coerce=.. total=..`.
* `synthetic`: a fixed-seed sample of the 4,500 synthetic stories, first sentences only: how often an event
  of the story's label type is output; ends with `synthetic n=... label-recall=... macro-recall=...`.

Nothing here is shipped and no corpus text is copied: the corpora are read where they lie.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import re
import sys
import time
import zipfile
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

from newsgraph.pipeline import build_pipeline  # noqa: E402

SHARED = REPO.parent / "shared"
NGEC_SNIPPETS = SHARED / "corpora" / "events-ngec" / "snippets.tsv"
POLNEAR_DEV = SHARED / "corpora" / "polnear-dev"
SYNTHETIC_STORIES = SHARED / "plover" / "synthetic_events_2023-10-19.csv.zip"
N_FOLDS = 5
HELD_OUT_FOLD = 0
VIOLENCE = ("ASSAULT", "COERCE")
NO_EVENT = "(none)"


# ---------------------------------------------------------------------------------------------------------
# Running the pipeline


@dataclass(frozen=True)
class EventOut:
    """What the harness keeps of one `EventMention`: plain data, so it can be written as JSON."""

    type: str
    mode: str | None
    trigger: str
    lemma: str
    start_char: int
    certainty: str
    actors: tuple[str, ...]
    recipients: tuple[str, ...]
    sentence: str


def event_outputs(doc: Doc) -> list[EventOut]:
    """The events the pipeline found in `doc`, as plain data."""
    return [EventOut(type=ev.type, mode=ev.mode, trigger=ev.trigger.text,
                     lemma=" ".join(t.lemma_.lower() for t in ev.trigger), start_char=ev.trigger.start_char,
                     certainty=ev.certainty, actors=tuple(span.text for span, _, _ in ev.actors),
                     recipients=tuple(span.text for span, _, _ in ev.recipients),
                     sentence=" ".join(ev.trigger.sent.text.split()))
            for ev in (doc._.events or [])]


def run_pipeline(nlp: Language, texts: Iterable[str | Doc], total: int, batch_size: int = 32,
                 label: str = "texts") -> Iterator[Doc]:
    """`nlp.pipe` in one process, with a progress line on stderr every few seconds."""
    started = last = time.monotonic()
    for done, doc in enumerate(nlp.pipe(texts, batch_size=batch_size, n_process=1), 1):
        now = time.monotonic()
        if now - last > 10 or done == total:
            last = now
            print(f"  {done}/{total} {label} ({done / max(now - started, 1e-9):.1f}/s)", file=sys.stderr)
        yield doc


def types_of(events: Sequence[EventOut]) -> set[str]:
    return {ev.type for ev in events}


def by_count(counts: Counter[str]) -> list[tuple[str, int]]:
    """Most frequent first, ties by name: the same order on every run (set order changes with the hash seed)."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def trimmed(text: str, around: int | None = None, width: int = 160) -> str:
    """`text` cut to about `width` characters, centred on character `around` when given."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    start = 0 if around is None else max(0, min(around - width // 2, len(text) - width))
    return ("…" if start else "") + text[start:start + width] + ("…" if start + width < len(text) else "")


# ---------------------------------------------------------------------------------------------------------
# Scoring a set of texts that each evidence one gold type


@dataclass(frozen=True)
class Judged:
    """One text with its gold type and the events output for it."""

    gold: str
    events: tuple[EventOut, ...]

    @property
    def found(self) -> bool:
        return self.gold in types_of(self.events)

    @property
    def other_types(self) -> set[str]:
        return types_of(self.events) - {self.gold}


@dataclass(frozen=True)
class Scores:
    n: int
    recall: float
    macro_recall: float
    other_types: float
    no_event: float


def scores(items: Sequence[Judged]) -> Scores:
    """Recall of the gold type, the same averaged over gold types, other types per text, no-event rate."""
    if not items:
        return Scores(0, 0.0, 0.0, 0.0, 0.0)
    by_type: dict[str, list[Judged]] = defaultdict(list)
    for item in items:
        by_type[item.gold].append(item)
    per_type = [sum(i.found for i in group) / len(group) for group in by_type.values()]
    return Scores(n=len(items), recall=sum(i.found for i in items) / len(items),
                  macro_recall=sum(per_type) / len(per_type),
                  other_types=sum(len(i.other_types) for i in items) / len(items),
                  no_event=sum(not i.events for i in items) / len(items))


def print_type_table(items: Sequence[Judged], wrong_shown: int = 4) -> None:
    """Per gold type: count, recall, no-event share, other types per text, and the types most often output
    instead on its misses ("(none)": no event at all)."""
    by_type: dict[str, list[Judged]] = defaultdict(list)
    for item in items:
        by_type[item.gold].append(item)
    print(f"{'type':<10} {'n':>5} {'recall':>7} {'no-ev':>6} {'other':>6}  output on misses (of misses)")
    for gold in sorted(by_type, key=lambda t: -len(by_type[t])):
        group = by_type[gold]
        misses = [i for i in group if not i.found]
        wrong: Counter[str] = Counter()
        for miss in misses:
            wrong.update(miss.other_types or {NO_EVENT})
        shown = ", ".join(f"{t} {c}" for t, c in by_count(wrong)[:wrong_shown])
        s = scores(group)
        print(f"{gold:<10} {s.n:>5} {s.recall:>7.3f} {s.no_event:>6.2f} {s.other_types:>6.2f}  "
              f"[{len(misses)}] {shown}")


def print_output_type_counts(items: Sequence[Judged]) -> None:
    """How often each type is output (over texts), and how often it is the gold type when output:
    a rough precision, a lower bound since a snippet may hold events of other types."""
    output: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for item in items:
        for t in types_of(item.events):
            output[t] += 1
            right[t] += t == item.gold
    print("output type: texts it is output for, share of them whose gold type it is")
    print("  " + ", ".join(f"{t} {c} ({right[t] / c:.2f})" for t, c in by_count(output)))


def describe_events(events: Sequence[EventOut]) -> str:
    if not events:
        return NO_EVENT
    return "; ".join(f"{ev.type}{'/' + ev.mode if ev.mode else ''} «{ev.trigger}»" for ev in events)


# ---------------------------------------------------------------------------------------------------------
# events-ngec


@dataclass(frozen=True)
class Snippet:
    type: str
    modes: tuple[str, ...]
    article_id: str
    quote: str

    @property
    def fold(self) -> int:
        return fold_of(self.article_id)


def fold_of(article_id: str) -> int:
    """The snippet's fold, by article so that no article is on both sides of a split."""
    return zlib.crc32(article_id.encode()) % N_FOLDS


def load_ngec(path: Path = NGEC_SNIPPETS) -> list[Snippet]:
    with path.open(encoding="utf-8", newline="") as fh:
        # Quotes holding a quote mark are CSV-quoted (doubled marks inside), so the default quoting reads them.
        rows = csv.DictReader(fh, delimiter="\t")
        return [Snippet(r["type"], tuple(m for m in r["modes"].split(",") if m), r["article_id"], r["quote"])
                for r in rows]


def parse_folds(spec: str) -> frozenset[int]:
    """`all`, or comma-separated fold numbers (`0`, `1,2,3,4`)."""
    if spec.strip().lower() == "all":
        return frozenset(range(N_FOLDS))
    folds = frozenset(int(f) for f in spec.split(",") if f.strip())
    if not folds or not folds <= set(range(N_FOLDS)):
        raise argparse.ArgumentTypeError(f"folds are 'all' or numbers 0-{N_FOLDS - 1}, not {spec!r}")
    return folds


def folds_label(folds: frozenset[int]) -> str:
    return "all" if len(folds) == N_FOLDS else ",".join(map(str, sorted(folds)))


def ngec_line(folds: frozenset[int], s: Scores) -> str:
    return (f"ngec folds={folds_label(folds)} n={s.n} type-recall={s.recall:.3f} macro-recall={s.macro_recall:.3f} "
            f"other-types={s.other_types:.2f} no-event={s.no_event:.2f}")


def events_for_snippets(nlp: Language, snippets: Sequence[Snippet]) -> list[tuple[EventOut, ...]]:
    docs = run_pipeline(nlp, (s.quote for s in snippets), len(snippets), batch_size=64, label="snippets")
    return [tuple(event_outputs(doc)) for doc in docs]


def print_misses(snippets: Sequence[Snippet], outputs: Sequence[tuple[EventOut, ...]], n: int, seed: int) -> None:
    misses = [(s, o) for s, o in zip(snippets, outputs, strict=True) if s.type not in types_of(o)]
    sample = random.Random(seed).sample(misses, min(n, len(misses)))
    print(f"\n{len(sample)} sample misses of {len(misses)} (seed {seed}):")
    for number, (snippet, events) in enumerate(sample, 1):
        modes = f" ({','.join(snippet.modes)})" if snippet.modes else ""
        print(f"{number:>3}. gold {snippet.type}{modes} | out: {describe_events(events)}\n     {snippet.quote}")


def write_jsonl(path: Path, snippets: Sequence[Snippet], outputs: Sequence[tuple[EventOut, ...]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for snippet, events in zip(snippets, outputs, strict=True):
            record = {**asdict(snippet), "fold": snippet.fold, "found": snippet.type in types_of(events),
                      "events": [{k: v for k, v in asdict(ev).items() if k != "sentence"} for ev in events]}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def report_ngec(folds: frozenset[int], snippets: Sequence[Snippet], outputs: Sequence[tuple[EventOut, ...]],
                table: bool = True) -> Scores:
    chosen = [Judged(s.type, o) for s, o in zip(snippets, outputs, strict=True) if s.fold in folds]
    result = scores(chosen)
    if table:
        print(f"\n== events-ngec, folds {folds_label(folds)}: {result.n} snippets ==")
        print_type_table(chosen)
        print_output_type_counts(chosen)
    print(ngec_line(folds, result))
    return result


def command_ngec(args: argparse.Namespace) -> None:
    fold_sets: list[frozenset[int]] = args.folds or [parse_folds("all")]
    wanted = frozenset().union(*fold_sets)
    snippets = [s for s in load_ngec(args.snippets) if s.fold in wanted]
    print(f"events-ngec: {len(snippets)} snippets in folds {folds_label(wanted)}", file=sys.stderr)
    nlp = pipeline(args)
    if args.cv_models:
        outputs = out_of_fold_events(nlp, snippets, args.cv_models, json.loads(args.events_config or "{}"))
    else:
        outputs = events_for_snippets(nlp, snippets)
    for folds in fold_sets:
        report_ngec(folds, snippets, outputs, table=not args.quiet)
    if args.misses:
        print_misses(snippets, outputs, args.misses, args.seed)
    if args.jsonl:
        write_jsonl(args.jsonl, snippets, outputs)
        print(f"wrote {args.jsonl}", file=sys.stderr)
    if args.misses or args.jsonl:
        # The score lines once more at the very end, so that `tail` finds them.
        for folds in fold_sets:
            report_ngec(folds, snippets, outputs, table=False)


# ---------------------------------------------------------------------------------------------------------
# PolNeAR dev: the violence audit


def polnear_docs(nlp: Language, folder: Path = POLNEAR_DEV) -> Iterator[tuple[str, Doc]]:
    """The corpus's articles parsed, each with its publication date from metadata.tsv, read the way the CLI's
    `analyze` reads them (newsgraph.ingest)."""
    import newsgraph.docinfo  # noqa: F401  (registers doc._.published)
    from newsgraph.ingest import ArticleInput, read_sources
    from newsgraph.ingest.metadata import load_metadata

    table = load_metadata(folder / "metadata.tsv")
    items = [i for i in read_sources([str(folder / "text")], metadata=table) if isinstance(i, ArticleInput)]

    def made(item: ArticleInput) -> Doc:
        doc = nlp.make_doc(item.text)
        doc._.published = item.article.published
        return doc

    docs = run_pipeline(nlp, (made(i) for i in items), len(items), batch_size=4, label="articles")
    yield from zip((i.stem for i in items), docs, strict=True)


def command_polnear(args: argparse.Namespace) -> None:
    nlp = pipeline(args)
    all_types: Counter[str] = Counter()
    violent: list[tuple[str, EventOut]] = []
    for stem, doc in polnear_docs(nlp, args.corpus):
        for ev in event_outputs(doc):
            all_types[ev.type] += 1
            if ev.type in VIOLENCE:
                violent.append((stem, ev))
    print(f"\n== PolNeAR dev: {sum(all_types.values())} events ==")
    print("by type: " + ", ".join(f"{t} {c}" for t, c in all_types.most_common()))
    groups: dict[tuple[str, str], list[EventOut]] = defaultdict(list)
    for _, ev in violent:
        groups[(ev.lemma, ev.type)].append(ev)
    print(f"\nASSAULT and COERCE events by trigger lemma ({len(violent)}):")
    print(f"{'lemma':<18} {'type':<8} {'n':>3}  example")
    for (lemma, type_), evs in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        example = evs[0]
        at = example.sentence.find(example.trigger)
        print(f"{lemma:<18} {type_:<8} {len(evs):>3}  {trimmed(example.sentence, at if at >= 0 else None)}")
    if args.list:
        print("\nevery ASSAULT and COERCE event:")
        for stem, ev in violent:
            at = ev.sentence.find(ev.trigger)
            print(f"{stem} | {ev.type}{'/' + ev.mode if ev.mode else ''} «{ev.trigger}» "
                  f"actors={list(ev.actors)} recipients={list(ev.recipients)} | "
                  f"{trimmed(ev.sentence, at if at >= 0 else None, 220)}")
    counts = Counter(ev.type for _, ev in violent)
    print(f"polnear violence: assault={counts['ASSAULT']} coerce={counts['COERCE']} total={len(violent)}")


# ---------------------------------------------------------------------------------------------------------
# Synthetic stories


@dataclass(frozen=True)
class Story:
    label: str
    mode: str
    title: str
    text: str


# A sentence ends at . ! or ? (perhaps closed by a quote mark) before a capital or an opening quote, unless the
# full stop closes an abbreviation ("U.S.", "Mr."): enough to cut a story's first sentences without parsing it.
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’]?\s+(?=[\"“A-Z])")
ABBREVIATION_END = re.compile(r"(?:\b(?:[A-Z]\.)+|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sgt|Sen|Rep|Gov|Pres|St|Jr|Sr|Prof|No|"
                              r"Jan|Feb|Aug|Sept|Oct|Nov|Dec)\.)$")


def first_sentences(text: str, n: int) -> str:
    sentences: list[str] = []
    for piece in SENTENCE_END.split(text.strip()):
        if sentences and ABBREVIATION_END.search(sentences[-1]):
            sentences[-1] += " " + piece
        elif len(sentences) == n:
            break
        else:
            sentences.append(piece)
    return " ".join(sentences)


def load_stories(path: Path = SYNTHETIC_STORIES) -> list[Story]:
    csv.field_size_limit(10**8)
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".csv"))
        with archive.open(name) as raw:
            rows = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
            return [Story(r["label"], r["mode"], r["title"], r["text"]) for r in rows]


def command_synthetic(args: argparse.Namespace) -> None:
    stories = load_stories(args.stories)
    sample = random.Random(args.seed).sample(stories, min(args.sample, len(stories)))
    texts = [first_sentences(s.text, args.sentences) for s in sample]
    nlp = pipeline(args)
    docs = run_pipeline(nlp, texts, len(texts), batch_size=32, label="stories")
    judged = [Judged(s.label, tuple(event_outputs(doc))) for s, doc in zip(sample, docs, strict=True)]
    print(f"\n== synthetic stories: {len(judged)} of {len(stories)} (seed {args.seed}), "
          f"first {args.sentences} sentences ==")
    print_type_table(judged)
    print_output_type_counts(judged)
    s = scores(judged)
    print(f"synthetic n={s.n} seed={args.seed} sentences={args.sentences} label-recall={s.recall:.3f} "
          f"macro-recall={s.macro_recall:.3f} other-types={s.other_types:.2f} no-event={s.no_event:.2f}")


# ---------------------------------------------------------------------------------------------------------


def pipeline(args: argparse.Namespace) -> Language:
    """The newsgraph pipeline, with the events component's config overridden by `--events-config`."""
    nlp = build_pipeline(args.model)
    if args.events_config:
        nlp.replace_pipe("newsgraph_events", "newsgraph_events", config=json.loads(args.events_config))
    return nlp


def out_of_fold_events(nlp: Language, snippets: Sequence[Snippet], pattern: str,
                       config: dict[str, object]) -> list[tuple[EventOut, ...]]:
    """Each fold's snippets through the events type model trained without that fold (`pattern` names the
    model directory with `{fold}`), so that the model's part is measured on text it did not learn from."""
    outputs: list[tuple[EventOut, ...] | None] = [None] * len(snippets)
    for fold in sorted({s.fold for s in snippets}):
        nlp.replace_pipe("newsgraph_events", "newsgraph_events", config={**config, "model": pattern.format(fold=fold)})
        picked = [i for i, s in enumerate(snippets) if s.fold == fold]
        for i, out in zip(picked, events_for_snippets(nlp, [snippets[i] for i in picked]), strict=True):
            outputs[i] = out
    return [o for o in outputs if o is not None]


def arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="base spaCy pipeline (default: newsgraph's)")
    parser.add_argument("--events-config", help='JSON config of the events component: \'{"learned_types": false}\'')
    commands = parser.add_subparsers(dest="command", required=True)

    ngec = commands.add_parser("ngec", help="type recall on the events-ngec snippets")
    ngec.add_argument("--snippets", type=Path, default=NGEC_SNIPPETS)
    ngec.add_argument("--folds", type=parse_folds, action="append",
                      help="'all' (default), '0' (the held-out fifth) or e.g. '1,2,3,4'; repeat for several reports")
    ngec.add_argument("--misses", type=int, default=0, help="print this many sample misses")
    ngec.add_argument("--seed", type=int, default=0, help="seed of the sample of misses")
    ngec.add_argument("--jsonl", type=Path, help="write each snippet with its events to this file")
    ngec.add_argument("--quiet", action="store_true", help="only the score lines")
    ngec.add_argument("--cv-models", help="type model directory per fold, with {fold} (e.g. /tmp/cv{fold}): each "
                      "fold's snippets are read with the model trained without it")
    ngec.set_defaults(run=command_ngec)

    polnear = commands.add_parser("polnear", help="ASSAULT and COERCE events in the PolNeAR dev articles")
    polnear.add_argument("--corpus", type=Path, default=POLNEAR_DEV)
    polnear.add_argument("--list", action="store_true", help="also list every ASSAULT and COERCE event")
    polnear.set_defaults(run=command_polnear)

    synthetic = commands.add_parser("synthetic", help="label-type recall on a sample of the synthetic stories")
    synthetic.add_argument("--stories", type=Path, default=SYNTHETIC_STORIES)
    synthetic.add_argument("--sample", type=int, default=500)
    synthetic.add_argument("--seed", type=int, default=0)
    synthetic.add_argument("--sentences", type=int, default=3, help="sentences read from each story's start")
    synthetic.set_defaults(run=command_synthetic)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = arguments(argv)
    args.run(args)


if __name__ == "__main__":
    main()
