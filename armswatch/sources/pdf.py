"""Read the text and metadata of a PDF.

Government press releases, sanctions notices and parliamentary answers often
come only as PDFs, so they must enter the pipeline like any other document.
pypdf is forgiving by design (it logs a warning and guesses); here a PDF that
is encrypted, truncated or broken becomes an
:class:`~armswatch.errors.UnreadableFileError` and one without a text layer an
:class:`~armswatch.errors.EmptyFileError`, so a batch reports it and goes on
rather than extracting facts from half a document.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from armswatch.errors import EmptyFileError, UnreadableFileError

PDF_MAGIC = b"%PDF-"
_HEADER_WINDOW = 1024  # the PDF spec lets the header sit anywhere in the first KB
_NEWLINES = re.compile(r"\r\n?")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")

# pypdf logs every repair it makes at WARNING; our errors say what matters.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def is_pdf(raw: bytes) -> bool:
    """Whether ``raw`` opens with the PDF magic: the sniff for bytes of unknown type.

    Stricter than :func:`pdf_text`'s check (the magic anywhere in the first KB),
    so a text that merely mentions ``%PDF-`` early on is still read as text.
    """
    return raw[:_HEADER_WINDOW].lstrip().startswith(PDF_MAGIC)


def pdf_text(raw: bytes, path: Path | str) -> tuple[str, dict[str, str | None]]:
    """The text of every page, pages separated by a blank line, and the title, author and date.

    The metadata keys are those of :class:`~armswatch.model.Document`:
    ``title``, ``author`` and ``published`` (an ISO ``YYYY-MM-DD`` date).
    """
    if PDF_MAGIC not in raw[:_HEADER_WINDOW]:
        raise UnreadableFileError(path, "cannot read the PDF: not a PDF (no %PDF- header)")
    if raw.rfind(b"%%EOF") == -1:
        raise UnreadableFileError(path, "cannot read the PDF: the file is truncated (no %%EOF marker)")
    try:
        reader = PdfReader(io.BytesIO(raw), strict=False)
        _decrypt(reader, path)
        pages = [page.extract_text() or "" for page in reader.pages]
        fields = _metadata(reader)
    except (UnreadableFileError, EmptyFileError):
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises KeyError, ValueError, ... on broken files
        raise UnreadableFileError(path, f"cannot read the PDF: {_reason(exc)}") from exc
    text = "\n\n".join(_clean(page) for page in pages if page.strip())
    if not text.strip():
        raise EmptyFileError(path, "no text in the PDF (scanned images?)")
    return text, fields


def _decrypt(reader: PdfReader, path: Path | str) -> None:
    """Open PDFs encrypted with an empty user password (common: 'no copying'); refuse others."""
    if not reader.is_encrypted:
        return
    try:
        opened = reader.decrypt("")
    except Exception as exc:  # noqa: BLE001 - e.g. AES without the cryptography package
        raise UnreadableFileError(path, f"cannot read the PDF: encrypted ({_reason(exc)})") from exc
    if not opened:
        raise UnreadableFileError(path, "cannot read the PDF: encrypted with a password")


def _metadata(reader: PdfReader) -> dict[str, str | None]:
    info = reader.metadata
    if info is None:
        return {"title": None, "author": None, "published": None}
    try:
        created = info.creation_date
    except Exception:  # noqa: BLE001 - a malformed date must not lose the text
        created = None
    return {"title": _string(info.title), "author": _string(info.author),
            "published": created.date().isoformat() if created is not None else None}


def _string(value: Any) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def _clean(page: str) -> str:
    """Newlines normalised and trailing blanks dropped, so pages join predictably."""
    return _TRAILING_SPACE.sub("\n", _NEWLINES.sub("\n", page)).strip("\n")


def _reason(exc: Exception) -> str:
    message = str(exc).strip()
    if isinstance(exc, PyPdfError) and message:
        return message[0].lower() + message[1:]
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
