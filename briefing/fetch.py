"""The URL fetcher every render goes through: local files from known folders, nothing else.

WeasyPrint fetches stylesheets, fonts and images through a URL fetcher, and its
default one reads any ``file:`` URL (and embeds it in the PDF, for instance
through ``<link rel=attachment>``) and any ``http(s):`` URL. A source is pasted
from anywhere and often built in CI, so ours refuses by default:

- ``file:`` URLs are read only through :func:`briefing.gate.read_local`: after
  resolving symlinks and ``..``, a regular file inside an allowed folder, the
  style folders in use and the folders of the project's own fonts (any file),
  and the source's own folder (image files only, for images the source names);
- ``data:`` URLs are allowed: they are inline and reach nothing;
- ``http:`` and ``https:`` only when remote fetching is allowed (``--allow-remote``),
  with a timeout, a size limit, and every redirect checked by these same rules;
- every other scheme is refused.

Whatever is refused is never opened; it is recorded with a reason so that the
build can warn about it, naming the source.
"""

from __future__ import annotations

import mimetypes
import time
import warnings
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import unquote, urlsplit
from urllib.request import OpenerDirector, Request, url2pathname

from PIL import Image
from weasyprint.urls import URLFetcher, URLFetcherResponse, iri_to_uri

from .gate import MAX_FILE_BYTES, Refused, inside, read_local

#: No single fetched resource may be larger than this.
MAX_FETCH_BYTES = MAX_FILE_BYTES
#: No raster image may be larger than this once decoded: 40 million pixels is
#: 20 by 20 inches at 300 dots per inch, far beyond any page.
MAX_PIXELS = 40_000_000
#: Seconds for one remote request to connect or send more data, and for all of it.
TIMEOUT = 10
TOTAL_TIMEOUT = 30


@dataclass(frozen=True)
class Refusal:
    """A URL that was not fetched, and why."""

    url: str
    reason: str
    refused: bool = True

    def __str__(self) -> str:
        verb = "refused to fetch" if self.refused else "could not fetch"
        return f"{verb} {self.url} ({self.reason})"


class FetchRefused(ValueError):
    """Raised to WeasyPrint for a URL the fetcher will not fetch."""


