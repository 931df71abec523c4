"""Tests of the sources beyond plain files: PDFs, metadata sidecars, URLs and feeds.

Everything network-bound runs against a real HTTP server on 127.0.0.1
(tests/httpserver.py): real sockets, redirects, timeouts and 304s.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from httpserver import HTTPTestServer, chunks, http_server_fixture, refused_url  # noqa: F401
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter

from armswatch.errors import (
    EmptyFileError,
    FeedError,
    FetchError,
    InputError,
    UnreadableFileError,
)
from armswatch.model import Document
from armswatch.settings import Settings
from armswatch.sources import (
    SUPPORTED_SUFFIXES,
    discover,
    doc_id_for_url,
    fetch_conditional,
    fetch_document,
    fetch_feed,
    find_sidecar,
    load_sidecar,
    make_client,
    parse_feed,
    pdf_text,
    read_document,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"
ARTICLE = (FIXTURES / "article.html").read_bytes()
RSS = (FIXTURES / "feed.rss").read_bytes()
ATOM = (FIXTURES / "feed.atom").read_bytes()
MB = 1024 * 1024


@pytest.fixture
def settings() -> Settings:
    return Settings(max_file_bytes=MB)


@pytest.fixture
def client(settings: Settings) -> Iterator[httpx.Client]:
    with make_client(settings) as client:
        yield client


# --- PDF ---------------------------------------------------------------------------------------


def make_pdf(pages: list[str], *, info: dict[str, str] | None = None) -> bytes:
    """A minimal valid PDF, written by hand: one Helvetica text stream a page."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def literal(text: str) -> bytes:
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return b"(" + escaped.encode("latin-1") + b")"

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    pages_id = font + 2 * len(pages) + 1  # after each page's content and page objects
    kids = []
    for text in pages:
        lines = b"".join(literal(line) + b" Tj T* " for line in text.split("\n"))
        stream = b"BT /F1 12 Tf 14 TL 72 720 Td " + lines + b"ET"
        content = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_id, content, font)))
    add(b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % kid for kid in kids), len(kids)))
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    trailer = b"<< /Root %d 0 R" % catalog
    if info:
        entries = b" ".join(b"/" + key.encode() + b" " + literal(value) for key, value in info.items())
        trailer += b" /Info %d 0 R" % add(b"<< " + entries + b" >>")
    trailer += b" /Size %d" % (len(objects) + 1)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


PDF_PAGES = ["North Korea delivered shells (152 mm)\nto Russia in August.", "Page two: sanctions."]
PDF_INFO = {"Title": "Arms transfers: a briefing", "Author": "Research Service",
            "CreationDate": "D:20231013093000+02'00'"}
PDF = make_pdf(PDF_PAGES, info=PDF_INFO)


