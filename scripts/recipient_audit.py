"""Hand audit of event recipients on events-ngec snippets (folds 1-4 only; fold 0 is held out).

There is no gold recipient data in ../shared: the snippets carry a PLOVER type each, not who the event was
directed at. This script draws a fixed sample for a person to judge, and scores the pipeline against those
judgments, which stay outside the repository (they are judgments of corpus text, not project data).

    python scripts/recipient_audit.py sample --n 80 > /tmp/sample.txt     # snippets + what is output now
    python scripts/recipient_audit.py score /tmp/judgments.tsv            # head / code accuracy

Sample: the snippets of folds 1-4 (`zlib.crc32(article_id) % 5 != 0`) shuffled with `random.Random(18)`,
keeping those whose output has an event of the snippet's type. Each judgment line is
`index<TAB>trigger word<TAB>recipients`, recipients being `head:CODE|CODE;head:...` (acceptable codes
after the colon, none for "any code"), or empty when the codebook wants no recipient (the manual: AID and
SANCTION require one, the others only when the event is directed at someone). Scoring takes the output
event of the snippet's type whose trigger holds the judged trigger word (else the first of that type):
head accuracy = the set of recipient head words equals the judged set; code accuracy = as many recipients
as judged and each judged one matched by code (or by head when any code will do).

Figures of the issue-18 audit (80 snippets judged once, before the change, by the helper who made it;
55 with a recipient, 25 without), on h/evrecip:
    before: recipient head accuracy 58/80 = 0.72; code accuracy 46/80 = 0.57; gold recipient found 36/55;
            no recipient right 22/25
    after:  recipient head accuracy 71/80 = 0.89; code accuracy 64/80 = 0.80; gold recipient found 46/55;
            no recipient right 25/25
The same judges made the rules and the judgments, so these figures flatter; the held-out human-coded
sentences are the measure.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import zlib
from pathlib import Path

from newsgraph.analyzer import Analyzer
from newsgraph.events import EventMention
from newsgraph.records import Article

SNIPPETS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "events-ngec" / "snippets.tsv"
SEED = 18

Judgment = tuple[str, list[tuple[str, list[str]]]]


def audit_rows() -> list[dict[str, str]]:
    """Folds 1-4 in the audit's fixed order."""
    with SNIPPETS.open(newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
                if zlib.crc32(r["article_id"].encode()) % 5 != 0]
    random.Random(SEED).shuffle(rows)
    return rows


def events_of_type(analyzer: Analyzer, row: dict[str, str]) -> list[EventMention]:
    doc = analyzer.nlp(analyzer.make_doc(row["quote"], Article(id="audit")))
    return [e for e in doc._.events if e.type == row["type"]]


def sample(n: int) -> None:
    analyzer = Analyzer()
    taken = 0
    for index, row in enumerate(audit_rows()):
        if taken >= n:
            break
        events = events_of_type(analyzer, row)
        if not events:
            continue
        taken += 1
        print(f"{index}\t{row['type']}\t{row['quote']}")
        for e in events:
            recipients = "; ".join(f"{s.text} (head {s.root.text}) [{c}]" for s, _, c in e.recipients)
            print(f"\t{e.trigger.text}\t{e.mode}\tR = {recipients or '-'}")


def read_judgments(path: Path) -> dict[int, Judgment]:
    out: dict[int, Judgment] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        index, trigger, *rest = line.split("\t")
        gold = []
        for item in filter(None, (rest[0] if rest else "").split(";")):
            head, _, codes = item.partition(":")
            gold.append((head, [c for c in codes.split("|") if c]))
        out[int(index)] = (trigger, gold)
    return out


def score(path: Path) -> None:
    analyzer = Analyzer()
    rows = audit_rows()
    judgments = read_judgments(path)
    head_ok = code_ok = found = with_gold = none_ok = 0
    for index, (trigger, gold) in sorted(judgments.items()):
        events = events_of_type(analyzer, rows[index])
        event = next((e for e in events if trigger.lower() in e.trigger.text.lower()), events[0] if events else None)
        out = [(s.root.text, c) for s, _, c in event.recipients] if event is not None else None
        heads_right = out is not None and {h for h, _ in out} == {h for h, _ in gold}
        codes_right = out is not None and len(out) == len(gold) and all(
            any((oh == gh) if not codes else (oc in codes) for oh, oc in out) for gh, codes in gold)
        head_ok += heads_right
        code_ok += codes_right
        with_gold += bool(gold)
        found += heads_right and bool(gold)
        none_ok += heads_right and not gold
        print(f"{index}\t{'H' if heads_right else '-'}{'C' if codes_right else '-'}\t{out}\t{gold}")
    total = len(judgments)
    print(f"recipient head accuracy {head_ok}/{total} = {head_ok / total:.2f}; code accuracy {code_ok}/{total} = "
          f"{code_ok / total:.2f}; gold recipient found {found}/{with_gold}; no recipient right "
          f"{none_ok}/{total - with_gold}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sample_cmd = sub.add_parser("sample")
    sample_cmd.add_argument("--n", type=int, default=80)
    score_cmd = sub.add_parser("score")
    score_cmd.add_argument("judgments", type=Path)
    args = parser.parse_args(argv)
    if args.command == "sample":
        sample(args.n)
    else:
        score(args.judgments)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
