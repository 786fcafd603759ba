"""The full-text query language of `newsgraph search`, `/api/search`, `/api/statements` and the web pages,
defined once and turned into each back end's own query.

    putin "united states" trump OR biden -war -"red line"

* words are all required, and a "quoted phrase" is required as a phrase (an unclosed quote runs to the end);
* OR (in capitals) between two words or phrases requires either of them;
* a word or phrase with a leading `-` is excluded, wherever it stands: `-putin trump` is `trump -putin`;
* a query of only exclusions matches everything except them; a query with nothing to search for (no letters
  or digits) matches nothing.

Punctuation separates words (`pro-russian` is the phrase "pro russian"), so no query is a syntax error of
FTS5 or of PostgreSQL's tsquery: both get words only. Each back end stems words its own way (SQLite's porter
tokenizer; PostgreSQL's English configuration, which also drops stop words such as "the").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import reduce

from sqlalchemy import ColumnElement, Integer, false, func, literal_column, not_, text
from sqlalchemy.sql.selectable import TextualSelect

Phrase = tuple[str, ...]  # the words of a word or phrase, in order

# A quoted phrase (optionally excluded, possibly unclosed), or anything else up to the next space.
_TOKEN = re.compile(r'-?"[^"]*"?|[^\s"]+')
# Letters and digits: what FTS5's unicode61 tokenizer and PostgreSQL's parser keep as words.
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class TextQuery:
    """A parsed query: every group of `required` must match (one of its phrases), no phrase of `excluded` may."""

    required: tuple[tuple[Phrase, ...], ...] = ()
    excluded: tuple[Phrase, ...] = ()

    @property
    def empty(self) -> bool:
        """Nothing to search for: such a query matches nothing."""
        return not self.required and not self.excluded

    def fts5_required(self) -> str:
        """The FTS5 expression that the required part matches ('' when there is none)."""
        return " AND ".join("(" + " OR ".join(map(_fts5_phrase, group)) + ")" for group in self.required)

    def fts5_excluded(self) -> str:
        """The FTS5 expression matching any excluded phrase ('' when there is none)."""
        return " OR ".join(map(_fts5_phrase, self.excluded))

    def fts5_match(self) -> str:
        """The one FTS5 expression of a query with a required part (FTS5's NOT needs something on its left)."""
        if self.excluded:
            return f"({self.fts5_required()}) NOT ({self.fts5_excluded()})"
        return self.fts5_required()


def parse(query: str) -> TextQuery:
    """The query language above; any string parses."""
    groups: list[list[Phrase]] = []
    excluded: set[Phrase] = set()
    joining = False  # an OR came after a required phrase
    for token in _TOKEN.findall(query):
        if token == "OR":
            joining = bool(groups)
            continue
        negated = token.startswith("-")
        words = tuple(_WORD.findall(token))
        if not words:
            continue
        if negated:
            excluded.add(words)
        elif joining:
            groups[-1].append(words)
        else:
            groups.append([words])
        joining = False
    return TextQuery(tuple(tuple(g) for g in groups), tuple(sorted(excluded)))


def _fts5_phrase(words: Phrase) -> str:
    # Words are letters and digits only, so a quoted phrase of them is never FTS5 syntax.
    return '"' + " ".join(words) + '"'


# --- SQLite FTS5 -------------------------------------------------------------------------------------------

def _fts5_rowids(fts: str, param: str) -> str:
    return f"SELECT rowid FROM {fts} WHERE {fts} MATCH :{param}"


def sqlite_condition(id_column: ColumnElement[int], fts: str, parsed: TextQuery) -> ColumnElement[bool]:
    """That a row (by its id, the rowid of its external-content FTS5 table `fts`) matches the query."""
    param = f"q_{fts}"

    def rowids(expression: str) -> TextualSelect:
        return text(_fts5_rowids(fts, param)).bindparams(**{param: expression}).columns(rowid=Integer)

    if parsed.required:
        return id_column.in_(rowids(parsed.fts5_match()))
    if parsed.excluded:
        return id_column.not_in(rowids(parsed.fts5_excluded()))
    return false()


def sqlite_ids_sql(table: str, fts: str, parsed: TextQuery, param: str) -> tuple[str, dict[str, str]]:
    """SQL selecting (as `id`) the ids of the rows of `table` that match, and the value of its parameter."""
    if parsed.required:
        return _fts5_rowids(fts, param).replace("rowid", "rowid AS id", 1), {param: parsed.fts5_match()}
    if parsed.excluded:
        return f"SELECT id FROM {table} WHERE id NOT IN ({_fts5_rowids(fts, param)})", {param: parsed.fts5_excluded()}
    return f"SELECT id FROM {table} WHERE 0", {}


# --- PostgreSQL --------------------------------------------------------------------------------------------

def _tsquery(words: Phrase) -> ColumnElement[str]:
    return func.phraseto_tsquery("english", " ".join(words))


def _any_of(phrases: tuple[Phrase, ...]) -> ColumnElement[str]:
    return reduce(func.tsquery_or, map(_tsquery, phrases))


def postgres_condition(tsv_column: str, parsed: TextQuery) -> ColumnElement[bool]:
    """That a row's stored tsvector matches the query: the tsquery built from the parse with bound values
    (tsquery_and, tsquery_or and tsquery_not are the functions behind its &&, || and !! operators)."""
    tsv: ColumnElement[str] = literal_column(tsv_column)

    def matches(tsquery: ColumnElement[str]) -> ColumnElement[bool]:
        return tsv.bool_op("@@")(tsquery)

    if parsed.empty:
        return false()
    if not parsed.required:
        return not_(matches(_any_of(parsed.excluded)))
    wanted = reduce(func.tsquery_and, map(_any_of, parsed.required))
    if parsed.excluded:
        wanted = func.tsquery_and(wanted, func.tsquery_not(_any_of(parsed.excluded)))
    return matches(wanted)
