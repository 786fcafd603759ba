"""The geoparsing corpora under ../shared for training and checking the places models.

Used by `scripts/train_place_reader.py` (and any other places model script): reads a corpus folder
(`text/STEM.txt`, `gold/STEM.json`, as `../shared/corpora/geo-dev` and `geo-train`), parses its texts
once with the newsgraph pipeline up to the places component (cached as a DocBin under the system's
temporary folder, keyed by the texts and the pipeline), matches place mentions to gold toponyms the way
`tools/score_places_corpus.py` does, and writes and scores a run's places with that scorer.
Nothing here is shipped: the corpora are read where they lie, never copied into the project.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SCORER = SHARED / "tools" / "score_places_corpus.py"
CACHE = Path(tempfile.gettempdir()) / "newsgraph-place-corpora"


@dataclass(frozen=True)
class Article:
    stem: str
    text: str
    gold: list[dict]

    @property
    def collection(self) -> str:
        """lgl, geovirus or gwn: the corpus an article comes from (its stem's prefix)."""
        return self.stem.split("-", 1)[0]


def load_corpus(folder: Path) -> list[Article]:
    """The articles of a corpus folder, in stem order."""
    articles = []
    for gold_path in sorted((folder / "gold").glob("*.json")):
        stem = gold_path.stem
        text = (folder / "text" / f"{stem}.txt").read_text(encoding="utf-8")
        articles.append(Article(stem, text, json.loads(gold_path.read_text(encoding="utf-8"))["places"]))
    if not articles:
        sys.exit(f"no gold/*.json under {folder}: give a corpus folder such as ../shared/corpora/geo-dev")
    return articles


def parsed_docs(nlp: spacy.Language, articles: Sequence[Article], n_process: int = 1) -> list[Doc]:
    """The articles parsed by every pipe before `newsgraph_places`, cached by texts and pipeline."""
    before = nlp.pipe_names[:nlp.pipe_names.index("newsgraph_places")]
    digest = hashlib.sha256("\n".join([*before, nlp.meta.get("name", ""), nlp.meta.get("version", "")]
                                      + [a.text for a in articles]).encode()).hexdigest()[:16]
    path = CACHE / f"{digest}.spacy"
    if path.exists():
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    with nlp.select_pipes(enable=before):
        docs = list(nlp.pipe((a.text for a in articles), n_process=n_process, batch_size=8))
    CACHE.mkdir(parents=True, exist_ok=True)
    # Only the parse: the other components' extensions are not needed here (and not all are plain data yet).
    DocBin(docs=docs).to_disk(path)
    return docs


def match_gold(spans: Sequence[tuple[int, int]], gold: Sequence[dict]) -> list[dict | None]:
    """The gold toponym each predicted character span matches (one to one, greedily by overlap, when the
    overlap covers at least half the gold span: the scorer's rule), or None."""
    pairs = []
    for gi, g in enumerate(gold):
        glen = (g["end"] - g["start"]) or 1
        for pi, (start, end) in enumerate(spans):
            overlap = max(0, min(g["end"], end) - max(g["start"], start))
            if overlap and overlap >= 0.5 * glen:
                pairs.append((overlap / max(glen, end - start), -gi, -pi))
    matched: list[dict | None] = [None] * len(spans)
    used_gold: set[int] = set()
    for _, gi, pi in sorted(pairs, reverse=True):
        if -gi in used_gold or matched[-pi] is not None:
            continue
        used_gold.add(-gi)
        matched[-pi] = gold[-gi]
    return matched


def write_places(outdir: Path, articles: Iterable[Article], docs: Iterable[Doc]) -> None:
    """One STEM.json per article with the text and `doc._.places`, as the scorer reads them."""
    outdir.mkdir(parents=True, exist_ok=True)
    for article, doc in zip(articles, docs, strict=True):
        places = [p.model_dump(mode="json") for p in doc._.places or []]
        (outdir / f"{article.stem}.json").write_text(json.dumps({"text": article.text, "places": places}),
                                                     encoding="utf-8")


def score(outdir: Path, articles: Sequence[Article], corpus: Path, lines: int = 1) -> str:
    """The scorer's last lines for these articles (a subset of a corpus is scored through symlinks)."""
    stems = {a.stem for a in articles}
    if stems != {p.stem for p in (corpus / "gold").glob("*.json")}:
        subset = Path(tempfile.mkdtemp(prefix="places-subset-"))
        for part in ("text", "gold"):
            (subset / part).mkdir()
            for a in articles:
                name = f"{a.stem}.txt" if part == "text" else f"{a.stem}.json"
                (subset / part / name).symlink_to(corpus / part / name)
        corpus = subset
    out = subprocess.run([sys.executable, str(SCORER), str(outdir), str(corpus)], capture_output=True, text=True,
                         check=True).stdout
    return "\n".join(out.strip().splitlines()[-lines:])
