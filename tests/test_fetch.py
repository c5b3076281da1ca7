"""The URL fetcher: which URLs are read, which are refused; refused ones are never opened."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import PIXEL, base_url

from briefing.fetch import FetchRefused, RestrictedFetcher


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """A style folder and a source folder with an image, a non-image and symlinks out."""
    style, source = tmp_path / "style", tmp_path / "source"
    style.mkdir()
    source.mkdir()
    (style / "extra.css").write_text("p { color: red }", encoding="utf-8")
    (source / "map.png").write_bytes(PIXEL)
    (source / "notes.txt").write_text("not an image", encoding="utf-8")
    (tmp_path / "secret.png").write_bytes(b"secret")
    (source / "link.png").symlink_to(tmp_path / "secret.png")
    (source / "passwd.png").symlink_to("/etc/passwd")
    return style, source


def _fetcher(folders: tuple[Path, Path], **kwargs) -> RestrictedFetcher:
    style, source = folders
    return RestrictedFetcher((style,), (source,), **kwargs)


def test_files_in_the_allowed_folders_are_read(folders) -> None:
    fetcher = _fetcher(folders)
    style, source = folders
    assert fetcher.fetch((source / "map.png").as_uri()).read() == PIXEL
    response = fetcher.fetch((style / "extra.css").as_uri())
    assert response.read() == b"p { color: red }" and response.content_type == "text/css"
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"
    assert fetcher.refused == []


def _refusal(fetcher: RestrictedFetcher, url: str) -> str:
    with pytest.raises(FetchRefused) as refused:
        fetcher.fetch(url)
    assert fetcher.fetched == []
    return str(refused.value)


OUTSIDE = "outside the source's folder and the style folders"


@pytest.mark.parametrize(("make_url", "reason"), [
    (lambda s: "file:///etc/passwd", OUTSIDE),
    (lambda s: s.as_uri() + "/../secret.png", OUTSIDE),
    (lambda s: s.as_uri() + "/%2e%2e/%2e%2e/etc/passwd", OUTSIDE),
    (lambda s: (s / "link.png").as_uri(), OUTSIDE),
    (lambda s: (s / "passwd.png").as_uri(), OUTSIDE),
    (lambda s: (s / "notes.txt").as_uri(), "only images are read from the source's folder"),
    (lambda s: "file://otherhost/etc/passwd", "not a file on this machine"),
    (lambda s: s.as_uri() + "/map%00.png", "not a valid file path"),
    (lambda s: "ftp://127.0.0.1/x.png", "the ftp scheme is not allowed"),
    (lambda s: "javascript:alert(1)", "the javascript scheme is not allowed"),
    (lambda s: "http://127.0.0.1:9/x.png", "remote fetching is off; see --allow-remote"),
], ids=["absolute", "dot-dot", "encoded dot-dot", "symlink out", "symlink to /etc/passwd",
        "not an image", "remote host", "NUL byte", "ftp", "javascript", "http when off"])
def test_refused_urls_are_never_opened(folders, make_url, reason: str) -> None:
    fetcher = _fetcher(folders)
    url = make_url(folders[1])
    assert _refusal(fetcher, url) == f"refused to fetch {url} ({reason})"
    assert [(r.url, r.reason) for r in fetcher.refused] == [(url, reason)]


def test_a_missing_image_is_reported_as_not_found(folders) -> None:
    fetcher = _fetcher(folders)
    url = (folders[1] / "nowhere.png").as_uri()
    assert _refusal(fetcher, url) == f"could not fetch {url} (no such file)"


def test_nothing_reaches_the_network_by_default(folders, loopback, requests_seen) -> None:
    fetcher = _fetcher(folders)
    _refusal(fetcher, base_url(loopback) + "/pixel.png")
    assert requests_seen == []


def test_allow_remote_fetches_http_and_follows_http_redirects(
    folders, loopback, requests_seen
) -> None:
    fetcher = _fetcher(folders, allow_remote=True)
    assert fetcher.fetch(base_url(loopback) + "/pixel.png").read() == PIXEL
    assert fetcher.fetch(base_url(loopback) + "/to-pixel").read() == PIXEL
    assert requests_seen == ["/pixel.png", "/to-pixel", "/pixel.png"]


@pytest.mark.parametrize(("path", "reason"), [
    ("/to-file", "redirects to file:///etc/passwd, not http(s)"),
    ("/to-ftp", "a redirect to a ftp: URL"),
], ids=["to file", "to ftp"])
def test_redirects_out_of_http_are_refused(folders, loopback, requests_seen, path, reason) -> None:
    fetcher = _fetcher(folders, allow_remote=True)
    with pytest.raises(FetchRefused):
        fetcher.fetch(base_url(loopback) + path)
    assert requests_seen == [path]
    assert fetcher.fetched == []
    assert fetcher.refused[-1].reason == reason


def test_http_errors_are_reported_not_raised(folders, loopback, requests_seen) -> None:
    fetcher = _fetcher(folders, allow_remote=True)
    url = base_url(loopback) + "/missing.png"
    assert _refusal(fetcher, url) == f"could not fetch {url} (HTTP error 404)"


def test_remote_bodies_are_bounded(folders, loopback, requests_seen) -> None:
    fetcher = _fetcher(folders, allow_remote=True, max_bytes=1024 * 1024)
    url = base_url(loopback) + "/big.png"
    assert _refusal(fetcher, url) == f"refused to fetch {url} (larger than 1048576 bytes)"


@pytest.mark.parametrize("encoding", ["deflate", "gzip"])
def test_a_compressed_body_is_refused_before_it_inflates_past_the_limit(
    loopback, encoding: str
) -> None:
    import tracemalloc

    from conftest import bomb

    bomb(encoding)  # made before measuring: the server runs in this process
    fetcher = RestrictedFetcher((), allow_remote=True, max_bytes=1024 * 1024)
    url = f"{base_url(loopback)}/{encoding}-bomb.png"
    tracemalloc.start()
    try:
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, f"inflated to {peak} bytes"  # the body inflates to 40 MB
    assert [str(r) for r in fetcher.refused] == [
        f"refused to fetch {url} (larger than 1048576 bytes)"]


def test_a_server_that_drips_is_cut_off_at_the_total_timeout(loopback, monkeypatch) -> None:
    from briefing import fetch

    monkeypatch.setattr(fetch, "TOTAL_TIMEOUT", 0.5)
    fetcher = RestrictedFetcher((), allow_remote=True)
    url = f"{base_url(loopback)}/drip.png"
    started = time.monotonic()
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert time.monotonic() - started < 1.5
    assert [str(r) for r in fetcher.refused] == [f"refused to fetch {url} (took longer than 0.5 s)"]
