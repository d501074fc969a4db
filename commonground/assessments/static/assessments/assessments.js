// Assessment pages: show each slider's value beside it as it moves (no inline handlers).
(function () {
  "use strict";
  document.addEventListener("input", function (event) {
    var slider = event.target;
    if (!(slider instanceof HTMLInputElement) || slider.type !== "range") return;
    var output = document.getElementById(slider.getAttribute("data-output") || "");
    if (output) output.textContent = slider.value;
  });
})();
