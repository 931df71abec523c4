"""Importing list files (or URLs) into the store as versions."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from armswatch.sanctions.importers import load_list
from armswatch.settings import Settings
from armswatch.sources.web import fetch_conditional, make_client
from armswatch.store import Store
from armswatch.store.lists import DEFAULT_MAX_SHRINK, ImportResult, import_version

#: official list files are large (the full SDN XML is ~100 MB)
MAX_LIST_BYTES = 1024 * 1024 * 1024


def import_lists(store: Store, sources: Sequence[str], *, fmt: str | None = None,
                 list_name: str | None = None, force: bool = False,
                 max_shrink: float = DEFAULT_MAX_SHRINK, settings: Settings | None = None) -> ImportResult:
    """Parse the files (downloading URLs first) of one list and store them as a new version.

    Several files make one list when they belong together (OFAC's sdn.csv with
    add.csv, alt.csv and sdn_comments.csv). Raises ``ListFormatError`` for a
    file that cannot be read and ``ListImportRefused`` for an import that would
    damage the list; in both cases nothing is stored.
    """
    settings = settings or Settings()
    with tempfile.TemporaryDirectory(prefix="armswatch-list-") as tmp:
        paths = [_local(source, Path(tmp), settings) for source in sources]
        parsed = load_list(paths, format=fmt, list_name=list_name)
    return import_version(store, list_name=parsed.list, title=parsed.title, fmt=parsed.format,
                          published=parsed.published, entries=parsed.entries,
                          source_files=list(sources), file_hash=parsed.file_hash,
                          warnings=parsed.warnings, force=force, max_shrink=max_shrink)


def _local(source: str, folder: Path, settings: Settings) -> Path:
    if not source.startswith(("http://", "https://")):
        return Path(source).expanduser()
    with make_client(settings, timeout=max(settings.fetch_timeout, 120.0)) as client:
        resource = fetch_conditional(source, client=client, max_bytes=MAX_LIST_BYTES)
    name = Path(urlsplit(resource.url).path).name or "list"
    target = folder / name
    target.write_bytes(resource.content or b"")
    return target