def _encrypted(user_password: str) -> bytes:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(PDF)))
    writer.encrypt(user_password=user_password, owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_text_and_metadata_round_trip() -> None:
    text, fields = pdf_text(PDF, "briefing.pdf")
    assert text == ("North Korea delivered shells (152 mm)\nto Russia in August.\n\n"
                    "Page two: sanctions.")
    assert fields == {"title": "Arms transfers: a briefing", "author": "Research Service",
                      "published": "2023-10-13"}


def test_pdf_without_metadata_has_none() -> None:
    text, fields = pdf_text(make_pdf(["Only text."]), "plain.pdf")
    assert text == "Only text."
    assert fields == {"title": None, "author": None, "published": None}


@pytest.mark.parametrize("name", ["briefing.pdf", "briefing.PDF", "briefing.download"])
def test_pdf_files_are_read_whatever_the_suffix(tmp_path: Path, settings: Settings,
                                                name: str) -> None:
    path = tmp_path / name
    path.write_bytes(PDF)
    document = read_document(path, settings=settings)
    assert document.text.startswith("North Korea delivered shells")
    assert (document.doc_id, document.path) == ("briefing", str(path))
    assert (document.title, document.published) == ("Arms transfers: a briefing", "2023-10-13")


def test_discover_finds_pdfs(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(PDF)
    assert ".pdf" in SUPPORTED_SUFFIXES
    assert list(discover([tmp_path])) == [tmp_path / "a.pdf"]


def test_text_that_mentions_the_pdf_magic_is_still_text(tmp_path: Path,
                                                        settings: Settings) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Every PDF starts with %PDF-1.7 and ends with %%EOF.\n")
    assert read_document(path, settings=settings).text.startswith("Every PDF")


@pytest.mark.parametrize(
    ("data", "error", "reason"),
    [
        (PDF[: len(PDF) // 2], UnreadableFileError, "cannot read the PDF: the file is truncated"),
        (PDF[:-40], UnreadableFileError, "cannot read the PDF: the file is truncated"),
        (b"GIF89a this is no PDF at all" * 20, UnreadableFileError,
         "cannot read the PDF: not a PDF"),
        (b"<html><body>Error 404</body></html>", UnreadableFileError,
         "cannot read the PDF: not a PDF"),
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", UnreadableFileError,
         "cannot read the PDF: "),
        (_encrypted("secret"), UnreadableFileError, "cannot read the PDF: encrypted"),
        (_blank_pdf(), EmptyFileError, "no text in the PDF (scanned images?)"),
    ],
    ids=["truncated-half", "truncated-tail", "garbage", "html", "no-pages", "encrypted", "blank"],
)
def test_broken_pdfs_raise_input_errors(tmp_path: Path, settings: Settings, data: bytes,
                                        error: type[InputError], reason: str) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    with pytest.raises(error) as caught:
        read_document(path, settings=settings)
    assert caught.value.reason.startswith(reason)
    assert caught.value.path == str(path)


def test_pdf_encrypted_without_a_user_password_is_read() -> None:
    text, _ = pdf_text(_encrypted(""), "restricted.pdf")
    assert text.startswith("North Korea delivered shells")


def test_pypdf_warnings_stay_quiet(caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(UnreadableFileError):
        pdf_text(b"%PDF-1.4\n garbage %%EOF", "bad.pdf")
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]


# --- Sidecars ----------------------------------------------------------------------------------


def _sidecar(tmp_path: Path, *lines: object) -> Path:
    path = tmp_path / "meta.jsonl"
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n"
                            for line in lines), encoding="utf-8")
    return path


def test_sidecar_fills_and_overrides_document_metadata(tmp_path: Path) -> None:
    path = _sidecar(
        tmp_path,
        {"doc_id": "005", "url": "https://mynews13.example/a", "published": "2023-10-13"},
        "",
        {"file": "reports/sipri.txt", "title": "SIPRI fact sheet", "author": None,
         "source": "SIPRI", "notes": "ignored"},
        {"path": "/elsewhere/cable.html", "published": "2024-01-02T10:00:00+01:00"},
    )
    sidecar = load_sidecar(path)
    assert len(sidecar) == 3
    dev = sidecar.apply(Document(doc_id="005", text="x", path="/data/005.txt", url="old"))
    assert (dev.url, dev.published) == ("https://mynews13.example/a", "2023-10-13")
    sipri = sidecar.apply(Document(doc_id="sipri", text="x", path="/d/sipri.txt",
                                   author="From the file", title="Old title"))
    assert (sipri.title, sipri.author, sipri.source) == ("SIPRI fact sheet", "From the file",
                                                         "SIPRI")
    by_stem = sidecar.apply(Document(doc_id="cable", text="x", path="/d/cable.txt"))
    assert by_stem.published == "2024-01-02"
    stranger = Document(doc_id="other", text="x", path="/d/other.txt")
    assert sidecar.apply(stranger) is stranger


def test_a_stem_two_files_share_matches_neither(tmp_path: Path) -> None:
    sidecar = load_sidecar(_sidecar(tmp_path, {"file": "a.txt", "title": "Text"},
                                    {"file": "a.html", "title": "Page"}))
    assert sidecar.apply(Document(doc_id="a", text="x", path="a.html")).title == "Page"
    assert sidecar.apply(Document(doc_id="a", text="x", path="a.md")).title is None


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"doc_id": "001", "url": ', "line 2: not JSON: Expecting value (column 25)"),
        ('["001", "https://x"]', "line 2: expected a JSON object, got a list"),
        ('{"url": "https://x"}', "line 2: no doc_id, file or path to say which document"),
        ('{"doc_id": 5}', "line 2: doc_id must be a non-empty string, not a number 5"),
        ('{"file": ""}', "line 2: file must be a non-empty string"),
        ('{"doc_id": "002", "published": "13/10/2023"}',
         "line 2: published must be an ISO date (YYYY-MM-DD), not '13/10/2023'"),
        ('{"doc_id": "002", "title": ["a"]}', "line 2: title must be a string or null, not a list"),
        ('{"doc_id": "001"}', "line 2: '001' is already described on line 1"),
        ("[" * 100_000, "line 2: not JSON: nested too deeply"),
    ],
)
def test_bad_sidecar_lines_are_named(tmp_path: Path, line: str, reason: str) -> None:
    path = _sidecar(tmp_path, {"doc_id": "001"}, line)
    with pytest.raises(InputError) as caught:
        load_sidecar(path)
    assert caught.value.reason.startswith(reason)
    assert caught.value.path == str(path)


