"""Boilerplate and provenance: licence and copyright lines, datelines, bylines and credit lines.

The `newsgraph_boilerplate` component marks these stretches on `doc._.boilerplate` (so that no
statement or event is read from them) and reads what they say about the article into
`doc._.provenance` (publisher, licence, credit), which fills `article.publisher`, `article.licence`
and `article.credit` where the input did not give them.

The patterns are written from the conventions of wire copy and republished news (AP, Reuters, AFP
datelines; "Reporting by ...; Editing by ..."; Creative Commons notices), not from one article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.docinfo import text_of
from newsgraph.plain import set_plain_extension

_NAME = r"[A-Z][\w&.'’-]*(?:\s+(?:of|the|and|&|[A-Z][\w&.'’-]*))*"
LICENCE_LINE = re.compile(
    r"(?:(?:All\s+)?(?:content|contents|this\s+(?:article|story|work|post))\s+(?:by|from|of)\s+(?P<publisher>"
    + _NAME
    + r")\s+(?:is|are)\s+)?licen[sc]ed\s+under\s+(?:a|the)\s+(?P<licence>Creative\s+Commons[\w\s.,-]*?"
    r"(?:Licen[sc]e|\d\.\d)(?:\s+\([^)]*\))?)\.?",
    re.IGNORECASE,
)
COPYRIGHT_LINE = re.compile(
    r"(?:©|\(c\)|Copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s+)?(?P<publisher>[A-Z][^\n.,©]{1,60}?)"
    r"(?:[.,]\s*|\s*$)(?P<rights>All\s+rights\s+reserved\.?)?",
    re.MULTILINE,
)
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’-]+(?:[ -][A-Z][A-Z.'’-]+)*)(?:,\s+(?P<region>[A-Z][\w.]+(?:\s+[A-Z][\w.]+)?))?"
    r"(?:,?\s+(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}))?"
    r"\s*(?:\((?P<agency>[A-Za-z][\w .&-]{1,30})\))?\s*[—–-]{1,2}\s*",
    re.MULTILINE,
)
BYLINE = re.compile(r"^\s*By\s+(?P<names>[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|and|de|van|von))*)"
                    r"(?:,\s*(?P<outlet>[^\n]{2,60}))?\s*$", re.MULTILINE)
CREDIT_LINE = re.compile(
    r"\(?\s*(?:Reporting|Additional\s+reporting|Writing|Editing|Compiled)\s+by\s+[^\n)]+\)?",
    re.IGNORECASE,
)
FOLLOW_LINE = re.compile(r"^\s*Follow\s+[^\n]{1,60}\s+on\s+(?:Twitter|X|Facebook|Instagram)[^\n]*$",
                         re.MULTILINE | re.IGNORECASE)
LICENCE_PARTS = (("attribution", "BY"), ("noncommercial", "NC"), ("non-commercial", "NC"),
                 ("sharealike", "SA"), ("share-alike", "SA"), ("share alike", "SA"),
                 ("noderivatives", "ND"), ("no derivatives", "ND"), ("noderivs", "ND"))


@dataclass
class Provenance:
    publisher: str | None = None
    licence: str | None = None
    credit: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Boilerplate:
    start: int
    end: int
    kind: str  # licence, copyright, dateline, byline, credit, follow


set_plain_extension("boilerplate")
set_plain_extension("provenance")


@Language.factory("newsgraph_boilerplate", default_config={})
def make_boilerplate_finder(nlp: Language, name: str) -> BoilerplateFinder:
    return BoilerplateFinder()


class BoilerplateFinder:
    def __call__(self, doc: Doc) -> Doc:
        spans, provenance = find_boilerplate(text_of(doc))
        doc._.boilerplate = spans
        doc._.provenance = provenance
        return doc


def find_boilerplate(text: str) -> tuple[list[Boilerplate], Provenance]:
    found: list[Boilerplate] = []
    prov = Provenance()
    for m in LICENCE_LINE.finditer(text):
        found.append(Boilerplate(m.start(), m.end(), "licence"))
        prov.licence = prov.licence or short_licence(m["licence"])
        prov.publisher = prov.publisher or clean(m["publisher"])
    for m in COPYRIGHT_LINE.finditer(text):
        found.append(Boilerplate(m.start(), m.end(), "copyright"))
        prov.publisher = prov.publisher or clean(m["publisher"])
        if m["rights"]:
            prov.licence = prov.licence or "All rights reserved"
    for m in DATELINE.finditer(text):
        if is_dateline(m):
            found.append(Boilerplate(m.start(), m.end(), "dateline"))
            if m["agency"]:
                prov.credit.append(m["agency"].strip())
    for m in BYLINE.finditer(text):
        found.append(Boilerplate(m.start(), m.end(), "byline"))
        prov.credit.append(m["names"].strip())
    for m in CREDIT_LINE.finditer(text):
        found.append(Boilerplate(m.start(), m.end(), "credit"))
        prov.credit.append(m.group(0).strip(" ()"))
    for m in FOLLOW_LINE.finditer(text):
        found.append(Boilerplate(m.start(), m.end(), "follow"))
    found.sort(key=lambda b: (b.start, b.end))
    return found, prov


def is_dateline(m: re.Match[str]) -> bool:
    """A place in capitals before a dash; a longer capitalised line is a section heading."""
    words = m["place"].split()
    if len(m["place"]) < 3 or len(m["place"]) > 25:
        return False
    return bool(m["agency"] or m["region"] or m["date"]) or len(words) <= 2


def short_licence(name: str) -> str:
    """'Creative Commons Attribution 4.0 International License' -> 'CC BY 4.0'."""
    low = name.casefold()
    parts = []
    for word, code in LICENCE_PARTS:
        if word in low and code not in parts:
            parts.append(code)
    version = re.search(r"\d\.\d", name)
    if not parts:
        return clean(name) or name
    return " ".join(["CC", "-".join(parts), *([version.group(0)] if version else [])])


def clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = re.sub(r"\s+", " ", value).strip(" .,")
    return value or None


def inside_boilerplate(doc: Doc, start: int, end: int) -> bool:
    """Whether [start, end) lies mostly in a boilerplate stretch of the doc."""
    for b in doc._.boilerplate or []:
        overlap = min(end, b.end) - max(start, b.start)
        if overlap > 0 and overlap >= 0.5 * (end - start):
            return True
    return False
