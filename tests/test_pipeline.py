"""The assembled pipeline: component order, the tagger's spans kept apart from the NER."""

from __future__ import annotations

import pytest

from newsgraph.pipeline import PipelineError, build_pipeline


def test_tagger_runs_first_and_leaves_doc_ents_to_the_ner(analyzer) -> None:  # type: ignore[no-untyped-def]
    nlp = analyzer.nlp
    assert nlp.pipe_names[0] == "attribution_tagger"
    assert nlp.pipe_names.index("newsgraph_paragraphs") < nlp.pipe_names.index("parser")
    doc = nlp("Mayor Anne Holt said on Monday that the bridge would reopen in May.")
    labels = {s.label_ for s in doc.spans["attribution"]}
    assert labels <= {"SOURCE", "CUE", "CONTENT"} and "CONTENT" in labels
    assert {e.label_ for e in doc.ents} <= {"PERSON", "DATE", "ORG", "GPE", "CARDINAL"}
    assert any(e.label_ == "PERSON" for e in doc.ents)


def test_paragraph_breaks_start_sentences(analyzer) -> None:  # type: ignore[no-untyped-def]
    doc = analyzer.nlp("Updated 5:45 p.m.\n\nThe council voted on Tuesday")
    assert doc[[t.text for t in doc].index("The")].is_sent_start


def test_unknown_pipeline_is_a_clear_error() -> None:
    with pytest.raises(PipelineError, match="cannot load the spaCy pipeline 'no_such_pipeline'"):
        build_pipeline("no_such_pipeline")


def test_rules_only_pipeline_has_no_tagger() -> None:
    nlp = build_pipeline(use_tagger=False)
    assert "attribution_tagger" not in nlp.pipe_names
    doc = nlp("The mayor said the bridge would reopen.")
    assert doc._.statements


def test_every_component_is_registered_as_a_spacy_factory_entry_point(analyzer) -> None:  # type: ignore[no-untyped-def]
    from importlib.metadata import entry_points

    from spacy.language import Language
    from spacy.util import registry

    declared = {ep.name: ep for ep in entry_points(group="spacy_factories") if ep.name.startswith("newsgraph_")}
    factories = {analyzer.nlp.get_pipe_meta(name).factory for name in analyzer.nlp.pipe_names}
    ours = {name for name in factories if Language.has_factory(name) and name.startswith("newsgraph_")}
    assert ours and ours <= set(declared)
    for name in ours:
        assert declared[name].load() is registry.factories.get(name)


def test_the_attribution_tagger_loads_with_spacy_alone() -> None:
    """Its config names newsgraph's feature layer; the spacy_architectures entry point lets `spacy.load`
    find it without importing newsgraph first (a fresh interpreter)."""
    import subprocess
    import sys

    from newsgraph.lexicons import MODELS_DIR

    code = f"import spacy; print(spacy.load({str(MODELS_DIR / 'attribution')!r}).pipe_names)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "['ner']"
