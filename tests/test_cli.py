"""The `newsgraph analyze` command: inputs, outputs, bad inputs and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsgraph.cli import main
from tests.conftest import EXAMPLE

SHORT = "The city council said on Tuesday that the new library would open in May.\n"


@pytest.fixture(autouse=True)
def _shared_pipeline(shared_analyzer) -> None:  # type: ignore[no-untyped-def]
    """Every command here reuses the session's loaded pipeline."""


def test_json_output_keeps_the_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("Caf\u00e9 owners said \u201cthe rent is too high,\u201d and left.\r\n".encode())
    assert main(["analyze", str(path), "--json", "--published", "2024-01-02"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["text"] == path.read_bytes().decode("utf-8")
    assert doc["article"] == {"id": "a", "title": None, "published": "2024-01-02", "publisher": None, "author": None,
                              "url": None, "licence": None, "credit": None}


def test_out_dir_writes_one_file_per_input(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text(SHORT, encoding="utf-8")
    (folder / "two.txt").write_text(SHORT.replace("library", "pool"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["analyze", str(folder), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["one.json", "two.json"]
    assert json.loads((out / "two.json").read_text(encoding="utf-8"))["statements"]


def test_jsonl_articles_carry_their_own_dates_and_ids(tmp_path: Path) -> None:
    lines = [
        {"id": "x1", "text": SHORT, "published": "2021-03-04", "title": "Library"},
        {"id": "x2", "text": SHORT, "url": "http://example.org/x2"},
    ]
    src = tmp_path / "batch.jsonl"
    src.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["analyze", str(src), "--out", str(out)]) == 0
    one = json.loads((out / "x1.json").read_text(encoding="utf-8"))
    assert one["article"]["published"] == "2021-03-04" and one["article"]["title"] == "Library"
    assert json.loads((out / "x2.json").read_text(encoding="utf-8"))["article"]["url"] == "http://example.org/x2"


def test_bad_inputs_are_reported_and_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.txt"
    good.write_text(SHORT, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Le ministre a d\u00e9clar\u00e9 que".encode("latin-1"))
    bad_jsonl = tmp_path / "bad.jsonl"
    bad_jsonl.write_text('{"id": "ok", "text": "The mayor said the park would reopen soon."}\n{not json}\n'
                         '{"text": "no id here"}\n', encoding="utf-8")
    out = tmp_path / "out"
    code = main(["analyze", str(good), str(empty), str(binary), str(latin), str(bad_jsonl),
                 str(tmp_path / "missing.txt"), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert sorted(p.name for p in out.iterdir()) == ["good.json", "ok.json"]
    messages = [line for line in err.splitlines() if "skipped" in line]
    assert len(messages) == 6, err
    assert "empty" in err and "binary" in err and "not UTF-8" in err and "not valid JSON" in err
    assert "no 'id'" in err and "no such file" in err
    assert "Traceback" not in err


def test_too_large_file_gets_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # a sparse 50 MB file
    assert main(["analyze", str(big)]) == 1
    err = capsys.readouterr().err
    assert "over the 5 MB limit" in err and len(err.strip().splitlines()) == 1


def test_bad_published_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(EXAMPLE), "--published", "26/04/2022"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_readable_report_lists_statements_and_actors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(EXAMPLE), "--published", "2022-04-26"]) == 0
    out = capsys.readouterr().out
    assert "Statements" in out and "Actors" in out and "Lloyd Austin" in out


def test_stdin_and_entry_point(tmp_path: Path) -> None:
    # One real subprocess: the installed console script reading stdin.
    exe = Path(sys.executable).parent / "newsgraph"
    result = subprocess.run([str(exe), "analyze", "-", "--json", "--no-tagger"], input=SHORT.encode(),
                            capture_output=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr.decode()
    doc = json.loads(result.stdout)
    assert doc["text"] == SHORT and doc["article"]["id"] == "stdin"


def test_unknown_model_is_a_clear_error() -> None:
    exe = Path(sys.executable).parent / "newsgraph"
    result = subprocess.run([str(exe), "analyze", str(EXAMPLE), "--model", "no_such_pipeline"],
                            capture_output=True, timeout=120, check=False)
    assert result.returncode == 2
    assert b"cannot load the spaCy pipeline 'no_such_pipeline'" in result.stderr
    assert b"Traceback" not in result.stderr
