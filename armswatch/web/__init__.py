"""The web UI: server-rendered pages (Jinja2) over the store, with vendored htmx and Cytoscape.js."""
