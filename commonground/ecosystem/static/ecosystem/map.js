// The ecosystem map: a d3 force layout of the actors and ties passed in #network-data.
// No inline handlers or styles (CSP): colours and sizes are SVG attributes.
(function () {
  "use strict";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function trustColor(trust) {
    if (trust === null || trust === undefined) return "#9aa3ad";
    // 1 → red, 2.5 → amber, 4 → green
    var t = Math.max(0, Math.min(1, (trust - 1) / 3));
    return d3.interpolateRgbBasis(["#b3261e", "#c98a00", "#1d6b32"])(t);
  }

  function showCard(card, node, labels) {
    card.textContent = "";
    card.appendChild(el("h2", { id: "actor-card-heading" }, node.name));
    var facts = el("dl", { "class": "facts" });
    function add(term, value) {
      facts.appendChild(el("dt", {}, term));
      facts.appendChild(el("dd", {}, value));
    }
    add(node.kind, node.sector);
    if (node.member) add(labels.member, "✓");
    add(labels.roles, node.roles.length ? node.roles.join(", ") : labels.none);
    add(labels.ties, String(node.degree));
    add(labels.bridging, String(node.betweenness));
    add(labels.trust, node.trust === null ? "–" : node.trust + " / 4");
    card.appendChild(facts);
    var link = el("a", { href: node.url }, labels.open);
    var p = el("p");
    p.appendChild(link);
    card.appendChild(p);
  }

  function draw() {
    var holder = document.getElementById("network-map");
    var source = document.getElementById("network-data");
    if (!holder || !source || typeof d3 === "undefined") return;
    var data = JSON.parse(source.textContent);
    var card = document.getElementById("actor-card");
    holder.textContent = "";
    if (!data.nodes.length) {
      holder.appendChild(el("p", { "class": "muted" }, "–"));
      return;
    }
    var width = 900, height = 640;
    var maxSize = d3.max(data.nodes, function (d) { return d.size; }) || 1;
    var radius = function (d) { return 5 + 15 * Math.sqrt((d.size || 0) / maxSize); };
    var nodes = data.nodes.map(function (d) { return Object.assign({}, d); });
    var links = data.links.map(function (d) { return Object.assign({}, d); });

    var simulation = d3.forceSimulation(nodes)
      .force("link", d3.forceLink(links).id(function (d) { return d.id; }).distance(95).strength(0.12))
      .force("charge", d3.forceManyBody().strength(-320).distanceMax(420))
      .force("collide", d3.forceCollide().radius(function (d) { return radius(d) + 6; }))
      .force("x", d3.forceX(width / 2).strength(0.035))
      .force("y", d3.forceY(height / 2).strength(0.05))
      .stop();
    for (var i = 0; i < 320; i++) simulation.tick();
    nodes.forEach(function (d) {
      d.x = Math.max(24, Math.min(width - 24, d.x));
      d.y = Math.max(24, Math.min(height - 24, d.y));
    });

    var svg = d3.select(holder).append("svg")
      .attr("viewBox", "0 0 " + width + " " + height)
      .attr("class", "eco-map-svg")
      .attr("role", "group")
      .attr("aria-label", holder.closest("figure").querySelector("figcaption").textContent);

    svg.append("g").attr("class", "links")
      .selectAll("line").data(links).join("line")
      .attr("x1", function (d) { return d.source.x; })
      .attr("y1", function (d) { return d.source.y; })
      .attr("x2", function (d) { return d.target.x; })
      .attr("y2", function (d) { return d.target.y; })
      .attr("stroke", function (d) {
        if (data.edgesBy === "trust") return trustColor(d.trust);
        return d.mutual ? "#4a5563" : "#9aa3ad";
      })
      .attr("stroke-opacity", data.edgesBy === "trust" ? 0.85 : 0.6)
      .attr("stroke-dasharray", function (d) { return data.edgesBy === "trust" && d.trust === null ? "3 3" : null; })
      .attr("stroke-width", function (d) { return data.edgesBy === "trust" ? 1.6 : 0.4 + 0.8 * d.intensity; });

    var group = svg.append("g").attr("class", "nodes")
      .selectAll("g").data(nodes).join("g")
      .attr("class", "eco-node")
      .attr("transform", function (d) { return "translate(" + d.x + "," + d.y + ")"; })
      .attr("tabindex", 0)
      .attr("role", "button")
      .attr("aria-label", function (d) { return d.name + ", " + d.sector; });
    group.append("circle")
      .attr("r", radius)
      .attr("fill", function (d) { return d.color; })
      .attr("stroke", function (d) { return d.member ? "#1c2430" : "#ffffff"; })
      .attr("stroke-width", function (d) { return d.member ? 2.5 : 1.2; });
    group.append("title").text(function (d) { return d.name; });

    var labelled = nodes.slice().sort(function (a, b) { return b.size - a.size; }).slice(0, 9);
    svg.append("g").attr("class", "labels")
      .selectAll("text").data(labelled).join("text")
      .attr("x", function (d) { return d.x + radius(d) + 3; })
      .attr("y", function (d) { return d.y + 4; })
      .attr("class", "eco-label")
      .attr("aria-hidden", "true")
      .text(function (d) { return d.name; });

    function select(event, d) {
      group.classed("is-selected", function (n) { return n.id === d.id; });
      if (card) showCard(card, d, data.labels);
    }
    group.on("click", select);
    group.on("keydown", function (event, d) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        select(event, d);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
