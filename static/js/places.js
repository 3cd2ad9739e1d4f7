/* The week's places panel (templates/shifts/week_places.html) polls every few
   seconds, but only while the tab is visible: a hidden tab asks nothing, and
   coming back asks at once. No inline script (CSP); without JS the link stays. */
(function () {
  "use strict";

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt.hasAttribute("data-polled") && document.visibilityState !== "visible") {
      event.preventDefault();
    }
  });

  document.addEventListener("visibilitychange", function () {
    var panel = document.querySelector("#week-places[data-polled]");
    if (panel && document.visibilityState === "visible" && window.htmx) {
      window.htmx.ajax("GET", panel.getAttribute("hx-get"), { target: panel, swap: "outerHTML" });
    }
  });
})();
