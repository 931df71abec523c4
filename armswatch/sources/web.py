"""Fetch documents and feeds over HTTP.

This is the network boundary: whatever goes wrong out there (a refused
connection, a server that never answers, an error page, a 2 GB video behind an
article link) becomes a :class:`~armswatch.errors.FetchError` naming the URL
and saying why in words, and every httpx exception is translated here, so
callers handle one contract for files and URLs. A page that arrives is read by
:func:`~armswatch.sources.files.document_from_bytes`, so a fetched article
gives the same text (and evidence offsets) as the saved copy of it.

Bodies are streamed and dropped as soon as they pass
``Settings.max_file_bytes``: the limit protects memory, so it must hold before
the whole body has been read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from importlib.metadata import PackageNotFoundError, version

import httpx

from armswatch.errors import FetchError
from armswatch.model import Document
from armswatch.settings import DEFAULT_MAX_FILE_BYTES, Settings
from armswatch.sources.files import document_from_bytes
from armswatch.sources.pdf import is_pdf

try:
    _VERSION = version("armswatch")
except PackageNotFoundError:  # running from a checkout that was never installed
    _VERSION = "0"

USER_AGENT = f"ArmsWatch/{_VERSION} (+https://github.com/armswatch)"
MAX_REDIRECTS = 5

_MB = 1024 * 1024
_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_PDF_TYPES = {"application/pdf", "application/x-pdf"}
# servers label PDFs (and only PDFs are worth keeping) as "some bytes"
_OPAQUE_TYPES = {"application/octet-stream", "binary/octet-stream"}
_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"}


@dataclass(frozen=True)
class FetchedResource:
    """One HTTP response: the body (None on 304 Not Modified) and its validators."""

    status_code: int
    content: bytes | None
    etag: str | None
    last_modified: str | None
    #: the final URL, after redirects
    url: str
    #: the media type, lower case, without parameters ("text/html")
    content_type: str | None
    #: the charset parameter of Content-Type, if any
    charset: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status_code == 304


def make_client(settings: Settings, *, timeout: float | None = None) -> httpx.Client:
    """An HTTP client for :func:`fetch_document` and the feed fetchers; close it when done.

    The timeout is ``settings.fetch_timeout`` unless ``timeout`` overrides it.
    """
    return httpx.Client(
        timeout=httpx.Timeout(settings.fetch_timeout if timeout is None else timeout),
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        headers={"User-Agent": USER_AGENT},
    )


def doc_id_for_url(url: str) -> str:
    """A short id that is the same each time the same URL is fetched."""
    return "url-" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


def fetch_document(url: str, *, settings: Settings, client: httpx.Client) -> Document:
    """Fetch an HTML, text or PDF document; raise FetchError (or another InputError) if it fails.

    HTML is reduced to its main text; title, author, date (``published``) and
    site name (``source``, else the host) come from the page's metadata.
    ``url`` on the document is the final URL, after redirects.
    """
    resource = _get(url, client=client, headers={}, max_bytes=settings.max_file_bytes,
                    accept=_is_document_type)
    return document_from_resource(resource, url=url)


def document_from_resource(resource: FetchedResource, *, url: str) -> Document:
    """A Document from a fetched page, text or PDF (``url``: the address asked for, for errors)."""
    content = resource.content or b""
    opaque_non_pdf = resource.content_type in _OPAQUE_TYPES and not is_pdf(content)
    if not _is_document_type(resource.content_type) or opaque_non_pdf:
        raise FetchError(url, f"unsupported content type {resource.content_type} "
                              "(expected HTML, text or PDF)")
    suffix = _suffix(resource.content_type)
    document = document_from_bytes(content, origin=url, doc_id=doc_id_for_url(resource.url),
                                   suffix=suffix, declared_encoding=resource.charset)
    host = httpx.URL(resource.url).host.removeprefix("www.")
    return replace(document, url=resource.url, source=document.source or host or None)


def looks_like_feed(resource: FetchedResource) -> bool:
    """RSS or Atom by content type, or XML whose root is <rss>, <feed> or <rdf:RDF>."""
    if resource.content_type in _FEED_TYPES:
        return True
    head = (resource.content or b"")[:2048].lstrip().lower()
    if head.startswith(b"<?xml"):
        head = head[head.find(b"?>") + 2:].lstrip()
        while head.startswith(b"<!--") or head.startswith(b"<?"):
            close = b"-->" if head.startswith(b"<!--") else b"?>"
            head = head[head.find(close) + len(close):].lstrip()
    return head.startswith((b"<rss", b"<feed", b"<rdf:rdf"))


def fetch_conditional(url: str, *, client: httpx.Client, etag: str | None = None,
                      last_modified: str | None = None,
                      max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> FetchedResource:
    """GET ``url`` with If-None-Match / If-Modified-Since; ``content`` is None on 304.

    Pass back the ``etag`` and ``last_modified`` of the previous fetch, so an
    unchanged feed costs the server one empty response. Any content type is
    returned; the caller decides what it can parse.
    """
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return _get(url, client=client, headers=headers, max_bytes=max_bytes, accept=None)


def _is_document_type(media_type: str | None) -> bool:
    return (media_type is None or media_type.startswith("text/")
            or media_type in _HTML_TYPES | _PDF_TYPES | _OPAQUE_TYPES)


def _suffix(media_type: str | None) -> str:
    """The file suffix that reads like this media type; "" lets the reader sniff."""
    if media_type in _HTML_TYPES:
        return ".html"
    if media_type in _PDF_TYPES:
        return ".pdf"
    return ".md" if media_type == "text/markdown" else ""


def _get(url: str, *, client: httpx.Client, headers: dict[str, str], max_bytes: int,
         accept: Callable[[str | None], bool] | None) -> FetchedResource:
    """Stream one GET, refusing bad statuses, unwanted types and oversize bodies early."""
    _check_url(url)
    try:
        with client.stream("GET", url, headers=headers) as response:
            final = str(response.url)
            where = "" if final == url else f" (redirected to {final})"
            media_type, charset = _content_type(response.headers.get("content-type"))
            resource = FetchedResource(
                status_code=response.status_code, content=None,
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
                url=final, content_type=media_type, charset=charset)
            if response.status_code == 304:
                return resource
            if not response.is_success:
                phrase = f" {response.reason_phrase}" if response.reason_phrase else ""
                raise FetchError(url, f"HTTP {response.status_code}{phrase}{where}")
            if accept is not None and not accept(media_type):
                raise FetchError(url, f"unsupported content type {media_type}{where} "
                                      "(expected HTML, text or PDF)")
            content = _read_limited(response, url=url, max_bytes=max_bytes)
    except httpx.HTTPError as exc:
        raise FetchError(url, _reason(exc, client)) from exc
    except httpx.InvalidURL as exc:  # not an HTTPError; raised for a bad redirect target
        raise FetchError(url, f"invalid URL: {exc}") from exc
    return replace(resource, content=content)


def _check_url(url: str) -> None:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise FetchError(url, f"invalid URL: {exc}") from exc
    if not parsed.scheme:
        raise FetchError(url, "not a URL: it must start with http:// or https://")
    if parsed.scheme not in ("http", "https"):
        raise FetchError(url, f"unsupported URL scheme {parsed.scheme!r}: only http and https")
    if not parsed.host:
        raise FetchError(url, "invalid URL: no host name")


def _content_type(header: str | None) -> tuple[str | None, str | None]:
    """The media type and charset of a Content-Type header."""
    if not header:
        return None, None
    media_type, *params = header.split(";")
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return media_type.strip().lower() or None, charset


def _read_limited(response: httpx.Response, *, url: str, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        size = int(declared)
        raise FetchError(url, f"response is {size / _MB:.3g} MB ({size:,} bytes), "
                              f"over the {_limit(max_bytes)}")
    chunks: list[bytes] = []
    received = 0
    for chunk in response.iter_bytes():
        received += len(chunk)
        if received > max_bytes:  # leaving the with-block closes the connection
            raise FetchError(url, f"response is larger than the {_limit(max_bytes)}")
        chunks.append(chunk)
    return b"".join(chunks)


def _limit(max_bytes: int) -> str:
    return f"{max_bytes / _MB:.3g} MB limit ({max_bytes:,} bytes)"


def _host(exc: httpx.HTTPError) -> str:
    try:
        return exc.request.url.host
    except RuntimeError:  # raised before a request existed
        return ""


def _reason(exc: httpx.HTTPError, client: httpx.Client) -> str:
    """Say in words what an httpx exception means for the user."""
    message = str(exc)
    if isinstance(exc, httpx.TimeoutException):
        timeout = client.timeout
        seconds = {httpx.ConnectTimeout: timeout.connect, httpx.WriteTimeout: timeout.write,
                   httpx.PoolTimeout: timeout.pool}.get(type(exc), timeout.read)
        during = " while connecting" if isinstance(exc, httpx.ConnectTimeout) else ""
        return f"timed out after {seconds:g} s{during}" if seconds is not None else "timed out"
    if isinstance(exc, httpx.TooManyRedirects):
        return f"too many redirects (more than {client.max_redirects})"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return f"unsupported URL scheme: {message}"
    if isinstance(exc, httpx.ConnectError):
        lowered = message.lower()
        if "refused" in lowered:
            return "connection refused"
        if any(s in lowered for s in ("name or service", "nodename", "getaddrinfo",
                                      "name resolution", "no address")):
            return f"cannot resolve the host name {_host(exc)}".rstrip()
        return f"cannot connect: {message}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the server broke off the response: {message}"
    if isinstance(exc, httpx.ReadError | httpx.WriteError):
        return f"connection lost: {message or type(exc).__name__}"
    if isinstance(exc, httpx.DecodingError):
        return f"cannot decode the response: {message}"
    return message or type(exc).__name__
