"""The relative URLs a style folder's files name: found the same way by the loader and the cache.

A stylesheet names files with ``url(...)``, a template with ``src=`` and
``href=`` attributes; a relative one means a file of the same folder. Reading
these with one pair of patterns keeps what the renderer binds and what the
cache hashes the same set.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

CSS_URL = re.compile(r"""url\(\s*(?P<q>["']?)(?P<url>[^"'()\s{}]+)(?P=q)\s*\)""")
ATTR_URL = re.compile(r"""\b(?P<attr>src|href)=(?P<q>["'])(?P<url>[^"'{}<>\s]+)(?P=q)""")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
#: The files a style folder holds that the renderer reads as templates or stylesheets.
STYLE_SUFFIXES = (".j2", ".css", ".html")


def is_relative(url: str) -> bool:
    """Whether a URL names a file relative to the file it is written in."""
    return not (_SCHEME.match(url) or url.startswith(("/", "#", "\\")))


def relative_urls(text: str, css: bool) -> Iterator[str]:
    """The relative URLs a stylesheet (``css``) or a template names."""
    for match in (CSS_URL if css else ATTR_URL).finditer(text):
        if is_relative(match["url"]):
            yield match["url"]


def used_files(search_path: Sequence[Path]) -> list[Path]:
    """Every file the style folders can contribute: templates, stylesheets, and the files
    they name relatively (a large file nothing names costs nothing)."""
    found: list[Path] = []
    for folder in search_path:
        styles = sorted(p for p in folder.rglob("*") if p.suffix in STYLE_SUFFIXES
                        and p.is_file())
        named: set[Path] = set()
        root = folder.resolve()
        for style in styles:
            try:
                text = style.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            for url in relative_urls(text, style.suffix == ".css"):
                target = (folder / url.split("?")[0].split("#")[0]).resolve()
                if root in target.parents and target.is_file():
                    named.add(target)
        found += styles + sorted(named - {s.resolve() for s in styles})
    return found
