"""Sanctions lists: importers for the official formats, name matching, screening."""
