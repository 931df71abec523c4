"""One router per resource; :func:`armswatch.api.app.create_app` mounts them under /api."""
