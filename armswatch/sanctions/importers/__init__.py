"""Importers for the official sanctions list formats, all returning one shape.

Each format has its own module; this one reads the files (gunzipping by magic
bytes), tells or checks their format from their content, hands them to the
importer, and wraps what comes back in a :class:`ParsedList` with the file
facts the store keeps (names, hash). A file that is empty, truncated, unsafe
or of another format than the one named raises ListFormatError, and so does a
list that yields no entries: an empty or broken download must never replace
a list.

Formats: ``ofac_csv`` (sdn.csv / cons_prim.csv with add, alt, comments files),
``ofac_xml`` (legacy sdnList), ``un_xml``, ``eu_xml`` (FSF 1.1), ``ftm``
(FollowTheMoney JSON lines, full exports or deltas).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from armswatch.errors import ListFormatError
from armswatch.sanctions.importers.eu_xml import read_eu_xml
from armswatch.sanctions.importers.files import read_list_file, sniff_format
from armswatch.sanctions.importers.ftm import read_ftm
from armswatch.sanctions.importers.ofac_csv import read_ofac_csv
from armswatch.sanctions.importers.ofac_xml import read_ofac_xml
from armswatch.sanctions.importers.parsed import ListContent, ListFile, ParsedList
from armswatch.sanctions.importers.un_xml import read_un_xml

__all__ = ["FORMATS", "ParsedList", "detect_format", "load_list"]

FORMATS = ("ofac_csv", "ofac_xml", "un_xml", "eu_xml", "ftm")
#: formats whose list is one file; the others combine several
_SINGLE_FILE = {"ofac_xml", "un_xml", "eu_xml"}
_DESCRIPTIONS = {"ofac_csv": "an OFAC legacy CSV file", "ofac_xml": "an OFAC legacy XML file (sdnList)",
                 "un_xml": "a UN consolidated list XML file", "eu_xml": "an EU FSF XML file",
                 "ftm": "FollowTheMoney JSON lines"}


def detect_format(path: Path) -> str:
    """The list format of a file, from its content; ListFormatError naming the file if unknown."""
    return sniff_format(read_list_file(Path(path)))


def load_list(paths: Sequence[Path], *, format: str | None = None,
              list_name: str | None = None) -> ParsedList:
    """Read the files of one list into a ParsedList.

    ``format`` names the format (checked against the content); by default it is
    detected. ``list_name`` overrides the list name the files suggest.
    """
    if not paths:
        raise ValueError("load_list needs at least one file")
    if format is not None and format not in FORMATS:  # a user's typo (--format), reported as such
        raise ListFormatError(paths[0], f"unknown list format {format!r} named; expected one of "
                                        f"{', '.join(FORMATS)}")
    files = [read_list_file(Path(path)) for path in paths]
    found = _check_formats(files, format)
    if found in _SINGLE_FILE and len(files) > 1:
        raise ListFormatError(files[1].path, f"{found} lists come in one file; got {len(files)} files")
    content = _read(found, files, list_name)
    if not content.entries:
        raise ListFormatError(files[0].path, f"no entries: the file is well-formed {found} but lists "
                                             "nobody; an empty list must not replace a real one")
    ordered = sorted(files, key=lambda file: (file.path.name, str(file.path)))
    digest = hashlib.sha256()
    for file in ordered:
        digest.update(file.content)
    return ParsedList(list=content.list, title=content.title, format=found, published=content.published,
                      entries=content.entries, source_files=tuple(str(file.path) for file in files),
                      file_hash=digest.hexdigest(), warnings=content.warnings)


def _check_formats(files: Sequence[ListFile], named: str | None) -> str:
    found = [sniff_format(file) for file in files]
    expected = named or found[0]
    for file, fmt in zip(files, found, strict=True):
        if fmt != expected:
            what = f"the format named is {named}" if named else f"{files[0].name} is {expected}"
            raise ListFormatError(file.path, f"this is {_DESCRIPTIONS[fmt]} ({fmt}), but {what}")
    return expected


def _read(fmt: str, files: Sequence[ListFile], list_name: str | None) -> ListContent:
    if fmt == "ofac_csv":
        return read_ofac_csv(files, list_name=list_name)
    if fmt == "ftm":
        return read_ftm(files, list_name=list_name)
    single = {"ofac_xml": read_ofac_xml, "un_xml": read_un_xml, "eu_xml": read_eu_xml}[fmt]
    return single(files[0], list_name=list_name)
