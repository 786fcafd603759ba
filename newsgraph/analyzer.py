"""The Python API: text (and article metadata) in, `Document` out.

    analyzer = Analyzer()
    doc = analyzer.analyze(text, published="2022-04-26", title="...")
    for doc in analyzer.analyze_many([text1, (text2, {"published": "2022-04-27"}), (text3, article)]):
        ...
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from functools import cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

import newsgraph.docinfo  # noqa: F401  (registers doc._.published)
from newsgraph.document import to_document
from newsgraph.limits import check_analysable
from newsgraph.pipeline import build_pipeline
from newsgraph.records import Article, Document
from newsgraph.timex import date_or_none

# What `analyze_many` takes for one article: its text, or its text with an Article or a mapping of its fields.
ArticleItem = str | tuple[str, Article | Mapping[str, Any] | None]


class Analyzer:
    """Holds one loaded pipeline; reuse it for many articles."""

    def __init__(self, model: str | None = None, use_tagger: bool = True) -> None:
        self.nlp: Language = build_pipeline(model, use_tagger=use_tagger)

    @staticmethod
    @cache
    def shared(model: str | None = None) -> Analyzer:
        return Analyzer(model)

    def analyze(self, text: str, article: Article | Mapping[str, Any] | None = None, *,
                published: str | date | None = None, **fields: Any) -> Document:
        """Analyse one article. Its metadata may come as an `Article`, a mapping of its fields, or by name:
        `analyze(text, published="2022-04-26", title="...", url="...")`; a name wins over the same field of
        `article`. ValueError for a bad field (a malformed date, an unknown name); `ArticleRefused` (a ValueError,
        one line) for a text that `limits.analysis_problem` refuses."""
        record = article_of(article, published=published, **fields)
        return to_document(self.nlp(self.make_doc(text, record)), record)

    def analyze_many(self, items: Iterable[ArticleItem], batch_size: int = 16) -> Iterator[Document]:
        """Analyse many articles with `nlp.pipe`; yields documents in input order. Each item is a text, or a
        pair of a text and its `Article` (or a mapping of its fields); texts without an id are numbered."""
        pairs = (self._text_and_article(item, number) for number, item in enumerate(items, 1))
        docs = ((self.make_doc(text, article), article) for text, article in pairs)
        for doc, article in self.nlp.pipe(docs, as_tuples=True, batch_size=batch_size):
            yield to_document(doc, article)

    @staticmethod
    def _text_and_article(item: ArticleItem, number: int) -> tuple[str, Article]:
        if isinstance(item, str):
            return item, Article(id=f"text-{number}")
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
            text, meta = item
            if isinstance(meta, Article):
                return text, meta
            return text, article_of(meta, id=(meta or {}).get("id") or f"text-{number}")
        raise TypeError(f"item {number} of analyze_many is a {type(item).__name__}: give a text or a "
                        "(text, Article or dict) pair")

    def make_doc(self, text: str, article: Article) -> Doc:
        """A tokenised Doc carrying the article's publication date for the components."""
        if not isinstance(text, str):
            raise TypeError(f"the text to analyse must be a str, not {type(text).__name__}")
        check_analysable(text, self.nlp.max_length)
        doc = self.nlp.make_doc(text)
        doc._.published = article.published
        return doc


def article_of(article: Article | Mapping[str, Any] | None = None, *, published: str | date | None = None,
               **fields: Any) -> Article:
    """An `Article` from an Article, a mapping of its fields and fields by name (the last win); the publication
    date may be a `date`, a `datetime` or a YYYY-MM-DD string."""
    values: dict[str, Any] = {}
    if isinstance(article, Article):
        values = article.model_dump()
    elif article is not None:
        values = dict(article)
    values.update({k: v for k, v in fields.items() if v is not None})
    if published is not None:
        values["published"] = published
    values.setdefault("id", "text")
    unknown = set(values) - set(Article.model_fields)
    if unknown:
        raise ValueError(f"unknown article field(s) {', '.join(sorted(unknown))}; "
                         f"an article has {', '.join(Article.model_fields)}")
    values["published"] = publication_date(values.get("published"))
    return Article(**values)


def publication_date(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and (day := date_or_none(value)):
        return day
    raise ValueError(f"published={value!r} is not a date: give YYYY-MM-DD, a date or a datetime")
