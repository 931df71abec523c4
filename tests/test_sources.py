"""Tests of the document reader: real samples, hostile files, and discovery."""

from __future__ import annotations

import os
import random
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from armswatch.errors import (
    BinaryFileError,
    EmptyFileError,
    InputError,
    OversizedFileError,
    UnreadableFileError,
)
from armswatch.settings import Settings
from armswatch.sources import SUPPORTED_SUFFIXES, discover, read_document, read_text

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "01-state-mkrtychev-dprk-arms-deal.txt"

ARTICLE_HTML = """<!DOCTYPE html>
<html><head><title>Tanks for Kyiv | Newsroom</title>
<meta property="og:title" content="Germany pledges tanks to Ukraine">
<script>var tracker = 'SCRIPT-SECRET';</script><style>.x { color: red }</style></head>
<body><nav><a href="/">Home</a> <a href="/about">About us</a></nav>
<article><h1>Germany pledges tanks to Ukraine</h1>
<p>Berlin announced on Wednesday that it would send fourteen Leopard 2A6 tanks to Ukraine,
and allow other countries to re-export theirs.</p>
<p>The decision followed weeks of pressure from allies, Chancellor Olaf Scholz told the
Bundestag in a speech that lasted an hour.</p>
<p>Poland said it would send its own Leopard tanks as part of a coalition of European
states supplying armour to Kyiv.</p></article>
<footer>Copyright 2023 Newsroom</footer></body></html>"""


@pytest.fixture
def settings() -> Settings:
    return Settings(max_file_bytes=1024 * 1024)


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def test_real_sample_is_read_exactly(settings: Settings) -> None:
    document = read_document(SAMPLE, settings=settings)
    assert document.text == SAMPLE.read_text(encoding="utf-8")
    assert document.doc_id == "01-state-mkrtychev-dprk-arms-deal"
    assert document.path == str(SAMPLE)
    assert document.encoding == "utf-8"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Ministers met in Réunion, Zürich and São Tomé.", "latin-1"),
        ("Władysław Kosiniak-Kamysz visited Kraków and Łódź.", "cp1250"),
        ("Министр обороны Сергей Шойгу посетил Пхеньян.", "cp1251"),
        ("The “deal” was signed in Zürich – officials said.", "cp1252"),
    ],
)
def test_legacy_encodings_are_detected(
    tmp_path: Path, settings: Settings, text: str, encoding: str
) -> None:
    document = read_document(write(tmp_path, "legacy.txt", text.encode(encoding)),
                             settings=settings)
    assert document.text == text
    assert document.encoding is not None


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("São Tomé arms".encode("utf-16"), "utf-16"),  # Python writes the BOM
        ("São Tomé arms".encode("utf-32"), "utf-32"),
        ("\ufeffSão Tomé arms".encode("utf-8"), "utf-8-sig"),
        ("São Tomé arms".encode(), "utf-8"),
    ],
)
def test_unicode_and_byte_order_marks(
    tmp_path: Path, settings: Settings, data: bytes, encoding: str
) -> None:
    document = read_document(write(tmp_path, "bom.txt", data), settings=settings)
    assert document.text == "São Tomé arms"
    assert document.encoding == encoding


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_newlines_become_lf(tmp_path: Path, settings: Settings, newline: str) -> None:
    text = newline.join(["Line one.", "Line two.", "", "Line four."]) + newline
    document = read_document(write(tmp_path, "crlf.txt", text), settings=settings)
    assert document.text == "Line one.\nLine two.\n\nLine four.\n"


def _png_bytes() -> bytes:
    noise = random.Random(7).randbytes(2000)
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + noise + b"\x00\x00"


