// The power map's drag-and-drop (backbone admins): drag an actor's mark on the influence ×
// alignment grid; on release its new place is saved with the version it was drawn from
// (a stale version is refused and the mark goes back to the stored place). The table's
// number fields stay in step and remain the keyboard alternative. CSP: no inline code.
(function () {
  "use strict";

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function start() {
    var svg = document.getElementById("power-svg");
    var form = document.getElementById("power-form");
    var optionsNode = document.getElementById("power-options");
    if (!svg || !form || !optionsNode || typeof d3 === "undefined") return;
    var options = JSON.parse(optionsNode.textContent);
    var text = options.labels;
    var size = options.size, margin = options.margin, inner = size - 2 * margin;
    var status = document.getElementById("power-status");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;

    function toValues(x, y) {
      return {
        alignment: Math.round(Math.max(0, Math.min(100, (x - margin) * 100 / inner))),
        influence: Math.round(Math.max(0, Math.min(100, (size - margin - y) * 100 / inner)))
      };
    }
    function toPoint(influence, alignment) {
      return [margin + alignment * inner / 100, size - margin - influence * inner / 100];
    }
    function field(prefix, id) { return document.getElementById(prefix + "-" + id); }
    function move(mark, point) {
      mark.setAttribute("transform", "translate(" + point[0].toFixed(1) + "," + point[1].toFixed(1) + ")");
    }
    function say(message) { if (status) status.textContent = message; }

    function save(mark, id, name, values, previous) {
      var body = new FormData();
      body.append("csrfmiddlewaretoken", token);
      body.append("influence-" + id, String(values.influence));
      body.append("alignment-" + id, String(values.alignment));
      body.append("version-" + id, field("ver", id).value);
      mark.classList.add("is-saving");
      fetch(form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (result) {
        mark.classList.remove("is-saving");
        var stored = result.data.positions && result.data.positions[id];
        if (stored) {
          field("ver", id).value = stored.version;
          field("inf", id).value = stored.influence === null ? "" : stored.influence;
          field("ali", id).value = stored.alignment === null ? "" : stored.alignment;
        }
        if (result.ok) {
          say(fill(text.saved, { name: name, influence: values.influence, alignment: values.alignment }));
          return;
        }
        say(fill(text.failed, { message: result.data.error || "" }));
        if (stored && stored.influence !== null && stored.alignment !== null) {
          move(mark, toPoint(stored.influence, stored.alignment));
        } else {
          move(mark, previous);
        }
      }).catch(function () {
        mark.classList.remove("is-saving");
        move(mark, previous);
        var back = toValues(previous[0], previous[1]);
        field("inf", id).value = back.influence;
        field("ali", id).value = back.alignment;
        say(text.broken);
      });
    }

    var drag = d3.drag()
      .container(svg)
      .on("start", function (event) {
        var t = this.transform.baseVal.consolidate().matrix;
        this.__start = [t.e, t.f];
        this.classList.add("is-dragging");
      })
      .on("drag", function (event) {
        var x = Math.max(margin, Math.min(size - margin, event.x));
        var y = Math.max(margin, Math.min(size - margin, event.y));
        move(this, [x, y]);
        var values = toValues(x, y);
        say(fill(text.moved, { name: this.getAttribute("data-name"), influence: values.influence, alignment: values.alignment }));
      })
      .on("end", function (event) {
        this.classList.remove("is-dragging");
        var t = this.transform.baseVal.consolidate().matrix;
        var values = toValues(t.e, t.f);
        var id = this.getAttribute("data-id");
        var before = this.__start;
        if (Math.abs(t.e - before[0]) < 1 && Math.abs(t.f - before[1]) < 1) return;
        field("inf", id).value = values.influence;
        field("ali", id).value = values.alignment;
        move(this, toPoint(values.influence, values.alignment));
        save(this, id, this.getAttribute("data-name"), values, before);
      });
    d3.select(svg).selectAll(".eco-power-mark").classed("is-draggable", true).call(drag);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
