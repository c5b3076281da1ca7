"""Shared fixtures: the expensive builds run once per test session."""

from __future__ import annotations

import functools
import gzip
import http.server
import logging
import re
import shutil
import threading
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.build import Outcome, build
from briefing.options import Options
from briefing.writers import DEFAULT

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
EXAMPLE = ROOT / "source" / "missouri-ice-cooperation.yaml"


@dataclass
class Built:
    """A source built once for the whole session, with its outputs opened."""

    outcome: Outcome
    out_dir: Path
    pdf_path: Path
    html_path: Path

    @property
    def reader(self) -> PdfReader:
        return PdfReader(self.pdf_path)

    @property
    def html(self) -> str:
        return self.html_path.read_text(encoding="utf-8")


def unexpected(records: list[logging.LogRecord], expected: tuple[str, ...] = ()) -> list[str]:
    """Warnings WeasyPrint or the project logged that no one expected.

    A record the build replaced by a diagnostic of its own, or found to be about
    the machine only, is expected; so is one matching a pattern of ``expected``.
    Everything else, including WeasyPrint warnings the build reports as a
    source's warnings, must be expected by the test that causes it.
    """
    return [r.getMessage() for r in records
            if r.levelno >= logging.WARNING and r.name.split(".")[0] in ("weasyprint", "briefing")
            and getattr(r, "briefing", None) not in ("replaced", "ignored")
            and not any(re.search(p, r.getMessage()) for p in expected)]


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def build_once(source: Path, out_dir: Path, expected_logs: tuple[str, ...] = (),
               formats: tuple[str, ...] = DEFAULT, **options: object) -> Built:
    """Build ``source`` into ``out_dir``; fail loudly on an error or an unexpected warning."""
    handler = _Records()
    logging.getLogger().addHandler(handler)
    try:
        outcomes = build([source], out_dir, Options(**options), formats)
    finally:
        logging.getLogger().removeHandler(handler)
    (outcome,) = outcomes
    assert outcome.error is None, str(outcome.error)
    assert not unexpected(handler.records, expected_logs)
    return Built(outcome, out_dir, out_dir / f"{source.stem}.pdf", out_dir / f"{source.stem}.html")


