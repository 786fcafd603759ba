"""`newsgraph ingest`, `search`, `actor`, `unlink` from the command line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsgraph.cli import main

GOOD = ("Defense Secretary Lloyd Austin said on Monday that Washington would send more weapons to Ukraine. "
        "\"We want to see Russia weakened,\" Austin told reporters in Poland after meeting President Volodymyr "
        "Zelenskiy in Kyiv.\n")
OTHER = ("The mayor of Kharkiv said on Sunday that shelling had destroyed a school. Officials said the city "
         "would need months to repair its power lines.\n")
PAGE = ("<html><head><title>Aid talks</title></head><body><article><h1>Aid talks</h1>"
        + "".join(f"<p>Foreign ministers met in Brussels on Tuesday to discuss aid, paragraph {i}. Officials said "
                  "the talks would continue next week, and a spokesman told reporters a deal was close.</p>"
                  for i in range(6))
        + "</article></body></html>")


def truncated_warc(path: Path) -> Path:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    for n in range(2):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"https://news.example.org/story-{n}", "response",
                                                      payload=io.BytesIO(PAGE.replace("Aid", f"Aid {n}").encode()),
                                                      http_headers=headers))
    data = buffer.getvalue()
    path.write_bytes(data[: len(data) - 700])  # the second record is cut off in its body
    return path


def test_bad_inputs_each_give_one_line_and_the_run_goes_on(tmp_path: Path, shared_analyzer, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "feed.xml").write_text("<rss><channel><item><title>broken", encoding="utf-8")
    (tmp_path / "empty.html").write_text("<html><body><nav>Home | Log in</nav></body></html>", encoding="utf-8")
    (tmp_path / "batch.jsonl").write_text(json.dumps({"id": "j1", "text": OTHER}) + "\n{not json\n", encoding="utf-8")
    warc = truncated_warc(tmp_path / "crawl.warc")
    db = f"sqlite:///{tmp_path / 'store.db'}"
    sources = [str(tmp_path / name) for name in ("good.txt", "feed.xml", "empty.html", "batch.jsonl")]
    code = main(["ingest", *sources, str(warc), "http://127.0.0.1:9/unreachable", "--db", db, "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    problems = [line for line in err.splitlines() if line.startswith("newsgraph: skipped")]
    assert len(problems) == 5, err
    for needle in ("feed.xml", "empty.html", "batch.jsonl:2", "crawl.warc", "127.0.0.1:9"):
        assert sum(needle in line for line in problems) == 1, (needle, problems)
    assert "Traceback" not in err
    # good.txt, j1 and the WARC's first record are stored
    assert "3 stored" in err and "5 failed" in err


def test_search_and_actor_commands(tmp_path: Path, shared_analyzer, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COLUMNS", "240")  # wide tables: no wrapping inside the words looked for
    (tmp_path / "austin.txt").write_text(GOOD, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'store.db'}"
    assert main(["ingest", str(tmp_path / "austin.txt"), "--published", "2022-04-25", "--db", db, "--quiet"]) == 0
    capsys.readouterr()
    assert main(["search", "weakened", "--speaker", "Austin", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "Russia weakened" in out and "Lloyd" in out
    assert main(["search", "weakened", "--speaker", "Zelenskiy", "--db", db]) == 0
    assert "No statements or events match" in capsys.readouterr().out
    assert main(["actor", "Austin", "--why", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "Lloyd Austin" in out and "Said" in out
    assert main(["actor", "Nobody Known", "--db", db]) == 1


def test_bad_store_urls_are_one_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["search", "x", "--db", "mysql://nobody@127.0.0.1/x"]) == 2
    assert "SQLite or PostgreSQL" in capsys.readouterr().err
    assert main(["search", "x", "--db", "not a url"]) == 2
    assert "not a database URL" in capsys.readouterr().err
    assert main(["search", "x", "--db", "postgresql://nobody:wrong@127.0.0.1:9/none"]) == 2
    assert "cannot open the store" in capsys.readouterr().err


def test_malformed_dates_are_usage_errors(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exit_:
        main(["search", "x", "--since", "2022-13-01"])
    assert exit_.value.code == 2
    assert "not a date" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["ingest", "serve"])
@pytest.mark.parametrize("workers", ["0", "-1", "two", "100000"])
def test_bad_worker_counts_are_usage_errors(command: str, workers: str, capsys) -> None:  # type: ignore[no-untyped-def]
    args = [command, "x.txt"] if command == "ingest" else [command]
    with pytest.raises(SystemExit) as exit_:
        main([*args, "--workers", workers])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "--workers" in err and "whole number from 1 to" in err and "Traceback" not in err
