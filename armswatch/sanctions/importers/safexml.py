"""Parsing list XML safely: no DTDs, no entities, errors that say where.

Every XML list goes through defusedxml's ``iterparse``, which refuses a document
type declaration before any entity could be expanded, so a billion-laughs or an
external-entity file fails at its first lines instead of eating memory or
reading local files. Parser errors are translated here into ListFormatError.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import iterparse

from armswatch.errors import ListFormatError
from armswatch.sanctions.importers.files import DTD_REFUSAL, ENTITY_REFUSAL
from armswatch.sanctions.importers.parsed import ListFile

# expat's codes for a document that stops before its end
_TRUNCATED_CODES = {3, 5, 6}  # XML_ERROR_NO_ELEMENTS, _UNCLOSED_TOKEN, _PARTIAL_CHAR


def local(tag: str) -> str:
    """A tag without its ``{namespace}`` (the OFAC and EU files use default namespaces)."""
    return tag.rsplit("}", 1)[-1]


def iter_elements(file: ListFile) -> Iterator[tuple[str, Element]]:
    """Yield ``("start" | "end", element)`` pairs of the file, refusing DTDs and entities.

    Callers clear each record once they have read it, so a large list is never
    held in memory as one tree.
    """
    events = iterparse(io.BytesIO(file.content), events=("start", "end"),
                       forbid_dtd=True, forbid_entities=True, forbid_external=True)
    try:
        yield from events
    except EntitiesForbidden as exc:
        raise ListFormatError(file.path, ENTITY_REFUSAL) from exc
    except ExternalReferenceForbidden as exc:
        raise ListFormatError(file.path, "refused: the XML refers to an external entity or DTD") from exc
    except DTDForbidden as exc:
        reason = ENTITY_REFUSAL if b"<!ENTITY" in file.content[:65536] else DTD_REFUSAL
        raise ListFormatError(file.path, reason) from exc
    except ParseError as exc:
        line, column = exc.position
        if exc.code in _TRUNCATED_CODES:
            reason = (f"truncated XML: the document ends at line {line}, column {column} "
                      "before its elements are closed")
        else:
            reason = f"not well-formed XML at line {line}, column {column}: {exc}"
        raise ListFormatError(file.path, reason) from exc


def text(element: Element | None) -> str | None:
    """An element's text, stripped of the stray spaces the UN and OFAC files carry; None if blank."""
    if element is None or element.text is None:
        return None
    value = " ".join(element.text.split())
    return value or None


def child(element: Element, name: str) -> Element | None:
    """The first child with this local name, whatever its namespace."""
    for sub in element:
        if local(sub.tag) == name:
            return sub
    return None


def children(element: Element, name: str) -> list[Element]:
    """Every child with this local name."""
    return [sub for sub in element if local(sub.tag) == name]


def child_text(element: Element, name: str) -> str | None:
    return text(child(element, name))
