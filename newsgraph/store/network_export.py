"""The actor network (newsgraph/store/network.py) as files that Gephi, networkx, igraph, pandas and R open:

- GraphML (http://graphml.graphdrawing.org/): a directed graph, one node per corpus actor (its id the actor id),
  one edge per (source, target, type) with the attributes `type` and `weight`; pairs linked in several ways have
  parallel edges (networkx reads a MultiDiGraph).
- GEXF 1.3 (https://gexf.net/, Gephi 0.9.3 and later): the same graph; each edge's type is also its `kind`, which
  keeps parallel edges of different types apart in Gephi, and its weight the edge weight Gephi sizes by.
- CSV: the edges, one a row, with the names of their ends; given a folder, also the nodes (nodes.csv, edges.csv).

Written with the standard library's XML writer, which escapes every value; characters that XML 1.0 cannot hold
(control characters a text may carry) are left out.
"""

from __future__ import annotations

import csv
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine

from newsgraph.store.export import _written_whole, spreadsheet_cell
from newsgraph.store.network import Network, NetworkEdge, NetworkNode, NetworkOptions, actor_network

NETWORK_FORMATS = ("graphml", "gexf", "csv")
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GEXF_NS = "http://gexf.net/1.3"

# (name, GraphML type, GEXF type, the value of a node): the attributes every node carries.
NODE_ATTRIBUTES: list[tuple[str, str, str, Callable[[NetworkNode], Any]]] = [
    ("name", "string", "string", lambda n: n.name),
    ("type", "string", "string", lambda n: n.type),  # PERSON, ORG, GPE, NORP
    ("article_count", "int", "integer", lambda n: n.article_count),
    ("mentions", "int", "integer", lambda n: n.mentions),
    ("statements", "int", "integer", lambda n: n.statements),
    ("strength", "int", "integer", lambda n: n.weight),  # summed weight of its edges in this graph
]
EDGE_ATTRIBUTES: list[tuple[str, str, str, Callable[[NetworkEdge], Any]]] = [
    ("type", "string", "string", lambda e: e.type),
    ("weight", "int", "integer", lambda e: e.weight),
    ("statements", "string", "string", lambda e: " ".join(map(str, e.statements))),  # example row ids
    ("events", "string", "string", lambda e: " ".join(map(str, e.events))),
]
NODE_COLUMNS = ["id", "name", "type", "article_count", "mentions", "statements", "strength"]
EDGE_COLUMNS = ["source", "target", "type", "weight", "source_name", "target_name", "statements", "events"]

# Characters XML 1.0 cannot hold at all (https://www.w3.org/TR/xml/#charsets).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_value(value: Any) -> str:
    return _NOT_XML.sub("", str(value))


def whole_corpus() -> NetworkOptions:
    """What `export --what network` writes by default: every corpus actor, every edge."""
    return NetworkOptions(max_nodes=None, isolated=True)


# --- GraphML -----------------------------------------------------------------------------------------------

def graphml_tree(network: Network) -> ET.ElementTree[ET.Element]:
    ET.register_namespace("", GRAPHML_NS)

    def q(tag: str) -> str:
        return f"{{{GRAPHML_NS}}}{tag}"

    root = ET.Element(q("graphml"))
    for kind, attributes in (("node", NODE_ATTRIBUTES), ("edge", EDGE_ATTRIBUTES)):
        for name, graphml_type, _, _ in attributes:
            ET.SubElement(root, q("key"), {"id": f"{kind}_{name}", "for": kind, "attr.name": name,
                                           "attr.type": graphml_type})
    graph = ET.SubElement(root, q("graph"), {"id": "actors", "edgedefault": "directed"})
    for node in network.nodes:
        element = ET.SubElement(graph, q("node"), {"id": str(node.id)})
        for name, _, _, node_value in NODE_ATTRIBUTES:
            ET.SubElement(element, q("data"), {"key": f"node_{name}"}).text = xml_value(node_value(node))
    for number, edge in enumerate(network.edges):
        element = ET.SubElement(graph, q("edge"), {"id": f"e{number}", "source": str(edge.source),
                                                   "target": str(edge.target)})
        for name, _, _, value in EDGE_ATTRIBUTES:
            ET.SubElement(element, q("data"), {"key": f"edge_{name}"}).text = xml_value(value(edge))
    return ET.ElementTree(root)


# --- GEXF --------------------------------------------------------------------------------------------------

