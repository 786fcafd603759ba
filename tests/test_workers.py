"""Analysis in worker processes under a time and memory budget (newsgraph/workers.py): a pathological article is a
one-line failure, never a hang, and the articles beside it are analysed. Budgets are small (seconds) and each
slow article is many times slower than its budget; the tests assert outcomes and their order, never a duration."""

from __future__ import annotations

import os
import signal
import time
from typing import Any

import numpy as np
import pytest

from newsgraph.records import Article, Document
from newsgraph.workers import AnalysisPool, AnalysisService, AnalyzerUnavailable, ArticleFailed, Budget, resident_bytes

SHORT_TEXT = ("Russian President Vladimir Putin told UN Secretary-General Antonio Guterres on Tuesday that he "
              "still hoped for a negotiated end to the war, the Kremlin said.")
# Finding 1 of the audit: a 40 kB quote of nested brackets, on which the tokenizer runs for minutes.
NESTED_QUOTE = 'Putin said "' + "(" * 20000 + "x" + ")" * 20000 + '".'
# As slow, but every run is under the length `analysis_problem` refuses: only the time budget stops it. (Each run is
# distinct, or the tokenizer's cache would make all but the first cheap.)
SLOW_TEXT = " ".join("(" * n + "x" + ")" * n for n in range(400, 480))
BUDGET = Budget(seconds=2)


def task(name: str, text: str) -> tuple[str, str, Article]:
    return name, text, Article(id=name)


class FakeAnalyzer:
    """Stands in for the pipeline where a test needs an article that sleeps, eats memory, dies or raises."""

    def analyze(self, text: str, article: Article) -> Document:
        if text == "slow":
            time.sleep(60)  # the worker is killed at its budget long before
        elif text == "hungry":
            hoard = bytearray(1_500_000_000)
            hoard[::4096] = b"x" * len(hoard[::4096])  # touched, so that it is resident
            time.sleep(60)
        elif text == "killed":  # as the system kills a process it has no memory for
            os.kill(os.getpid(), signal.SIGKILL)
        elif text == "bug":
            raise ValueError("no such thing\non two lines")
        return Document(text=text, article=article)


def test_the_audits_quote_is_refused_in_one_line_before_any_worker(analyzer: Any) -> None:
    with AnalysisPool(1, analyzer=analyzer, budget=BUDGET) as pool:
        [outcome] = pool.analyse([task("quote", NESTED_QUOTE)])
        assert pool._workers == []  # refused without starting one
    assert outcome.document is None and outcome.kind == "refused"
    assert outcome.error is not None and "40,004 characters without a space at character 11" in outcome.error


def test_an_article_over_its_time_is_a_failure_and_the_next_is_analysed(analyzer: Any) -> None:
    with AnalysisPool(1, analyzer=analyzer, budget=BUDGET) as pool:
        slow, good = pool.analyse([task("slow", SLOW_TEXT), task("good", SHORT_TEXT)])
    assert (slow.tag, slow.document, slow.kind) == ("slow", None, "timeout")
    assert slow.error == "analysis took over 2 s; skipped (raise --article-timeout)"
    assert good.tag == "good" and good.document is not None
    assert good.document == analyzer.analyze(SHORT_TEXT, Article(id="good"))


def test_with_two_workers_the_articles_behind_a_slow_one_are_not_held_up() -> None:
    tasks = [task("slow", "slow"), task("a", "a"), task("b", "b"), task("c", "c")]
    with AnalysisPool(2, analyzer=FakeAnalyzer(), budget=BUDGET) as pool:
        as_finished = [o.tag for o in pool.analyse(tasks, ordered=False)]
        in_order = [(o.tag, o.kind) for o in pool.analyse(tasks)]
    assert as_finished == ["a", "b", "c", "slow"]
    assert in_order == [("slow", "timeout"), ("a", None), ("b", None), ("c", None)]


def test_an_article_over_its_memory_is_a_failure() -> None:
    # A forked worker's resident set starts with what it shares with this process; the article may add 300 MB.
    own = resident_bytes(os.getpid())
    if own is None:
        pytest.skip("no /proc: the memory budget is not enforced here")
    budget = Budget(seconds=30, memory=own + 300_000_000)
    with AnalysisPool(1, analyzer=FakeAnalyzer(), budget=budget) as pool:
        hungry, after = pool.analyse([task("hungry", "hungry"), task("after", "after")])
    assert hungry.kind == "memory" and hungry.document is None
    assert hungry.error is not None and "of memory; skipped (raise --article-memory)" in hungry.error
    assert after.document is not None and after.document.text == "after"


