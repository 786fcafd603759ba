"""How stored rows and records meet, without the writer's machinery (MinHash, linking): the read side and
the exports import this, so `newsgraph search` and `export` load neither datasketch nor NumPy."""

from __future__ import annotations

from typing import Any

from newsgraph.records import Article


def article_record(row: Any) -> Article:
    return Article(id=row.key, title=row.title, published=row.published, publisher=row.publisher,
                   author=row.author, url=row.url, licence=row.licence, credit=row.credit)


def sentence_bounds(text: str, offset: int) -> tuple[int, int]:
    """The sentence around an offset, by sentence-final punctuation or line breaks."""
    start = max(text.rfind(". ", 0, offset), text.rfind("\n", 0, offset), text.rfind("? ", 0, offset),
                text.rfind("! ", 0, offset))
    start = 0 if start < 0 else start + 1
    ends = [i for i in (text.find(". ", offset), text.find("\n", offset), text.find("? ", offset),
                        text.find("! ", offset)) if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    return start + (len(text[start:end]) - len(text[start:end].lstrip())), end
