// CommonGround's only script of its own: progressive enhancements, no inline handlers (CSP).
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // Submit a form as soon as one of its selects changes (language switcher, filters);
  // the form keeps a submit button for people without scripts.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.form && target.form.hasAttribute("data-autosubmit")) {
      target.form.requestSubmit();
    }
  });
  // Ask before destructive actions: <form data-confirm="Remove this member?">
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  // Copy buttons: <button data-copy="#id">
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) return;
    var done = function () { button.setAttribute("data-copied", "true"); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(source.value || source.textContent).then(done);
    } else if (source.select) {
      // Plain-HTTP sites have no clipboard API: select the text so Ctrl+C copies it.
      source.focus();
      source.select();
      if (document.execCommand && document.execCommand("copy")) done();
    }
  });
  // The header's menu button (shown on narrow screens by app.css).
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest(".nav-toggle");
    if (!toggle) return;
    var header = toggle.closest(".site-header");
    var open = !header.classList.contains("open");
    header.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
  // Wide tables scroll inside their own box, never the page; the box takes keyboard focus
  // so it can be scrolled without a mouse.
  function wrapTables() {
    document.querySelectorAll("main table").forEach(function (table) {
      var wrap = table.parentElement;
      if (!wrap.classList.contains("table-wrap")) {
        wrap = document.createElement("div");
        wrap.className = "table-wrap";
        table.parentNode.insertBefore(wrap, table);
        wrap.appendChild(table);
      }
      if (!wrap.hasAttribute("tabindex")) {
        var caption = table.querySelector("caption");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : (document.documentElement.lang === "es" ? "Tabla" : "Table"));
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wrapTables);
  else wrapTables();
  document.addEventListener("htmx:afterSwap", wrapTables);
  // Print buttons: <button data-print>
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });
})();
