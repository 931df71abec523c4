"""The exceptions ArmsWatch raises, in one place.

Callers catch :class:`ArmsWatchError` to handle anything the tool itself
reports; third-party errors (spaCy, charset detection, HTML parsing) are
translated into these at the boundary where they happen::

    ArmsWatchError
    ├── ConfigurationError      bad settings, missing language model
    ├── VocabularyError         a vocabulary file under vocab/ is malformed
    └── InputError              a document cannot be read  (has .path)
        ├── UnreadableFileError   missing, a directory, permission denied, a broken PDF
        ├── BinaryFileError       not text (NUL bytes, unknown encoding)
        ├── EmptyFileError        nothing but whitespace, a PDF without text
        ├── OversizedFileError    larger than Settings.max_file_bytes
        ├── FetchError            a URL cannot be fetched (.path holds the URL)
        ├── FeedError             a feed cannot be parsed (.path holds the URL)
        └── ListFormatError       a sanctions list file is empty, malformed, unsafe XML,
                                  or not of the format named

A bad line in a metadata sidecar is a plain InputError naming the line.
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


class FetchError(InputError):
    """A URL could not be fetched: network failure, HTTP error, refused size or content type.

    ``path`` holds the URL, so a batch reports a bad URL the way it reports a bad file.
    """


class FeedError(InputError):
    """A feed is so malformed that no entry could be read from it; ``path`` holds its URL."""


class ListFormatError(InputError):
    """A sanctions list file cannot be imported: empty, truncated or malformed, XML that declares
    entities (refused unparsed), or a file of another format than the one named.

    ``reason`` says which, and where in the file when the parser knows.
    """
