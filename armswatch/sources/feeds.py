"""Parse and poll RSS and Atom feeds: how ArmsWatch learns of new articles.

Ministries, news agencies and sanctions authorities publish feeds, and many of
them are malformed (a bare ``&``, a wrong encoding, HTML served as XML).
feedparser reads what it can and sets its *bozo* flag; a feed is refused with
a :class:`~armswatch.errors.FeedError` only when nothing usable came out of
it, so one bad character does not hide a day's news. Polling is conditional
(ETag, Last-Modified) so a watcher can ask often without re-reading feeds that
have not changed.
"""

from __future__ import annotations

import email.utils
import hashlib
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import httpx
import lxml.html

from armswatch.errors import FeedError
from armswatch.settings import DEFAULT_MAX_FILE_BYTES
from armswatch.sources.web import fetch_conditional

_DATE_KEYS = ("published", "updated", "created")


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed: an article to fetch, or at least a headline."""

    #: the guid/id the feed gives it, else its link, else a hash of its content
    entry_id: str
    #: absolute http(s) URL of the article; None when the entry has none
    link: str | None
    title: str | None
    #: the date the entry was published (else updated), ISO ``YYYY-MM-DD``
    published: str | None
    #: the summary as plain text
    summary: str | None


@dataclass(frozen=True)
class Feed:
    """A parsed feed; ``warning`` says what was wrong with a feed read despite errors."""

    title: str | None
    entries: list[FeedEntry]
    link: str | None = None
    warning: str | None = None


@dataclass(frozen=True)
class FeedFetch:
    """The outcome of polling a feed: either not modified or a new :class:`Feed`.

    Keep ``etag`` and ``last_modified`` for the next poll; ``url`` is the final
    URL after redirects.
    """

    not_modified: bool
    feed: Feed | None
    etag: str | None
    last_modified: str | None
    url: str | None = None


def parse_feed(content: bytes, *, url: str) -> Feed:
    """Parse RSS or Atom; relative links are resolved against ``url``."""
    # A stream, never bytes: feedparser opens bytes that look like a path as a local file.
    parsed = feedparser.parse(io.BytesIO(content))
    entries = [_entry(raw, base=url) for raw in parsed.entries]
    problem = _problem(parsed.get("bozo_exception")) if parsed.get("bozo") else None
    if not entries and (problem is not None or not parsed.get("version")):
        raise FeedError(url, f"not a readable feed: {problem or 'no RSS or Atom content'}")
    info = parsed.feed
    return Feed(title=_text(info.get("title")), entries=entries,
                link=_link(info.get("link"), base=url), warning=problem)


def fetch_feed(url: str, *, client: httpx.Client, etag: str | None = None,
               last_modified: str | None = None,
               max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> FeedFetch:
    """Poll a feed; raise FetchError if it cannot be fetched, FeedError if it cannot be read."""
    resource = fetch_conditional(url, client=client, etag=etag, last_modified=last_modified,
                                 max_bytes=max_bytes)
    if resource.content is None:  # 304: the validators we sent still hold
        return FeedFetch(not_modified=True, feed=None, etag=resource.etag or etag,
                         last_modified=resource.last_modified or last_modified,
                         url=resource.url)
    return FeedFetch(not_modified=False, feed=parse_feed(resource.content, url=resource.url),
                     etag=resource.etag, last_modified=resource.last_modified, url=resource.url)


def _entry(raw: Any, *, base: str) -> FeedEntry:
    link = _link(raw.get("link"), base=base)
    title, summary = _text(raw.get("title")), _plain(raw.get("summary"))
    published = _entry_date(raw)
    entry_id = _text(raw.get("id")) or link
    if entry_id is None:
        basis = "\x1f".join(part or "" for part in (title, published, summary))
        entry_id = "entry-" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]
    return FeedEntry(entry_id=entry_id, link=link, title=title, published=published,
                     summary=summary)


def _link(value: Any, *, base: str) -> str | None:
    """An absolute http(s) URL, or None (no link, or a javascript:/mailto: one)."""
    if not isinstance(value, str) or not value.strip():
        return None
    absolute = urljoin(base, value.strip())
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None


def _entry_date(raw: Any) -> str | None:
    """The entry's date as the publisher wrote it.

    feedparser's ``*_parsed`` values are converted to UTC, which moves a
    late-evening story in New York to the next day; the raw string keeps the
    publisher's date, so it is read first.
    """
    for key in _DATE_KEYS:
        day = _parse_date(raw.get(key))
        if day is None and raw.get(f"{key}_parsed"):  # a format only feedparser knows
            day = date(*raw[f"{key}_parsed"][:3])
        if day is not None:
            return day.isoformat()
    return None


def _parse_date(value: Any) -> date | None:
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    try:
        return email.utils.parsedate_to_datetime(value).date()  # RSS: RFC 822
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(value).date()  # Atom: RFC 3339
    except ValueError:
        return None


def _text(value: Any) -> str | None:
    text = " ".join(value.split()) if isinstance(value, str) else ""
    return text or None


def _plain(html: Any) -> str | None:
    """Summaries are HTML fragments; keep their text."""
    if not isinstance(html, str) or not html.strip():
        return None
    try:
        return _text(lxml.html.fragment_fromstring(html, create_parent="div").text_content())
    except Exception:  # noqa: BLE001 - lxml raises several types on odd markup
        return _text(html)


def _problem(exc: Any) -> str:
    message = str(exc).strip() if exc is not None else ""
    return message or (type(exc).__name__ if exc is not None else "malformed feed")
