// County map for the measurement pages: reads its data from the json_script #msr-map-data,
// draws the counties of the coalition's states with d3 and topojson-client (vendored), and
// colours each by value or by gap. No inline script (CSP); the table on the page is the
// text alternative.
(function () {
  "use strict";
  function draw() {
    var holder = document.getElementById("msr-map");
    var source = document.getElementById("msr-map-data");
    if (!holder || !source || !window.d3 || !window.topojson) return;
    var data = JSON.parse(source.textContent);
    var byId = new Map(data.cells.map(function (c) { return [c.id, c]; }));
    fetch(data.topology, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (topology) { render(holder, data, byId, topology); });
  }

  function render(holder, data, byId, topology) {
    var d3 = window.d3;
    var states = new Set(data.states);
    var all = window.topojson.feature(topology, topology.objects.counties).features;
    var counties = all.filter(function (f) { return states.has(String(f.id).slice(0, 2)); });
    var stateShapes = window.topojson.feature(topology, topology.objects.states).features
      .filter(function (f) { return states.has(String(f.id)); });
    var width = 760;
    var height = 560;
    var projection = d3.geoMercator().fitSize([width, height], { type: "FeatureCollection", features: counties });
    var path = d3.geoPath(projection);
    var values = data.cells.map(function (c) { return c.value; }).filter(function (v) { return v !== null; });
    var color;
    if (data.mode === "gap") {
      // A gap is worse than the comparison group when it points the wrong way (below zero
      // when higher is better): reds for worse, blues for better, darker for wider.
      var widest = d3.max(values, function (v) { return Math.abs(v); }) || 1;
      color = function (v) {
        var worse = data.higher_is_better ? -v : v;
        var t = 0.12 + 0.83 * Math.abs(v) / widest;
        return worse > 0 ? d3.interpolateReds(t) : d3.interpolateBlues(t);
      };
    } else {
      var extent = d3.extent(values);
      var low = extent[0], high = extent[1];
      if (low === high) { high = low + 1; }
      color = function (v) {
        var t = (v - low) / (high - low);
        if (data.higher_is_better) t = 1 - t;  // darker is worse
        return d3.interpolateOranges(0.1 + 0.85 * t);
      };
    }
    var format = function (cell) { return cell && cell.text ? cell.text : data.labels.no_data; };
    holder.textContent = "";
    var svg = d3.select(holder).append("svg").attr("viewBox", "0 0 " + width + " " + height)
      .attr("aria-hidden", "true").attr("focusable", "false");
    svg.append("g").selectAll("path").data(counties).join("path")
      .attr("d", path)
      .attr("class", function (f) {
        var cell = byId.get(String(f.id));
        var cls = "county";
        if (!cell || cell.value === null) cls += " nodata";
        if (cell && cell.served) cls += " served";
        return cls;
      })
      .attr("fill", function (f) {
        var cell = byId.get(String(f.id));
        return cell && cell.value !== null ? color(cell.value) : null;
      })
      .append("title").text(function (f) {
        var cell = byId.get(String(f.id));
        return (cell ? cell.name : f.properties.name) + ": " + format(cell);
      });
    svg.append("g").selectAll("path").data(stateShapes).join("path").attr("class", "state").attr("d", path);
    // Draw served counties last so their outline is on top.
    svg.append("g").selectAll("path")
      .data(counties.filter(function (f) { var c = byId.get(String(f.id)); return c && c.served; }))
      .join("path").attr("class", "county served").attr("fill", "none").attr("d", path);
    legend(data, values, color);
  }

  function legend(data, values, color) {
    var box = document.getElementById("msr-legend");
    if (!box || !values.length) return;
    var d3 = window.d3;
    var sorted = values.slice().sort(function (a, b) { return a - b; });
    var picks = [0, 0.25, 0.5, 0.75, 1].map(function (q) { return d3.quantileSorted(sorted, q); });
    // Gaps follow the one sign convention of the pages: a positive size and its side.
    var label = function (v) {
      if (data.mode !== "gap") return (v * data.scale).toFixed(data.digits) + data.suffix;
      var size = Math.abs(v * data.scale).toFixed(data.digits);
      if (Number(size) === 0) return data.labels.same;
      var unit = data.suffix === "%" ? " " + data.labels.points : data.suffix;
      return size + unit + " " + (v < 0 ? data.labels.lower : data.labels.higher);
    };
    picks.forEach(function (v) {
      var item = document.createElement("span");
      var swatch = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      swatch.setAttribute("width", "22");
      swatch.setAttribute("height", "14");
      var rect = document.createElementNS("http://www.w3.org/2000/svg", "rect");
      rect.setAttribute("width", "22");
      rect.setAttribute("height", "14");
      rect.setAttribute("fill", color(v));
      rect.setAttribute("stroke", "#999");
      swatch.appendChild(rect);
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(" " + label(v)));
      box.appendChild(item);
    });
    var none = document.createElement("span");
    var grey = document.createElement("span");
    grey.className = "swatch nodata";
    none.appendChild(grey);
    none.appendChild(document.createTextNode(data.labels.no_data));
    box.appendChild(none);
    var yours = document.createElement("span");
    yours.appendChild(document.createTextNode("▭ " + data.labels.yours));
    box.appendChild(yours);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
