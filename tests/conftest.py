"""Shared fixtures: one loaded pipeline for the whole test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.analyzer import Analyzer
from newsgraph.records import Article, Document

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "ukraine-2022-04-26.txt"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.fixture(scope="session")
def analyze(analyzer: Analyzer):  # type: ignore[no-untyped-def]
    def run(text: str, published: str | None = None) -> Document:
        return analyzer.analyze(text, Article(id="test", published=published))

    return run
