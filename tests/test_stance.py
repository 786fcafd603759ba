"""The shipped stance model on short texts written for these tests (no corpus text), and `newsgraph stance`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from newsgraph.stance.features import pair_features
from newsgraph.stance.text import split_sentences

CLAIM = "A meteorite crashed through the roof of the Dunmore town hall"

CONFIRMS = (
    "A meteorite crashed through the roof of the Dunmore town hall on Sunday night, the mayor confirmed.\n"
    "The rock, about the size of a football, smashed through the roof of the town hall and landed in the "
    "council chamber. Scientists from the national museum examined the meteorite on Monday and confirmed that it "
    "came from space. Workers began repairing the roof of the hall the same day."
)

DENIES = (
    "Reports that a meteorite crashed through the roof of the Dunmore town hall are false, the mayor said.\n"
    "The mayor denied that any meteorite hit the town hall and dismissed the story as a hoax. \"No meteorite "
    "crashed through our roof. The hole was made by a falling tree branch,\" she said. Scientists who examined "
    "the debris said it was not a meteorite."
)

UNVERIFIED = (
    "A meteorite may have crashed through the roof of the Dunmore town hall, according to unconfirmed reports on "
    "social media.\n"
    "Photos posted online reportedly show a hole in the roof of the town hall. The claims could not be "
    "independently verified, and officials have not commented. It is not clear whether the object was a "
    "meteorite at all."
)

ELSEWHERE = (
    "The Dunmore football club won its Sunday match 3-1 in front of a crowd of 4,000.\n"
    "The club's striker scored twice in the second half, and the coach praised the team's defence. The next match "
    "is at home against the league leaders in two weeks. Tickets go on sale on Friday at the club shop."
)


@pytest.fixture(scope="module")
def predictor():  # type: ignore[no-untyped-def]
    from newsgraph.stance import StancePredictor

    return StancePredictor()


def test_sentences_keep_their_offsets_and_titles() -> None:
    text = "In the past week, Mr. Cooper saw it. It was there!\nA new paragraph"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == ["In the past week, Mr. Cooper saw it.", "It was there!", "A new paragraph"]
    assert all(text[s.start:s.end] == s.text for s in sentences)


@pytest.mark.parametrize(("body", "expected"), [
    (CONFIRMS, "agree"), (DENIES, "disagree"), (UNVERIFIED, "discuss"), (ELSEWHERE, "unrelated")])
def test_stance_of_an_article_toward_the_claim(predictor, body: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    stance = predictor.predict([(CLAIM, body)])[0]
    assert stance.stance == expected
    assert 0.0 <= stance.confidence <= 1.0


def test_evidence_offsets_slice_the_article_text(predictor) -> None:  # type: ignore[no-untyped-def]
    stances = predictor.predict([(CLAIM, DENIES), (CLAIM, UNVERIFIED), (CLAIM, ELSEWHERE)])
    for body, stance in zip((DENIES, UNVERIFIED), stances, strict=False):
        assert stance.evidence
        for ev in stance.evidence:
            assert body[ev.start:ev.end] == ev.text
    assert any(ev.cue for ev in stances[0].evidence)  # the denial it read ("denied", "false", "hoax")
    assert stances[2].evidence == []  # unrelated: nothing in it speaks of the claim


def test_one_pair_and_many_agree(predictor) -> None:  # type: ignore[no-untyped-def]
    from newsgraph.stance import predict_stance, predict_stances

    one = predict_stance(CLAIM, DENIES)
    many = predict_stances([(CLAIM, CONFIRMS), (CLAIM, DENIES)])
    assert many[1] == one


def test_cli_writes_one_line_a_pair_and_reports_bad_pairs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from newsgraph.cli import main

    articles = tmp_path / "articles.jsonl"
    articles.write_text("".join(json.dumps({"id": ident, "text": text}) + "\n" for ident, text in
                                (("a1", DENIES), ("a2", ELSEWHERE))), encoding="utf-8")
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("\n".join([
        json.dumps({"id": "p1", "claim": CLAIM, "article": "a1"}),
        "{not json",
        json.dumps({"id": "p3", "claim": CLAIM, "article": "nowhere"}),
        json.dumps({"id": "p4", "claim": CLAIM, "article": "a2"}),
    ]) + "\n", encoding="utf-8")
    out = tmp_path / "stances.jsonl"
    code = main(["stance", str(pairs), "--articles", str(articles), "--out", str(out), "--quiet"])
    assert code == 1  # some pairs failed, the others were written
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["p1", "p4"]
    assert set(lines[0]) == {"id", "stance", "confidence", "evidence"}
    for ev in lines[0]["evidence"]:
        assert DENIES[ev["start"]:ev["end"]] == ev["text"]
    err = capsys.readouterr().err
    assert "pairs.jsonl:2: not valid JSON" in err
    assert "unknown article 'nowhere'" in err
    assert "2 pairs written" in err and "2 failed" in err


def test_cli_writes_stdout_without_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from newsgraph.cli import main

    articles = tmp_path / "articles.jsonl"
    articles.write_text(json.dumps({"id": "a1", "text": CONFIRMS}) + "\n", encoding="utf-8")
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps({"id": 7, "claim": CLAIM, "article": "a1"}) + "\n", encoding="utf-8")
    assert main(["stance", str(pairs), "--articles", str(articles), "--quiet"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["id"] == "7"


# --- the cross-encoder (claim and nearest sentences read together) --------------------------------------------

BRIDGE = "The old railway bridge at Kelton collapsed into the river on Tuesday"
BRIDGE_ASSERTS = "The old railway bridge at Kelton collapsed into the river on Tuesday, the police said."
BRIDGE_DENIES = ("The railway company denied that the old bridge at Kelton had collapsed, calling the reports "
                 "false.")


def test_the_shipped_model_reads_pairs_with_its_cross_encoder(predictor) -> None:  # type: ignore[no-untyped-def]
    assert predictor.crossencoder is not None
    logits = predictor.crossencoder.logits([(BRIDGE, BRIDGE_ASSERTS), (BRIDGE, BRIDGE_DENIES), (CLAIM, DENIES)])
    assert logits.shape == (3, 3)
    assert np.isfinite(logits).all()
    assert predictor.crossencoder.logits([]).shape == (0, 3)


def test_the_cross_encoder_skips_pairs_stage_one_calls_unrelated(predictor) -> None:  # type: ignore[no-untyped-def]
    pairs = [(CLAIM, DENIES), (CLAIM, ELSEWHERE)]
    bodies = predictor.bodies([text for _, text in pairs])
    vectors = predictor.encoder.encode([claim for claim, _ in pairs])
    rows = [pair_features(claim, v, body, predictor.model.idf) for (claim, _), v, body in
            zip(pairs, vectors, bodies, strict=True)]
    logits = predictor._cross_logits(pairs, bodies, [view for _, view in rows], np.stack([x for x, _ in rows]))
    assert np.isfinite(logits[0]).all()
    assert np.isnan(logits[1]).all()


def test_the_cross_encoder_reads_a_one_sentence_denial_as_more_disagreeing(predictor) -> None:  # type: ignore[no-untyped-def]
    # The whole model still calls this short denial `agree` (FNC-1 bodies run to 19 sentences; see the model
    # card's limits), but the cross-encoder, reading claim and sentence together, must already tell it from the
    # assertion: a higher disagree logit and a lower agree logit.
    from newsgraph.stance.model import CLASSES

    asserts, denies = predictor.crossencoder.logits([(BRIDGE, BRIDGE_ASSERTS), (BRIDGE, BRIDGE_DENIES)])
    agree, disagree = CLASSES.index("agree"), CLASSES.index("disagree")
    assert denies[disagree] > asserts[disagree]
    assert denies[agree] - denies[disagree] < asserts[agree] - asserts[disagree]
    assert predictor.predict([(BRIDGE, BRIDGE_ASSERTS)])[0].stance == "agree"


def test_a_model_naming_a_missing_cross_encoder_asks_to_retrain(tmp_path: Path) -> None:
    from newsgraph.stance.model import MODEL_DIR, ModelMismatch, StanceModel

    for name in ("model.json", "weights.npz"):
        shutil.copyfile(MODEL_DIR / name, tmp_path / name)
    with pytest.raises(ModelMismatch, match="cross-encoder"):
        StanceModel.read(tmp_path)
