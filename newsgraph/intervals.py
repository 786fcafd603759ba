"""Items that cover a range of positions (token or character offsets), found by where they lie.

A long article has thousands of statements, spans and dates, and a component that asks, for each of them,
"which of the others overlap this one?" by scanning them all is quadratic in the article's length. An
`Intervals` keeps the items sorted by start and answers by bisection, reaching back by the longest
item's length for the ones that start before the range and run into it.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T")


class Intervals(Generic[T]):
    """`items` with their [start, end) ranges, read by `start` and `end`; in order of start, ties kept in
    the order given. An item whose end grows later (a statement's content extended) must be reported
    with `grown` so that the reach back stays long enough."""

    def __init__(self, items: Iterable[T], start: Callable[[T], int], end: Callable[[T], int]) -> None:
        ordered = sorted(enumerate(items), key=lambda ix: (start(ix[1]), ix[0]))
        self._items = [x for _, x in ordered]
        self._starts = [start(x) for x in self._items]
        self._start, self._end = start, end
        self.longest = max((end(x) - start(x) for x in self._items), default=0)

    def __len__(self) -> int:
        return len(self._items)

    def starting_in(self, lo: int, hi: int) -> list[T]:
        """The items that start at lo or after and before hi."""
        return self._items[bisect.bisect_left(self._starts, lo) : bisect.bisect_left(self._starts, hi)]

    def overlapping(self, lo: int, hi: int) -> list[T]:
        """The items that share at least one position with [lo, hi)."""
        return [x for x in self.starting_in(lo - self.longest + 1, hi) if self._end(x) > lo and self._start(x) < hi]

    def nearest(self, lo: int, hi: int, max_distance: int) -> T | None:
        """The item nearest [lo, hi) (0 when it overlaps, else the gap), the first in order on a tie,
        when within max_distance."""
        def distance(x: T) -> int:
            if self._end(x) <= lo:
                return lo - self._end(x)
            if self._start(x) >= hi:
                return self._start(x) - hi
            return 0

        near = self.starting_in(lo - self.longest - max_distance, hi + max_distance + 1)
        best = min(near, key=distance, default=None)
        return best if best is not None and distance(best) <= max_distance else None

    def grown(self, item: T) -> None:
        self.longest = max(self.longest, self._end(item) - self._start(item))
