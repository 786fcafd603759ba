"""Progress of a long run: articles done of the total, rate and time left, so a long run is never silent.

On a terminal it is a live Rich bar; elsewhere (a log file, CI, `2> run.log`) a plain line every
`PLAIN_EVERY` seconds, so short runs print nothing extra.
"""

from __future__ import annotations

import time
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

PLAIN_EVERY = 15.0  # seconds between two plain progress lines


def eta_phrase(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


class BatchProgress:
    """`update(done, detail)` as articles finish; `total` None when the inputs cannot be counted ahead (feeds)."""

    def __init__(self, console: Console, verb: str, total: int | None, enabled: bool = True) -> None:
        self.console, self.verb, self.total = console, verb, total
        self.enabled = enabled
        self.started = time.monotonic()
        self.last_plain = self.started
        self.bar: Progress | None = None
        if enabled and console.is_terminal:
            self.bar = self._rich_bar()

    def _rich_bar(self) -> Progress:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        columns = [SpinnerColumn(), TextColumn(self.verb), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                   TextColumn("{task.fields[detail]}")]
        bar = Progress(*columns, console=self.console, transient=True)
        self.task = bar.add_task(self.verb, total=self.total, rate="", detail="loading the pipeline")
        return bar

    def __enter__(self) -> BatchProgress:
        if self.bar is not None:
            self.bar.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.bar is not None:
            self.bar.__exit__(kind, value, tb)

    def print(self, line: str) -> None:
        """A message above the bar (the bar redraws below it)."""
        self.console.print(line, markup=False, highlight=False)

    def rate(self, done: int) -> float:
        return done / max(time.monotonic() - self.started, 1e-9)

    def update(self, done: int, detail: str = "") -> None:
        if not self.enabled:
            return
        if self.total is not None and done > self.total:  # the count ahead was an estimate (a text that held a feed)
            self.total = None
        rate = self.rate(done)
        if self.bar is not None:
            self.bar.update(self.task, completed=done, total=self.total, rate=f"{rate:.1f}/s", detail=detail)
            return
        now = time.monotonic()
        if now - self.last_plain >= PLAIN_EVERY:
            self.last_plain = now
            self.print(f"newsgraph: {self.plain_line(done, rate)}" + (f"; {detail}" if detail else ""))

    def plain_line(self, done: int, rate: float) -> str:
        if self.total is None:
            return f"{self.verb} {done} articles ({rate:.1f}/s)"
        left = f", about {eta_phrase((self.total - done) / rate)} left" if rate > 0 and done < self.total else ""
        return f"{self.verb} {done} of {self.total} articles ({rate:.1f}/s{left})"
