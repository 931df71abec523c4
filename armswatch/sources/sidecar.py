"""Metadata sidecars: a ``meta.jsonl`` beside a folder of documents.

Plain-text files carry no URL or date, yet provenance needs both (every fact
cites where and when it was reported). An analyst who saves articles as text
writes one JSON object a line saying which file it describes and its
``url``, ``published`` date, ``title``, ``author`` and ``source``::

    {"doc_id": "005", "url": "https://...", "published": "2023-10-13"}
    {"file": "reports/sipri.txt", "title": "SIPRI fact sheet", "author": null}

A document is matched by its file name, then its ``doc_id``, then its file
stem. The sidecar wins over what was read from the file, except where its
value is null. Keys other than these are ignored, so a sidecar may carry notes
of its own. A bad line is an :class:`~armswatch.errors.InputError` naming the
line: a sidecar is written by hand, and its author needs to know where to look.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from armswatch.errors import InputError, UnreadableFileError
from armswatch.model import Document

SIDECAR_NAME = "meta.jsonl"
FIELDS = ("url", "published", "title", "author", "source")
_ID_KEYS = ("doc_id", "file", "path")


@dataclass(frozen=True)
class Sidecar:
    """Per-document metadata, keyed by doc_id and by file name and stem."""

    path: str
    by_name: dict[str, dict[str, str | None]] = field(default_factory=dict)
    by_doc_id: dict[str, dict[str, str | None]] = field(default_factory=dict)
    by_stem: dict[str, dict[str, str | None]] = field(default_factory=dict)
    #: how many lines describe a document
    size: int = 0

    def __len__(self) -> int:
        return self.size

    def lookup(self, document: Document) -> dict[str, str | None] | None:
        """The metadata this sidecar holds for ``document``, or None."""
        if document.path is not None:
            name = Path(document.path).name
            if name in self.by_name:
                return self.by_name[name]
        if document.doc_id in self.by_doc_id:
            return self.by_doc_id[document.doc_id]
        stem = Path(document.path).stem if document.path is not None else document.doc_id
        return self.by_stem.get(stem) or self.by_stem.get(document.doc_id)

    def apply(self, document: Document) -> Document:
        """``document`` with the sidecar's non-null values in place of its own."""
        values = self.lookup(document)
        if values is None:
            return document
        return replace(document, **{k: v for k, v in values.items() if v is not None})


def find_sidecar(directory: Path | str) -> Path | None:
    """``directory/meta.jsonl`` if it exists."""
    candidate = Path(directory) / SIDECAR_NAME
    return candidate if candidate.is_file() else None


def load_sidecar(path: Path | str) -> Sidecar:
    """Read and check a JSON Lines sidecar; raise InputError naming the first bad line."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise UnreadableFileError(path, (exc.strerror or str(exc)).lower()) from exc
    by_name: dict[str, dict[str, str | None]] = {}
    by_doc_id: dict[str, dict[str, str | None]] = {}
    by_stem: dict[str, dict[str, str | None]] = {}
    stems: dict[str, int] = {}  # stem -> line; a stem two files share matches neither
    seen: dict[tuple[str, str], int] = {}
    size = 0
    for number, line in enumerate(raw.split(b"\n"), 1):
        try:
            text = line.decode("utf-8-sig" if number == 1 else "utf-8").strip()
        except UnicodeDecodeError:
            raise InputError(path, f"line {number}: not UTF-8 text") from None
        if not text:
            continue
        record = _record(text, path, number)
        values = {key: _value(record, key, path, number) for key in FIELDS}
        size += 1
        for kind, key in _keys(record, path, number):
            if (kind, key) in seen:
                raise InputError(path, f"line {number}: {key!r} is already described "
                                       f"on line {seen[kind, key]}")
            seen[kind, key] = number
            if kind == "doc_id":
                by_doc_id[key] = values
                continue
            by_name[key] = values
            stem = Path(key).stem
            if stems.setdefault(stem, number) == number:
                by_stem[stem] = values
            else:
                by_stem.pop(stem, None)
    return Sidecar(path=str(path), by_name=by_name, by_doc_id=by_doc_id, by_stem=by_stem,
                   size=size)


def _record(text: str, path: Path | str, number: int) -> dict[str, Any]:
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"line {number}: not JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise InputError(path, f"line {number}: not JSON: nested too deeply") from None
    if not isinstance(record, dict):
        raise InputError(path, f"line {number}: expected a JSON object, got {_json_type(record)}")
    return record


def _keys(record: dict[str, Any], path: Path | str, number: int) -> list[tuple[str, str]]:
    """Which document the line describes: ("doc_id", id) and/or ("file", file name) keys."""
    keys: list[tuple[str, str]] = []
    for key in _ID_KEYS:
        value = record.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip():
            raise InputError(path, f"line {number}: {key} must be a non-empty string, "
                                   f"not {_json_type(value)} {_shown(value)}")
        if key == "doc_id":
            keys.append(("doc_id", value.strip()))
        else:  # only the name counts: the sidecar may list paths from another machine
            keys.append(("file", Path(value.strip()).name))
    if not keys:
        raise InputError(path, f"line {number}: no doc_id, file or path to say "
                               "which document it describes")
    return list(dict.fromkeys(keys))  # "file" and "path" may say the same thing


def _value(record: dict[str, Any], key: str, path: Path | str, number: int) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(path, f"line {number}: {key} must be a string or null, "
                               f"not {_json_type(value)} {_shown(value)}")
    value = value.strip()
    if key == "published" and value:
        return _iso_date(value, path, number)
    return value or None


def _iso_date(value: str, path: Path | str, number: int) -> str:
    """A date or date-time in ISO 8601, reduced to the date."""
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        raise InputError(path, f"line {number}: published must be an ISO date "
                               f"(YYYY-MM-DD), not {value!r}") from None


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _json_type(value: Any) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string",
             list: "a list", dict: "an object", type(None): "null"}
    return names.get(type(value), type(value).__name__)
