"""newsgraph: turn news reports into a sourced, structured record of who said what.

    >>> import newsgraph
    >>> doc = newsgraph.analyze("Putin said the talks had stalled.", published="2022-04-26")
    >>> doc.statements[0].speaker.name
    'Putin'
"""

from __future__ import annotations

from newsgraph.records import SCHEMA_VERSION, Article, Document

__version__ = "0.1.0"
__all__ = ["SCHEMA_VERSION", "Analyzer", "Article", "Document", "analyze"]


def analyze(text: str, published: str | None = None, article_id: str = "text", model: str | None = None) -> Document:
    """Analyse one article's text and return its newsgraph document."""
    from newsgraph.analyzer import Analyzer

    return Analyzer.shared(model).analyze(text, Article(id=article_id, published=published))


def __getattr__(name: str) -> object:
    if name == "Analyzer":
        from newsgraph.analyzer import Analyzer

        return Analyzer
    raise AttributeError(name)
