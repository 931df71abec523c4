// ArmsWatch web UI: small progressive enhancements (the pages work without them).
// A file, not inline code: the Content-Security-Policy allows only this server's scripts.
(function () {
  "use strict";

  // The register's sort links swap only the results table: keep the filter form's hidden
  // sort field in step, so that filtering afterwards keeps the chosen order.
  function syncRegisterSort() {
    var results = document.getElementById("register-results");
    var field = document.getElementById("register-sort");
    if (results && field) {
      field.value = results.getAttribute("data-sort") || "";
    }
  }

  document.addEventListener("htmx:afterSettle", syncRegisterSort);
  document.addEventListener("htmx:historyRestore", syncRegisterSort);

  // Leave empty filter fields out of htmx GET requests (and so out of the pushed URL).
  document.addEventListener("htmx:configRequest", function (event) {
    var data = event.detail.formData;
    if (!data || event.detail.verb !== "get" || typeof data.keys !== "function") {
      return;
    }
    Array.from(new Set(Array.from(data.keys()))).forEach(function (key) {
      var values = data.getAll(key).filter(function (v) { return typeof v !== "string" || v.trim() !== ""; });
      if (!values.length) {
        data.delete(key);
      }
    });
  });

  // A failed htmx request (422 for a bad filter, 5xx) still shows the server's message:
  // htmx swaps only 2xx responses by default, so swap the error page's results too.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr && event.detail.xhr.status;
    if (status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // On a document page, flash the fact entry (or the evidence) a link jumps to.
  function flash() {
    var id = decodeURIComponent((window.location.hash || "").slice(1));
    if (!id) {
      return;
    }
    var target = document.getElementById(id);
    if (!target) {
      return;
    }
    var marks = [];
    if (id.indexOf("ev-") === 0) {
      var fact = id.slice(3);
      marks = Array.prototype.filter.call(document.querySelectorAll("mark.evidence[data-fact]"),
        function (m) { return m.getAttribute("data-fact").split(" ").indexOf(fact) >= 0; });
    }
    marks.forEach(function (m) { m.classList.add("current"); });
    window.setTimeout(function () {
      marks.forEach(function (m) { m.classList.remove("current"); });
    }, 2500);
  }

  window.addEventListener("hashchange", flash);
  document.addEventListener("DOMContentLoaded", function () {
    syncRegisterSort();
    flash();
  });
})();
