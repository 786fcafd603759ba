"""Readers that turn files, folders, stdin, URLs, feeds and web archives into articles to analyse.

`read_sources` takes each source for what it is and hands it to the reader for its format, one module
each: `text` (plain-text files and stdin), `html` (pages, through trafilatura), `jsonl` (one article a
line), `feeds` (RSS and Atom, each entry's page fetched), `warc` (web archives, WARC and ARC) and `fetch`
(HTTP, from public addresses only unless allowed: `addresses`).
Every reader yields `ArticleInput` for a good article and `InputProblem` for a bad one, so a batch
reports each bad input in one line and goes on with the rest; no reader lets an exception out for a bad
input. Plain texts are never altered: every offset newsgraph reports is an offset into exactly the text.
"""

from __future__ import annotations

from newsgraph.ingest.base import (
    DEFAULT_MAX_BYTES,
    ArticleInput,
    InputProblem,
    Item,
    NotText,
    check_text_bytes,
    decode_text,
    parse_date,
)
from newsgraph.ingest.fetch import Fetcher, FetchError, FetchResult
from newsgraph.ingest.sources import read_sources

# The name the command line and older callers use.
read_inputs = read_sources

__all__ = [
    "DEFAULT_MAX_BYTES",
    "ArticleInput",
    "FetchError",
    "FetchResult",
    "Fetcher",
    "InputProblem",
    "Item",
    "NotText",
    "check_text_bytes",
    "decode_text",
    "parse_date",
    "read_inputs",
    "read_sources",
]
