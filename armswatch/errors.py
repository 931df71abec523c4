"""The exceptions ArmsWatch raises, in one place.

Callers catch :class:`ArmsWatchError` to handle anything the tool itself
reports; third-party errors (spaCy, charset detection, HTML parsing) are
translated into these at the boundary where they happen::

    ArmsWatchError
    ├── ConfigurationError      bad settings, missing language model
    ├── VocabularyError         a vocabulary file under vocab/ is malformed
    └── InputError              a document cannot be read  (has .path)
        ├── UnreadableFileError   missing, a directory, permission denied
        ├── BinaryFileError       not text (NUL bytes, unknown encoding)
        ├── EmptyFileError        nothing but whitespace
        └── OversizedFileError    larger than Settings.max_file_bytes
"""

from __future__ import annotations

from pathlib import Path


class ArmsWatchError(Exception):
    """Base class of every error ArmsWatch reports."""


class ConfigurationError(ArmsWatchError):
    """Settings are invalid or a required resource (the spaCy model) is missing."""


class VocabularyError(ArmsWatchError):
    """A vocabulary data file is missing, unparsable or fails validation."""


class InputError(ArmsWatchError):
    """A document could not be read; ``path`` names it and ``reason`` says why."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class UnreadableFileError(InputError):
    """The file does not exist, is not a regular file, or cannot be opened."""


class BinaryFileError(InputError):
    """The file holds binary data or text in an encoding that cannot be detected."""


class EmptyFileError(InputError):
    """The file holds no text."""


class OversizedFileError(InputError):
    """The file is larger than the configured limit."""
