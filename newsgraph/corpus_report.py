"""Printing corpus results for people: the ingest progress line, search hits, an actor's record."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from newsgraph.corpus import IngestReport
from newsgraph.records import EventActor
from newsgraph.report import clip
from newsgraph.store.query import ActorView, EventHit, SearchResult, StatementHit


class IngestProgress:
    """A live line: articles done, rate, and how many were stored, linked as duplicates, skipped, failed."""

    def __init__(self, console: Console, disable: bool = False) -> None:
        self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                                 console=console, disable=disable, transient=True)
        self.task = self.progress.add_task("starting (loading the pipeline)", total=None)

    def __enter__(self) -> IngestProgress:
        self.progress.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.progress.__exit__(kind, value, tb)

    def update(self, report: IngestReport) -> None:
        self.progress.update(self.task, description=(
            f"{report.done} articles  {report.rate:.1f}/s  stored {report.stored}  duplicates {report.duplicates}"
            f"  already stored {report.existing}  failed {report.failed}"))


def statement_hits_table(hits: list[StatementHit], title: str) -> Table:
    table = Table(title=title, expand=True)
    table.add_column("date", no_wrap=True)
    table.add_column("speaker", ratio=1, max_width=26)
    table.add_column("kind", no_wrap=True)
    table.add_column("content", ratio=4)
    table.add_column("certainty", no_wrap=True)
    table.add_column("article", ratio=1, max_width=28)
    for hit in hits:
        st = hit.statement
        table.add_row(hit.day or "", st.speaker.name if st.speaker else "", st.kind, clip(st.content.text, 160),
                      st.certainty, f"{hit.article.key} {st.id}")
    return table


def who(refs: list[EventActor]) -> str:
    return "; ".join(r.name for r in refs)


def event_hits_table(hits: list[EventHit], title: str) -> Table:
    table = Table(title=title, expand=True)
    table.add_column("date", no_wrap=True)
    table.add_column("type", no_wrap=True)
    table.add_column("actor", ratio=1, max_width=26)
    table.add_column("recipient", ratio=1, max_width=26)
    table.add_column("where", max_width=18)
    table.add_column("sentence", ratio=4)
    table.add_column("certainty", no_wrap=True)
    table.add_column("article", ratio=1, max_width=28)
    for hit in hits:
        ev = hit.event
        table.add_row(hit.day or "", ev.type, who(ev.actors), who(ev.recipients),
                      ev.location.name if ev.location else "", clip(hit.sentence, 140), ev.certainty,
                      f"{hit.article.key} {ev.id}")
    return table


def print_search(console: Console, result: SearchResult) -> None:
    if not result.statements and not result.events:
        console.print("No statements or events match.")
        return
    if result.statements:
        console.print(statement_hits_table(result.statements, f"Statements ({len(result.statements)} shown)"))
    if result.events:
        console.print(event_hits_table(result.events, f"Events ({len(result.events)} shown)"))


def print_actor(console: Console, view: ActorView, others: list[tuple[int, str, str, int]], why: bool) -> None:
    console.rule(f"{view.name}  ·  {view.type}  ·  actor {view.id}  ·  {len(view.articles)} article(s)")
    console.print("Names seen: " + "; ".join(f"{name} ({n})" for name, n in view.names), markup=False)
    if view.titles:
        console.print("Titles and roles: " + "; ".join(view.titles), markup=False)
    if view.said:
        console.print(statement_hits_table(view.said, f"Said ({len(view.said)})"))
    if view.addressed:
        console.print("Addressed: " + "; ".join(f"{name} ({n})" for name, n in view.addressed), markup=False)
    if view.did:
        console.print(event_hits_table(view.did, f"Did ({len(view.did)})"))
    if view.undergone:
        console.print(event_hits_table(view.undergone, f"Done to it ({len(view.undergone)})"))
    if view.talked_about_by:
        console.print("Talked about by: " + "; ".join(f"{name} ({n})" for name, n in view.talked_about_by),
                      markup=False)
    if why:
        table = Table(title="Why each mention is this actor", expand=True)
        for column in ("article", "name", "rule", "evidence"):
            table.add_column(column)
        for row in view.links:
            table.add_row(*row)
        console.print(table)
    if others:
        console.print("Other actors with that name: " + "; ".join(f"{name} ({kind}, actor {i}, {n} articles)"
                                                                   for i, name, kind, n in others), markup=False)
