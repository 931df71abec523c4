"""Reading list files from disk and telling their format from their content.

Lists arrive renamed (``sdn.csv``, ``list.xml``, ``download``), so the format is
sniffed from the first few kilobytes rather than trusted from the name; OFAC's
CSV files also carry no header, so a numeric first column is the tell. Files
may be gzip-compressed whatever their name: the magic bytes decide.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from pathlib import Path

from armswatch.errors import ListFormatError, UnreadableFileError
from armswatch.sanctions.importers.parsed import ListFile

#: the official files are large (the full SDN advanced XML is ~120 MB); a gzip
#: that inflates past this is refused rather than allowed to fill memory
MAX_DECOMPRESSED_BYTES = 2 * 1024 * 1024 * 1024
SNIFF_BYTES = 4096
#: XML may open with a long comment (a licence); the root is looked for this far
XML_SNIFF_BYTES = 65536
_GZIP_MAGIC = b"\x1f\x8b"
#: whitespace plus OFAC's Ctrl-Z end-of-file byte: a file of only these is empty
_BLANK = b" \t\r\n\x1a\xef\xbb\xbf"

ENTITY_REFUSAL = "refused: the XML declares entities (possible entity-expansion attack)"
DTD_REFUSAL = "refused: the XML has a document type declaration (DTD); list files never need one"

_XML_PROLOGUE = re.compile(rb"<\?.*?\?>|<!--.*?-->", re.S)
_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)([^>]*)>?")
_FSD_NAMESPACE = re.compile(rb"""xmlns(?::\w+)?\s*=\s*["'][^"']*fsd[^"']*["']""")
_OFAC_CSV_LINE = re.compile(rb'^\s*\d+\s*,')

_XML_ROOTS = {b"sdnList": "ofac_xml", b"CONSOLIDATED_LIST": "un_xml"}


def read_list_file(path: Path) -> ListFile:
    """Read (and gunzip) one file; raise ListFormatError if it holds nothing."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(path, exc.strerror or str(exc)) from exc
    content = _gunzip(path, raw) if raw.startswith(_GZIP_MAGIC) else raw
    if not content.strip(_BLANK):
        what = "the file is empty" if not raw else "the file holds no data (only whitespace)"
        if raw.startswith(_GZIP_MAGIC):
            what = "the gzip file decompresses to nothing"
        raise ListFormatError(path, f"{what}; an empty download must not replace a list")
    return ListFile(path=path, content=content)


def _gunzip(path: Path, raw: bytes) -> bytes:
    # zlib with wbits 16+MAX_WBITS reads the gzip wrapper; max_length caps a gzip bomb
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        content = inflater.decompress(raw, MAX_DECOMPRESSED_BYTES)
        if inflater.unconsumed_tail:
            raise ListFormatError(path, f"the gzip file decompresses to more than "
                                        f"{MAX_DECOMPRESSED_BYTES:,} bytes; refused")
        if not inflater.eof:
            raise ListFormatError(path, "the gzip file is truncated (the compressed stream ends early)")
        if inflater.unused_data:  # concatenated gzip members: let the stdlib read them all
            content = gzip.decompress(raw)
    except (zlib.error, gzip.BadGzipFile, EOFError) as exc:
        raise ListFormatError(path, f"not a valid gzip file: {exc}") from exc
    return content


def sniff_format(file: ListFile) -> str:
    """The format a file's first bytes show; ListFormatError (naming the file) if none.

    XML with a DTD is refused here already, before any parser sees it.
    """
    head = file.content[:SNIFF_BYTES].lstrip(_BLANK)
    if head.startswith(b"<"):
        return _sniff_xml(file, file.content[:XML_SNIFF_BYTES].lstrip(_BLANK))
    if head.startswith(b"{"):
        return _sniff_json(file, head)
    first_line = head.split(b"\n", 1)[0]
    if _OFAC_CSV_LINE.match(first_line):
        return "ofac_csv"
    raise ListFormatError(file.path, "unknown list format: not XML, not FollowTheMoney JSON lines, "
                                     "and not an OFAC CSV (no numeric first column)")


def _sniff_xml(file: ListFile, head: bytes) -> str:
    body = _XML_PROLOGUE.sub(b"", head).lstrip()
    if body.startswith(b"<!DOCTYPE") or b"<!ENTITY" in head:
        raise ListFormatError(file.path, ENTITY_REFUSAL if b"<!ENTITY" in head else DTD_REFUSAL)
    match = _ROOT.match(body)
    if match is None:
        raise ListFormatError(file.path, "unknown list format: XML without a root element in the "
                                         "first 64 KB")
    root = match.group(1).split(b":")[-1]
    if root in _XML_ROOTS:
        return _XML_ROOTS[root]
    if root == b"export" and _FSD_NAMESPACE.search(match.group(2)):
        return "eu_xml"
    if root == b"Sanctions":
        raise ListFormatError(file.path, "OFAC's advanced XML (Sanctions Data Model) is not "
                                         "supported; use the legacy sdn.xml or the CSV files")
    root_name = root.decode(errors="replace")
    raise ListFormatError(file.path, f"unknown XML list format (root element <{root_name}>)")


def _sniff_json(file: ListFile, head: bytes) -> str:
    first_line = head.split(b"\n", 1)[0]
    try:
        record = json.loads(first_line)
    except ValueError:  # the first line runs past the sniffed bytes: look for the keys instead
        if re.search(rb'^\{\s*"(?:op|id|schema|entity)"\s*:', first_line) and (
                b'"schema"' in first_line or b'"entity"' in first_line):
            return "ftm"
        raise ListFormatError(file.path, "unknown list format: JSON that is not FollowTheMoney "
                                         "entities (one per line)") from None
    if isinstance(record, dict) and ("schema" in record or isinstance(record.get("entity"), dict)):
        return "ftm"
    raise ListFormatError(file.path, "unknown list format: JSON without FollowTheMoney \"schema\" or "
                                     "\"entity\" keys")
