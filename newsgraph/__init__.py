"""newsgraph: turn news reports into a sourced, structured record of who said what.

    >>> import newsgraph
    >>> doc = newsgraph.analyze("Putin said the talks had stalled.", published="2022-04-26")
    >>> doc.statements[0].speaker.name
    'Putin'

The names below are imported when first used, so that `import newsgraph` (and the command line's
help) does not load pydantic, spaCy or the pipeline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import date

    from newsgraph.analyzer import Analyzer
    from newsgraph.records import SCHEMA_VERSION, Article, Document

__version__ = "0.1.0"
__all__ = ["SCHEMA_VERSION", "Analyzer", "Article", "Document", "analyze"]


def analyze(text: str, published: str | date | None = None, *, model: str | None = None,
            **article: Any) -> Document:
    """Analyse one article's text and return its newsgraph document.

    `published` is the publication date (YYYY-MM-DD or a `date`); the other article fields (`id`, `title`,
    `url`, `publisher`, `author`, `licence`, `credit`) may be given by name. The pipeline is loaded once and kept
    for later calls; `Analyzer(model=...)` holds one of your own."""
    from newsgraph.analyzer import Analyzer

    return Analyzer.shared(model).analyze(text, published=published, **article)


def __getattr__(name: str) -> object:
    if name == "Analyzer":
        from newsgraph.analyzer import Analyzer

        return Analyzer
    if name in {"SCHEMA_VERSION", "Article", "Document"}:
        import newsgraph.records

        return getattr(newsgraph.records, name)
    raise AttributeError(f"module 'newsgraph' has no attribute {name!r}")
