// Draws a network with Cytoscape.js into <div id="graph" data-src="/api/...">.
// The JSON comes from this server (same origin); names in it are only ever set as
// Cytoscape data (drawn on a canvas), never as HTML. After drawing, the container
// carries data-nodes, data-edges and data-ready="1" (for tests and scripts).
(function () {
  "use strict";

  var KIND_COLOURS = {
    country: "#3b6ea5", person: "#d9822b", organization: "#3f8f4f", group: "#8e5ea2", vessel: "#2a9d9d"
  };
  var TYPE_COLOURS = {
    arms_transfer: "#b03a2e", sanction: "#7d3c98", diplomatic_contact: "#2e86c1",
    cooperation: "#229954", statement: "#7f8c8d"
  };
  var DIRECTED = ["arms_transfer", "sanction", "statement"];

  function pathUrl(prefix, id) {
    return prefix + encodeURIComponent(id).replace(/%3A/gi, ":");
  }

  function styles() {
    var s = [
      { selector: "node", style: {
        "background-color": "#95a5a6", "label": "data(label)", "font-size": 10,
        "font-family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
        "text-valign": "bottom", "text-margin-y": 3, "color": "#222",
        "text-background-color": "#ffffff", "text-background-opacity": 0.7, "text-background-padding": 1,
        "width": "mapData(degree, 1, 20, 16, 44)", "height": "mapData(degree, 1, 20, 16, 44)",
        "border-width": 1, "border-color": "#ffffff", "min-zoomed-font-size": 6
      } },
      { selector: "node[?sanctioned]", style: { "border-width": 4, "border-color": "#d0021b" } },
      { selector: "node.focus", style: { "font-weight": "bold", "font-size": 12, "underlay-color": "#f1c40f",
        "underlay-opacity": 0.5, "underlay-padding": 6 } },
      { selector: "edge", style: {
        "width": 2, "line-color": "#999", "curve-style": "bezier", "label": "data(label)",
        "font-size": 8, "color": "#444", "text-rotation": "autorotate", "min-zoomed-font-size": 7,
        "text-background-color": "#ffffff", "text-background-opacity": 0.8, "text-background-padding": 1,
        "target-arrow-shape": "none", "arrow-scale": 1.1, "opacity": 0.85
      } },
      { selector: "edge[stage = \"sought\"], edge[stage = \"lifted\"]", style: { "line-style": "dotted" } },
      { selector: "edge[stage = \"negotiating\"], edge[stage = \"threatened\"]", style: { "line-style": "dashed" } },
      { selector: "edge[stage = \"agreed\"], edge[stage = \"imposed\"], edge[stage = \"pledged\"]", style: { "width": 2.5 } },
      { selector: "edge[stage = \"delivered\"]", style: { "width": 4.5 } },
      { selector: "edge[?contradicted]", style: { "color": "#d0021b", "font-weight": "bold" } },
      { selector: "node:selected, edge:selected", style: { "overlay-color": "#f1c40f", "overlay-opacity": 0.3 } }
    ];
    Object.keys(KIND_COLOURS).forEach(function (kind) {
      s.push({ selector: "node[kind = \"" + kind + "\"]", style: { "background-color": KIND_COLOURS[kind] } });
    });
    Object.keys(TYPE_COLOURS).forEach(function (type) {
      var st = { "line-color": TYPE_COLOURS[type], "target-arrow-color": TYPE_COLOURS[type] };
      if (DIRECTED.indexOf(type) >= 0) {
        st["target-arrow-shape"] = "triangle";
      }
      s.push({ selector: "edge[type = \"" + type + "\"]", style: st });
    });
    // the sanctioned outline wins over the kind colour's default border
    s.push({ selector: "node[?sanctioned]", style: { "border-width": 4, "border-color": "#d0021b" } });
    return s;
  }

  function setStatus(text) {
    var el = document.getElementById("graph-status");
    if (el) {
      el.textContent = text;
    }
  }

  function elementsOf(data) {
    var nodes = (data && data.nodes) || [];
    var edges = (data && data.edges) || [];
    var ids = {};
    var out = [];
    nodes.forEach(function (n) {
      if (n && n.id != null && !ids[n.id]) {
        ids[n.id] = true;
        out.push({ group: "nodes", data: n });
      }
    });
    var seen = {};
    edges.forEach(function (e) {
      if (!e || !ids[e.source] || !ids[e.target] || seen[e.id]) {
        return;
      }
      seen[e.id] = true;
      var d = Object.assign({}, e);
      if (d.contradicted) {
        d.label = (d.label || "") + " (contradicted)";
      }
      out.push({ group: "edges", data: d });
    });
    return out;
  }

  function done(container, cy) {
    container.setAttribute("data-nodes", String(cy ? cy.nodes().length : 0));
    container.setAttribute("data-edges", String(cy ? cy.edges().length : 0));
    container.setAttribute("data-ready", "1");
  }

  function draw(container, data) {
    if (container.armswatchCy) {
      container.armswatchCy.destroy();
      container.armswatchCy = null;
    }
    var elements = elementsOf(data);
    if (!elements.length) {
      container.classList.add("graph-empty");
      setStatus("Nothing to draw: no events match.");
      done(container, null);
      return;
    }
    container.classList.remove("graph-empty");
    var cy = window.cytoscape({
      container: container,
      elements: elements,
      style: styles(),
      layout: { name: "preset" },
      minZoom: 0.1,
      maxZoom: 4
    });
    var focus = container.getAttribute("data-focus");
    if (focus) {
      cy.getElementById(focus).addClass("focus");
    }
    var nodeCount = cy.nodes().length;
    var layout = nodeCount > 1
      ? { name: "cose", animate: false, nodeDimensionsIncludeLabels: true, padding: 24, randomize: true,
          idealEdgeLength: function () { return 120; }, edgeElasticity: function () { return 100; },
          nodeRepulsion: function () { return 400000; }, nodeOverlap: 20, gravity: 0.5,
          numIter: 2000, componentSpacing: 60 }
      : { name: "grid", padding: 24 };
    cy.layout(layout).run();
    cy.fit(undefined, 24);
    if (cy.zoom() > 1.6) {  // a small neighbourhood: don't blow it up
      cy.zoom(1.6);
      cy.center();
    }
    cy.on("tap", "node", function (evt) {
      window.location.href = pathUrl("/entities/", evt.target.id());
    });
    cy.on("tap", "edge", function (evt) {
      var ev = evt.target.data("event_id");
      if (ev) {
        window.location.href = pathUrl("/events/", ev);
      }
    });
    cy.on("mouseover", "node, edge", function () { container.classList.add("pointing"); });
    cy.on("mouseout", "node, edge", function () { container.classList.remove("pointing"); });
    container.armswatchCy = cy;
    window.armswatchGraph = cy;
    var truncated = data && data.truncated ? " (truncated: the most reported events only)" : "";
    setStatus(cy.nodes().length + " actors, " + cy.edges().length + " links" + truncated + ".");
    var counts = document.getElementById("network-counts");
    if (counts) {
      counts.textContent = cy.nodes().length + " actors, " + cy.edges().length + " links";
    }
    done(container, cy);
  }

  function load(container, url) {
    container.setAttribute("data-ready", "0");
    container.removeAttribute("data-error");
    setStatus("Loading the graph…");
    var request = (container.armswatchRequest || 0) + 1;
    container.armswatchRequest = request;
    window.fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          return response.json().catch(function () { return {}; }).then(function (body) {
            var detail = body && body.detail;
            var msg = Array.isArray(detail) ? detail.map(function (d) { return d.msg; }).join("; ")
              : (detail || ("HTTP " + response.status));
            throw new Error(msg);
          });
        }
        return response.json();
      })
      .then(function (data) {
        if (container.armswatchRequest === request) {
          draw(container, data);
        }
      })
      .catch(function (err) {
        if (container.armswatchRequest !== request) {
          return;
        }
        container.setAttribute("data-error", String(err && err.message || err));
        setStatus("Could not load the graph: " + (err && err.message || err));
      });
  }

  function formQuery(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (typeof value === "string" && value.trim() !== "") {
        params.append(key, value.trim());
      }
    });
    return params.toString();
  }

  // Cytoscape caches where its container is on screen and refreshes that on scroll events,
  // which arrive a frame late: refresh it on every press so a click right after a scroll
  // still lands on the node under the pointer.
  function freshCoordinates(container) {
    var refresh = function () {
      var cy = container.armswatchCy;
      var renderer = cy && typeof cy.renderer === "function" ? cy.renderer() : null;
      if (renderer && typeof renderer.invalidateContainerClientCoordsCache === "function") {
        renderer.invalidateContainerClientCoordsCache();
      }
    };
    ["mousedown", "touchstart", "pointerdown"].forEach(function (name) {
      container.addEventListener(name, refresh, { capture: true, passive: true });
    });
  }

  function init() {
    var container = document.getElementById("graph");
    if (!container) {
      return;
    }
    freshCoordinates(container);
    if (typeof window.cytoscape !== "function") {
      container.setAttribute("data-error", "cytoscape not loaded");
      setStatus("The graph library did not load.");
      return;
    }
    var src = container.getAttribute("data-src");
    var formId = container.getAttribute("data-form");
    var form = formId ? document.getElementById(formId) : null;
    if (!form) {
      load(container, src);
      return;
    }
    var refresh = function () {
      var invalid = Array.prototype.some.call(form.elements, function (el) {
        return el.willValidate && !el.checkValidity();
      });
      if (invalid) {
        setStatus("Dates are YYYY, YYYY-MM or YYYY-MM-DD.");
        return;
      }
      // the server-rendered summary was for the filters the page was loaded with
      Array.prototype.forEach.call(document.querySelectorAll("[data-initial-filters]"), function (el) {
        el.hidden = true;
      });
      var q = formQuery(form);
      window.history.replaceState(null, "", window.location.pathname + (q ? "?" + q : ""));
      load(container, src + (q ? "?" + q : ""));
    };
    form.addEventListener("change", refresh);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      refresh();
    });
    var q = formQuery(form);
    load(container, src + (q ? "?" + q : ""));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
