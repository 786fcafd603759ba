"""The actor network (newsgraph/store/network.py) and its exports (network_export.py), on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from sqlalchemy import func, select

from newsgraph.cli import main
from newsgraph.store.network import (
    EDGE_TYPES,
    PLOVER_TYPES,
    Network,
    NetworkOptions,
    actor_network,
    check_options,
)
from newsgraph.store.network_export import export_network
from newsgraph.store.query import find_actors, get_event, get_statement
from newsgraph.store.schema import actors
from tests.test_store import PUTIN_FRIDAY, PUTIN_TUESDAY, store

TALKS = ("Russian President Vladimir Putin told German Chancellor Olaf Scholz on Tuesday that Ukraine must accept "
         "the terms. Putin accused NATO of arming Ukraine.")
LIES = ("Ukrainian President Volodymyr Zelensky said on Thursday that Vladimir Putin had lied about the talks. "
        "Russian President Vladimir Putin told German Chancellor Olaf Scholz that the talks were over.")
WEAPONS = ("The United States imposed sanctions on Russia last month, officials said. Secretary of State Antony "
           "Blinken told Ukrainian President Volodymyr Zelensky that Washington would send more weapons.")
ARTICLES = (("talks", TALKS, "2022-04-26"), ("lies", LIES, "2022-04-28"), ("weapons", WEAPONS, "2022-05-02"))

Edge = tuple[str, str, str]  # (source name, target name, type)


@pytest.fixture
def corpus(engine, analyze):  # type: ignore[no-untyped-def]
    for key, text, published in ARTICLES:
        store(engine, analyze, text, key, published)
    return engine


def actor_id(engine: Any, name: str) -> int:
    found = find_actors(engine, name)
    assert found and found[0][1] == name, found
    return int(found[0][0])


def named_edges(network: Network) -> dict[Edge, int]:
    """(source name, target name, type) -> weight."""
    names = {n.id: n.name for n in network.nodes}
    return {(names[e.source], names[e.target], e.type): e.weight for e in network.edges}


def build(engine: Any, **options: Any) -> Network:
    network = actor_network(engine, NetworkOptions(**options))
    assert network is not None
    return network


def test_who_talks_to_about_and_acts_on_whom(corpus) -> None:  # type: ignore[no-untyped-def]
    network = build(corpus)
    edges = named_edges(network)
    # Told twice, in two articles: one edge of weight 2.
    assert edges[("Vladimir Putin", "Olaf Scholz", "talks_to")] == 2
    assert edges[("Antony Blinken", "Volodymyr Zelensky", "talks_to")] == 1
    assert edges[("Volodymyr Zelensky", "Vladimir Putin", "talks_about")] == 1
    assert edges[("Vladimir Putin", "NATO", "ACCUSE")] == 1
    assert edges[("Vladimir Putin", "NATO", "talks_about")] == 1
    assert edges[("Government of the United States", "Government of Russia", "SANCTION")] == 1
    assert all(source != target for source, target, _ in edges)  # no loops
    assert {e.type for e in network.edges} <= set(EDGE_TYPES)
    # Nodes are corpus actors, each once, with their counts; the heaviest first.
    ids = [n.id for n in network.nodes]
    assert len(ids) == len(set(ids))
    putin = network.nodes[0]
    assert putin.name == "Vladimir Putin" and putin.type == "PERSON" and putin.article_count == 2
    assert putin.statements == 3 and putin.mentions >= 4
    assert putin.weight == sum(e.weight for e in network.edges if putin.id in (e.source, e.target))


def test_each_edge_keeps_examples_of_its_own_records(corpus) -> None:  # type: ignore[no-untyped-def]
    network = build(corpus)
    putin, scholz = actor_id(corpus, "Vladimir Putin"), actor_id(corpus, "Olaf Scholz")
    told = next(e for e in network.edges if (e.source, e.target, e.type) == (putin, scholz, "talks_to"))
    assert len(told.statements) == 2 and told.events == ()
    for statement_id in told.statements:
        hit = get_statement(corpus, statement_id)
        assert hit is not None and hit.speaker_actor == putin
        assert hit.statement.addressee is not None and hit.statement.addressee.name == "Olaf Scholz"
    accused = next(e for e in network.edges if e.source == putin and e.type == "ACCUSE")
    assert accused.statements == () and len(accused.events) == 1
    event = get_event(corpus, accused.events[0])
    assert event is not None and event.event.type == "ACCUSE" and "accused" in event.sentence


def test_an_ego_network_is_the_actor_its_neighbours_and_the_edges_among_them(corpus) -> None:  # type: ignore[no-untyped-def]
    zelensky = actor_id(corpus, "Volodymyr Zelensky")
    network = build(corpus, actor=zelensky)
    assert network.nodes[0].id == zelensky
    names = {n.name for n in network.nodes}
    assert {"Vladimir Putin", "Antony Blinken"} <= names and "NATO" not in names
    edges = named_edges(network)
    assert ("Vladimir Putin", "Olaf Scholz", "talks_to") not in edges  # Scholz is two edges away
    assert all(zelensky in (e.source, e.target) or {e.source, e.target} <= {n.id for n in network.nodes}
               for e in network.edges)
    # Two edges away: Putin's neighbours too.
    wider = {n.name for n in build(corpus, actor=zelensky, depth=2).nodes}
    assert {"Olaf Scholz", "NATO"} <= wider
    assert actor_network(corpus, NetworkOptions(actor=99_999)) is None


def test_options_narrow_the_network(corpus) -> None:  # type: ignore[no-untyped-def]
    assert set(named_edges(build(corpus, min_weight=2))) == {("Vladimir Putin", "Olaf Scholz", "talks_to")}
    assert {t for _, _, t in named_edges(build(corpus, edge_types=("talks_about",)))} == {"talks_about"}
    assert set(named_edges(build(corpus, edge_types=("ACCUSE", "SANCTION")))) == {
        ("Vladimir Putin", "NATO", "ACCUSE"), ("Government of the United States", "Government of Russia", "SANCTION")}
    every_event = named_edges(build(corpus, edge_types=("event",), event_types=False))
    assert every_event and {t for _, _, t in every_event} == {"event"}
    assert every_event[("Vladimir Putin", "NATO", "event")] == 1
    # Days: only the records of the second article on.
    later = named_edges(build(corpus, since="2022-04-27", until="2022-04-30"))
    assert later == {("Volodymyr Zelensky", "Vladimir Putin", "talks_about"): 1,
                     ("Vladimir Putin", "Olaf Scholz", "talks_to"): 1}
    two = build(corpus, max_nodes=2)
    assert len(two.nodes) == 2 and two.nodes[0].name == "Vladimir Putin"
    assert all({e.source, e.target} <= {n.id for n in two.nodes} for e in two.edges)


def test_the_whole_corpus_has_one_node_per_corpus_actor(corpus) -> None:  # type: ignore[no-untyped-def]
    with corpus.connect() as conn:
        count = conn.execute(select(func.count()).select_from(actors)).scalar_one()
    network = build(corpus, max_nodes=None, isolated=True)
    assert len(network.nodes) == count == len({n.id for n in network.nodes})
    # Actors without an edge are nodes too, after those with edges; or left out.
    heavy = build(corpus, max_nodes=None, isolated=True, min_weight=2)
    assert len(heavy.nodes) == count and [n.name for n in heavy.nodes[:2]] == ["Vladimir Putin", "Olaf Scholz"]
    assert [n.name for n in build(corpus, max_nodes=None, min_weight=2).nodes] == ["Vladimir Putin", "Olaf Scholz"]


def test_each_story_counts_once(engine, analyze) -> None:  # type: ignore[no-untyped-def]
    store(engine, analyze, PUTIN_TUESDAY + "\n\n" + PUTIN_FRIDAY, "wire")
    once = named_edges(build(engine))
    assert once
    republished = "MOSCOW (Other Outlet) -\n\n" + PUTIN_TUESDAY + "\n\n" + PUTIN_FRIDAY + "\n\n(c) Other Outlet 2022"
    _, result = store(engine, analyze, republished, "outlet")
    assert result.outcome == "duplicate"
    assert named_edges(build(engine)) == once


@pytest.mark.parametrize(("options", "words"), [
    (NetworkOptions(edge_types=("hugs",)), ("'hugs'", "talks_to")),
    (NetworkOptions(min_weight=0), ("min weight",)),
    (NetworkOptions(max_nodes=0), ("max nodes",)),
    (NetworkOptions(actor=1, depth=3), ("depth",)),
    (NetworkOptions(since="2022-05-01", until="2022-04-01"), ("after until",)),
])
def test_options_that_cannot_be_met_are_refused(options: NetworkOptions, words: tuple[str, ...]) -> None:
    with pytest.raises(ValueError) as refused:
        check_options(options)
    assert all(w in str(refused.value) for w in words)


def test_the_event_types_are_the_event_model_s() -> None:
    from newsgraph.events.model import PLOVER_TYPES as MODEL_TYPES

    assert PLOVER_TYPES == MODEL_TYPES


# --- exports ----------------------------------------------------------------------------------------------------

def test_graphml_export_loads_in_networkx_one_node_per_corpus_actor_typed_edges(  # type: ignore[no-untyped-def]
        tmp_path: Path, shared_analyzer, capsys) -> None:
    """Ingested through the command line, exported through it, read back by networkx."""
    for key, text, _ in ARTICLES:
        (tmp_path / f"{key}.txt").write_text(text, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'store.db'}"
    assert main(["ingest", *(str(tmp_path / f"{k}.txt") for k, _, _ in ARTICLES), "--published", "2022-04-26",
                 "--db", db, "--quiet"]) == 0
    output = tmp_path / "actors.graphml"
    assert main(["export", "--what", "network", "--format", "graphml", "--output", str(output), "--db", db]) == 0
    assert "wrote the network of" in capsys.readouterr().err
    graph = nx.read_graphml(output)
    from newsgraph.store.connect import open_engine

    engine = open_engine(db)
    try:
        with engine.connect() as conn:
            corpus_actors = dict(conn.execute(select(actors.c.id, actors.c.name)).all())
    finally:
        engine.dispose()
    assert sorted(graph.nodes) == sorted(str(i) for i in corpus_actors)
    assert all(graph.nodes[str(i)]["name"] == name for i, name in corpus_actors.items())
    assert graph.is_directed() and graph.is_multigraph()  # Putin talks about NATO and accuses it: two edges
    typed = {(graph.nodes[s]["name"], graph.nodes[t]["name"], d["type"]): d["weight"]
             for s, t, d in graph.edges(data=True)}
    assert typed[("Vladimir Putin", "Olaf Scholz", "talks_to")] == 2
    assert typed[("Vladimir Putin", "NATO", "ACCUSE")] == 1
    assert typed[("Vladimir Putin", "NATO", "talks_about")] == 1
    assert all(isinstance(d["weight"], int) and d["type"] in EDGE_TYPES for _, _, d in graph.edges(data=True))


def test_gexf_and_csv_exports(corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    network = build(corpus, max_nodes=None, isolated=True)
    export_network(corpus, "gexf", tmp_path / "actors.gexf")
    graph = nx.read_gexf(tmp_path / "actors.gexf")
    assert graph.number_of_nodes() == len(network.nodes) and graph.number_of_edges() == len(network.edges)
    labels = {node: data["label"] for node, data in graph.nodes(data=True)}
    typed = {(labels[s], labels[t], d["type"]): d["weight"] for s, t, d in graph.edges(data=True)}
    assert typed[("Vladimir Putin", "Olaf Scholz", "talks_to")] == 2
    written = export_network(corpus, "csv", tmp_path / "tables", folder=True)
    assert (written.nodes, written.edges) == (len(network.nodes), len(network.edges))
    with (tmp_path / "tables" / "edges.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {(r["source_name"], r["target_name"], r["type"]): int(r["weight"]) for r in rows} == named_edges(network)
    with (tmp_path / "tables" / "nodes.csv").open(encoding="utf-8", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == len(network.nodes)
    ego = export_network(corpus, "csv", tmp_path / "ego.csv",
                         NetworkOptions(actor=actor_id(corpus, "Olaf Scholz")))
    assert ego.files == (str(tmp_path / "ego.csv"),) and ego.nodes == 2
    with pytest.raises(LookupError):
        export_network(corpus, "graphml", tmp_path / "none.graphml", NetworkOptions(actor=99_999))
    assert not (tmp_path / "none.graphml").exists()


def test_names_xml_cannot_hold_are_left_out_not_fatal(corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with corpus.begin() as conn:
        conn.execute(actors.update().where(actors.c.name == "NATO").values(name="NA\x0bTO <&>"))
    export_network(corpus, "graphml", tmp_path / "actors.graphml")
    graph = nx.read_graphml(tmp_path / "actors.graphml")
    assert "NATO <&>" in {d["name"] for _, d in graph.nodes(data=True)}


def test_the_export_command_takes_the_network_s_options(corpus, store_url: str, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                        capsys) -> None:
    folder = str(tmp_path / "scholz") + "/"  # a path ending in / is a folder: nodes.csv and edges.csv
    assert main(["export", "--what", "network", "--format", "csv", "--output", folder, "--actor", "Olaf Scholz",
                 "--edge-type", "TALKS_TO", "--db", store_url]) == 0
    assert "nodes.csv" in capsys.readouterr().err
    with (tmp_path / "scholz" / "edges.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["source_name"], r["target_name"], r["type"], r["weight"]) for r in rows] == [
        ("Vladimir Putin", "Olaf Scholz", "talks_to", "2")]
    assert main(["export", "--format", "gexf", "--connected-only", "--db", store_url]) == 0  # network implied
    assert capsys.readouterr().out.startswith("<?xml")
    for args, words in [(["--what", "network", "--format", "jsonl"], "graphml, gexf, csv, not jsonl"),
                        (["--what", "statements", "--format", "graphml"], "use --what network"),
                        (["--what", "network", "--actor", "Nobody Atall"], "no actor named like 'Nobody Atall'"),
                        (["--what", "network", "--since", "2022-02-30"], "--since '2022-02-30' is not a date"),
                        (["--what", "network", "--min-weight", "0"], "min weight must be at least 1")]:
        assert main(["export", *args, "--db", store_url]) != 0
        err = capsys.readouterr().err
        assert words in err and len(err.strip().splitlines()) == 1, err
