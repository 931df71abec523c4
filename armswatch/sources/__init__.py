"""Where documents come from: local files today, URLs and feeds later.

Every source yields :class:`~armswatch.model.Document` objects or raises an
:class:`~armswatch.errors.InputError`, so callers handle one contract.
"""

from armswatch.sources.files import SUPPORTED_SUFFIXES, discover, read_document, read_text

__all__ = ["SUPPORTED_SUFFIXES", "discover", "read_document", "read_text"]