def test_find_sidecar(tmp_path: Path) -> None:
    assert find_sidecar(tmp_path) is None
    path = _sidecar(tmp_path, {"doc_id": "x"})
    assert find_sidecar(tmp_path) == path
    with pytest.raises(UnreadableFileError):
        load_sidecar(tmp_path / "missing.jsonl")


def test_the_dev_set_sidecar_loads(dev_dir: Path) -> None:
    sidecar = load_sidecar(dev_dir / "meta.jsonl")
    document = sidecar.apply(Document(doc_id="005", text="x"))
    assert document.published == "2023-10-13"
    assert document.url is not None and document.url.startswith("https://")


@hypothesis_settings(max_examples=150, deadline=None)
@given(title=st.text(), published=st.one_of(st.none(), st.dates().map(str), st.text(max_size=12)))
def test_sidecar_values_apply_or_fail_cleanly(tmp_path_factory: pytest.TempPathFactory,
                                             title: str, published: str | None) -> None:
    path = _sidecar(tmp_path_factory.mktemp("sidecar"),
                    {"doc_id": "d", "title": title, "published": published})
    try:
        sidecar = load_sidecar(path)
    except InputError as exc:
        assert exc.reason.startswith("line 1: published must be an ISO date")
        return
    document = sidecar.apply(Document(doc_id="d", text="x", title="file title"))
    assert document.title == (title.strip() or "file title")


@hypothesis_settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=200))
def test_any_sidecar_bytes_load_or_raise_input_error(tmp_path_factory: pytest.TempPathFactory,
                                                     data: bytes) -> None:
    path = tmp_path_factory.mktemp("sidecar") / "meta.jsonl"
    path.write_bytes(data)
    try:
        load_sidecar(path)
    except InputError as exc:
        assert exc.reason.startswith("line ")


# --- Documents over HTTP -----------------------------------------------------------------------


def test_article_page_gives_main_text_and_metadata(http_server: HTTPTestServer,
                                                   settings: Settings,
                                                   client: httpx.Client) -> None:
    http_server.route("/world/shells", ARTICLE)
    url = http_server.url("/world/shells")
    document = fetch_document(url, settings=settings, client=client)
    assert "more than a million artillery shells to Russia since August" in document.text
    assert "joint statement that any arms transfer would violate" in document.text
    for boilerplate in ("TRACKER-SECRET", "Subscribe for", "Privacy policy", "All rights reserved",
                        "Advertisement", "paywall"):
        assert boilerplate not in document.text
    assert document.title == "Seoul says North Korea shipped a million shells to Russia"
    assert document.published == "2023-11-02"
    assert document.author == "Min-ji Park"
    assert document.source == "The Harbour Herald"
    assert (document.url, document.doc_id) == (url, doc_id_for_url(url))
    assert document.doc_id.startswith("url-") and len(document.doc_id) == 20
    assert document.encoding == "utf-8"


