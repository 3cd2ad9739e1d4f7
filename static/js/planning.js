/* Drive-in planning: the visit editor dialog around htmx, and print buttons.
   No inline scripts (CSP); everything here works only as an enhancement. */
(function () {
  "use strict";

  function editorDialog() {
    return document.getElementById("editor");
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var dialog = editorDialog();
    if (!dialog || event.detail.target.id !== "editor-body") return;
    if (!dialog.open) dialog.showModal();
    var focus = dialog.querySelector(".message[role=alert], .message, h2");
    if (focus) {
      focus.setAttribute("tabindex", "-1");
      focus.focus({ preventScroll: false });
    }
  });

  document.addEventListener("close", function (event) {
    if (event.target.id === "editor") document.getElementById("editor-body").replaceChildren();
  }, true);

  // A click on the dark backdrop closes the dialog too.
  document.addEventListener("click", function (event) {
    var dialog = editorDialog();
    if (dialog && event.target === dialog) dialog.close();
    var printer = event.target.closest("[data-print]");
    if (printer) window.print();
  });

  document.addEventListener("htmx:responseError", function (event) {
    var flash = document.getElementById("flash");
    var holder = document.querySelector("[data-error-text]");
    if (!flash || !holder) return;
    flash.textContent = holder.dataset.errorText + " (" + event.detail.xhr.status + ")";
    flash.classList.add("shown");
  });

  document.addEventListener("htmx:sendError", function () {
    var flash = document.getElementById("flash");
    var holder = document.querySelector("[data-error-text]");
    if (flash && holder) {
      flash.textContent = holder.dataset.errorText;
      flash.classList.add("shown");
    }
  });
})();
