"""Progress of long runs: the total counted ahead, and plain lines where there is no terminal."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from newsgraph.cli import progress
from newsgraph.cli.progress import BatchProgress, eta_phrase
from newsgraph.ingest.sources import count_articles


def test_the_total_is_counted_without_reading_the_articles(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("One.", encoding="utf-8")
    (tmp_path / "page.html").write_text("<html></html>", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Not read.", encoding="utf-8")
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(json.dumps({"id": str(i), "text": "x"}) for i in range(3)) + "\n\n", encoding="utf-8")
    assert count_articles([str(tmp_path)]) == 5
    assert count_articles([str(batch), "-", str(tmp_path / "missing.txt")]) == 4
    (tmp_path / "feed.xml").write_text("<rss></rss>", encoding="utf-8")
    assert count_articles([str(tmp_path)]) is None  # a feed's entries are only known by reading it
    assert count_articles(["https://example.org/rss"]) is None


def test_without_a_terminal_progress_is_a_plain_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "PLAIN_EVERY", 0.0)
    buffer = io.StringIO()
    with BatchProgress(Console(file=buffer, force_terminal=False), "analysed", 4) as bar:
        bar.update(1)
        bar.update(4, "2 failed")
    lines = buffer.getvalue().splitlines()
    assert lines[0].startswith("newsgraph: analysed 1 of 4 articles (") and "left" in lines[0]
    assert lines[1].startswith("newsgraph: analysed 4 of 4 articles (") and lines[1].endswith("; 2 failed")


def test_an_unknown_total_shows_the_count_and_rate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "PLAIN_EVERY", 0.0)
    buffer = io.StringIO()
    with BatchProgress(Console(file=buffer, force_terminal=False), "ingested", None) as bar:
        bar.update(7)
    assert buffer.getvalue().startswith("newsgraph: ingested 7 articles (") and "left" not in buffer.getvalue()


def test_a_disabled_bar_prints_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "PLAIN_EVERY", 0.0)
    buffer = io.StringIO()
    with BatchProgress(Console(file=buffer), "analysed", 4, enabled=False) as bar:
        bar.update(2)
    assert buffer.getvalue() == ""


def test_eta_phrases() -> None:
    assert (eta_phrase(12), eta_phrase(600), eta_phrase(7200)) == ("12 s", "10 min", "2.0 h")