class RestrictedFetcher(URLFetcher):
    """Fetch local files from allowed folders, data: URLs, and http(s) only when allowed."""

    def __init__(
        self,
        folders: Iterable[Path],
        image_folders: Iterable[Path] = (),
        *,
        allow_remote: bool = False,
        max_bytes: int = MAX_FETCH_BYTES,
    ) -> None:
        protocols = {"file", "data", "http", "https"} if allow_remote else {"file", "data"}
        super().__init__(timeout=TIMEOUT, allowed_protocols=protocols,
                         allow_redirects=allow_remote)
        self.folders = tuple(p.resolve() for p in folders)
        self.image_folders = tuple(p.resolve() for p in image_folders)
        self.allow_remote = allow_remote
        self.max_bytes = max_bytes
        #: Every URL refused or failed, in order; and every URL actually read.
        self.refused: list[Refusal] = []
        self.fetched: list[str] = []

    def _refuse(self, url: str, reason: str, *, refused: bool = True) -> FetchRefused:
        self._request = None
        self.refused.append(Refusal(url, reason, refused))
        return FetchRefused(str(self.refused[-1]))

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        """Fetch ``url`` if the rules allow it; otherwise record it and raise FetchRefused."""
        # URLFetcher.open() keeps the request urllib's redirect handler asks for.
        redirect = self._request is not None
        try:
            scheme = urlsplit(url).scheme.lower()
        except ValueError:
            raise self._refuse(url, "malformed URL") from None
        if redirect and scheme not in ("http", "https"):
            raise self._refuse(url, f"a redirect to a {scheme or 'relative'}: URL")
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            return self._file(url)
        if scheme in ("http", "https"):
            if not self.allow_remote:
                raise self._refuse(url, "remote fetching is off; see --allow-remote")
            return self._remote(url, headers)
        raise self._refuse(url, f"the {scheme or 'empty'} scheme is not allowed")

    def _file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise self._refuse(url, "not a file on this machine")
        try:
            path = Path(url2pathname(unquote(parts.path)))
            resolved, data = read_local(path, self.folders, self.image_folders,
                                        max_bytes=self.max_bytes)
        except Refused as exc:
            raise self._refuse(url, exc.reason, refused=exc.refused) from None
        except ValueError:
            raise self._refuse(url, "not a valid file path") from None
        if not inside(resolved, self.folders):
            self._check_image(url, data)
        self.fetched.append(url)
        content_type = mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
        return URLFetcherResponse(resolved.as_uri(), data, {"Content-Type": content_type})

    def _check_image(self, url: str, data: bytes) -> None:
        """Decode a raster image now: WeasyPrint decodes it only while writing the PDF,
        where a truncated or corrupt file would fail the whole briefing.

        Its size in pixels is checked before decoding: a few kilobytes can hold an
        image that takes gigabytes once decoded. Pillow's own bomb warning becomes
        this refusal instead of reaching the terminal.
        """
        if data.lstrip()[:1] == b"<":
            return  # SVG: parsed (and its own URLs fetched through us) during layout
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(BytesIO(data)) as image:
                    width, height = image.size
                    if width * height > MAX_PIXELS:
                        raise self._refuse(url, f"{width}×{height} pixels is more than the "
                                                f"limit of {MAX_PIXELS} pixels")
                    image.load()
        except FetchRefused:
            raise
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise self._refuse(url, f"a decompression bomb: {exc}") from None
        except Exception as exc:  # Pillow raises many kinds for a broken file
            raise self._refuse(url, f"not a readable image: {exc}", refused=False) from None

    def _remote(self, url: str, headers: dict | None) -> URLFetcherResponse:
        """Read an http(s) URL with every limit applied to what arrives and to what it decodes
        to: a compressed body is inflated piece by piece, never past the size limit, and the
        whole read, however slowly the server sends, ends at TOTAL_TIMEOUT."""
        deadline = time.monotonic() + TOTAL_TIMEOUT
        http_request = self._request or Request(
            iri_to_uri(url), headers={**self._http_headers, **(headers or {})})
        self._request = None
        try:
            # The opener itself, not URLFetcher.fetch, which would inflate the whole body first.
            response = OpenerDirector.open(self, http_request, timeout=TIMEOUT)
        except FetchRefused:
            raise
        except HTTPError as exc:
            location = exc.headers.get("Location") if exc.headers else None
            if 300 <= exc.code < 400 and location:  # urllib refused to follow it
                raise self._refuse(url, f"redirects to {location}, not http(s)") from None
            raise self._refuse(url, f"HTTP error {exc.code}", refused=False) from None
        except Exception as exc:  # any network failure is a warning, not a crash
            raise self._refuse(url, f"{type(exc).__name__}: {exc}", refused=False) from None
        if isinstance(response, URLFetcherResponse):  # a redirect, already read by fetch()
            return response
        headers_in = response.headers
        encoding = (headers_in.get("Content-Encoding") or "identity").strip().lower()
        decoder = _decoder(encoding)
        if decoder is None:
            response.close()
            raise self._refuse(url, f"an unknown content encoding: {encoding}", refused=False)
        chunks: list[bytes] = []
        size = 0
        read = getattr(response, "read1", response.read)
        try:
            while True:
                if time.monotonic() > deadline:
                    raise self._refuse(url, f"took longer than {TOTAL_TIMEOUT} s")
                try:
                    raw = read(64 * 1024)
                except Exception as exc:  # a timeout or a reset mid-body
                    raise self._refuse(url, f"{type(exc).__name__}: {exc}",
                                       refused=False) from None
                data = decoder.decompress(raw, self.max_bytes + 1 - size) if raw else b""
                size += len(data)
                if size > self.max_bytes or (decoder.unconsumed_tail and raw):
                    raise self._refuse(url, f"larger than {self.max_bytes} bytes")
                chunks.append(data)
                if not raw:
                    break
        finally:
            response.close()
        del headers_in["Content-Encoding"]
        body = b"".join(chunks)
        if headers_in.get_content_type().startswith("image/"):
            self._check_image(url, body)
        self.fetched.append(url)
        return URLFetcherResponse(response.url, body, headers_in, response.status)


class _Identity:
    """A decoder for a body that is not compressed."""

    unconsumed_tail = b""

    def decompress(self, data: bytes, max_length: int) -> bytes:
        return data


def _decoder(encoding: str):  # noqa: ANN202 - a zlib decompressor or the identity
    """A streaming decoder for a Content-Encoding, or None for one we do not read."""
    if encoding in ("", "identity"):
        return _Identity()
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":  # zlib-wrapped, as the standard says; most servers do
        return zlib.decompressobj()
    return None
