// The ecosystem map: a d3 force layout of the actors and ties in #network-data, with zoom
// and pan, search, focus on one actor's ties, grouping by sector family or community, and
// labels placed by importance without overlap at every zoom level.
// CSP: no inline handlers or styles; colours and sizes are SVG attributes, the rest classes.
(function () {
  "use strict";

  var SYMBOLS = {};
  // The layout's own space; its height follows the shape of the box it is drawn in, so a
  // phone's tall map is filled as well as a wide desktop one.
  var LAYOUT_W = 1000, LAYOUT_H = 720, LABEL_H = 16, GAP = 3;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function number(value, digits) {
    var language = document.documentElement.lang || "en";
    return new Intl.NumberFormat(language, { maximumFractionDigits: digits }).format(value);
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function trustColor(trust) {
    if (trust === null || trust === undefined) return "#9aa3ad";
    var t = Math.max(0, Math.min(1, (trust - 1) / 3));  // 1 red, 2.5 amber, 4 green
    return d3.interpolateRgbBasis(["#b3261e", "#c98a00", "#1d6b32"])(t);
  }

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  function overlaps(a, b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  }

  // ------------------------------------------------------------ layout (virtual space)

  function groupKey(node, groupBy) {
    if (groupBy === "family") return node.family;
    if (groupBy === "community") return String(node.community);
    return "";
  }

  function centres(keys) {
    // Group centres on an ellipse, largest group first, so clusters sit apart.
    var out = {};
    if (keys.length === 1) { out[keys[0]] = [LAYOUT_W / 2, LAYOUT_H / 2]; return out; }
    keys.forEach(function (key, i) {
      var angle = -Math.PI / 2 + (2 * Math.PI * i) / keys.length;
      out[key] = [LAYOUT_W / 2 + LAYOUT_W * 0.33 * Math.cos(angle), LAYOUT_H / 2 + LAYOUT_H * 0.33 * Math.sin(angle)];
    });
    return out;
  }

  function layout(nodes, links, groupBy, radius) {
    var copies = nodes.map(function (d, i) {
      // Deterministic start (phyllotaxis): the same data always gives the same map.
      var r = 8 * Math.sqrt(0.5 + i), a = i * Math.PI * (3 - Math.sqrt(5));
      return { id: d.id, node: d, x: LAYOUT_W / 2 + r * Math.cos(a), y: LAYOUT_H / 2 + r * Math.sin(a) };
    });
    var byId = {};
    copies.forEach(function (c) { byId[c.id] = c; });
    var edges = links.map(function (l) { return { source: byId[l.source], target: byId[l.target] }; })
      .filter(function (l) { return l.source && l.target; });
    var grouped = groupBy !== "none";
    var counts = {};
    copies.forEach(function (c) { var k = groupKey(c.node, groupBy); counts[k] = (counts[k] || 0) + 1; });
    var keys = Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || (a < b ? -1 : 1); });
    var centre = centres(keys);
    var simulation = d3.forceSimulation(copies)
      .force("link", d3.forceLink(edges).distance(grouped ? 60 : 90).strength(function (l) {
        if (!grouped) return 0.12;
        return groupKey(l.source.node, groupBy) === groupKey(l.target.node, groupBy) ? 0.2 : 0.01;
      }))
      .force("charge", d3.forceManyBody().strength(grouped ? -140 : -300).distanceMax(400))
      .force("collide", d3.forceCollide().radius(function (c) { return radius(c.node) + 8; }))
      // Isolated actors are pulled in harder, so one of them cannot stretch the whole map.
      .force("x", d3.forceX(function (c) { return grouped ? centre[groupKey(c.node, groupBy)][0] : LAYOUT_W / 2; })
        .strength(function (c) { return grouped ? 0.22 : (c.node.degree ? 0.035 : 0.3); }))
      .force("y", d3.forceY(function (c) { return grouped ? centre[groupKey(c.node, groupBy)][1] : LAYOUT_H / 2; })
        .strength(function (c) { return grouped ? 0.22 : (c.node.degree ? 0.05 : 0.3); }))
      .stop();
    for (var i = 0; i < 300; i++) simulation.tick();
    var positions = {};
    copies.forEach(function (c) { positions[c.id] = [c.x, c.y]; });
    return { positions: positions, keys: keys };
  }

  // ------------------------------------------------------------ the map

  function draw() {
    var holder = document.getElementById("network-map");
    var source = document.getElementById("network-data");
    var optionsSource = document.getElementById("map-options");
    if (!holder || !source || !optionsSource || typeof d3 === "undefined") return;
    SYMBOLS = {
      circle: d3.symbolCircle, square: d3.symbolSquare, triangle: d3.symbolTriangle,
      diamond: d3.symbolDiamond, star: d3.symbolStar, cross: d3.symbolCross, wye: d3.symbolWye
    };
    var data = JSON.parse(source.textContent);
    var options = JSON.parse(optionsSource.textContent);
    var text = options.labels;
    var card = document.getElementById("actor-card");
    var cardDefault = card ? card.innerHTML : "";
    var status = document.getElementById("map-status");
    var tools = document.getElementById("map-tools");
    holder.textContent = "";
    if (!data.nodes.length) {
      holder.appendChild(el("p", { "class": "muted" }, text.empty));
      return;
    }
    if (tools) tools.hidden = false;
    document.querySelectorAll("[data-map-control]").forEach(function (node) { node.hidden = false; });

    var state = {
      sizeBy: options.sizeBy, edgesBy: options.edgesBy, groupBy: options.groupBy,
      focus: null, transform: d3.zoomIdentity, fitK: 1
    };
    var nodes = data.nodes;
    var byId = {};
    nodes.forEach(function (d) { byId[d.id] = d; });
    var links = data.links.filter(function (l) { return byId[l.source] && byId[l.target]; });
    var partnersOf = {};
    nodes.forEach(function (d) { partnersOf[d.id] = {}; });
    links.forEach(function (l) { partnersOf[l.source][l.target] = true; partnersOf[l.target][l.source] = true; });
    // Label priority: bridging rank, then ties, then name.
    var priority = nodes.slice().sort(function (a, b) {
      return a.rank - b.rank || b.degree - a.degree || (a.name < b.name ? -1 : 1);
    });
    var familyNames = {};
    (data.families || []).forEach(function (f) { familyNames[f.id] = f.name; });

    var width = 0, height = 0, glyph = 1;
    var layouts = {};
    function measure() {
      width = Math.max(280, Math.floor(holder.clientWidth));
      height = width < 600 ? Math.round(width * 1.05) : Math.round(Math.min(680, Math.max(440, width * 0.66)));
      glyph = Math.max(0.7, Math.min(1, width / 900));
      var shape = Math.round(LAYOUT_W * Math.max(0.6, Math.min(1.4, height / width)));
      if (Math.abs(shape - LAYOUT_H) > 60) { LAYOUT_H = shape; layouts = {}; }
    }
    measure();

    function sizeValue(d) {
      var v = d[state.sizeBy];
      return v === null || v === undefined ? 0 : v;
    }
    var maxSize = 1;
    function computeMax() { maxSize = d3.max(nodes, sizeValue) || 1; }
    computeMax();
    function area(d) { return (60 + 640 * (sizeValue(d) / maxSize)) * glyph * glyph; }
    function radius(d) { return Math.sqrt(area(d) / Math.PI) * 1.1; }
    function layoutRadius(d) { return Math.sqrt((60 + 640 * (sizeValue(d) / maxSize)) / Math.PI); }

    function currentLayout() {
      if (!layouts[state.groupBy]) layouts[state.groupBy] = layout(nodes, links, state.groupBy, layoutRadius);
      return layouts[state.groupBy];
    }

    var svg = d3.select(holder).append("svg")
      .attr("class", "eco-map-svg")
      .attr("role", "group")
      .attr("aria-label", options.labels.mapLabel);
    var background = svg.append("rect").attr("class", "eco-map-bg");
    var linkLayer = svg.append("g").attr("class", "links");
    var nodeLayer = svg.append("g").attr("class", "nodes");
    var groupLayer = svg.append("g").attr("class", "group-labels").attr("aria-hidden", "true");
    var labelLayer = svg.append("g").attr("class", "labels").attr("aria-hidden", "true");

    var linkSel = linkLayer.selectAll("line").data(links).join("line").attr("class", "eco-link");
    var nodeSel = nodeLayer.selectAll("g").data(nodes, function (d) { return d.id; }).join("g")
      .attr("class", "eco-node")
      .attr("data-id", function (d) { return d.id; })
      .attr("tabindex", 0)
      .attr("role", "button")
      .attr("aria-label", function (d) { return d.name + ", " + d.sector; });
    var glyphSel = nodeSel.append("path")
      .attr("fill", function (d) { return d.color; })
      .attr("stroke", function (d) { return d.member ? "#1c2430" : "#ffffff"; })
      .attr("stroke-width", function (d) { return d.member ? 2.2 : 1.2; });
    nodeSel.append("title").text(function (d) { return d.name + " (" + d.sector + ")"; });
    var labelSel = labelLayer.selectAll("text").data(nodes, function (d) { return d.id; }).join("text")
      .attr("class", "eco-label")
      .attr("data-id", function (d) { return d.id; })
      .text(function (d) { return d.name; });
    // Widths are measured once: labels keep their size on screen whatever the zoom.
    var widths = {};
    labelSel.each(function (d) { widths[d.id] = this.getComputedTextLength() + 2; });

    function styleGlyphs() {
      glyphSel.attr("d", function (d) { return d3.symbol(SYMBOLS[d.symbol] || d3.symbolCircle, area(d))(); });
    }

    function styleLinks() {
      var trust = state.edgesBy === "trust";
      linkSel
        .attr("stroke", function (d) { return trust ? trustColor(d.trust) : (d.mutual ? "#4a5563" : "#9aa3ad"); })
        .attr("stroke-width", function (d) { return trust ? 1.8 : 0.5 + 0.9 * d.intensity; })
        .attr("stroke-dasharray", function (d) { return trust && d.trust === null ? "3 3" : null; });
      document.querySelectorAll("[data-edges-legend]").forEach(function (node) {
        node.hidden = node.getAttribute("data-edges-legend") !== state.edgesBy;
      });
    }

    function screen(d) {
      var p = currentLayout().positions[d.id];
      return state.transform.apply(p);
    }

    // ---------------------------------------------------------- labels without overlap

    function spots(p, r, w) {
      var h = LABEL_H, g = r + GAP, c = g * 0.72;
      return [
        [p[0] + g, p[1] - h / 2, "start"], [p[0] - g - w, p[1] - h / 2, "end"],
        [p[0] - w / 2, p[1] - g - h, "middle"], [p[0] - w / 2, p[1] + g, "middle"],
        [p[0] + c, p[1] - c - h, "start"], [p[0] + c, p[1] + c, "start"],
        [p[0] - c - w, p[1] - c - h, "end"], [p[0] - c - w, p[1] + c, "end"]
      ];
    }

    function placeLabels() {
      var lay = currentLayout();
      var marks = [];
      var pos = {};
      nodes.forEach(function (d) {
        var p = screen(d), r = radius(d);
        pos[d.id] = p;
        if (p[0] > -r && p[0] < width + r && p[1] > -r && p[1] < height + r) {
          marks.push({ id: d.id, x: p[0] - r, y: p[1] - r, w: 2 * r, h: 2 * r });
        }
      });
      var placed = [];
      // The zoom buttons sit over the map's corner: no label goes under them.
      var controls = document.querySelector(".eco-zoom[data-map-control]");
      if (controls && !controls.hidden) {
        var box = controls.getBoundingClientRect(), origin = svg.node().getBoundingClientRect();
        var scale = width / Math.max(1, origin.width);
        placed.push({ x: (box.left - origin.left) * scale - 4, y: (box.top - origin.top) * scale - 4, w: box.width * scale + 8, h: box.height * scale + 8 });
      }
      // Group names first (when grouped): centred above each cluster.
      var groupData = [];
      if (state.groupBy !== "none") {
        lay.keys.forEach(function (key) {
          var members = nodes.filter(function (d) { return groupKey(d, state.groupBy) === key; });
          var top = Infinity, bottom = -Infinity, sx = 0;
          members.forEach(function (d) {
            var p = pos[d.id], r = radius(d);
            sx += p[0]; top = Math.min(top, p[1] - r); bottom = Math.max(bottom, p[1] + r);
          });
          var name = state.groupBy === "family" ? (familyNames[key] || key) : fill(text.group, { n: key });
          groupData.push({ key: key, name: name, x: sx / members.length, y: top - 6, below: bottom + 17 });
        });
      }
      var groupSel = groupLayer.selectAll("text").data(groupData, function (d) { return d.key; }).join("text")
        .attr("class", "eco-group-label").text(function (d) { return d.name; });
      groupSel.each(function (d) {
        var w = this.getComputedTextLength() + 4;
        var found = null;
        [d.y, d.below].forEach(function (y) {
          if (found !== null) return;
          var box = { x: d.x - w / 2, y: y - 15, w: w, h: 17 };
          var inside = box.x >= 0 && box.y >= 0 && box.x + box.w <= width && box.y + box.h <= height;
          if (inside && !placed.some(function (b) { return overlaps(box, b); })) { found = y; placed.push(box); }
        });
        this.setAttribute("x", d.x);
        this.setAttribute("text-anchor", "middle");
        if (found !== null) { this.setAttribute("y", found); this.removeAttribute("visibility"); }
        else this.setAttribute("visibility", "hidden");
      });

      var order = priority;
      if (state.focus) {
        var partners = partnersOf[state.focus];
        order = [byId[state.focus]].concat(priority.filter(function (d) { return partners[d.id]; }));
      }
      var chosen = {};
      var must = Math.min(5, order.length);
      order.slice(0, 200).forEach(function (d, index) {
        var p = pos[d.id], r = radius(d), w = widths[d.id];
        var candidates = spots(p, r, w);
        function fits(spot, avoidMarks) {
          var box = { x: spot[0], y: spot[1], w: w, h: LABEL_H };
          if (box.x < 0 || box.y < 0 || box.x + w > width || box.y + LABEL_H > height) return null;
          if (placed.some(function (b) { return overlaps(box, b); })) return null;
          if (avoidMarks && marks.some(function (m) { return m.id !== d.id && overlaps(box, m); })) return null;
          return box;
        }
        var hit = null, spot = null;
        for (var i = 0; i < candidates.length && !hit; i++) { spot = candidates[i]; hit = fits(spot, true); }
        // The most important labels may sit over another actor's mark rather than vanish.
        if (!hit && index < must) {
          for (var j = 0; j < candidates.length && !hit; j++) { spot = candidates[j]; hit = fits(spot, false); }
        }
        if (hit) {
          placed.push(hit);
          chosen[d.id] = { x: spot[2] === "start" ? hit.x : spot[2] === "end" ? hit.x + w : hit.x + w / 2, y: hit.y + LABEL_H * 0.78, anchor: spot[2] };
        }
      });
      labelSel.each(function (d) {
        var spot = chosen[d.id];
        if (spot) {
          this.setAttribute("x", spot.x.toFixed(1));
          this.setAttribute("y", spot.y.toFixed(1));
          this.setAttribute("text-anchor", spot.anchor);
          this.removeAttribute("visibility");
          this.classList.add("is-placed");
        } else {
          this.setAttribute("visibility", "hidden");
          this.classList.remove("is-placed");
        }
      });
    }

    var pending = false;
    function schedule() {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () { pending = false; placeLabels(); });
    }

    function render() {
      linkSel
        .attr("x1", function (d) { return screen(byId[d.source])[0]; })
        .attr("y1", function (d) { return screen(byId[d.source])[1]; })
        .attr("x2", function (d) { return screen(byId[d.target])[0]; })
        .attr("y2", function (d) { return screen(byId[d.target])[1]; });
      nodeSel.attr("transform", function (d) { var p = screen(d); return "translate(" + p[0].toFixed(1) + "," + p[1].toFixed(1) + ")"; });
      schedule();
    }

    // ---------------------------------------------------------- zoom and pan

    var zoom = d3.zoom().on("zoom", function (event) {
      state.transform = event.transform;
      render();
    });
    svg.call(zoom);

    function fitTransform() {
      var lay = currentLayout();
      var xs = [], ys = [];
      nodes.forEach(function (d) { var p = lay.positions[d.id]; xs.push(p[0]); ys.push(p[1]); });
      var x0 = d3.min(xs), x1 = d3.max(xs), y0 = d3.min(ys), y1 = d3.max(ys);
      var pad = 34;
      var k = Math.min((width - 2 * pad) / Math.max(1, x1 - x0), (height - 2 * pad) / Math.max(1, y1 - y0));
      k = Math.max(0.05, Math.min(k, 2.5));
      state.fitK = k;
      zoom.scaleExtent([k * 0.6, k * 12]);
      return d3.zoomIdentity.translate(width / 2 - k * (x0 + x1) / 2, height / 2 - k * (y0 + y1) / 2).scale(k);
    }

    function resize() {
      measure();
      svg.attr("viewBox", "0 0 " + width + " " + height).attr("width", width).attr("height", height);
      background.attr("width", width).attr("height", height);
      zoom.extent([[0, 0], [width, height]]);
      styleGlyphs();
      svg.call(zoom.transform, fitTransform());
    }

    function animate(transform) {
      if (reducedMotion()) svg.call(zoom.transform, transform);
      else svg.transition().duration(450).call(zoom.transform, transform);
    }

    // ---------------------------------------------------------- focus on one actor

    function showCard(d) {
      if (!card) return;
      card.textContent = "";
      card.appendChild(el("h2", { id: "actor-card-heading" }, d.name));
      var facts = el("dl", { "class": "facts" });
      function add(term, value) {
        facts.appendChild(el("dt", {}, term));
        facts.appendChild(el("dd", {}, value));
      }
      add(d.kind, d.sector);
      add(text.family, familyNames[d.family] || "");
      if (d.member) add(text.member, text.yes);
      add(text.roles, d.roles.length ? d.roles.join(", ") : text.none);
      add(text.ties, number(d.degree, 0));
      add(text.bridging, number(d.betweenness, 3));
      add(text.trust, d.trust === null ? "–" : number(d.trust, 2) + " / 4");
      card.appendChild(facts);
      if (d.readings.length) {
        var list = el("ul", { "class": "eco-readings" });
        d.readings.forEach(function (sentence) { list.appendChild(el("li", {}, sentence)); });
        card.appendChild(list);
      }
      var p = el("p");
      p.appendChild(el("a", { href: d.url }, text.open));
      card.appendChild(p);
      card.appendChild(el("p", { "class": "small muted" }, text.escape));
    }

    function setStatus(message) { if (status) status.textContent = message; }

    function focusOn(id, options2) {
      var d = byId[id];
      if (!d) return;
      state.focus = id;
      var partners = partnersOf[id];
      nodeSel.classed("is-focus", function (n) { return n.id === id; })
        .classed("is-partner", function (n) { return !!partners[n.id]; })
        .classed("is-dimmed", function (n) { return n.id !== id && !partners[n.id]; });
      linkSel.classed("is-active", function (l) { return l.source === id || l.target === id; })
        .classed("is-dimmed", function (l) { return l.source !== id && l.target !== id; });
      labelSel.classed("is-dimmed", function (n) { return n.id !== id && !partners[n.id]; });
      svg.classed("has-focus", true);
      showCard(d);
      var count = Object.keys(partners).length;
      var sentence = count === 0 ? text.focusedNone : count === 1 ? text.focusedOne : text.focused;
      setStatus(fill(sentence, { name: d.name, n: number(count, 0) }));
      if (options2 && options2.zoom) {
        var p = currentLayout().positions[id];
        var k = Math.max(state.transform.k, state.fitK * 1.8);
        animate(d3.zoomIdentity.translate(width / 2 - k * p[0], height / 2 - k * p[1]).scale(k));
      } else {
        schedule();
      }
    }

    function reset() {
      if (!state.focus) return;
      var was = state.focus;
      state.focus = null;
      nodeSel.classed("is-focus", false).classed("is-partner", false).classed("is-dimmed", false);
      linkSel.classed("is-active", false).classed("is-dimmed", false);
      labelSel.classed("is-dimmed", false);
      svg.classed("has-focus", false);
      if (card) card.innerHTML = cardDefault;
      setStatus(text.reset);
      schedule();
      return was;
    }

    nodeSel.on("click", function (event, d) {
      if (state.focus === d.id) reset(); else focusOn(d.id, { zoom: false });
    });
    nodeSel.on("keydown", function (event, d) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        if (state.focus === d.id) reset(); else focusOn(d.id, { zoom: true });
      }
    });
    // Clicking the empty background resets the focus; dragging it pans.
    background.on("click", function () { reset(); });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !state.focus) return;
      var was = reset();
      var target = nodeSel.filter(function (n) { return n.id === was; }).node();
      if (target && holder.contains(document.activeElement)) target.focus();
    });

    // ---------------------------------------------------------- the toolbar

    var search = document.getElementById("map-search");
    var searchForm = document.getElementById("map-search-form");
    function find(query) {
      var q = fold(query);
      if (!q) return null;
      var exact = null, starts = null, contains = null;
      nodes.forEach(function (d) {
        var name = fold(d.name);
        if (name === q && !exact) exact = d;
        else if (name.indexOf(q) === 0 && !starts) starts = d;
        else if (name.indexOf(q) > 0 && !contains) contains = d;
      });
      return exact || starts || contains;
    }
    function runSearch() {
      var value = search.value;
      if (!value.trim()) { reset(); return; }
      var d = find(value);
      if (d) focusOn(d.id, { zoom: true });
      else setStatus(fill(text.notFound, { query: value }));
    }
    if (searchForm && search) {
      searchForm.addEventListener("submit", function (event) { event.preventDefault(); runSearch(); });
      search.addEventListener("change", runSearch);
      search.addEventListener("input", function () { if (!search.value) reset(); });
    }

    function remember(name, value) {
      // The filter form carries the view settings, so applying a filter keeps them.
      document.querySelectorAll("form.filters input[type=hidden][name=" + name + "]").forEach(function (input) {
        input.value = value;
      });
      if (!window.history || !window.URL) return;
      var url = new URL(window.location.href);
      url.searchParams.set(name, value);
      window.history.replaceState(null, "", url.toString());
    }
    function control(id, key, param, apply) {
      var select = document.getElementById(id);
      if (!select) return;
      select.value = state[key];
      select.addEventListener("change", function () {
        state[key] = select.value;
        remember(param, select.value);
        apply();
      });
    }
    control("map-edges", "edgesBy", "edges", styleLinks);
    control("map-size", "sizeBy", "size", function () { computeMax(); styleGlyphs(); schedule(); });
    control("map-group", "groupBy", "group", function () {
      var target = fitTransform();
      animate(target);
      if (state.focus) focusOn(state.focus, { zoom: false });
    });
    document.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        var how = button.getAttribute("data-zoom");
        if (how === "in") svg.transition().duration(reducedMotion() ? 0 : 250).call(zoom.scaleBy, 1.6);
        else if (how === "out") svg.transition().duration(reducedMotion() ? 0 : 250).call(zoom.scaleBy, 1 / 1.6);
        else animate(fitTransform());
      });
    });

    styleLinks();
    resize();
    var resizeTimer = null;
    window.addEventListener("resize", function () {
      if (Math.floor(holder.clientWidth) === width) return;
      window.clearTimeout(resizeTimer);
      resizeTimer = window.setTimeout(function () {
        resize();
        if (state.focus) focusOn(state.focus, { zoom: false });
      }, 150);
    });
    holder.setAttribute("data-ready", "true");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
