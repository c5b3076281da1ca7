"""Markdown (answers, introductions, notices): parsed once into the model, rendered as safe HTML.

:func:`parse` is the only Markdown parser of the project. It returns a
:class:`~briefing.model.Markdown` holding the tokens and every image and link
with its position; the renderer, the checks, the cache key and the copy of
images beside the HTML version all read that value.

Raw HTML in a source is shown as text, never passed through. Links survive only
for http, https, mailto and in-document fragments; any other link is printed
as its Markdown text. Images may name an http(s) URL or a relative path that stays
below the source's folder (no leading slash, no ``..``, no backslash, however
percent-encoded); any other image is printed as its Markdown text and listed
as refused.
Whether an allowed image is fetched at all is decided later by the URL fetcher.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Collection, Mapping, Sequence
from functools import lru_cache
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from . import notes
from .model import Location, Markdown, Reference, Span

_LINK = re.compile(r"(?:https?:|mailto:|#)", re.IGNORECASE)
_IMAGE = re.compile(r"(?:https?:|(?![a-z][a-z0-9+.-]*:))", re.IGNORECASE)
#: Headings in an answer sit below the question (h3 in sections), so they start at h4;
#: in a flat briefing the question is h2 and they start at h3 (``heading_base``).
_HEADING_BASE = 3
#: Lists and quotes may nest this deep (a list item is two levels: the list and
#: the item). The parser stops at its own limit, above this one, and drops what
#: is deeper, so a text that reaches this one is refused instead of cut.
MAX_DEPTH = 40
_PARSER_NESTING = MAX_DEPTH + 4
#: A text's last word (letters, digits, soft hyphens) with the spaces before it (a lone
#: space is not drawn, and text extracted from the PDF would lose it), and what follows.
_LAST_WORD = re.compile(r"(.*?)(\s*[\w\u00ad]*)(\W*)\Z", re.S)
#: The alternative text that marks an image as decorative: ``![-](border.png)``.
DECORATIVE = "-"


def is_link(url: str) -> bool:
    """Whether a link target is kept: http(s), mailto or a fragment of this document."""
    return bool(_LINK.match(url.strip())) and not url.strip().startswith("//")


def is_remote(url: str) -> bool:
    """Whether a target is an http(s) URL."""
    return url.strip().lower().startswith(("http:", "https:"))


def is_image(url: str) -> bool:
    """An http(s) URL, or a relative path that cannot leave the source's folder."""
    url = url.strip()
    if is_remote(url):
        return not url.lower().startswith(("http:///", "https:///"))
    path = unquote(url)
    if not _IMAGE.match(path) or path.startswith(("/", "#")) or "\\" in path:
        return False
    return ".." not in local_path(url).split("/")


def local_path(url: str) -> str:
    """The file a relative image URL names: query and fragment dropped, escapes decoded."""
    return unquote(url.strip().split("?")[0].split("#")[0])


