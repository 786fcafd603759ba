"""The human-readable `analyze` report: Rich tables of an article's statements, actors, events, places, dates
and amounts."""

from __future__ import annotations

from collections import Counter
from datetime import date

from rich.console import Console
from rich.table import Table

from newsgraph.cli.common import clip
from newsgraph.records import LOW_CONFIDENCE, DateRef, Document, EventActor
from newsgraph.timex import timex_start

CONTENT_WIDTH = 90


def confidence_cell(value: float | None) -> str:
    """Two decimals; a doubtful record's marked with "?" in yellow; blank where unknown."""
    if value is None:
        return ""
    return f"[yellow]{value:.2f}?[/yellow]" if value < LOW_CONFIDENCE else f"{value:.2f}"


def statements_table(document: Document) -> Table:
    table = Table(title=f"Statements ({len(document.statements)})", show_lines=False, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("speaker", ratio=1, max_width=28)
    table.add_column("cue", max_width=14)
    table.add_column("kind", no_wrap=True)
    table.add_column("content", ratio=4, min_width=30)
    table.add_column("to / via", ratio=1, max_width=24)
    table.add_column("conf", justify="right", no_wrap=True)
    for st in document.statements:
        speaker = ""
        if st.speaker is not None:
            name, mention = st.speaker.name, st.speaker.text
            speaker = name if mention in name or name in mention else f"{name} ({mention})"
        extra = []
        if st.addressee is not None:
            extra.append(f"to {st.addressee.name}")
        if st.channel is not None:
            extra.append(st.channel.text)
        if st.via is not None:
            extra.append(f"via {st.via.name}")
        if st.date is not None:
            extra.append(st.date.value)
        table.add_row(st.id.lstrip("S"), speaker, st.cue.text if st.cue else "", st.kind,
                      clip(st.content.text, CONTENT_WIDTH * 2), "; ".join(extra), confidence_cell(st.confidence))
    return table


def actors_table(document: Document) -> Table:
    table = Table(title=f"Actors ({len(document.entities)})", expand=True)
    table.add_column("id", no_wrap=True)
    table.add_column("name", ratio=1, max_width=30)
    table.add_column("type", no_wrap=True)
    table.add_column("titles and roles", ratio=1, max_width=30)
    table.add_column("mentions", ratio=3, min_width=20)
    for e in document.entities:
        counts = Counter(m.text for m in e.mentions)
        mentions = ", ".join(f"{t} ×{n}" if n > 1 else t for t, n in counts.most_common())
        table.add_row(e.id, e.name, e.type, "; ".join(e.titles), mentions)
    return table


def places_table(document: Document) -> Table:
    table = Table(title=f"Places ({len(document.places)})", expand=True)
    for name in ("text", "place", "feature", "country", "lat", "lon"):
        table.add_column(name, justify="right" if name in {"lat", "lon"} else "left")
    for p in document.places:
        table.add_row(p.text, p.name, p.feature, p.country or "",
                      "" if p.lat is None else f"{p.lat:.3f}", "" if p.lon is None else f"{p.lon:.3f}")
    return table


def dates_table(document: Document) -> Table:
    """Dates in timeline order (by value; unresolved values last), with where they were written."""
    table = Table(title=f"Dates ({len(document.dates)})", expand=True)
    table.add_column("value", no_wrap=True)
    table.add_column("text")
    table.add_column("offset", justify="right")
    def position(d: DateRef) -> tuple[bool, date, int]:
        start = timex_start(d.value)
        return start is None, start or date.max, d.start

    for d in sorted(document.dates, key=position):
        table.add_row(d.value, d.text, str(d.start))
    return table


def amounts_table(document: Document) -> Table:
    table = Table(title=f"Amounts ({len(document.amounts)})", expand=True)
    for name in ("text", "value", "unit", "qualifier"):
        table.add_column(name, justify="right" if name == "value" else "left")
    for a in document.amounts:
        table.add_row(a.text, f"{a.value:,.0f}" if a.value == int(a.value) else f"{a.value:,}", a.unit,
                      a.approximation or "")
    return table


def events_table(document: Document) -> Table:
    """Events in text order: type (and mode), who, to whom, where, when, per which statement, how sure."""
    table = Table(title=f"Events ({len(document.events)})", expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("type", min_width=7)
    table.add_column("trigger", min_width=6, max_width=16)
    table.add_column("actor", ratio=1, min_width=10, max_width=30)
    table.add_column("recipient", ratio=1, min_width=10, max_width=30)
    table.add_column("place", min_width=6, max_width=18)
    table.add_column("date", min_width=7)
    table.add_column("source", no_wrap=True)
    table.add_column("certainty", min_width=8)
    table.add_column("conf", justify="right", no_wrap=True)

    def who(refs: list[EventActor]) -> str:
        return "; ".join(f"{r.name} ({r.code})" if r.code else r.name for r in refs)

    for ev in document.events:
        date = ev.date.value if ev.date is not None else (f"({document.article.published})"
                                                          if ev.date_is_publication else "")
        table.add_row(ev.id.lstrip("V"), ev.type + (f"/{ev.mode}" if ev.mode else ""), ev.trigger.text,
                      who(ev.actors), who(ev.recipients), ev.location.name if ev.location else "", date,
                      ev.source or "", ev.certainty, confidence_cell(ev.confidence))
    return table


def print_report(console: Console, document: Document, title: str | None = None) -> None:
    article = document.article
    heading = title or article.id
    if article.published:
        heading += f"  ·  published {article.published}"
    console.rule(heading)
    console.print(statements_table(document))
    console.print(actors_table(document))
    if document.events:
        console.print(events_table(document))
    for table, rows in ((places_table, document.places), (dates_table, document.dates),
                        (amounts_table, document.amounts)):
        if rows:
            console.print(table(document))