def test_a_worker_that_dies_or_raises_fails_its_article_only() -> None:
    tasks = [task("killed", "killed"), task("bug", "bug"), task("fine", "fine")]
    with AnalysisPool(1, analyzer=FakeAnalyzer(), budget=BUDGET) as pool:
        killed, bug, fine = pool.analyse(tasks)
    assert killed.kind == "died"
    assert killed.error == ("the analysis worker died (killed by SIGKILL, perhaps by the system for lack of "
                            "memory); skipped")
    assert bug.kind == "error" and bug.error == "analysis failed: ValueError: no such thing on two lines"
    assert fine.document is not None and fine.document.text == "fine"


def test_an_article_over_the_size_limit_is_refused_in_one_line() -> None:
    with AnalysisPool(1, analyzer=FakeAnalyzer(), budget=Budget(max_chars=1000)) as pool:
        [big] = pool.analyse([task("big", "word " * 201)])
    assert big.kind == "refused" and big.error == ("text is 1,005 characters, over the limit of 1,000 "
                                                   "(raise it with --max-bytes)")


def test_the_service_answers_fails_and_comes_back_after_its_process_died(analyzer: Any) -> None:
    service = AnalysisService(analyzer=analyzer, budget=BUDGET)
    try:
        assert service.analyze(SHORT_TEXT, Article(id="a")) == analyzer.analyze(SHORT_TEXT, Article(id="a"))
        with pytest.raises(ArticleFailed) as failed:
            service.analyze(SLOW_TEXT, Article(id="slow"))
        assert failed.value.kind == "timeout" and "over 2 s" in str(failed.value)
        assert service._process is not None
        service._process.kill()
        service._process.join()
        assert service.analyze(SHORT_TEXT, Article(id="b")).statements
    finally:
        service.close()


def test_the_service_loads_its_own_pipeline_in_a_clean_process() -> None:
    """How the server runs it: no analyzer given, the service process starts through the forkserver and loads the
    pipeline itself; a model that cannot be loaded is one line."""
    service = AnalysisService(budget=BUDGET)
    broken = AnalysisService(model="no_such_spacy_model", budget=BUDGET)
    try:
        assert service.analyze(SHORT_TEXT, Article(id="a")).statements
        with pytest.raises(AnalyzerUnavailable) as unavailable:
            broken.analyze(SHORT_TEXT, Article(id="a"))
        assert "cannot load the spaCy pipeline 'no_such_spacy_model'" in str(unavailable.value)
        assert "\n" not in str(unavailable.value)
    finally:
        service.close()
        broken.close()


def test_budgets_of_the_command_line_options() -> None:
    assert Budget.of_options(30, 2, 1000) == Budget(seconds=30, memory=2 * 2**30, max_chars=1000)
    assert Budget.of_options(30, 0).memory is None  # 0: no memory limit
    with pytest.raises(ValueError, match="more than 0 seconds"):
        Budget.of_options(0)


def test_workers_send_the_statement_vectors_the_store_would_compute(analyzer: Any) -> None:
    pytest.importorskip("onnxruntime")
    from newsgraph.embeddings import statement_encoder

    with AnalysisPool(1, analyzer=analyzer, budget=BUDGET, statement_vectors=True) as pool:
        [outcome] = pool.analyse([task("short", SHORT_TEXT)])
    assert outcome.document is not None and outcome.document.statements
    contents = [s.content.text for s in outcome.document.statements]
    assert outcome.vectors is not None and set(outcome.vectors) == set(contents)
    for content, vector in zip(contents, statement_encoder().encode(contents), strict=True):
        np.testing.assert_allclose(outcome.vectors[content], vector, atol=1e-6)
    with AnalysisPool(1, analyzer=analyzer, budget=BUDGET) as pool:
        [outcome] = pool.analyse([task("short", SHORT_TEXT)])
    assert outcome.document is not None and outcome.vectors is None  # (not asked for)
