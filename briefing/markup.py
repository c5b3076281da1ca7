"""Markdown (answers, introductions, notices) to safe HTML.

Raw HTML in a source is shown as text, never passed through. Links survive only
for http, https, mailto and in-document fragments; any other link is rendered
as its text. Images may name a relative path or an http(s) URL: whether they
are fetched at all is decided later by the PDF renderer's URL fetcher.
"""

from __future__ import annotations

import re
from functools import lru_cache

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


def _validate(url: str) -> bool:
    # markdown-it asks this for links and images alike; the stricter link rule
    # is applied when rendering, where the token type is known.
    url = url.strip()
    return bool(_LINK.match(url) or _IMAGE.match(url)) and not url.lower().startswith("//")


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


def to_html(text: str | None) -> str:
    """Render Markdown to HTML in which source text can never become markup."""
    if not text:
        return ""
    return _parser().render(text)