def gexf_tree(network: Network) -> ET.ElementTree[ET.Element]:
    ET.register_namespace("", GEXF_NS)

    def q(tag: str) -> str:
        return f"{{{GEXF_NS}}}{tag}"

    root = ET.Element(q("gexf"), {"version": "1.3"})
    meta = ET.SubElement(root, q("meta"))
    ET.SubElement(meta, q("creator")).text = "newsgraph"
    ET.SubElement(meta, q("description")).text = ("Corpus actors; edges: talks_to (speaker to addressee), "
                                                  "talks_about (speaker to actors in the content), PLOVER event "
                                                  "types (actor to recipient)")
    graph = ET.SubElement(root, q("graph"), {"mode": "static", "defaultedgetype": "directed"})
    node_attrs = [a for a in NODE_ATTRIBUTES if a[0] != "name"]  # the name is the node's label
    edge_attrs = [a for a in EDGE_ATTRIBUTES if a[0] != "weight"]  # the weight is the edge's own attribute
    for kind, attributes in (("node", node_attrs), ("edge", edge_attrs)):
        declared = ET.SubElement(graph, q("attributes"), {"class": kind, "mode": "static"})
        for name, _, gexf_type, _ in attributes:
            ET.SubElement(declared, q("attribute"), {"id": f"{kind}_{name}", "title": name, "type": gexf_type})
    nodes = ET.SubElement(graph, q("nodes"))
    for node in network.nodes:
        element = ET.SubElement(nodes, q("node"), {"id": str(node.id), "label": xml_value(node.name)})
        values = ET.SubElement(element, q("attvalues"))
        for name, _, _, node_value in node_attrs:
            ET.SubElement(values, q("attvalue"), {"for": f"node_{name}", "value": xml_value(node_value(node))})
    edges = ET.SubElement(graph, q("edges"))
    for number, edge in enumerate(network.edges):
        element = ET.SubElement(edges, q("edge"), {
            "id": f"e{number}", "source": str(edge.source), "target": str(edge.target), "kind": edge.type,
            "label": edge.type, "weight": str(edge.weight)})
        values = ET.SubElement(element, q("attvalues"))
        for name, _, _, value in edge_attrs:
            ET.SubElement(values, q("attvalue"), {"for": f"edge_{name}", "value": xml_value(value(edge))})
    return ET.ElementTree(root)


# --- CSV ---------------------------------------------------------------------------------------------------

def write_edges_csv(network: Network, fh: IO[str]) -> None:
    names = {n.id: n.name for n in network.nodes}
    writer = csv.writer(fh)
    writer.writerow(EDGE_COLUMNS)
    for e in network.edges:
        writer.writerow([e.source, e.target, e.type, e.weight, spreadsheet_cell(names.get(e.source)),
                         spreadsheet_cell(names.get(e.target)), " ".join(map(str, e.statements)),
                         " ".join(map(str, e.events))])


def write_nodes_csv(network: Network, fh: IO[str]) -> None:
    writer = csv.writer(fh)
    writer.writerow(NODE_COLUMNS)
    for n in network.nodes:
        writer.writerow([n.id, spreadsheet_cell(n.name), n.type, n.article_count, n.mentions, n.statements,
                         n.weight])


# --- files ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NetworkWritten:
    nodes: int
    edges: int
    files: tuple[str, ...]  # what was written: paths, or "stdout"


def write_network(network: Network, fmt: str, fh: IO[str]) -> None:
    """The network in one format to an open text file (for CSV: its edges)."""
    if fmt == "csv":
        write_edges_csv(network, fh)
        return
    tree = graphml_tree(network) if fmt == "graphml" else gexf_tree(network)
    ET.indent(tree)
    tree.write(fh, encoding="unicode", xml_declaration=True)
    fh.write("\n")


def export_network(engine: Engine, fmt: str, output: Path | None, options: NetworkOptions | None = None,
                   folder: bool = False) -> NetworkWritten:
    """Build the network (every corpus actor and edge by default) and write it to `output`, or stdout. CSV into
    a folder (`folder`, or `output` is one) writes nodes.csv and edges.csv there. Each file appears
    whole or not at all. ValueError for an unknown format or options that cannot be met, LookupError for an ego
    actor that does not exist."""
    if fmt not in NETWORK_FORMATS:
        raise ValueError(f"a network is written as {', '.join(NETWORK_FORMATS)}, not {fmt!r}")
    network = actor_network(engine, options or whole_corpus())
    if network is None:
        raise LookupError(f"no actor {(options or whole_corpus()).actor}")
    counts = (len(network.nodes), len(network.edges))
    if output is None:
        write_network(network, fmt, sys.stdout)
        return NetworkWritten(*counts, ("stdout",))
    if fmt == "csv" and (folder or output.is_dir()):
        output.mkdir(parents=True, exist_ok=True)
        _write_text_file(output / "nodes.csv", lambda fh: write_nodes_csv(network, fh))
        _write_text_file(output / "edges.csv", lambda fh: write_edges_csv(network, fh))
        return NetworkWritten(*counts, (str(output / "nodes.csv"), str(output / "edges.csv")))
    _write_text_file(output, lambda fh: write_network(network, fmt, fh))
    return NetworkWritten(*counts, (str(output),))


def _write_text_file(output: Path, write: Callable[[IO[str]], None]) -> None:
    def written(path: Path) -> None:
        with path.open("w", encoding="utf-8", newline="") as fh:
            write(fh)

    _written_whole(output, written)
