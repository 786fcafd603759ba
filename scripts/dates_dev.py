"""Score newsgraph's dates on a TIMEX3 corpus (../shared/corpora/dates-dev), on the whole and on two fixed halves.

    python scripts/dates_dev.py                        # parse (cached), find dates, score whole, half A, half B
    python scripts/dates_dev.py --show 30 --half A     # also print half A's errors (look at errors only there)

The halves split the corpus by document: the stems sorted, every even-numbered one is half A, every odd one
half B. Errors are studied on half A only; half B is the check that a change is general. The texts are parsed
once with the pipeline up to the dates component and cached (spaCy DocBin under $XDG_CACHE_HOME/newsgraph),
so that a change to `newsgraph/dates.py` or `data/date_words.tsv` is scored in seconds. Outputs are written
as STEM.json (text and dates, the document JSON's fields the scorer reads) and scored by the corpus's
scorer, ../shared/tools/score_dates_corpus.py. Nothing of the corpus is copied into the repository.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpora" / "dates-dev"
SCORER = SHARED / "tools" / "score_dates_corpus.py"
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsgraph"


def corpus_stems(corpus: Path) -> dict[str, str]:
    """Stem -> publication date (the DCT) from the corpus's metadata.tsv."""
    with (corpus / "metadata.tsv").open(encoding="utf-8") as fh:
        return {row["stem"]: row["dct"] for row in csv.DictReader(fh, delimiter="\t")}


def halves(stems: list[str]) -> dict[str, list[str]]:
    ordered = sorted(stems)
    return {"A": ordered[0::2], "B": ordered[1::2]}


def parsed_docs(corpus: Path, stems: dict[str, str], model: str | None):
    """The corpus's Docs parsed up to (not including) the dates component, from the cache when it has them."""
    from spacy.tokens import DocBin

    from newsgraph.pipeline import build_pipeline

    texts = {s: (corpus / "text" / f"{s}.txt").read_text(encoding="utf-8") for s in stems}
    key = hashlib.sha1(("\0".join(f"{s}\0{t}" for s, t in sorted(texts.items())) + str(model)).encode()).hexdigest()
    path = CACHE / f"dates-dev-{key[:16]}.spacy"
    nlp = build_pipeline(model, use_tagger=False)
    if path.exists():
        docs = list(DocBin().from_bytes(path.read_bytes()).get_docs(nlp.vocab))
    else:
        names = nlp.pipe_names
        before = names[: names.index("newsgraph_dates")]
        with nlp.select_pipes(enable=before):
            docs = list(nlp.pipe(texts[s] for s in sorted(texts)))
        CACHE.mkdir(parents=True, exist_ok=True)
        path.write_bytes(DocBin(docs=docs).to_bytes())
    return dict(zip(sorted(texts), docs, strict=True))


def write_outputs(docs: dict, stems: dict[str, str], outdir: Path) -> None:
    from newsgraph.dates import find_dates

    for stem, doc in docs.items():
        doc.user_data.pop("newsgraph_text", None)
        doc._.published = stems[stem]
        dates = [d.model_dump() for d in find_dates(doc)]
        (outdir / f"{stem}.json").write_text(json.dumps({"text": doc.text, "dates": dates}), encoding="utf-8")


def score(outdir: Path, corpus: Path, stems: list[str] | None, show: int) -> str:
    """The scorer's output on the whole corpus or on the given stems (a folder of links to their files)."""
    with tempfile.TemporaryDirectory() as tmp:
        target = corpus
        if stems is not None:
            target = Path(tmp)
            for sub in ("text", "gold"):
                (target / sub).mkdir()
                for s in stems:
                    suffix = ".txt" if sub == "text" else ".json"
                    (target / sub / f"{s}{suffix}").symlink_to(corpus / sub / f"{s}{suffix}")
        run = subprocess.run([sys.executable, str(SCORER), str(outdir), str(target), "--show", str(show)],
                             capture_output=True, text=True, check=False)
        return run.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--out", type=Path, help="folder for the STEM.json outputs (default: a temporary one)")
    ap.add_argument("--model", help="spaCy pipeline (default: newsgraph's)")
    ap.add_argument("--half", choices=("A", "B"), help="print the errors (--show) of this half only")
    ap.add_argument("--show", type=int, default=0)
    a = ap.parse_args()
    stems = corpus_stems(a.corpus)
    docs = parsed_docs(a.corpus, stems, a.model)
    with tempfile.TemporaryDirectory() as tmp:
        outdir = a.out or Path(tmp)
        outdir.mkdir(parents=True, exist_ok=True)
        write_outputs(docs, stems, outdir)
        parts = halves(list(stems))
        for name, subset in (("whole", None), ("A", parts["A"]), ("B", parts["B"])):
            show = a.show if a.half == name else 0
            report = score(outdir, a.corpus, subset, show)
            summary = report.strip().splitlines()[-1].split("| ", 1)[-1]
            errors = [line for line in report.splitlines() if line.startswith("  ")]
            print(f"{name:5s} {summary}")
            for line in errors:
                print(line)


if __name__ == "__main__":
    main()
