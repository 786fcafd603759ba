"""benchmarks/calibration.py on a tiny made-up corpus and OUTDIR: the matching of the attribution scorer,
the table, the bars, and what it says when confidence is missing."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO

TEXT = 'Smith said the plan would fail. "It is over," Jones said. Lee thinks taxes will rise.'


def load_benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("calibration_benchmark", REPO / "benchmarks" / "calibration.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # (dataclasses look their module up)
    spec.loader.exec_module(module)
    return module


calibration = load_benchmark()


def span(text: str, part: str) -> tuple[int, int]:
    start = TEXT.index(part)
    return start, start + len(part)


def corpus(tmp_path: Path) -> Path:
    """One article with three gold attributions, each with its source, in PolNeAR's brat format."""
    folder = tmp_path / "corpus"
    (folder / "text").mkdir(parents=True)
    (folder / "attributions").mkdir()
    (folder / "text" / "a1.txt").write_text(TEXT, encoding="utf-8")
    lines = []
    for n, (source, content) in enumerate((("Smith", "the plan would fail"), ("Jones", '"It is over,"'),
                                           ("Lee", "taxes will rise")), start=1):
        s, c = span(TEXT, source), span(TEXT, content)
        lines += [f"T{2 * n}\tSource {s[0]} {s[1]}\t{source}", f"T{2 * n + 1}\tContent {c[0]} {c[1]}\t{content}",
                  f"E{n}\tAttribution:T{2 * n} Source:T{2 * n} Content:T{2 * n + 1}"]
    (folder / "attributions" / "a1_annotator.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def statement(content: str, speaker: str | None, name: str, confidence: float | None) -> dict[str, object]:
    c = span(TEXT, content)
    out: dict[str, object] = {"content": {"start": c[0], "end": c[1], "text": content}}
    if speaker is not None:
        s = span(TEXT, speaker)
        out["speaker"] = {"start": s[0], "end": s[1], "text": speaker, "name": name}
    else:
        out["speaker"] = {"start": None, "end": None, "name": name}
    if confidence is not None:
        out["confidence"] = confidence
    return out


def outdir(tmp_path: Path, statements: list[dict[str, object]]) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "a1.json").write_text(json.dumps({"text": TEXT, "statements": statements}), encoding="utf-8")
    return folder


def test_matching_follows_the_attribution_scorer(tmp_path: Path) -> None:
    out = outdir(tmp_path, [
        statement("the plan would fail", "Smith", "John Smith", 0.95),  # span overlaps: right
        statement("It is over", None, "Jones", 0.6),  # no span, the name equals the gold source: right
        statement("taxes will rise", "Jones", "Jones", 0.2),  # the wrong speaker
        statement("Smith said", "Smith", "Smith", 0.99),  # matches no gold content: not judged
    ])
    judged, missing = calibration.judged_corpus(out, corpus(tmp_path))
    assert missing == 0
    assert sorted((j.confidence, j.right) for j in judged) == [(0.2, False), (0.6, True), (0.95, True)]


def test_the_report_has_the_table_the_ece_and_the_bars(tmp_path: Path) -> None:
    out = outdir(tmp_path, [statement("the plan would fail", "Smith", "Smith", 0.95),
                            statement("It is over", "Jones", "Jones", 0.6),
                            statement("taxes will rise", "Jones", "Jones", 0.2)])
    judged, _ = calibration.judged_corpus(out, corpus(tmp_path))
    lines = calibration.report("statements", judged)
    rows = {line.split()[0]: line.split()[1:] for line in lines if line[:1] in "<>0"}
    assert rows["<0.3"] == ["1", "0.000", "0.200"] and rows[">=0.9"] == ["1", "1.000", "0.950"]
    assert rows["0.5-0.7"] == ["1", "1.000", "0.600"] and rows["0.3-0.5"][0] == "0"
    ece = next(line for line in lines if line.startswith("expected calibration error"))
    assert ece.endswith(f"{(0.2 + 0.4 + 0.05) / 3:.3f}")
    assert "OK: confidence >= 0.9: 1.000 right of 1 (bar >= 0.90)" in lines
    assert "OK: confidence < 0.5: 0.000 right of 1 (bar < 0.70)" in lines


def test_missing_confidence_is_said_not_scored(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = outdir(tmp_path, [statement("the plan would fail", "Smith", "Smith", None),
                            statement("taxes will rise", "Jones", "Jones", None)])
    assert calibration.main(["--outdir", str(out), "--corpus", str(corpus(tmp_path))]) == 0
    printed = capsys.readouterr().out
    assert "confidence missing on 2 of 2 judged records (1 of them right)" in printed
    assert "no record carries a confidence" in printed


def test_a_corpus_without_texts_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert calibration.main(["--outdir", str(tmp_path), "--corpus", str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr().err.startswith("error: no text/ folder in")
