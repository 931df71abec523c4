"""The shapes passed between the reading step, the format importers and the caller.

Importers see a :class:`ListFile` (bytes already decompressed and checked non-empty)
and return :class:`ListContent`; :func:`armswatch.sanctions.importers.load_list` adds
the facts about the files (names, hash, format) to make the :class:`ParsedList` the
store keeps as one version of the list.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from armswatch.model import ListEntry

T = TypeVar("T", bound=Hashable)


@dataclass(frozen=True)
class ParsedList:
    """One list as read from its files, ready to be stored as a version."""

    list: str  # canonical list name: us_ofac_sdn, us_ofac_cons, un_sc, eu_fsf, or the FtM dataset
    title: str
    format: str  # one of FORMATS
    published: str | None  # ISO date the file states; None if it does not say
    entries: tuple[ListEntry, ...]
    source_files: tuple[str, ...]
    file_hash: str  # sha256 over the files' (decompressed) bytes, files sorted by name
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListFile:
    """A list file's decompressed bytes; ``path`` is what error messages name."""

    path: Path
    content: bytes

    @property
    def name(self) -> str:
        """The file name without a ``.gz`` suffix: what role and list guesses look at."""
        name = self.path.name
        return name[:-3] if name.lower().endswith(".gz") else name


@dataclass(frozen=True)
class ListContent:
    """What one importer reads out of its files."""

    list: str
    title: str
    published: str | None
    entries: tuple[ListEntry, ...]
    warnings: tuple[str, ...] = ()


def unique(values: Iterable[T]) -> tuple[T, ...]:
    """The values in first-seen order without repeats (lists repeat countries and ids freely)."""
    return tuple(dict.fromkeys(values))