@pytest.mark.parametrize(
    ("name", "data", "error", "reason"),
    [
        ("image.txt", _png_bytes(), BinaryFileError, "binary"),
        ("controls.txt", b"\x01\x02\x03\x04 abc \x05\x06\x07\x08", BinaryFileError, "binary"),
        ("empty.txt", b"", EmptyFileError, "empty"),
        ("blank.txt", b" \n\t\r\n  \n", EmptyFileError, "whitespace"),
        ("blank.html", b"<html><body>  </body></html>", EmptyFileError, "no text"),
        ("bad-bom.txt", b"\xef\xbb\xbfok \xff\xfe", BinaryFileError, "utf-8-sig"),
    ],
)
def test_hostile_files_raise_input_errors(
    tmp_path: Path, settings: Settings, name: str, data: bytes,
    error: type[InputError], reason: str,
) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(error) as caught:
        read_document(path, settings=settings)
    assert reason in caught.value.reason
    assert caught.value.path == str(path)


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", "tanks " * 342)  # 2,052 bytes
    with pytest.raises(OversizedFileError) as caught:
        read_document(path, settings=Settings(max_file_bytes=1024))
    assert "MB" in caught.value.reason
    assert "2,052 bytes" in caught.value.reason and "1,024 bytes" in caught.value.reason


