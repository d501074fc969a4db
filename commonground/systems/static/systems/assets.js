// The asset map: the coalition's counties (topojson, vendored d3), shaded by the chosen
// equity layer, with a mark for each asset: at its coordinates when it has them, else
// placed inside its county. Ringed marks: named by residents in listening sessions.
// CSP: no inline script; data come from the json_script #asset-data.
(function () {
  "use strict";
  var COLORS = {
    clinic: "#b3261e", food: "#2e7d32", faith: "#6a1b9a", park: "#00838f", library: "#1565c0",
    barbershop_salon: "#ad1457", school: "#ef6c00", transit_stop: "#37474f", other: "#5d4037"
  };

  function draw() {
    var holder = document.getElementById("asset-map");
    var source = document.getElementById("asset-data");
    if (!holder || !source || !window.d3 || !window.topojson) return;
    var data = JSON.parse(source.textContent);
    fetch(data.topology, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (topology) { render(holder, data, topology); });
  }

  function render(holder, data, topology) {
    var d3 = window.d3;
    var served = new Set(data.counties);
    var counties = window.topojson.feature(topology, topology.objects.counties).features
      .filter(function (f) { return served.has(String(f.id)); });
    if (!counties.length) return;
    var width = 760, height = 620;
    var projection = d3.geoMercator().fitExtent([[20, 20], [width - 20, height - 20]], { type: "FeatureCollection", features: counties });
    var path = d3.geoPath(projection);
    var cells = new Map(data.cells.map(function (c) { return [c.id, c]; }));
    var values = data.cells.map(function (c) { return c.value; }).filter(function (v) { return v !== null; });
    var extent = d3.extent(values);
    var low = extent[0], high = extent[1];
    if (low === high) high = low + 1;
    function color(v) {
      var t = (v - low) / (high - low);
      if (data.higher_is_better) t = 1 - t;
      return d3.interpolateBlues(0.08 + 0.5 * t);
    }
    holder.textContent = "";
    var svg = d3.select(holder).append("svg").attr("viewBox", "0 0 " + width + " " + height)
      .attr("aria-hidden", "true").attr("focusable", "false");
    svg.append("g").selectAll("path").data(counties).join("path")
      .attr("d", path).attr("class", "sys-county")
      .attr("fill", function (f) { var c = cells.get(String(f.id)); return c && c.value !== null ? color(c.value) : "#eef0f3"; })
      .append("title").text(function (f) {
        var c = cells.get(String(f.id));
        return (c ? c.name : f.properties.name) + (c ? ": " + (c.text || data.labels.noData) : "");
      });
    svg.append("g").selectAll("text").data(counties).join("text")
      .attr("class", "sys-county-name").attr("text-anchor", "middle")
      .attr("x", function (f) { return path.centroid(f)[0]; })
      .attr("y", function (f) { return path.centroid(f)[1] - 30; })
      .text(function (f) { return f.properties.name; });
    var byCounty = {};
    counties.forEach(function (f) { byCounty[String(f.id)] = f; });
    var seen = {};
    var points = data.assets.map(function (a) {
      if (a.lat !== null && a.lon !== null) {
        var p = projection([a.lon, a.lat]);
        if (p) return { a: a, x: p[0], y: p[1] };
      }
      var f = byCounty[a.county];
      if (!f) return null;
      // No coordinates: a deterministic spiral around the county's centre.
      var i = seen[a.county] = (seen[a.county] || 0) + 1;
      var c = path.centroid(f), r = 9 * Math.sqrt(i), ang = i * 2.399963;
      return { a: a, x: c[0] + r * Math.cos(ang), y: c[1] + 6 + r * Math.sin(ang) };
    }).filter(Boolean);
    var marks = svg.append("g").selectAll("g").data(points).join("g")
      .attr("class", "sys-asset").attr("transform", function (p) { return "translate(" + p.x.toFixed(1) + "," + p.y.toFixed(1) + ")"; });
    marks.append("circle").attr("r", 5.5).attr("fill", function (p) { return COLORS[p.a.category] || COLORS.other; })
      .attr("stroke", function (p) { return p.a.named ? "#111111" : "#ffffff"; })
      .attr("stroke-width", function (p) { return p.a.named ? 2.5 : 1; });
    marks.append("title").text(function (p) { return p.a.name + " (" + p.a.categoryLabel + ")" + (p.a.named ? " · " + data.labels.named : ""); });
    legend(data);
  }

  function legend(data) {
    var box = document.getElementById("asset-legend");
    if (!box) return;
    var present = {};
    data.assets.forEach(function (a) { present[a.category] = a.categoryLabel; });
    Object.keys(present).sort().forEach(function (key) {
      var item = document.createElement("span");
      var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      svg.setAttribute("width", "14"); svg.setAttribute("height", "14");
      var c = document.createElementNS("http://www.w3.org/2000/svg", "circle");
      c.setAttribute("cx", "7"); c.setAttribute("cy", "7"); c.setAttribute("r", "5.5");
      c.setAttribute("fill", COLORS[key] || COLORS.other);
      svg.appendChild(c);
      item.appendChild(svg);
      item.appendChild(document.createTextNode(" " + present[key]));
      box.appendChild(item);
    });
    var named = document.createElement("span");
    named.appendChild(document.createTextNode("◉ " + data.labels.named));
    box.appendChild(named);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
