"""benchmarks/scale.py's arithmetic: the start-up-free rate from a long and a short run, the scaling efficiency,
and the core-hours and wall-clock of a corpus on a cluster (no command is run, nothing is timed)."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO


def load_benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("scale_benchmark", REPO / "benchmarks" / "scale.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # (dataclasses look their module up)
    spec.loader.exec_module(module)
    return module


scale = load_benchmark()


def test_the_marginal_rate_leaves_the_start_up_out() -> None:
    # 10 s of start-up, then 4 articles/s: 84 articles in 31 s, 21 in 15.25 s.
    rate = scale.marginal_rate(84, 10 + 84 / 4, 21, 10 + 21 / 4)
    assert rate == pytest.approx(4.0)
    assert scale.startup_seconds(84, 10 + 84 / 4, rate) == pytest.approx(10.0)


def test_a_short_run_as_slow_as_the_long_one_gives_no_rate() -> None:
    assert math.isnan(scale.marginal_rate(84, 20.0, 21, 20.0))
    assert math.isnan(scale.startup_seconds(84, 20.0, math.nan))


def test_a_batch_rate_counts_the_articles_written_after_its_first_block() -> None:
    # blocks of 16 articles written at 10, 14 and 18 s, the last one of 4 at 19 s
    assert scale.block_rate([(18.0, 16), (10.0, 16), (19.0, 4), (14.0, 16)]) == pytest.approx(36 / 9)
    assert math.isnan(scale.block_rate([(4.0, 16)]))
    assert math.isnan(scale.block_rate([]))


def test_the_scaling_efficiency_is_at_most_one() -> None:
    assert scale.scaling_efficiency(3.0, 5.4) == pytest.approx(0.9)
    assert scale.scaling_efficiency(3.0, 6.6) == 1.0
    assert math.isnan(scale.scaling_efficiency(0.0, 5.0))


def test_the_core_hours_do_not_depend_on_the_cluster_but_the_wall_clock_does() -> None:
    # 2.5 articles/s a core alone, 0.9 of it beside others: a million articles take 1e6 / 2.25 core-seconds
    small = scale.extrapolate(2.5, 0.9, 1_000_000, 32)
    big = scale.extrapolate(2.5, 0.9, 1_000_000, 1024)
    assert small.core_hours == pytest.approx(1e6 / 2.25 / 3600)
    assert big.core_hours == pytest.approx(small.core_hours)
    assert small.wall_hours == pytest.approx(small.core_hours / 32)
    assert big.wall_hours == pytest.approx(small.wall_hours * 32 / 1024)
    # one core runs alone, at the full rate
    assert scale.extrapolate(2.5, 0.9, 9000, 1).wall_hours == pytest.approx(1.0)
    with pytest.raises(ValueError):
        scale.extrapolate(0.0, 0.9, 1000, 2)


def test_the_short_run_takes_every_fourth_article(tmp_path: Path) -> None:
    files = [tmp_path / f"{i:02d}.txt" for i in range(10)]
    assert scale.every_fourth(files) == [files[0], files[4], files[8]]


def test_hours_read_as_minutes_hours_or_days() -> None:
    assert scale.human_hours(0.5) == "30 min"
    assert scale.human_hours(12.25) == "12.2 h"
    assert scale.human_hours(96) == "4.0 days"


def test_a_source_without_enough_articles_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The minister said so.", encoding="utf-8")
    with pytest.raises(scale.BenchmarkError, match="holds only 1 text files"):
        scale.article_files(tmp_path, 5)
    with pytest.raises(scale.BenchmarkError, match="no such folder"):
        scale.article_files(tmp_path / "missing", None)
