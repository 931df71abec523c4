"""Read local files into :class:`~armswatch.model.Document` objects.

This is the boundary where the outside world's mess (unknown encodings, binary
files, broken HTML, files that vanish) becomes either a clean ``Document`` or
an :class:`~armswatch.errors.InputError`, so batches report a bad file and go
on. The text is never reshaped beyond newline normalisation, because evidence
offsets downstream index into ``Document.text`` exactly.
:func:`document_from_bytes` is the same reading for bytes that came from
elsewhere (an HTTP response), so a saved page and a fetched one read alike.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import lxml.html
import trafilatura
from charset_normalizer import from_bytes

from armswatch.errors import (
    BinaryFileError,
    EmptyFileError,
    InputError,
    OversizedFileError,
    UnreadableFileError,
)
from armswatch.model import Document
from armswatch.settings import Settings
from armswatch.sources.pdf import is_pdf, pdf_text

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES

_MB = 1024 * 1024
_BINARY_CONTROL_RATIO = 0.10
# Unicode category Cc, less \t \n \f \r
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# BOMs in the order they must be tested: UTF-32-LE's BOM starts with UTF-16-LE's.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Legacy encodings of the news we read, tried besides charset_normalizer's
# guesses; on a tie the earlier one wins (windows-1252 is the web's default).
_LEGACY_ENCODINGS = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257")
_COMMON_SYMBOLS = set("°©®™±×÷§¶µ·•€¦¬")
_NEWLINES = re.compile(r"\r\n?")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SCORED_CHARS = 64 * 1024  # enough to judge an encoding; keeps 20 MB files fast
_HTML_START = re.compile(r"\s*<(!doctype html|html)\b", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_FRONT_MATTER_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")
_FRONT_MATTER_MAX_LINES = 50
_HIDDEN_HTML = "//script|//style|//noscript|//template"
_HTML_BLOCKS = ("p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
                "article", "section", "blockquote", "pre", "ul", "ol", "table", "dd", "dt")


def discover(paths: Iterable[str | Path]) -> Iterator[Path | InputError]:
    """Yield the files to read under ``paths``; a missing path is yielded as an error."""
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            yield from _walk(path, visited=set())
        elif path.exists() or path.is_symlink():
            yield path  # named by the user: read it whatever its suffix
        else:
            yield UnreadableFileError(path, "no such file or directory")


def _walk(directory: Path, *, visited: set[tuple[int, int]]) -> Iterator[Path | InputError]:
    """Depth-first, sorted walk; ``visited`` stops symlinked directories looping."""
    try:
        info = directory.stat()
        entries = sorted(directory.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        yield UnreadableFileError(directory, _os_reason(exc))
        return
    if (info.st_dev, info.st_ino) in visited:
        return
    visited.add((info.st_dev, info.st_ino))
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(entry, visited=visited)
        elif entry.suffix.lower() in SUPPORTED_SUFFIXES:
            yield entry if entry.exists() else UnreadableFileError(entry, "broken symbolic link")


def read_document(path: Path, *, settings: Settings) -> Document:
    """Read one file as text (HTML reduced to its main text); raise InputError if it cannot be."""
    raw = _read_bytes(path, limit=settings.max_file_bytes)
    document = document_from_bytes(raw, origin=path, doc_id=path.stem, suffix=path.suffix)
    return replace(document, path=str(path))


def document_from_bytes(raw: bytes, *, origin: Path | str, doc_id: str, suffix: str = "",
                        declared_encoding: str | None = None) -> Document:
    """Read bytes the way a file named ``*<suffix>`` is read; raise InputError if they cannot be.

    ``origin`` (a path or a URL) names the bytes in errors. ``suffix`` (".html",
    ".pdf", ".txt", ...) says how to read them; with "" they are sniffed (PDF
    magic, an HTML start, else plain text without front matter).
    ``declared_encoding`` (an HTTP charset) is tried when the bytes are neither
    UTF-8 nor marked by a BOM, before guessing.
    """
    suffix = suffix.lower()
    if not raw.strip():
        raise EmptyFileError(origin, "the file is empty" if not raw else "only whitespace")
    if suffix in PDF_SUFFIXES or is_pdf(raw):  # before _decode: a PDF is not 'binary'
        text, metadata = pdf_text(raw, origin)
        return Document(doc_id=doc_id, text=text, **metadata)
    text, encoding = _decode(raw, origin, declared=declared_encoding)
    text = _NEWLINES.sub("\n", text)
    fields: dict[str, str | None] = {}
    if suffix in HTML_SUFFIXES or _HTML_START.match(text[:1000]):
        text, fields = _html_text(text, origin)
    elif suffix in TEXT_SUFFIXES:
        text, fields = _split_front_matter(text)
    if not text.strip():
        raise EmptyFileError(origin, "only whitespace")
    return Document(doc_id=doc_id, text=text, encoding=encoding, **fields)


def read_text(text: str, *, doc_id: str = "text") -> Document:
    """Wrap text a library caller already has, with newlines normalised like files."""
    return Document(doc_id=doc_id, text=_NEWLINES.sub("\n", text))


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def _read_bytes(path: Path, *, limit: int) -> bytes:
    """Check the file with stat before reading, and never read more than ``limit`` + 1."""
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise UnreadableFileError(path, "is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFileError(path, "not a regular file")
        if info.st_size > limit:
            raise OversizedFileError(path, _size_reason(info.st_size, limit))
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise UnreadableFileError(path, _os_reason(exc)) from exc
    if len(raw) > limit:  # the file grew between stat and read
        raise OversizedFileError(path, _size_reason(len(raw), limit))
    return raw


def _size_reason(size: int, limit: int) -> str:
    return (f"file is {size / _MB:.3g} MB ({size:,} bytes), "
            f"over the {limit / _MB:.3g} MB limit ({limit:,} bytes)")


def _decode(raw: bytes, path: Path | str, *, declared: str | None = None) -> tuple[str, str]:
    """Return the text and the encoding used, or raise BinaryFileError."""
    if raw.startswith(codecs.BOM_UTF8):
        text, encoding = _strict(raw, "utf-8-sig", path), "utf-8-sig"
    elif bom := next((enc for bom, enc in _BOMS if raw.startswith(bom)), None):
        text, encoding = _strict(raw, bom, path), bom
    elif b"\x00" in raw:
        raise BinaryFileError(path, "binary data, not text")
    else:
        try:
            text, encoding = raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            # C0 bytes only: in legacy encodings 0x80-0x9F are letters, not controls
            if _control_ratio(raw.decode("ascii", "replace")) > _BINARY_CONTROL_RATIO:
                raise BinaryFileError(path, "binary data, not text") from None
            text, encoding = _declared(raw, declared) or _detect(raw, path)
    if "\x00" in text or _control_ratio(text) > _BINARY_CONTROL_RATIO:
        raise BinaryFileError(path, "binary data, not text")
    return text, encoding


def _declared(raw: bytes, declared: str | None) -> tuple[str, str] | None:
    """Decode with a server's declared charset, if it names a text encoding that fits.

    As browsers do, ISO-8859-1 and ASCII labels mean windows-1252.
    """
    if not declared:
        return None
    try:
        encoding = codecs.lookup(declared).name
        encoding = "cp1252" if encoding in ("iso8859-1", "ascii") else encoding
        return raw.decode(encoding), encoding
    except (LookupError, ValueError):  # unknown label, a bytes codec, or bytes that do not fit
        return None


def _strict(raw: bytes, encoding: str, path: Path | str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise BinaryFileError(path, f"invalid {encoding} despite its byte order mark") from exc


def _control_ratio(text: str) -> float:
    controls = sum(1 for _ in _CONTROLS.finditer(text))
    return controls / len(text) if text else 0.0


def _detect(raw: bytes, path: Path | str) -> tuple[str, str]:
    """Pick the decoding that reads most like text.

    charset_normalizer alone misreads short texts (Latin-1 "São Tomé" comes
    back as cp1250 "Săo Tomé", cp1250 "Władysław" as Big5), so its guesses
    and the common legacy encodings are ranked by :func:`_implausibility`,
    then by its language coherence, then by the order of ``_LEGACY_ENCODINGS``.
    """
    coherence = {m.encoding: m.coherence for m in from_bytes(raw)}
    ranked: list[tuple[int, float, int, str, str]] = []
    for rank, encoding in enumerate(dict.fromkeys([*_LEGACY_ENCODINGS, *coherence])):
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        score = _implausibility(text[:_SCORED_CHARS])
        ranked.append((score, -round(coherence.get(encoding, 0.0), 1), rank, encoding, text))
    non_ascii = sum(1 for b in raw[:_SCORED_CHARS] if b > 0x7F)
    # credible: at most one non-ASCII byte in five reads as an odd character
    if not ranked or min(ranked)[0] > non_ascii / 5:
        raise BinaryFileError(path, "cannot detect the text encoding")
    _, _, _, encoding, text = min(ranked)
    return text, encoding


def _implausibility(text: str) -> int:
    """Count non-ASCII characters unlikely in prose: odd symbols, or letters of mixed scripts."""
    bad = 0
    for match in _NON_ASCII.finditer(text):
        char, i = match[0], match.start()
        category = unicodedata.category(char)
        if category[0] in "CM" or (category in ("No", "Sk", "Sm", "So")
                                   and char not in _COMMON_SYMBOLS):
            bad += 1
        elif category[0] == "L":
            script = _script(char)
            neighbours = text[max(i - 1, 0):i] + text[i + 1:i + 2]
            bad += any(n.isalpha() and _script(n) != script for n in neighbours)
    return bad


def _script(char: str) -> str:
    word = unicodedata.name(char, "?").split()[0]
    return "CJK" if word in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "HALFWIDTH") else word


def _html_text(html: str, path: Path | str) -> tuple[str, dict[str, str | None]]:
    """The main text of a page (trafilatura), or all its visible text when that finds nothing.

    Scripts, styles and ``<noscript>`` go before trafilatura sees the page: on
    short pages its recall fallback returns ``<noscript>`` text as content.
    """
    tree = _parse_html(html, path)
    for element in tree.xpath(_HIDDEN_HTML):
        element.drop_tree()
    try:
        text = trafilatura.extract(lxml.html.tostring(tree, encoding="unicode"),
                                   include_comments=False, include_tables=False,
                                   favor_recall=True)
        meta = trafilatura.extract_metadata(html)  # the full page: JSON-LD lives in scripts
    except Exception:  # noqa: BLE001 - a parser bug must not stop the batch
        text, meta = None, None
    fields: dict[str, str | None] = {}
    if meta is not None:
        fields = {"title": meta.title, "published": meta.date, "url": meta.url,
                  "author": meta.author, "source": meta.sitename}
    if not text or not text.strip():
        text = _visible_text(tree)
    if not text.strip():
        raise EmptyFileError(path, "no text in the HTML")
    return text, fields


def _parse_html(html: str, path: Path | str) -> lxml.html.HtmlElement:
    html = _XML_DECLARATION.sub("", html)  # lxml refuses str input that declares an encoding
    try:
        return lxml.html.document_fromstring(html)
    except Exception as exc:  # noqa: BLE001 - lxml raises several unrelated types
        if "empty" in str(exc).lower():
            raise EmptyFileError(path, "no text in the HTML") from exc
        raise UnreadableFileError(path, f"cannot parse the HTML: {exc}") from exc


def _visible_text(tree: lxml.html.HtmlElement) -> str:
    """Every text block of the (already cleaned) body, whitespace collapsed, one a line."""
    for element in tree.xpath("//head"):
        element.drop_tree()
    for block in tree.iter(*_HTML_BLOCKS):  # a line break around every block
        block.tail = "\n" + (block.tail or "")
        block.text = "\n" + (block.text or "")
    lines = (" ".join(line.split()) for line in tree.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def _split_front_matter(text: str) -> tuple[str, dict[str, str | None]]:
    """Drop a leading ``---`` block of ``key: value`` lines, keeping the keys we know.

    Only a block made of key lines (or their indented continuations) counts,
    so a document that merely opens with a ``---`` rule keeps its text.
    """
    lines = text.split("\n", _FRONT_MATTER_MAX_LINES)
    if lines[0].rstrip() != "---":
        return text, {}
    end = next((i for i, line in enumerate(lines[1:_FRONT_MATTER_MAX_LINES], 1)
                if line.rstrip() == "---"), None)
    if end is None:
        return text, {}
    values: dict[str, str] = {}
    for line in lines[1:end]:
        if match := _FRONT_MATTER_KEY.match(line):
            values.setdefault(match[1].lower(), match[2].strip().strip("\"'"))
        elif line.strip() and not line[0].isspace() and not line.startswith(("#", "- ")):
            return text, {}
    if not values:
        return text, {}
    body = text[sum(len(line) + 1 for line in lines[:end + 1]):]
    url = values.get("url") or (values.get("source", "") if "://" in values.get("source", "")
                                else "")
    return body, {"title": values.get("title") or None, "url": url or None,
                  "published": values.get("published") or values.get("date") or None}
