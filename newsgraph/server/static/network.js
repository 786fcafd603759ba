/* newsgraph: draws an actor network (templates/_network.html) as an SVG graph.
 *
 * The page lists the network's actors (ul.network-nodes li[data-id]) and edges (tr.network-edge, with
 * data-source, data-target, data-type, data-kind, data-weight); this script lays them out with a small force
 * simulation (every pair of actors repels, each linked pair is a spring, all are pulled to the centre; the ego
 * stays in the middle) and draws them: an actor is a link to its page, sized by the weight of its edges; an
 * edge is an arrow from speaker or actor to addressee, actor talked about or recipient, coloured by its kind
 * and as wide as the records behind it. Pairs linked in several ways get arrows bent apart. A node can be
 * dragged; hovering one brings its edges forward.
 *
 * Plain script, no libraries and nothing fetched, no inline handlers or styles (colours come from classes in
 * network.css, sizes from SVG attributes); the starting positions are fixed, so a network is drawn the same
 * way every time.
 */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  // The drawing's size in pixels: the canvas's width (so that labels keep their size), about half as high.
  var WIDTH = 760;
  var HEIGHT = 460;
  var MARGIN = 40;
  var ITERATIONS = 320;
  var KINDS = ["talks-to", "talks-about", "cooperation", "conflict", "event"];
  var RELATION = { talks_to: "talks to", talks_about: "talks about", event: "acts on" };

  function make(name, attributes, parent) {
    var element = document.createElementNS(SVG, name);
    Object.keys(attributes || {}).forEach(function (key) {
      element.setAttribute(key, attributes[key]);
    });
    if (parent) {
      parent.appendChild(element);
    }
    return element;
  }

  function toArray(list) {
    return Array.prototype.slice.call(list);
  }

  function number(value, fallback) {
    var parsed = parseInt(value, 10);
    return isNaN(parsed) ? fallback : parsed;
  }

  // --- the network from the page ---------------------------------------------------------------------------

  function readNetwork(root) {
    var byId = {};
    var nodes = toArray(root.querySelectorAll(".network-nodes li[data-id]")).map(function (item, index) {
      var link = item.querySelector("a");
      var node = {
        id: item.getAttribute("data-id"),
        name: item.getAttribute("data-name") || "",
        type: item.getAttribute("data-type") || "",
        weight: number(item.getAttribute("data-weight"), 0),
        statements: number(item.getAttribute("data-statements"), 0),
        href: link ? link.getAttribute("href") : null,
        index: index,
        x: 0,
        y: 0,
        edges: []
      };
      byId[node.id] = node;
      return node;
    });
    var edges = [];
    toArray(root.querySelectorAll("tr.network-edge")).forEach(function (row) {
      var source = byId[row.getAttribute("data-source")];
      var target = byId[row.getAttribute("data-target")];
      if (!source || !target || source === target) {
        return;
      }
      var edge = {
        source: source,
        target: target,
        type: row.getAttribute("data-type") || "",
        kind: row.getAttribute("data-kind") || "event",
        weight: number(row.getAttribute("data-weight"), 1)
      };
      source.edges.push(edge);
      target.edges.push(edge);
      edges.push(edge);
    });
    return { nodes: nodes, edges: edges, byId: byId };
  }

  // --- layout -------------------------------------------------------------------------------------------------

  function springs(edges) {
    // One spring per linked pair, however many edges it has, stronger for heavier links.
    var pairs = {};
    edges.forEach(function (e) {
      var key = e.source.index < e.target.index ? e.source.id + " " + e.target.id : e.target.id + " " + e.source.id;
      if (!pairs[key]) {
        pairs[key] = { a: e.source, b: e.target, weight: 0 };
      }
      pairs[key].weight += e.weight;
    });
    return Object.keys(pairs).map(function (key) { return pairs[key]; });
  }

  function layout(network, ego) {
    var nodes = network.nodes;
    var count = nodes.length;
    var cx = WIDTH / 2;
    var cy = HEIGHT / 2;
    var k = 0.9 * Math.sqrt((WIDTH - 2 * MARGIN) * (HEIGHT - 2 * MARGIN) / Math.max(count, 1));
    var ring = nodes.filter(function (n) { return n !== ego; });
    nodes.forEach(function (n) {
      if (n === ego) {
        n.x = cx;
        n.y = cy;
        return;
      }
      var angle = 2 * Math.PI * ring.indexOf(n) / Math.max(ring.length, 1) + 0.3;
      n.x = cx + Math.cos(angle) * (WIDTH / 2 - MARGIN) * 0.7;
      n.y = cy + Math.sin(angle) * (HEIGHT / 2 - MARGIN) * 0.7;
    });
    var pairs = springs(network.edges);
    for (var step = 0; step < ITERATIONS; step += 1) {
      var heat = (WIDTH / 12) * (1 - step / ITERATIONS) + 0.5;
      nodes.forEach(function (n) { n.dx = 0; n.dy = 0; });
      for (var i = 0; i < count; i += 1) {
        for (var j = i + 1; j < count; j += 1) {
          var a = nodes[i];
          var b = nodes[j];
          var dx = a.x - b.x;
          var dy = a.y - b.y;
          var d = Math.max(Math.sqrt(dx * dx + dy * dy), 0.5);
          var push = (k * k) / d;
          a.dx += (dx / d) * push;
          a.dy += (dy / d) * push;
          b.dx -= (dx / d) * push;
          b.dy -= (dy / d) * push;
        }
      }
      pairs.forEach(function (p) {
        var dx = p.a.x - p.b.x;
        var dy = p.a.y - p.b.y;
        var d = Math.max(Math.sqrt(dx * dx + dy * dy), 0.5);
        var pull = ((d * d) / k) * (1 + Math.log(p.weight) / 4);
        p.a.dx -= (dx / d) * pull;
        p.a.dy -= (dy / d) * pull;
        p.b.dx += (dx / d) * pull;
        p.b.dy += (dy / d) * pull;
      });
      nodes.forEach(function (n) {
        if (n === ego) {
          return;
        }
        // A pull to the centre keeps actors apart from the rest (another component) in the picture.
        n.dx -= (n.x - cx) * 0.05 * k / 10;
        n.dy -= (n.y - cy) * 0.05 * k / 10;
        var length = Math.max(Math.sqrt(n.dx * n.dx + n.dy * n.dy), 0.01);
        n.x += (n.dx / length) * Math.min(length, heat);
        n.y += (n.dy / length) * Math.min(length, heat);
        n.x = Math.min(WIDTH - MARGIN, Math.max(MARGIN, n.x));
        n.y = Math.min(HEIGHT - MARGIN, Math.max(MARGIN, n.y));
      });
    }
  }

  // --- drawing ------------------------------------------------------------------------------------------------

  function radius(node) {
    return Math.min(22, 5 + 2.2 * Math.sqrt(node.weight));
  }

  function width(edge) {
    return Math.min(8, 1.2 + 1.4 * Math.log(edge.weight) / Math.LN2).toFixed(2);
  }

  function bends(edges) {
    // Edges between the same two actors (either way) are spread apart; a lone edge stays straight.
    var groups = {};
    edges.forEach(function (e) {
      var key = e.source.index < e.target.index ? e.source.id + " " + e.target.id : e.target.id + " " + e.source.id;
      (groups[key] = groups[key] || []).push(e);
    });
    Object.keys(groups).forEach(function (key) {
      var group = groups[key];
      group.forEach(function (e, position) {
        var offset = group.length === 1 ? 0 : (position - (group.length - 1) / 2) * 28;
        // The bend is measured to the left of the edge's own direction: flip it for the edges drawn the other way.
        e.bend = e.source.index < e.target.index ? offset : -offset;
      });
    });
  }

  function edgePath(e) {
    var x0 = e.source.x;
    var y0 = e.source.y;
    var x2 = e.target.x;
    var y2 = e.target.y;
    var dx = x2 - x0;
    var dy = y2 - y0;
    var length = Math.max(Math.sqrt(dx * dx + dy * dy), 0.01);
    var cx = (x0 + x2) / 2 - (dy / length) * e.bend;
    var cy = (y0 + y2) / 2 + (dx / length) * e.bend;
    var start = toward(x0, y0, cx, cy, radius(e.source));
    var end = toward(x2, y2, cx, cy, radius(e.target) + 3);
    return "M" + start[0].toFixed(1) + "," + start[1].toFixed(1) + " Q" + cx.toFixed(1) + "," + cy.toFixed(1) +
      " " + end[0].toFixed(1) + "," + end[1].toFixed(1);
  }

  function toward(x, y, px, py, distance) {
    var dx = px - x;
    var dy = py - y;
    var length = Math.max(Math.sqrt(dx * dx + dy * dy), 0.01);
    return [x + (dx / length) * distance, y + (dy / length) * distance];
  }

  function arrowheads(svg) {
    var defs = make("defs", {}, svg);
    KINDS.forEach(function (kind) {
      var marker = make("marker", {
        // In the drawing's units, not the line's: a heavy edge gets a wide line, not a huge head.
        id: "arrow-" + kind, viewBox: "0 0 10 10", refX: "8", refY: "5", markerWidth: "9", markerHeight: "9",
        markerUnits: "userSpaceOnUse", orient: "auto-start-reverse", "class": "arrow arrow-" + kind
      }, defs);
      make("path", { d: "M0,0 L10,5 L0,10 z" }, marker);
    });
  }

  function relation(e) {
    return RELATION[e.type] || e.type;
  }

  function draw(figure, network, ego) {
    var canvas = figure.querySelector(".network-canvas") || figure;
    var svg = make("svg", {
      viewBox: "0 0 " + WIDTH + " " + HEIGHT, "class": "network-graph", role: "group",
      "aria-label": figure.getAttribute("aria-label") || "actor network"
    });
    arrowheads(svg);
    var edgeLayer = make("g", { "class": "edges" }, svg);
    var nodeLayer = make("g", { "class": "nodes" }, svg);
    bends(network.edges);
    network.edges.forEach(function (e) {
      var alters = ego && e.source !== ego && e.target !== ego;  // an edge between two of the ego's neighbours
      e.element = make("path", {
        "class": "edge edge-" + e.kind + (alters ? " between" : ""), d: edgePath(e), "stroke-width": width(e),
        "marker-end": "url(#arrow-" + e.kind + ")", "data-type": e.type
      }, edgeLayer);
      make("title", {}, e.element).textContent = e.source.name + " " + relation(e) + " " + e.target.name + ": " +
        e.weight + (e.type === "talks_to" || e.type === "talks_about" ? " statement" : " event") +
        (e.weight === 1 ? "" : "s");
    });
    network.nodes.forEach(function (n) {
      var link = make("a", { "class": "node node-" + n.type.toLowerCase() + (n === ego ? " ego" : ""),
                             "data-id": n.id }, nodeLayer);
      if (n.href) {
        link.setAttribute("href", n.href);
      }
      n.element = link;
      n.circle = make("circle", { r: radius(n).toFixed(1) }, link);
      n.label = make("text", { "class": "node-label", "text-anchor": "middle" }, link);
      n.label.textContent = n.name.length > 28 ? n.name.slice(0, 27) + "…" : n.name;
      make("title", {}, link).textContent = n.name + " (" + n.type + "): " + n.edges.length + " connection" +
        (n.edges.length === 1 ? "" : "s") + " here, " + n.statements + " statement" + (n.statements === 1 ? "" : "s");
      place(n);
      link.addEventListener("mouseenter", function () { highlight(svg, n, true); });
      link.addEventListener("mouseleave", function () { highlight(svg, n, false); });
      link.addEventListener("focus", function () { highlight(svg, n, true); });
      link.addEventListener("blur", function () { highlight(svg, n, false); });
    });
    canvas.appendChild(svg);
    draggable(svg, network);
    figure.classList.add("drawn");
  }

  function place(n) {
    n.circle.setAttribute("cx", n.x.toFixed(1));
    n.circle.setAttribute("cy", n.y.toFixed(1));
    n.label.setAttribute("x", n.x.toFixed(1));
    n.label.setAttribute("y", (n.y + radius(n) + 12).toFixed(1));
  }

  function highlight(svg, node, on) {
    svg.classList.toggle("focused", on);
    node.element.classList.toggle("near", on);
    node.edges.forEach(function (e) {
      e.element.classList.toggle("near", on);
      (e.source === node ? e.target : e.source).element.classList.toggle("near", on);
    });
  }

  // --- dragging -----------------------------------------------------------------------------------------------

  function svgPoint(svg, event) {
    var matrix = svg.getScreenCTM();
    if (!matrix) {
      return null;
    }
    var point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    return [point.x, point.y];
  }

  function draggable(svg, network) {
    var dragging = null;
    var moved = false;
    svg.addEventListener("pointerdown", function (event) {
      var link = event.target.closest ? event.target.closest("a.node") : null;
      if (!link || event.button !== 0) {
        return;
      }
      dragging = network.byId[link.getAttribute("data-id")] || null;
      moved = false;
    });
    svg.addEventListener("pointermove", function (event) {
      if (!dragging) {
        return;
      }
      var point = svgPoint(svg, event);
      if (!point) {
        return;
      }
      if (!moved && Math.abs(point[0] - dragging.x) + Math.abs(point[1] - dragging.y) < 4) {
        return;
      }
      if (!moved) {
        // Captured only once it is a drag: a captured pointer's click would go to the drawing, not the link.
        svg.setPointerCapture(event.pointerId);
        moved = true;
      }
      dragging.x = Math.min(WIDTH - 8, Math.max(8, point[0]));
      dragging.y = Math.min(HEIGHT - 8, Math.max(8, point[1]));
      place(dragging);
      dragging.edges.forEach(function (e) { e.element.setAttribute("d", edgePath(e)); });
    });
    function stop(event) {
      if (dragging && svg.hasPointerCapture(event.pointerId)) {
        svg.releasePointerCapture(event.pointerId);
      }
      dragging = null;
    }
    svg.addEventListener("pointerup", stop);
    svg.addEventListener("pointercancel", stop);
    // A node that was dragged is not also followed as a link.
    svg.addEventListener("click", function (event) {
      if (moved) {
        event.preventDefault();
        moved = false;
      }
    }, true);
  }

  // --- each network of the page -------------------------------------------------------------------------------

  toArray(document.querySelectorAll("figure.network-view")).forEach(function (figure) {
    var root = figure.parentNode;
    var network = readNetwork(root);
    if (!network.nodes.length) {
      return;
    }
    var ego = network.byId[figure.getAttribute("data-ego")] || null;
    var canvas = figure.querySelector(".network-canvas");
    if (canvas && canvas.clientWidth > 0) {
      WIDTH = Math.max(320, Math.round(canvas.clientWidth));
      HEIGHT = Math.max(320, Math.min(560, Math.round(WIDTH * 0.5)));
    }
    layout(network, ego);
    draw(figure, network, ego);
  });
})();