def test_fetched_page_reads_like_the_saved_file(http_server: HTTPTestServer, settings: Settings,
                                                client: httpx.Client) -> None:
    http_server.route("/a", ARTICLE)
    fetched = fetch_document(http_server.url("/a"), settings=settings, client=client)
    saved = read_document(FIXTURES / "article.html", settings=settings)
    assert fetched.text == saved.text


def test_redirects_give_the_final_url(http_server: HTTPTestServer, settings: Settings,
                                      client: httpx.Client) -> None:
    http_server.redirect("/old", "/moved", status=301)
    http_server.redirect("/moved", http_server.url("/world/shells"))
    http_server.route("/world/shells", ARTICLE)
    document = fetch_document(http_server.url("/old"), settings=settings, client=client)
    assert document.url == http_server.url("/world/shells")
    assert document.doc_id == doc_id_for_url(http_server.url("/world/shells"))
    assert [http_server.hits(p) for p in ("/old", "/moved", "/world/shells")] == [1, 1, 1]


def test_client_identifies_itself(http_server: HTTPTestServer, settings: Settings) -> None:
    with make_client(settings) as client:
        assert client.headers["User-Agent"].startswith("ArmsWatch/")
        assert "(+https://github.com/armswatch)" in client.headers["User-Agent"]


@pytest.mark.parametrize(
    ("status", "content_type", "body", "reason"),
    [
        (404, "text/html", b"<h1>Not here</h1>", "HTTP 404 Not Found"),
        (500, "text/html", b"<h1>Oops</h1>", "HTTP 500 Internal Server Error"),
        (200, "image/png", b"\x89PNG\r\n\x1a\n", "unsupported content type image/png"),
        (200, "application/octet-stream", b"\x00\x01 not a pdf",
         "unsupported content type application/octet-stream"),
    ],
)
def test_bad_responses_raise_fetch_error(http_server: HTTPTestServer, settings: Settings,
                                         client: httpx.Client, status: int, content_type: str,
                                         body: bytes, reason: str) -> None:
    http_server.route("/x", body, status=status, content_type=content_type)
    with pytest.raises(FetchError) as caught:
        fetch_document(http_server.url("/x"), settings=settings, client=client)
    assert caught.value.reason.startswith(reason)
    assert caught.value.path == http_server.url("/x")


def test_too_many_redirects(http_server: HTTPTestServer, settings: Settings,
                            client: httpx.Client) -> None:
    http_server.redirect("/loop", "/loop")
    with pytest.raises(FetchError, match="too many redirects \\(more than 5\\)"):
        fetch_document(http_server.url("/loop"), settings=settings, client=client)
    assert http_server.hits("/loop") == 6


def test_connection_refused(settings: Settings, client: httpx.Client) -> None:
    with pytest.raises(FetchError) as caught:
        fetch_document(refused_url("/a"), settings=settings, client=client)
    assert caught.value.reason == "connection refused"


def test_timeout(http_server: HTTPTestServer, settings: Settings) -> None:
    http_server.route("/slow", ARTICLE, delay=10)
    started = time.monotonic()
    with make_client(settings, timeout=0.3) as client, pytest.raises(FetchError) as caught:
        fetch_document(http_server.url("/slow"), settings=settings, client=client)
    assert caught.value.reason == "timed out after 0.3 s"
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("declared_length", [True, False], ids=["content-length", "streamed"])
def test_oversize_responses_are_refused_without_reading_them(
    http_server: HTTPTestServer, settings: Settings, client: httpx.Client, declared_length: bool
) -> None:
    if declared_length:
        http_server.route("/big", b"x" * (MB + 1), content_type="text/plain")
        reason = "response is 1 MB (1,048,577 bytes), over the 1 MB limit (1,048,576 bytes)"
    else:  # 2 GB: reading it all would take far longer than the test is allowed
        http_server.route("/big", chunks(2 * 1024 * MB), content_type="text/plain")
        reason = "response is larger than the 1 MB limit (1,048,576 bytes)"
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetch_document(http_server.url("/big"), settings=settings, client=client)
    assert caught.value.reason == reason
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.org/file.txt", "unsupported URL scheme 'ftp': only http and https"),
        ("file:///etc/passwd", "unsupported URL scheme 'file'"),
        ("example.org/news", "not a URL: it must start with http:// or https://"),
        ("http://", "invalid URL: no host name"),
        ("http://[::1", "invalid URL"),
    ],
)
def test_bad_urls_are_refused_before_connecting(settings: Settings, client: httpx.Client,
                                                url: str, reason: str) -> None:
    with pytest.raises(FetchError) as caught:
        fetch_document(url, settings=settings, client=client)
    assert caught.value.reason.startswith(reason)
    assert caught.value.path == url