def test_missing_file_and_directory_are_unreadable(tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(UnreadableFileError, match="no such file"):
        read_document(tmp_path / "missing.txt", settings=settings)
    with pytest.raises(UnreadableFileError, match="directory"):
        read_document(tmp_path, settings=settings)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions")
def test_permission_denied_is_unreadable(tmp_path: Path, settings: Settings) -> None:
    path = write(tmp_path, "secret.txt", "classified")
    path.chmod(0)
    with pytest.raises(UnreadableFileError, match="permission denied"):
        read_document(path, settings=settings)


def test_broken_html_falls_back_gracefully(tmp_path: Path, settings: Settings) -> None:
    path = write(tmp_path, "broken.html", "<html><body><p>Unclosed <b>text about tanks")
    document = read_document(path, settings=settings)
    assert document.text.strip() == "Unclosed text about tanks"
    assert document.doc_id == "broken"


def test_html_article_main_text_and_title(tmp_path: Path, settings: Settings) -> None:
    document = read_document(write(tmp_path, "article.htm", ARTICLE_HTML), settings=settings)
    assert "fourteen Leopard 2A6 tanks" in document.text
    assert "Poland said it would send" in document.text
    assert document.title == "Germany pledges tanks to Ukraine"
    for boilerplate in ("SCRIPT-SECRET", "color: red", "About us", "Copyright"):
        assert boilerplate not in document.text


@pytest.mark.parametrize("name", ["page.html", "page.txt"])
def test_script_and_style_never_leak(tmp_path: Path, settings: Settings, name: str) -> None:
    # too small for trafilatura's main-text heuristics, so the lxml fallback runs;
    # a .txt file that starts like HTML is read as HTML too
    html = ("<!DOCTYPE html><html><head><style>p { x: 1 }</style></head><body>"
            "<script>alert('SCRIPT-SECRET')</script><noscript>enable js</noscript>"
            "<p>Drones delivered.</p></body></html>")
    document = read_document(write(tmp_path, name, html), settings=settings)
    assert "Drones delivered." in document.text
    for hidden in ("SCRIPT-SECRET", "x: 1", "enable js"):
        assert hidden not in document.text


def test_xhtml_with_xml_declaration(tmp_path: Path, settings: Settings) -> None:
    xhtml = ('<?xml version="1.0" encoding="utf-8"?>\n'
             '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Designations</title>'
             "</head><body><p>Sanctions imposed.</p></body></html>")
    document = read_document(write(tmp_path, "notice.xhtml", xhtml), settings=settings)
    assert "Sanctions imposed." in document.text
    assert document.title == "Designations"


def test_front_matter_is_parsed_and_dropped(tmp_path: Path, settings: Settings) -> None:
    text = ("---\ntitle: \"Shells for Moscow\"\nurl: https://example.org/a\n"
            "published: 2024-01-02\nsource: Example News\n---\nThe DPRK sent shells.\n")
    document = read_document(write(tmp_path, "story.md", text), settings=settings)
    assert document.text == "The DPRK sent shells.\n"
    assert document.title == "Shells for Moscow"
    assert document.url == "https://example.org/a"
    assert document.published == "2024-01-02"


@pytest.mark.parametrize(
    "text",
    [
        "---\nA horizontal rule opens this text.\n---\nMore text.\n",  # prose, not keys
        "---\ntitle: never closed\n" + "line\n" * 60 + "---\n",  # closing line too late
        "title: x\n---\nNo opening rule.\n",
    ],
)
def test_text_that_is_not_front_matter_is_kept(
    tmp_path: Path, settings: Settings, text: str
) -> None:
    document = read_document(write(tmp_path, "notes.txt", text), settings=settings)
    assert document.text == text
    assert document.title is None


def test_read_text_normalises_newlines() -> None:
    document = read_text("a\r\nb\rc", doc_id="memo")
    assert (document.doc_id, document.text, document.path) == ("memo", "a\nb\nc", None)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    for name in ["b.txt", "a.md", "sub/c.html", "sub/deeper/d.htm", "sub/e.xhtml",
                 "z.markdown", "notes.text", "image.png", "data.json", ".hidden.txt",
                 ".git/config.txt", "sub/.cache/x.txt"]:
        write(tmp_path, name, "text")
    return tmp_path


def test_discover_walks_sorted_and_skips_unsupported_and_hidden(corpus: Path) -> None:
    found = [p.relative_to(corpus).as_posix() for p in discover([corpus])
             if isinstance(p, Path)]
    assert found == ["a.md", "b.txt", "notes.text", "sub/c.html", "sub/deeper/d.htm",
                     "sub/e.xhtml", "z.markdown"]
    assert {Path(p).suffix for p in found} <= SUPPORTED_SUFFIXES


def test_discover_reports_missing_and_yields_named_files(corpus: Path) -> None:
    items = list(discover([corpus / "nowhere", str(corpus / "image.png"), corpus / "sub"]))
    assert isinstance(items[0], UnreadableFileError)
    assert items[0].reason == "no such file or directory"
    assert items[1] == corpus / "image.png"
    assert items[2:] == [corpus / "sub/c.html", corpus / "sub/deeper/d.htm",
                         corpus / "sub/e.xhtml"]


@pytest.mark.skipif(os.name != "posix", reason="needs symlinks")
def test_discover_survives_symlink_loops(corpus: Path) -> None:
    (corpus / "sub" / "loop").symlink_to(corpus, target_is_directory=True)
    (corpus / "dangling.txt").symlink_to(corpus / "gone.txt")
    items = list(discover([corpus]))
    paths = [p for p in items if isinstance(p, Path)]
    assert len(paths) == len(set(paths)) == 7
    errors = [e for e in items if isinstance(e, InputError)]
    assert [e.reason for e in errors] == ["broken symbolic link"]


def _expected_error(text: str) -> type[InputError] | None:
    """The reader's contract, in its order: empty bytes, NUL, control characters, blank."""
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f")
    if not text.encode("utf-8").strip():
        return EmptyFileError
    if "\x00" in text or controls / len(text) > 0.10:
        return BinaryFileError
    if not text.strip():
        return EmptyFileError
    return None


@hypothesis_settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_any_utf8_text_round_trips(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    path = tmp_path_factory.mktemp("prop") / "doc.log"  # odd suffix: no front matter
    path.write_bytes(text.encode("utf-8"))
    expected = _expected_error(text)
    if expected is None:
        document = read_document(path, settings=Settings(max_file_bytes=10_000))
        assert document.text == text.replace("\r\n", "\n").replace("\r", "\n")
    else:
        with pytest.raises(expected):
            read_document(path, settings=Settings(max_file_bytes=10_000))


@hypothesis_settings(max_examples=200, deadline=None)
@given(markup=st.lists(st.sampled_from(["<html>", "<body>", "<p>", "</p>", "<script>", "</script>",
                                        "<!--", "-->", "<?xml?>", "<![CDATA[", "&amp;", "&#0;",
                                        "<b", ">", "tanks", " ", "\n", "é"]), max_size=30))
def test_any_html_gives_a_document_or_an_input_error(
    tmp_path_factory: pytest.TempPathFactory, markup: list[str]
) -> None:
    path = tmp_path_factory.mktemp("html") / "page.html"
    path.write_text("".join(markup), encoding="utf-8")
    try:
        document = read_document(path, settings=Settings(max_file_bytes=10_000))
    except InputError:
        return
    assert document.text.strip()
    assert "<script>" not in document.text
