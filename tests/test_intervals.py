"""Intervals: the items overlapping, starting in or nearest a range, found by bisection, are those a
scan of every item finds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as hs

from newsgraph.intervals import Intervals

Ranges = list[tuple[int, int]]
ranges = hs.lists(hs.tuples(hs.integers(0, 60), hs.integers(0, 12)).map(lambda sn: (sn[0], sn[0] + sn[1])),
                  max_size=15)
probe = hs.tuples(hs.integers(0, 70), hs.integers(1, 10)).map(lambda sn: (sn[0], sn[0] + sn[1]))


def index(items: Ranges) -> Intervals[tuple[int, int]]:
    return Intervals(items, lambda r: r[0], lambda r: r[1])


@given(ranges, probe)
def test_overlapping_is_what_a_scan_finds(items: Ranges, lo_hi: tuple[int, int]) -> None:
    lo, hi = lo_hi
    assert sorted(index(items).overlapping(lo, hi)) == sorted(r for r in items if r[0] < hi and r[1] > lo)


@given(ranges, probe)
def test_starting_in_keeps_the_given_order_on_ties(items: Ranges, lo_hi: tuple[int, int]) -> None:
    lo, hi = lo_hi
    found = index(items).starting_in(lo, hi)
    assert found == sorted((r for r in items if lo <= r[0] < hi), key=lambda r: r[0])


@given(ranges, probe, hs.integers(0, 20))
def test_nearest_is_the_first_nearest_a_scan_finds(items: Ranges, lo_hi: tuple[int, int], reach: int) -> None:
    lo, hi = lo_hi

    def distance(r: tuple[int, int]) -> int:
        return lo - r[1] if r[1] <= lo else r[0] - hi if r[0] >= hi else 0

    in_order = sorted(items, key=lambda r: r[0])  # the order the spans of an article come in
    best = min(in_order, key=distance, default=None)
    expected = best if best is not None and distance(best) <= reach else None
    assert index(items).nearest(lo, hi, reach) == expected


def test_a_grown_item_is_still_found_from_far_on() -> None:
    items = [[0, 2], [10, 12]]
    found = Intervals(items, lambda r: r[0], lambda r: r[1])
    items[0][1] = 30  # a statement's content extended past the next one
    found.grown(items[0])
    assert found.overlapping(25, 26) == [items[0]]
