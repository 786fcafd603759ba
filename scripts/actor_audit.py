"""Audit the actors found within each article: how many, and which names or types look wrong.

    python scripts/actor_audit.py ../shared/corpora/polnear-train/text --every 4 [--show 40]

Runs the pipeline up to the actor linker over a fixed sample of articles (every Nth file in name order)
and prints the actor count per article and the suspect actors, under these flags (each a general test,
not a judgment of any one article):

- `word`: the name holds a token the article also writes in lowercase in running text ("Says" in
  "Obama Says", "Team" in "Team Clinton"): a verb or common noun caught in a Title-Case line;
- `verb`: the name holds a token parsed as a verb or auxiliary;
- `type`: a one-word ORG / GPE / NORP actor whose name is the surname of a PERSON actor of the article,
  or a PERSON actor whose name the article also calls by "the" (a thing, not a person);
- `title`: a title with no title or role word in it (person_titles.txt, agent_sectors.tsv);
- `known`: (summed at the end) a one-word ORG / GPE actor named like the surname of a PERSON actor of
  another article of the sample ("Trump" as an ORG).

The figures are counts of flags; which flagged names are real errors is read from the printout. `word`
also counts good organisation names made of common nouns ("Democratic Party", "Supreme Court") and
`known` places named like a surname ("Washington"): compare runs, do not read them as error counts.

Figures of issue 19 (item 3: names cut and typed by the article's evidence, newsgraph/mentions.py):
    train, every 4th article (210): before actors 4042, flags known=50 title=146 type=26 verb=40 word=407
                                    after  actors 3982, flags known=27 title=7   type=20 verb=22 word=370
    dev (84, not looked at while tuning the rules; read once after):
                                    before actors 1560, flags known=9  title=44  type=12 verb=16 word=250
                                    after  actors 1534, flags known=9  title=0   type=7  verb=9  word=234
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from spacy.tokens import Doc

from newsgraph.actors import Actor
from newsgraph.analyzer import Analyzer
from newsgraph.lexicons import person_title_stems, table
from newsgraph.records import Article

MODIFIER_DEPS = {"compound", "poss", "nmod", "amod"}
AFTER_ACTORS = ["newsgraph_quotes", "newsgraph_certainty", "newsgraph_events"]


def role_words() -> set[str]:
    words = set(person_title_stems())
    for row in table("agent_sectors.tsv"):
        words.update(row["phrase"].split())
    return {w.casefold().rstrip(".") for w in words}


def lowercase_words(doc: Doc) -> set[str]:
    """Words the article writes in lowercase somewhere (its running-text vocabulary)."""
    return {t.text for t in doc if t.is_lower and t.is_alpha}


def flags_of(actor: Actor, doc: Doc, lower: set[str], surnames: set[str], roles: set[str]) -> list[str]:
    out = []
    if actor.type in {"GROUP"} or actor.members:
        return out
    words = actor.name.split()
    if any(w.casefold() in lower and not w.islower() for w in words):
        out.append("word")
    named = [m for m in actor.mentions if m.label_]
    if any(t.pos_ in {"VERB", "AUX"} for m in named for t in m):
        out.append("verb")
    if actor.type in {"ORG", "GPE", "NORP"} and len(words) == 1 and actor.name in surnames:
        out.append("type")
    if actor.type == "PERSON":
        for m in named:
            # "the Obama White House" heads its noun phrase; "the Obama administration" is a modifier
            if m.start > 0 and doc[m.start - 1].lower_ == "the" and m.root.dep_ not in MODIFIER_DEPS:
                out.append("type")
                break
    for title in actor.titles:
        if not any(w.casefold().strip(",.") in roles for w in title.split()):
            out.append("title")
            break
    return out


def audit(paths: list[Path], show: int, dump: Path | None = None) -> None:
    analyzer = Analyzer()
    nlp = analyzer.nlp
    roles = role_words()
    counts: list[int] = []
    flags: Counter[str] = Counter()
    suspects: Counter[tuple[str, str, str]] = Counter()
    out = dump.open("w", encoding="utf-8") if dump else None
    one_word_orgs: list[tuple[str, str]] = []  # (article, name) of one-word ORG / GPE actors
    person_surnames: set[str] = set()
    texts = ((p.read_text(encoding="utf-8"), p) for p in paths)
    docs = ((analyzer.make_doc(text, Article(id=p.stem)), p) for text, p in texts)
    with nlp.select_pipes(disable=[n for n in AFTER_ACTORS if n in nlp.pipe_names]):
        for doc, path in nlp.pipe(docs, as_tuples=True, batch_size=8):
            actors = [a for a in doc._.actors if not a.members]
            counts.append(len(actors))
            lower = lowercase_words(doc)
            surnames = {a.name.split()[-1] for a in actors if a.type == "PERSON" and len(a.name.split()) >= 2}
            bad = []
            person_surnames.update(a.name.split()[-1] for a in actors if a.type == "PERSON" and " " in a.name)
            one_word_orgs.extend((path.stem, a.name) for a in actors if a.type in {"ORG", "GPE"} and " " not in a.name)
            for a in actors:
                fl = flags_of(a, doc, lower, surnames, roles)
                for f in fl:
                    flags[f] += 1
                    detail = "|".join(a.titles) if f == "title" else ""
                    suspects[(f, f"{a.name} ({a.type})", detail)] += 1
                if fl:
                    bad.append(f"{a.name}/{a.type}[{','.join(fl)}]")
            print(f"{path.stem}\t{len(actors)}\t{'; '.join(bad)}")
            if out is not None:
                for a in actors:
                    print(f"{path.stem}\t{a.name}\t{a.type}\t{len(a.mentions)}\t{'|'.join(a.titles)}", file=out)
    for article, name in one_word_orgs:
        if name in person_surnames:
            flags["known"] += 1
            suspects[("known", f"{name} (ORG/GPE)", article)] += 1
    print()
    n = len(counts)
    print(f"articles {n}  actors {sum(counts)}  per article {sum(counts) / max(n, 1):.1f}")
    print("flags: " + "  ".join(f"{k}={v}" for k, v in sorted(flags.items())) + f"  total={sum(flags.values())}")
    print()
    for (flag, name, detail), c in suspects.most_common(show):
        print(f"{c:3d}  {flag:5s}  {name}  {detail}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, help="a folder of .txt articles")
    parser.add_argument("--every", type=int, default=1, help="take every Nth article in name order")
    parser.add_argument("--dump", type=Path, help="write every actor (article, name, type, mentions, titles) here")
    parser.add_argument("--show", type=int, default=60, help="how many suspect names to list")
    args = parser.parse_args(argv)
    paths = sorted(args.folder.glob("*.txt"))[:: args.every]
    if not paths:
        print(f"no .txt files in {args.folder}", file=sys.stderr)
        return 2
    audit(paths, args.show, args.dump)
    return 0


if __name__ == "__main__":
    sys.exit(main())