def test_declared_charset_is_honoured(http_server: HTTPTestServer, settings: Settings,
                                      client: httpx.Client) -> None:
    text = "Министр обороны посетил Пхеньян, где обсуждались поставки снарядов."
    http_server.route("/ru", text.encode("koi8-r"), content_type="text/plain; charset=KOI8-R")
    document = fetch_document(http_server.url("/ru"), settings=settings, client=client)
    assert (document.text, document.encoding) == (text, "koi8-r")
    assert document.source == "127.0.0.1"  # no site name: the host stands in


def test_empty_page_is_an_input_error_naming_the_url(http_server: HTTPTestServer,
                                                     settings: Settings,
                                                     client: httpx.Client) -> None:
    http_server.route("/blank", b"<html><body> </body></html>")
    with pytest.raises(EmptyFileError) as caught:
        fetch_document(http_server.url("/blank"), settings=settings, client=client)
    assert caught.value.path == http_server.url("/blank")


@pytest.mark.parametrize("content_type", ["application/pdf", "application/octet-stream"])
def test_pdf_by_url(http_server: HTTPTestServer, settings: Settings, client: httpx.Client,
                    content_type: str) -> None:
    http_server.route("/briefing.pdf", PDF, content_type=content_type)
    document = fetch_document(http_server.url("/briefing.pdf"), settings=settings, client=client)
    assert document.text.startswith("North Korea delivered shells (152 mm)\nto Russia")
    assert (document.title, document.author, document.published) == (
        "Arms transfers: a briefing", "Research Service", "2023-10-13")
    assert document.url == http_server.url("/briefing.pdf")


def test_broken_pdf_by_url(http_server: HTTPTestServer, settings: Settings,
                           client: httpx.Client) -> None:
    http_server.route("/broken.pdf", PDF[:300], content_type="application/pdf")
    with pytest.raises(UnreadableFileError, match="cannot read the PDF"):
        fetch_document(http_server.url("/broken.pdf"), settings=settings, client=client)


# --- Feeds -------------------------------------------------------------------------------------


def test_rss_feed_entries() -> None:
    feed = parse_feed(RSS, url="https://harbourherald.example/world/feed.rss")
    assert feed.title == "Harbour Herald - World"
    assert feed.warning is None
    shells, drones, live = feed.entries
    assert shells.entry_id == "herald-2023-4471"
    assert shells.link == "https://harbourherald.example/world/2023/11/02/shells"  # was relative
    assert shells.published == "2023-11-02"  # 08:30 in Seoul: still the 1st in UTC
    assert shells.summary == "South Korea's spy agency says Pyongyang sent artillery shells by ship."
    assert (drones.entry_id, drones.published) == (drones.link, "2023-11-01")  # not UTC's 2nd
    assert live.link is None and live.entry_id.startswith("entry-")
    assert live.title == "Live: defence ministers meet in Brussels"