class _SafeRenderer(RendererHTML):
    """Drop links that are not http(s)/mailto/#, refuse unsafe images, demote headings.

    Tokens belong to the model and are rendered more than once (PDF, HTML), so
    the renderer never changes one: it changes a copy.
    """

    def link_open(self, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        href = str(tokens[idx].attrGet("href") or "")
        if not is_link(href):  # printed as written, so that no word is lost
            return "&lt;" if tokens[idx].markup == "autolink" else "["
        if href[:1] == "#" and unquote(href[1:]) in env.get("away", ()):
            return '<span class="xref-away">'  # not in this document: the number, no link
        token = _copy(tokens[idx])
        if is_remote(href):
            token.attrSet("rel", "noopener noreferrer")
        return self.renderToken([token], 0, options, env)

    def link_close(self, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        # Find the matching opener at the same nesting level.
        depth = 0
        for j in range(idx - 1, -1, -1):
            if tokens[j].type == "link_close":
                depth += 1
            elif tokens[j].type == "link_open":
                if depth == 0:
                    href = str(tokens[j].attrGet("href") or "")
                    target = unquote(href[1:]) if href[:1] == "#" else None
                    number = env.get("xrefs", {}).get(target)
                    if number:  # a cross-reference says where it leads, also on paper
                        close = "</span>" if target in env.get("away", ()) else "</a>"
                        return close + notes.xref(number, href, env)
                    if is_link(href):
                        return "</a>" + notes.link_note(tokens[j + 1:idx], href, env)
                    return "&gt;" if tokens[j].markup == "autolink" else f"]({escapeHtml(href)})"
                depth -= 1
        return "</a>"

    def image(self, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        src = str(tokens[idx].attrGet("src") or "")
        if not is_image(src):  # printed as written
            alt = self.renderInline(tokens[idx].children or [], options, env)
            return f"![{alt}]({escapeHtml(src)})"
        token = _copy(tokens[idx])
        if token.content.strip() == DECORATIVE:  # alt="": readers skip it, the PDF an artifact
            token.children, token.content = [], ""
        if env.get("image_prefix") and not is_remote(src):
            token.attrSet("src", env["image_prefix"] + src.strip())
        return super().image([token], 0, options, env)

    def render(self, tokens: Sequence[Token], options: OptionsDict, env: EnvType) -> str:
        """Render the blocks; on paper a paragraph's last word is never hyphenated, so that no
        paragraph ends with a stub of a word on a line of its own ("referen-" / "cia.")."""
        if env.get("notes") is not None:
            env["last_words"] = {
                id(last) for block, after in zip(tokens, tokens[1:], strict=False)
                if block.type == "inline" and after.type == "paragraph_close"
                for last in [next((t for t in reversed(block.children or [])
                                   if t.type == "text"), None)] if last is not None}
        return super().render(tokens, options, env)

    def text(self, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        content = tokens[idx].content
        if id(tokens[idx]) not in env.get("last_words", ()):
            return escapeHtml(content)
        head, word, tail = _LAST_WORD.match(content).groups()
        word = f'<span class="last-word">{escapeHtml(word)}</span>' if word else ""
        return escapeHtml(head) + word + escapeHtml(tail)

    def paragraph_open(self, tokens: list[Token], idx: int, options: OptionsDict,
                       env: EnvType) -> str:
        if isinstance(env.get("notes"), list):
            env["notes"].clear()  # an address gets its footnote once per paragraph
        if env.get("in_endnote"):  # a list item of paragraphs is not a tagged list item
            return ""
        return self.renderToken(tokens, idx, options, env)

    def paragraph_close(self, tokens: list[Token], idx: int, options: OptionsDict,
                        env: EnvType) -> str:
        return " " if env.get("in_endnote") else self.renderToken(tokens, idx, options, env)

    def ordered_list_open(self, tokens: list[Token], idx: int, options: OptionsDict,
                          env: EnvType) -> str:
        # WeasyPrint's default stylesheet restarts every list at 1 and ignores
        # ``start``; the list-item counter carries the number into the PDF.
        token = tokens[idx]
        start = token.attrGet("start")
        if start is not None or token.markup == ")":
            token = _copy(token)
        if start is not None:
            token.attrSet("style", f"counter-reset: list-item {int(start) - 1}")
        if token.markup == ")":  # "1)" prints as written, not as "1."
            token.attrSet("class", "paren")
        return self.renderToken([token], 0, options, env)

    def heading_open(self, tokens: list[Token], idx: int, options: OptionsDict,
                     env: EnvType) -> str:
        level = min(int(tokens[idx].tag[1]) + env.get("heading_base", _HEADING_BASE), 6)
        return f'<h{level} class="answer-heading">'

    def heading_close(self, tokens: list[Token], idx: int, options: OptionsDict,
                      env: EnvType) -> str:
        level = min(int(tokens[idx].tag[1]) + env.get("heading_base", _HEADING_BASE), 6)
        return f"</h{level}>\n"


def _copy(token: Token) -> Token:
    clone = copy.copy(token)
    clone.attrs = dict(token.attrs)
    return clone


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False},
                    renderer_cls=_SafeRenderer)
    md.enable(["table", "strikethrough"])
    notes.install(md)
    md.options["maxNesting"] = _PARSER_NESTING
    # Every link and image is parsed, whatever its scheme, so that the model lists
    # them all; the renderer decides which become markup.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


def parse(text: str, span: Span | None = None) -> Markdown:
    """Parse Markdown once: its tokens, and its images, links and footnotes with their positions."""
    env: dict = {}
    tokens = tuple(_parser().parse(text, env)) if text else ()
    lines = text.splitlines()
    images: list[Reference] = []
    links: list[Reference] = []
    defined = {label for label, _ in env.get("definitions", ())}
    called = notes.labels_called(env)
    found = [Reference("footnote", label, label in called, None,
                       _find(lines, (line, 0), "[^", span)[0])
             for label, line in env.get("definitions", ())]
    for block in tokens:
        if block.type != "inline" or not block.children:
            continue
        first = block.map[0] if block.map else 0
        cursor = (first, 0)
        for child in block.children:
            if child.type == "image":
                where, cursor = _find(lines, cursor, "![", span)
                url = str(child.attrGet("src") or "")
                allowed = is_image(url)
                path = local_path(url) if allowed and not is_remote(url) else None
                alt = "".join(t.content for t in child.children or () if t.content).strip()
                images.append(Reference("image", url, allowed, path, where, alt))
            elif child.type == "link_open":
                marker = "<" if child.markup == "autolink" else "["
                where, cursor = _find(lines, cursor, marker, span)
                url = str(child.attrGet("href") or "")
                links.append(Reference("link", url, is_link(url), None, where))
            elif child.type == "footnote_ref":
                where, cursor = _find(lines, cursor, "[^", span)
                found.append(Reference("footnote-call", child.meta["label"], True, None, where))
            elif child.type == "text" and "[^" in child.content:
                for call in notes.UNDEFINED_CALL.finditer(child.content):
                    where, cursor = _find(lines, cursor, "[^", span)
                    label = call[1]
                    found.append(Reference("footnote-call", label, label in defined, None,
                                           where))
    return Markdown(text, tokens, tuple(images), tuple(links), span, tuple(found))


def too_deep(markdown: Markdown) -> int | None:
    """The line (0-based, in the text) where it nests deeper than :data:`MAX_DEPTH`, or None."""
    for token in markdown.tokens:
        if token.level >= MAX_DEPTH:
            return token.map[0] if token.map else 0
    return None


def _find(
    lines: list[str], cursor: tuple[int, int], marker: str, span: Span | None
) -> tuple[Location | None, tuple[int, int]]:
    """Where the next ``marker`` is at or after ``cursor``, and the cursor past it.

    Inline tokens carry no columns, so a reference is placed at the next marker
    of its kind in its block; when there is none, at the start of the block.
    """
    line, column = cursor
    for index in range(line, len(lines)):
        found = lines[index].find(marker, column if index == line else 0)
        if found >= 0:
            where = span.at(index, found) if span else None
            return where, (index, found + len(marker))
    return (span.at(line, 0) if span else None), cursor


def render(markdown: Markdown | None, image_prefix: str = "",
           xrefs: Mapping[str, str] | None = None, see: str = "see",
           heading_base: int = _HEADING_BASE, *, link_notes: bool = False,
           note_scope: str = "", words: Mapping[str, str] | None = None,
           pages: Mapping[str, str] | None = None, notes_at_end: bool = False,
           away: Collection[str] = ()) -> str:
    """Render parsed Markdown to HTML in which source text can never become markup.

    ``image_prefix`` goes before every local image path: the screen version
    finds the images it copied beside itself there. A link to an anchor of
    ``xrefs`` ({anchor: number}) is followed by "(see 2.3)", in the words of ``see``.
    Markdown's headings start one level below ``heading_base``. With ``link_notes``
    (for paper), a link whose text does not show its address is followed by a
    footnote holding the address, Markdown's footnotes are set where they are called
    (for the page to move them to its foot), and a cross-reference gets a place
    for its target's page. On screen, footnotes close the text, their ids made
    unique by ``note_scope``; ``words`` holds the labels "notes" and "back".
    ``pages`` ({anchor: page}) gives the pages of targets laid out already.
    With ``notes_at_end``, paper that cannot float notes to its foot (the cover) gets
    the footnotes at the end of the text and link addresses after their text.
    A link to an anchor of ``away`` (another
    section's, in a section printed alone) keeps its number but is no link.
    """
    if not markdown or not markdown.tokens:
        return ""
    md = _parser()
    blocks = list(markdown.tokens)
    env = {"image_prefix": image_prefix, "xrefs": xrefs or {}, "see": see,
           "heading_base": heading_base, "notes": [] if link_notes else None,
           "blocks": blocks, "note_scope": note_scope, "words": words or {},
           "pages": pages or {}, "notes_at_end": notes_at_end, "away": away}
    if link_notes and not notes_at_end:  # on paper each note is set at its call, none at the end
        blocks = _without_notes(blocks)
    return md.renderer.render(blocks, md.options, env)


def _without_notes(tokens: list[Token]) -> list[Token]:
    """The tokens before the block of footnotes the parser puts last."""
    for index, token in enumerate(tokens):
        if token.type == "footnote_block_open":
            return tokens[:index]
    return tokens


def to_html(text: str | None, image_prefix: str = "") -> str:
    """Parse and render a Markdown text in one step (for callers holding a plain string)."""
    return render(parse(text), image_prefix) if text else ""
