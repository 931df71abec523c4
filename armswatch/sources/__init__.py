"""Where documents come from: local files, URLs and feeds.

Every source yields :class:`~armswatch.model.Document` objects or raises an
:class:`~armswatch.errors.InputError`, so callers handle one contract.
"""

from armswatch.sources.feeds import Feed, FeedEntry, FeedFetch, fetch_feed, parse_feed
from armswatch.sources.files import (
    SUPPORTED_SUFFIXES,
    discover,
    document_from_bytes,
    read_document,
    read_text,
)
from armswatch.sources.pdf import pdf_text
from armswatch.sources.sidecar import Sidecar, find_sidecar, load_sidecar
from armswatch.sources.web import (
    FetchedResource,
    doc_id_for_url,
    fetch_conditional,
    fetch_document,
    make_client,
)

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Feed",
    "FeedEntry",
    "FeedFetch",
    "FetchedResource",
    "Sidecar",
    "discover",
    "doc_id_for_url",
    "document_from_bytes",
    "fetch_conditional",
    "fetch_document",
    "fetch_feed",
    "find_sidecar",
    "load_sidecar",
    "make_client",
    "parse_feed",
    "pdf_text",
    "read_document",
    "read_text",
]
