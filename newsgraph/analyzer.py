"""The Python API: text (and article metadata) in, `Document` out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

import newsgraph.docinfo  # noqa: F401  (registers doc._.published)
from newsgraph.document import to_document
from newsgraph.limits import check_analysable
from newsgraph.pipeline import build_pipeline
from newsgraph.records import Article, Document


class Analyzer:
    """Holds one loaded pipeline; reuse it for many articles."""

    def __init__(self, model: str | None = None, use_tagger: bool = True) -> None:
        self.nlp: Language = build_pipeline(model, use_tagger=use_tagger)

    @staticmethod
    @cache
    def shared(model: str | None = None) -> Analyzer:
        return Analyzer(model)

    def analyze(self, text: str, article: Article | None = None) -> Document:
        """The text's Document; `ArticleRefused` (a ValueError, one line) for a text `analysis_problem` refuses."""
        article = article or Article(id="text")
        return to_document(self.nlp(self.make_doc(text, article)), article)

    def analyze_many(self, items: Iterable[tuple[str, Article]], batch_size: int = 16) -> Iterator[Document]:
        """Analyse many articles with `nlp.pipe`; yields documents in input order."""
        pairs = ((self.make_doc(text, article), article) for text, article in items)
        for doc, article in self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
            yield to_document(doc, article)

    def make_doc(self, text: str, article: Article) -> Doc:
        """A tokenised Doc carrying the article's publication date for the components."""
        check_analysable(text, self.nlp.max_length)
        doc = self.nlp.make_doc(text)
        doc._.published = article.published
        return doc
