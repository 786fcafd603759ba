"""An analysed Doc travels: DocBin, `nlp.pipe(n_process=2)` and `spacy.load` of a saved pipeline keep its records."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from spacy.tokens import DocBin

from newsgraph.document import to_document
from newsgraph.plain import PLAIN_KEY, Decoder
from newsgraph.records import Article

from .conftest import EXAMPLE

SHORT = [
    "Ukrainian Foreign Minister Dmytro Kuleba said on Tuesday that Russia had shelled Kharkiv. He called it a war "
    "crime. Moscow denied the attack.",
    "The mayor of Springfield told reporters the bridge would reopen in May at a cost of $4 million.",
]


def records(doc, article: Article) -> dict:  # type: ignore[no-untyped-def]
    return to_document(doc, article).to_json_dict()


def test_a_docbin_round_trip_keeps_every_record_of_the_example(analyzer) -> None:  # type: ignore[no-untyped-def]
    article = Article(id="example", published="2022-04-26")
    doc = analyzer.nlp(analyzer.make_doc(EXAMPLE.read_text(encoding="utf-8"), article))
    data = DocBin(store_user_data=True, docs=[doc]).to_bytes()
    (restored,) = DocBin().from_bytes(data).get_docs(analyzer.nlp.vocab)
    before, after = records(doc, article), records(restored, article)
    assert after["statements"] and after["events"] and after["places"]
    assert after == before


def test_shared_objects_stay_shared(analyzer) -> None:  # type: ignore[no-untyped-def]
    doc = analyzer.nlp(analyzer.make_doc(SHORT[0], Article(id="a")))
    (restored,) = DocBin(store_user_data=True, docs=[doc]).get_docs(analyzer.nlp.vocab)
    # The same Actor object is the speaker's and the token's: the pronoun "He" resolves to Kuleba's actor.
    actors = restored._.actors
    assert any(restored._.actor_at.get(m.start) is actor for actor in actors for m in actor.mentions)


def test_n_process_gives_the_records_of_one_process(analyzer) -> None:  # type: ignore[no-untyped-def]
    articles = [Article(id=f"t{n}") for n in range(len(SHORT))]
    alone = [records(analyzer.nlp(analyzer.make_doc(t, a)), a) for t, a in zip(SHORT, articles, strict=True)]
    docs = [analyzer.make_doc(t, a) for t, a in zip(SHORT, articles, strict=True)]
    pooled = [records(d, a) for d, a in zip(analyzer.nlp.pipe(docs, n_process=2, batch_size=1), articles,
                                             strict=True)]
    assert pooled == alone
    assert pooled[0]["statements"]


def test_plain_data_names_only_newsgraph_classes(analyzer) -> None:  # type: ignore[no-untyped-def]
    doc = analyzer.nlp.make_doc("Nothing here.")
    bad = {"values": {"statements": {"ref": 0}}, "objects": [{"class": "os:system", "fields": {}}]}
    with pytest.raises(ValueError, match="not a newsgraph class"):
        Decoder(doc).decode_all(bad)
    assert PLAIN_KEY not in doc.user_data


def test_a_saved_pipeline_loads_with_spacy_alone(analyzer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The components come from the spacy_factories entry points: a fresh interpreter imports no newsgraph."""
    analyzer.nlp.to_disk(tmp_path / "pipeline")
    code = (
        "import spacy, sys\n"
        f"nlp = spacy.load({str(tmp_path / 'pipeline')!r})\n"
        "doc = nlp('The governor said the budget would be balanced.')\n"
        "print(nlp.pipe_names[-1], [s.source.text for s in doc._.statements])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True)
    assert done.stdout.split("\n")[0] == "newsgraph_plain ['The governor']"