@pytest.fixture(scope="session")
def example(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The example briefing, US Letter."""
    return build_once(EXAMPLE, tmp_path_factory.mktemp("example"))


@pytest.fixture(scope="session")
def spanish(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A flat Spanish briefing with authors, an introduction and sources, on A4."""
    folder = tmp_path_factory.mktemp("spanish-src")
    source = folder / "flat-es.yaml"
    shutil.copy(DATA / "flat-es.yaml", source)
    return build_once(source, tmp_path_factory.mktemp("spanish"), paper="a4")


def page_texts(reader: PdfReader) -> list[str]:
    """The extracted text of every page, with hyphenation at line ends undone."""
    return [re.sub(r"\u2010\n", "", page.extract_text()) for page in reader.pages]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the golden files from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run was asked to refresh golden files (review the diff!)."""
    return bool(request.config.getoption("--update-golden"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "expect_log(*patterns): the test expects WeasyPrint or project warnings "
        "matching these regular expressions")


@pytest.fixture(autouse=True)
def no_unexpected_logs(request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture):
    """Fail a test when WeasyPrint or the project logs a warning nobody expected."""
    yield
    marker = request.node.get_closest_marker("expect_log")
    found = unexpected(caplog.get_records("call"), marker.args if marker else ())
    assert not found, found


class _Handler(http.server.BaseHTTPRequestHandler):
    """Loopback test server: a PNG, redirects, and a body larger than any limit."""

    routes = {
        "/to-file": "file:///etc/passwd",
        "/to-ftp": "ftp://127.0.0.1/x.png",
        "/to-pixel": "/pixel.png",
    }

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.server.requests.append(self.path)  # type: ignore[attr-defined]
        if self.path in self.routes:
            self.send_response(302)
            self.send_header("Location", self.routes[self.path])
            self.end_headers()
        elif self.path == "/pixel.png":
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(PIXEL)
        elif self.path == "/big.png":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"\x00" * (2 * 1024 * 1024))
        elif self.path in ("/deflate-bomb.png", "/gzip-bomb.png"):
            body = bomb(self.path.split("-")[0].strip("/"))
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Encoding", self.path.split("-")[0].strip("/"))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/drip.png":
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            try:
                for byte in PIXEL:  # one byte at a time, slowly, like a tarpit
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass  # the client gave up, as it should
        else:
            self.send_error(404)

    def log_message(self, *args: object) -> None:
        """Quiet: the tests count requests instead."""


@functools.lru_cache(maxsize=2)
def bomb(encoding: str) -> bytes:
    """40 MB of zeros compressed to about 40 KB, as a gzip or a deflate body."""
    zeros = bytes(40 * 1024 * 1024)
    return gzip.compress(zeros, mtime=0) if encoding == "gzip" else zlib.compress(zeros, 9)


#: A 2x2 PNG.
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000002000000020802000000fdd49a73000000164944415478"
    "9c633c2127c7c0c0c0c4c0c0c0c0c000000d0401087d71ca660000000049454e44ae426082"
)


@pytest.fixture(scope="session")
def loopback():
    """An HTTP server on 127.0.0.1 (only) that records each request path; stops at the end."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.requests = []  # type: ignore[attr-defined]
    server.timeout = 5
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def requests_seen(loopback) -> list[str]:
    """The loopback server's request log, emptied for this test."""
    loopback.requests.clear()
    return loopback.requests


def base_url(server) -> str:
    """http://127.0.0.1:PORT of the loopback server."""
    host, port = server.server_address[:2]
    return f"http://{host}:{port}"


@pytest.fixture
def fetchers(monkeypatch) -> list:
    """Every RestrictedFetcher a test creates, to inspect what it fetched and refused."""
    from briefing import fetch

    made: list = []
    original = fetch.RestrictedFetcher.__init__

    def spy(self, *args, **kwargs) -> None:
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(fetch.RestrictedFetcher, "__init__", spy)
    return made


LONG_WORD = "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft"
LONG_URL = "https://example.org/" + "a-very-long-path-segment-" * 12 + "end"
UNBREAKABLE = "x" * 300


@pytest.fixture(scope="session")
def forty(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The benchmark's synthetic briefing of 40 questions in sections of 10, as a PDF."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from synthetic import synthetic_source
    finally:
        sys.path.remove(str(ROOT / "bench"))
    source = tmp_path_factory.mktemp("forty-src") / "forty.yaml"
    source.write_text(synthetic_source(40), encoding="utf-8")
    return build_once(source, tmp_path_factory.mktemp("forty"), formats=("pdf",))


@pytest.fixture(scope="session")
def stretched(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A source with words, URLs, code and titles longer than a line, and RTL and CJK text."""
    folder = tmp_path_factory.mktemp("stretched-src")
    source = folder / "stretched.yaml"
    long = LONG_WORD * 3
    source.write_text(f"""\
title: Long {long}
sections:
  - title: Section {long}
    introduction: "Intro {UNBREAKABLE}"
    questions:
      - question: "Why {long}?"
        answer: |
          Plain {UNBREAKABLE} end.

          Bare URL {LONG_URL} end. Link [{LONG_URL}]({LONG_URL}) end. Code `{long}` end.

          ```
          fenced {UNBREAKABLE} end
          ```

          | a | b |
          |---|---|
          | {UNBREAKABLE} | {LONG_URL} |

          > quoted {long}

          Arabic: مرحبا بالعالم، هذا نص عربي. Hebrew: שלום עולם. 中文：你好，世界。
        sources:
          - title: "Source {UNBREAKABLE}"
            url: {LONG_URL}
""", encoding="utf-8")
    return build_once(source, tmp_path_factory.mktemp("stretched"))
