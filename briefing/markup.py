"""Markdown (answers, introductions, notices) to safe HTML.

Raw HTML in a source is shown as text, never passed through. Links survive only
for http, https, mailto and in-document fragments; any other link is rendered
as its text. Images may name an http(s) URL or a relative path that stays
below the source's folder (no leading slash, no ``..``, no backslash); any
other image is shown as its Markdown text, and :func:`refused_images` lists
them so that the checker can warn. Whether an allowed image is fetched at all
is decided later by the PDF renderer's URL fetcher.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

_LINK = re.compile(r"(?:https?:|mailto:|#)", re.IGNORECASE)
_IMAGE = re.compile(r"(?:https?:|(?![a-z][a-z0-9+.-]*:))", re.IGNORECASE)
#: Headings in an answer sit below the question (h3), so they start at h4.
_HEADING_BASE = 3


def _is_link(url: str) -> bool:
    return bool(_LINK.match(url.strip()))


def _is_remote(url: str) -> bool:
    return url.strip().lower().startswith(("http:", "https:"))


def _is_image(url: str) -> bool:
    """An http(s) URL, or a relative path that cannot leave the source's folder."""
    url = url.strip()
    if url.lower().startswith(("http:", "https:")):
        return not url.lower().startswith(("http:///", "https:///"))
    path = unquote(url)
    if not _IMAGE.match(path) or path.startswith(("/", "#")) or "\\" in path:
        return False
    return ".." not in path.split("?")[0].split("/")


def _validate(url: str) -> bool:
    # markdown-it asks this for links and images alike; the stricter link rule
    # is applied when rendering, where the token type is known.
    url = url.strip()
    return bool(_LINK.match(url) or _is_image(url)) and not url.lower().startswith("//")


class _SafeRenderer(RendererHTML):
    """Drop links that are not http(s)/mailto/#, and demote headings."""

    def link_open(self, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        if not _is_link(str(token.attrGet("href") or "")):
            token.meta["dropped"] = True
            return ""
        if str(token.attrGet("href")).lower().startswith(("http:", "https:")):
            token.attrSet("rel", "noopener noreferrer")
        return self.renderToken(tokens, idx, options, env)

    def image(self, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        src = str(token.attrGet("src") or "")
        if not _is_image(src):
            return self.renderInline(token.children or [], options, env)
        if env.get("image_prefix") and not _is_remote(src):
            token.attrSet("src", env["image_prefix"] + src.strip())
        return super().image(tokens, idx, options, env)

    def link_close(self, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        # Find the matching opener at the same nesting level.
        depth = 0
        for j in range(idx - 1, -1, -1):
            if tokens[j].type == "link_close":
                depth += 1
            elif tokens[j].type == "link_open":
                if depth == 0:
                    return "" if tokens[j].meta.get("dropped") else "</a>"
                depth -= 1
        return "</a>"

    def ordered_list_open(self, tokens: list[Token], idx: int, options: OptionsDict,
                          env: EnvType) -> str:
        # WeasyPrint's default stylesheet restarts every list at 1 and ignores
        # ``start``; the list-item counter carries the number into the PDF.
        start = tokens[idx].attrGet("start")
        if start is not None:
            tokens[idx].attrSet("style", f"counter-reset: list-item {int(start) - 1}")
        return self.renderToken(tokens, idx, options, env)

    def heading_open(self, tokens: list[Token], idx: int, options: OptionsDict,
                     env: EnvType) -> str:
        level = min(int(tokens[idx].tag[1]) + _HEADING_BASE, 6)
        return f'<h{level} class="answer-heading">'

    def heading_close(self, tokens: list[Token], idx: int, options: OptionsDict,
                      env: EnvType) -> str:
        level = min(int(tokens[idx].tag[1]) + _HEADING_BASE, 6)
        return f"</h{level}>\n"


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False},
                    renderer_cls=_SafeRenderer)
    md.enable(["table", "strikethrough"])
    md.validateLink = _validate  # type: ignore[method-assign]
    return md


def to_html(text: str | None, image_prefix: str = "") -> str:
    """Render Markdown to HTML in which source text can never become markup.

    ``image_prefix`` goes before every local image path: the screen version
    finds the images it copied beside itself there.
    """
    if not text:
        return ""
    return _parser().render(text, {"image_prefix": image_prefix})


@lru_cache(maxsize=1)
def _permissive() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False})
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


def _images(text: str | None) -> list[str]:
    if not text:
        return []
    return [str(token.attrGet("src") or "")
            for block in _permissive().parse(text) for token in block.children or []
            if token.type == "image"]


def refused_images(text: str | None) -> list[str]:
    """The image URLs in ``text`` that :func:`to_html` shows as text instead of an image."""
    return [src for src in _images(text) if not _is_image(src)]


def local_images(text: str | None) -> list[str]:
    """The relative image paths in ``text`` that :func:`to_html` shows as images."""
    return [src.strip() for src in _images(text) if _is_image(src) and not _is_remote(src)]
