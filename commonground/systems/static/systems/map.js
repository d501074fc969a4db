// The system map: a d3 force layout of the factors and causal links in #system-data, with
// zoom and pan, focus on one factor's links, and a chosen loop highlighted. Built like the
// ecosystem map (deterministic start, a fixed number of ticks, labels kept on screen).
// CSP: no inline handlers or styles; colours and sizes are SVG attributes, the rest classes.
(function () {
  "use strict";

  var W = 1000, R = 13;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  function layout(nodes, links, H) {
    var copies = nodes.map(function (d, i) {
      // Deterministic start (phyllotaxis): the same map always draws the same way.
      var r = 14 * Math.sqrt(0.5 + i), a = i * Math.PI * (3 - Math.sqrt(5));
      return { id: d.id, node: d, x: W / 2 + r * Math.cos(a), y: H / 2 + r * Math.sin(a) };
    });
    var byId = {};
    copies.forEach(function (c) { byId[c.id] = c; });
    var edges = links.filter(function (l) { return l.source !== l.target; })
      .map(function (l) { return { source: byId[l.source], target: byId[l.target] }; })
      .filter(function (l) { return l.source && l.target; });
    var simulation = d3.forceSimulation(copies)
      .force("link", d3.forceLink(edges).distance(150).strength(0.35))
      .force("charge", d3.forceManyBody().strength(-900).distanceMax(600))
      .force("collide", d3.forceCollide().radius(70))
      // Pull harder across the box's short side, so the map takes its shape.
      .force("x", d3.forceX(W / 2).strength(0.06 * Math.pow(Math.max(1, H / W), 2)))
      .force("y", d3.forceY(H / 2).strength(0.06 * Math.max(1, W / H)))
      .stop();
    for (var i = 0; i < 400; i++) simulation.tick();
    var positions = {};
    copies.forEach(function (c) { positions[c.id] = [c.x, c.y]; });
    return positions;
  }

  function draw() {
    var holder = document.getElementById("system-map");
    var source = document.getElementById("system-data");
    var labelsSource = document.getElementById("system-labels");
    if (!holder || !source || !labelsSource || typeof d3 === "undefined") return;
    var data = JSON.parse(source.textContent);
    var text = JSON.parse(labelsSource.textContent);
    var card = document.getElementById("factor-card");
    var cardDefault = card ? card.innerHTML : "";
    var status = document.getElementById("map-status");
    holder.textContent = "";
    if (!data.nodes.length) {
      holder.appendChild(el("p", { "class": "muted" }, text.empty));
      return;
    }
    var tools = document.getElementById("map-tools");
    if (tools) tools.hidden = false;
    document.querySelectorAll("[data-map-control]").forEach(function (node) { node.hidden = false; });

    var nodes = data.nodes, links = data.links;
    var byId = {};
    nodes.forEach(function (d) { byId[d.id] = d; });
    var positions = null, layoutH = 0;
    var state = { transform: d3.zoomIdentity, focus: null, loop: null };
    var width = 0, height = 0;

    var svg = d3.select(holder).append("svg")
      .attr("class", "sys-map-svg").attr("role", "group").attr("aria-label", text.mapLabel);
    var defs = svg.append("defs");
    [["arrow", "#4a5563"], ["arrow-on", "#1a5fb4"]].forEach(function (pair) {
      defs.append("marker").attr("id", "sys-" + pair[0]).attr("viewBox", "0 -5 10 10")
        .attr("refX", 10).attr("refY", 0).attr("markerWidth", 7).attr("markerHeight", 7)
        .attr("orient", "auto").append("path").attr("d", "M0,-5L10,0L0,5").attr("fill", pair[1]);
    });
    var background = svg.append("rect").attr("class", "sys-map-bg");
    var linkLayer = svg.append("g");
    var nodeLayer = svg.append("g");

    var linkSel = linkLayer.selectAll("g").data(links).join("g").attr("class", "sys-link");
    var pathSel = linkSel.append("path").attr("fill", "none")
      .attr("stroke-dasharray", function (d) { return d.polarity === "-" ? "7 4" : null; })
      .attr("marker-end", "url(#sys-arrow)");
    linkSel.append("title").text(function (d) {
      return byId[d.source].name + " → " + byId[d.target].name + ": " +
        (d.polarity === "-" ? text.opposite : text.same) + (d.delay ? ", " + text.delay : "");
    });
    var signSel = linkSel.append("text").attr("class", "sys-sign").attr("text-anchor", "middle")
      .text(function (d) { return (d.polarity === "-" ? "−" : "+") + (d.delay ? " ‖" : ""); });

    var nodeSel = nodeLayer.selectAll("g").data(nodes, function (d) { return d.id; }).join("g")
      .attr("class", "sys-node").attr("data-id", function (d) { return d.id; })
      .attr("tabindex", 0).attr("role", "button")
      .attr("aria-label", function (d) { return d.name + ", " + d.kindLabel; });
    nodeSel.append("circle").attr("r", R).attr("fill", function (d) { return d.color; })
      .attr("stroke", "#ffffff").attr("stroke-width", 2);
    nodeSel.append("text").attr("class", "sys-label").attr("text-anchor", "middle").attr("y", R + 15)
      .text(function (d) { return d.name; });
    nodeSel.append("title").text(function (d) { return d.name + " (" + d.kindLabel + ")"; });

    function screen(id) { return state.transform.apply(positions[id]); }

    function linkPath(d) {
      var a = screen(d.source), b = screen(d.target);
      if (d.source === d.target) {
        var x = a[0], y = a[1] - R;
        return "M" + (x - 6) + "," + y + " C" + (x - 40) + "," + (y - 55) + " " + (x + 40) + "," + (y - 55) + " " + (x + 6) + "," + y;
      }
      var dx = b[0] - a[0], dy = b[1] - a[1], len = Math.sqrt(dx * dx + dy * dy) || 1;
      // A slight curve, so two links between the same factors (both ways) stay apart.
      var sx = a[0] + dx / len * R, sy = a[1] + dy / len * R;
      var tx = b[0] - dx / len * (R + 3), ty = b[1] - dy / len * (R + 3);
      var mx = (sx + tx) / 2 - dy / len * 18, my = (sy + ty) / 2 + dx / len * 18;
      return "M" + sx + "," + sy + " Q" + mx + "," + my + " " + tx + "," + ty;
    }

    function render() {
      pathSel.attr("d", linkPath);
      signSel.each(function (d) {
        var a = screen(d.source), b = screen(d.target);
        var x, y;
        if (d.source === d.target) { x = a[0]; y = a[1] - R - 44; }
        else {
          var dx = b[0] - a[0], dy = b[1] - a[1], len = Math.sqrt(dx * dx + dy * dy) || 1;
          x = (a[0] + b[0]) / 2 - dy / len * 14; y = (a[1] + b[1]) / 2 + dx / len * 14;
        }
        this.setAttribute("x", x.toFixed(1)); this.setAttribute("y", (y + 4).toFixed(1));
      });
      nodeSel.attr("transform", function (d) { var p = screen(d.id); return "translate(" + p[0].toFixed(1) + "," + p[1].toFixed(1) + ")"; });
    }

    var zoom = d3.zoom().on("zoom", function (event) { state.transform = event.transform; render(); });
    svg.call(zoom);

    function fitTransform() {
      var xs = [], ys = [];
      nodes.forEach(function (d) { xs.push(positions[d.id][0]); ys.push(positions[d.id][1]); });
      var x0 = d3.min(xs), x1 = d3.max(xs), y0 = d3.min(ys), y1 = d3.max(ys);
      // Margins in screen pixels: labels keep their size whatever the zoom.
      var padX = Math.min(90, width * 0.12), padTop = 60, padBottom = 40;
      var k = Math.min((width - 2 * padX) / Math.max(1, x1 - x0), (height - padTop - padBottom) / Math.max(1, y1 - y0));
      k = Math.max(0.1, Math.min(k, 2));
      zoom.scaleExtent([k * 0.5, k * 8]);
      return d3.zoomIdentity.translate(width / 2 - k * (x0 + x1) / 2, padTop + (height - padTop - padBottom) / 2 - k * (y0 + y1) / 2).scale(k);
    }

    function resize() {
      width = Math.max(280, Math.floor(holder.clientWidth));
      height = width < 600 ? Math.round(width * 1.45) : Math.round(Math.min(640, Math.max(420, width * 0.62)));
      // The layout takes the box's shape, so a phone's tall map is filled too.
      var shape = Math.round(W * Math.max(0.6, Math.min(1.6, height / width)));
      if (!positions || Math.abs(shape - layoutH) > 60) { layoutH = shape; positions = layout(nodes, links, layoutH); }
      svg.attr("viewBox", "0 0 " + width + " " + height).attr("width", width).attr("height", height);
      background.attr("width", width).attr("height", height);
      zoom.extent([[0, 0], [width, height]]);
      svg.call(zoom.transform, fitTransform());
    }

    function setStatus(message) { if (status) status.textContent = message; }

    function highlight(nodeIds, linkTest) {
      var on = nodeIds !== null;
      svg.classed("has-focus", on);
      nodeSel.classed("is-dimmed", function (d) { return on && !nodeIds[d.id]; });
      linkSel.classed("is-active", function (d) { return on && linkTest(d); })
        .classed("is-dimmed", function (d) { return on && !linkTest(d); });
      pathSel.attr("marker-end", function (d) { return on && linkTest(d) ? "url(#sys-arrow-on)" : "url(#sys-arrow)"; });
    }

    function showCard(d) {
      if (!card) return;
      card.textContent = "";
      card.appendChild(el("h2", { id: "factor-card-heading" }, d.name));
      var facts = el("dl", { "class": "facts" });
      function add(term, value) { facts.appendChild(el("dt", {}, term)); facts.appendChild(el("dd", {}, value)); }
      add(d.kindLabel, fill(text.loops, { n: d.loops }));
      if (d.indicator) add(text.indicator, d.indicator);
      card.appendChild(facts);
      var list = el("ul", { "class": "sys-card-links" });
      links.forEach(function (l) {
        if (l.source !== d.id && l.target !== d.id) return;
        list.appendChild(el("li", {}, byId[l.source].name + " → " + byId[l.target].name + " (" +
          (l.polarity === "-" ? text.opposite : text.same) + (l.delay ? ", " + text.delay : "") + ")"));
      });
      card.appendChild(list);
      if (d.url) {
        var p = el("p");
        p.appendChild(el("a", { href: d.url }, text.open));
        card.appendChild(p);
      }
    }

    function focusOn(id) {
      state.focus = id;
      state.loop = null;
      if (loopSelect) loopSelect.value = "";
      var ids = {}; ids[id] = true;
      links.forEach(function (l) { if (l.source === id) ids[l.target] = true; if (l.target === id) ids[l.source] = true; });
      highlight(ids, function (l) { return l.source === id || l.target === id; });
      nodeSel.classed("is-focus", function (d) { return d.id === id; });
      showCard(byId[id]);
    }

    function showLoop(code) {
      var loop = data.loops.filter(function (x) { return x.code === code; })[0];
      state.focus = null;
      nodeSel.classed("is-focus", false);
      if (card) card.innerHTML = cardDefault;
      if (!loop) { highlight(null, null); setStatus(text.reset); return; }
      var ids = {}, pairs = {};
      loop.factors.forEach(function (id, i) {
        ids[id] = true;
        pairs[id + ">" + loop.factors[(i + 1) % loop.factors.length]] = true;
      });
      highlight(ids, function (l) { return !!pairs[l.source + ">" + l.target]; });
      setStatus(fill(text.showing, { code: code, factors: loop.factors.map(function (id) { return byId[id].name; }).join(" → ") }));
    }

    function reset() {
      state.focus = null;
      nodeSel.classed("is-focus", false);
      highlight(null, null);
      if (card) card.innerHTML = cardDefault;
      if (loopSelect) loopSelect.value = "";
      setStatus(text.reset);
    }

    nodeSel.on("click", function (event, d) { if (state.focus === d.id) reset(); else focusOn(d.id); });
    nodeSel.on("keydown", function (event, d) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        if (state.focus === d.id) reset(); else focusOn(d.id);
      }
    });
    background.on("click", reset);
    document.addEventListener("keydown", function (event) { if (event.key === "Escape" && state.focus) reset(); });

    var loopSelect = document.getElementById("map-loop");
    if (loopSelect) loopSelect.addEventListener("change", function () { showLoop(loopSelect.value); });
    document.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        var how = button.getAttribute("data-zoom");
        var t = svg.transition().duration(reducedMotion() ? 0 : 250);
        if (how === "in") t.call(zoom.scaleBy, 1.5);
        else if (how === "out") t.call(zoom.scaleBy, 1 / 1.5);
        else t.call(zoom.transform, fitTransform());
      });
    });

    resize();
    var timer = null;
    window.addEventListener("resize", function () {
      if (Math.floor(holder.clientWidth) === width) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(resize, 150);
    });
    holder.setAttribute("data-ready", "true");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
