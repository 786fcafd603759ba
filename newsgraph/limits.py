"""What newsgraph agrees to analyse: one size limit for the readers and the pipeline, and texts refused early.

`MAX_ARTICLE_CHARS` is the readers' default `--max-bytes` and the pipeline's `nlp.max_length`: UTF-8 never takes
fewer bytes than characters, so a text that passes the readers' limit also passes the pipeline's, and a larger
one is refused in one line (never spaCy's multi-line E088).

`analysis_problem` refuses, before any work, the texts on which spaCy's tokenizer blows up. The tokenizer splits a
run of characters without whitespace by peeling prefixes and suffixes off it one at a time, searching the rest of
the run again after each: a run that splits into many pieces costs time quadratic in its length, and it holds the
GIL all along. Measured on the tokenizer alone (benchmarks/workers.py --tokenizer, an idle 2-core machine): runs of
nested brackets take 0.03 s at 500 characters, 0.45 s at 2,000, 1.8 s at 4,000 and 6.6 s at 8,000 (the audit's
quote at 8 kB 7.2 s, at 40 kB minutes); a 200,000-character run of random letters and punctuation 9.5 s, the same
characters with a space after every tenth 0.8 s: whitespace-separated text is linear. The longest run in every
corpus text at hand (the PolNeAR, dates, geo and stance corpora: about 35 MB of news) is 226 characters (a line of
JavaScript in a scraped page), URLs 180: so a run over `MAX_UNBROKEN_CHARS` (where the worst case costs ~0.1 s) is
refused as not prose. A text under these limits can still be slow (thousands of runs just
under the limit); the time and memory budgets of `newsgraph.workers` stop those.
"""

from __future__ import annotations

import re

MAX_ARTICLE_CHARS = 5_000_000
MAX_UNBROKEN_CHARS = 1_000

# A run starts after whitespace (or at the start): the look-behind keeps the search linear, since a position
# inside a run fails at once instead of scanning on to the run's end again.
_LONG_RUN = re.compile(rf"(?<!\S)\S{{{MAX_UNBROKEN_CHARS + 1}}}")


class ArticleRefused(ValueError):
    """A text newsgraph will not analyse; the message is the one line to show."""


def analysis_problem(text: str, max_chars: int = MAX_ARTICLE_CHARS) -> str | None:
    """Why this text is not analysed, in one line, or None when it is analysed."""
    if len(text) > max_chars:
        return (f"text is {len(text):,} characters, over the limit of {max_chars:,} "
                "(raise it with --max-bytes)")
    run = _LONG_RUN.search(text)
    if run:
        end = re.compile(r"\s").search(text, run.start())
        length = (end.start() if end else len(text)) - run.start()
        return (f"text has {length:,} characters without a space at character {run.start():,}: not prose, and "
                f"the tokenizer would take quadratic time on it (runs of at most {MAX_UNBROKEN_CHARS:,} are "
                "analysed)")
    return None


def check_analysable(text: str, max_chars: int = MAX_ARTICLE_CHARS) -> None:
    """Raise `ArticleRefused` for a text `analysis_problem` refuses."""
    problem = analysis_problem(text, max_chars)
    if problem:
        raise ArticleRefused(problem)