def test_atom_feed_entries() -> None:
    feed = parse_feed(ATOM, url="https://mfa.example/press/atom.xml")
    assert (feed.title, feed.link) == ("Ministry of Foreign Affairs - Press releases",
                                       "https://mfa.example/press")
    statement, meeting = feed.entries
    assert statement.entry_id == "tag:mfa.example,2023:press/1187"
    assert statement.link == "https://mfa.example/press/2023/11/03/statement"
    assert statement.published == "2023-11-03"
    assert statement.summary == "The Ministry condemns the transfer."
    assert (meeting.published, meeting.summary) == ("2023-10-30", "Talks covered air defence.")


def test_feed_with_errors_is_read_with_a_warning() -> None:
    broken = RSS.replace(b"US sanctions shipping firms", b"US & EU sanction shipping firms")
    feed = parse_feed(broken, url="https://harbourherald.example/feed")
    assert feed.warning is not None
    assert feed.entries and feed.entries[0].entry_id == "herald-2023-4471"


@pytest.mark.parametrize(
    "content",
    [b"", b"{not a feed", b"<html><body><p>Welcome</p></body></html>", b"/etc/passwd"],
    ids=["empty", "garbage", "html", "a-path"],
)
def test_unreadable_feeds_raise_feed_error(content: bytes) -> None:
    with pytest.raises(FeedError) as caught:
        parse_feed(content, url="https://example.org/feed")
    assert caught.value.reason.startswith("not a readable feed")
    assert caught.value.path == "https://example.org/feed"


@pytest.mark.parametrize(
    ("validator", "content_type"),
    [({"ETag": '"v1"'}, "application/rss+xml"),
     ({"Last-Modified": "Thu, 02 Nov 2023 10:00:00 GMT"}, "application/atom+xml")],
    ids=["etag", "last-modified"],
)
def test_conditional_feed_fetch(http_server: HTTPTestServer, client: httpx.Client,
                                validator: dict[str, str], content_type: str) -> None:
    body = RSS if "rss" in content_type else ATOM
    http_server.route("/feed", body, content_type=content_type, headers=validator)
    first = fetch_feed(http_server.url("/feed"), client=client)
    assert not first.not_modified and first.feed is not None and len(first.feed.entries) >= 2
    assert (first.etag, first.last_modified) == (validator.get("ETag"),
                                                 validator.get("Last-Modified"))
    second = fetch_feed(http_server.url("/feed"), client=client, etag=first.etag,
                        last_modified=first.last_modified)
    assert second.not_modified and second.feed is None
    assert (second.etag, second.last_modified) == (first.etag, first.last_modified)
    assert http_server.hits("/feed") == 2


def test_changed_feed_is_fetched_again(http_server: HTTPTestServer, client: httpx.Client) -> None:
    http_server.route("/feed", RSS, headers={"ETag": '"v1"'})
    first = fetch_feed(http_server.url("/feed"), client=client)
    http_server.route("/feed", ATOM, headers={"ETag": '"v2"'})
    second = fetch_feed(http_server.url("/feed"), client=client, etag=first.etag)
    assert not second.not_modified and second.etag == '"v2"'
    assert second.feed is not None and second.feed.title is not None
    assert second.feed.title.startswith("Ministry")


def test_fetch_conditional_returns_none_content_on_304(http_server: HTTPTestServer,
                                                       client: httpx.Client) -> None:
    http_server.route("/r", b"data", content_type="text/plain", headers={"ETag": 'W/"7"'})
    fresh = fetch_conditional(http_server.url("/r"), client=client)
    assert (fresh.status_code, fresh.content, fresh.content_type) == (200, b"data", "text/plain")
    cached = fetch_conditional(http_server.url("/r"), client=client, etag=fresh.etag)
    assert (cached.status_code, cached.content, cached.not_modified) == (304, None, True)


def test_fetch_feed_errors(http_server: HTTPTestServer, client: httpx.Client) -> None:
    http_server.route("/gone", b"", status=410)
    with pytest.raises(FetchError, match="HTTP 410 Gone"):
        fetch_feed(http_server.url("/gone"), client=client)
    http_server.route("/page", ARTICLE)
    with pytest.raises(FeedError):
        fetch_feed(http_server.url("/page"), client=client)
