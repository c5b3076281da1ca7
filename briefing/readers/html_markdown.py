"""HTML answers as Markdown that prints exactly the words a reader of the page sees.

markdownify does the conversion; this module decides what survives as markup
(paragraphs, lists with their numbers, links to http(s) and mailto addresses,
emphasis, line breaks) and turns everything else into text. Every text node is
escaped here, completely: markdownify's own escaping leaves ``#``, ``1.``,
``<b>`` and entities able to turn into markup.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from bs4 import NavigableString, Tag
from markdownify import BACKSLASH, MarkdownConverter, chomp

#: Elements converted this deep or deeper are refused: markdownify recurses once per level.
MAX_DEPTH = 100
#: CommonMark reads at most nine digits as a list number.
_MAX_START = 999_999_999
#: Inline Markdown everywhere: backslashes before punctuation, emphasis, code, links,
#: autolinks, raw HTML, tables, entities and strikethrough.
_INLINE = re.compile(r"\\(?=[!-/:-@\[-`{-~]|\Z)|[`*_\[\]<>|~]|&(?=#?[A-Za-z0-9]+;)")
#: Block markers at the start of any word, since any word may start a line after a break:
#: quotes, then headings, bullets, breaks and underlines, then list numbers (``1.``, ``1)``).
_WORD_START = re.compile(r"(?:(?<=\s)|^)(?:(>|[#+=-]+(?=\s|\Z))|([0-9]+)(?=[.)](?:\s|\Z)))")
#: What a link's address may hold before it is written in ``(...)``.
_URL_UNSAFE = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", "\\": "%5C"}


def escape(text: str) -> str:
    """Text that Markdown prints exactly as written, wherever in a line it lands."""
    text = _INLINE.sub(lambda m: "\\" + m.group(0), text)
    return _WORD_START.sub(
        lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\", text)


def link_target(href: str, base: str | None) -> str | None:
    """The address a link keeps, or None when it is shown as text.

    http(s) and mailto addresses are kept; a relative address is resolved
    against ``base`` (the page's ``<base href>`` or canonical URL) when there is
    one; any other scheme (``javascript:``, ``data:``, ``file:``) is text.
    """
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    if base and not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", href):
        href = urljoin(base, href)
    if not re.match(r"(?:https?://[^/\s]|mailto:\S)", href, re.IGNORECASE):
        return None
    return "".join(_URL_UNSAFE.get(c, c) for c in href if c >= " ")


def depth_at(tag: Tag) -> Tag | None:
    """The first element nested :data:`MAX_DEPTH` levels below ``tag``, or None (no recursion)."""
    stack = [(tag, 0)]
    while stack:
        node, depth = stack.pop()
        if depth >= MAX_DEPTH:
            return node
        stack.extend((child, depth + 1) for child in reversed(node.contents)
                     if isinstance(child, Tag))
    return None


class _Converter(MarkdownConverter):
    """markdownify, keeping only the markup a briefing prints and escaping all text."""

    def __init__(self, base: str | None) -> None:
        super().__init__(bullets="-", newline_style=BACKSLASH, wrap=True, wrap_width=None,
                         escape_asterisks=False, escape_underscores=False, autolinks=False)
        self.base = base
        #: Items of each list converted so far, and whether a list is set apart, by id().
        self.items: dict[int, int] = {}
        self.apart: dict[int, bool] = {}

    def escape(self, text: str, parent_tags: set[str]) -> str:
        """Escape every character that means something in Markdown."""
        return escape(text)

    def process_text(self, el: NavigableString, parent_tags: set[str] | None = None) -> str:
        """Text inside code and pre is text like any other (escaped, spaces collapsed)."""
        tags = set(parent_tags or ()) - {"_noformat", "pre"}
        return super().process_text(el, parent_tags=tags)

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """A link to an http(s) or mailto address; anything else is its text."""
        target = link_target(str(el.get("href") or ""), self.base)
        if target is None or "a" in parent_tags or not text.strip():
            return text
        prefix, suffix, text = chomp(text)
        return f"{prefix}[{text}]({target}){suffix}"

    def convert_li(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """An item; ordered lists keep their numbers, and a list after a list stays apart.

        Items are counted as they come (markdownify counts every item's previous
        siblings, which takes time that grows with the square of a list's length).
        """
        parent = el.parent
        index = self.items.get(id(parent), 0)
        self.items[id(parent)] = index + 1
        text = (text or "").strip()
        # CommonMark merges neighbouring lists that share a marker; another one keeps them
        # apart: ')' after '.', '*' after '-'.
        apart = parent is not None and self._apart(parent)
        if parent is not None and parent.name == "ol":
            start = str(parent.get("start") or "1").strip()
            first = int(start) if start.isdigit() and int(start) <= _MAX_START else 1
            bullet = f"{min(first + index, _MAX_START)}{')' if apart else '.'} "
        else:
            bullet = "* " if apart else "- "
        if not text:  # an empty item keeps its place, so the numbers after it stay right
            return bullet.rstrip() + "\n"
        lines = text.split("\n")
        indent = " " * len(bullet)
        return bullet + "\n".join([lines[0], *(indent + ln if ln else "" for ln in lines[1:])]) \
            + "\n"

    def _apart(self, lst: Tag) -> bool:
        """Whether an odd number of lists of the same kind come right before this one."""
        chain: list[Tag] = []
        node: Tag | None = lst
        while node is not None and id(node) not in self.apart:
            chain.append(node)
            before = node.previous_sibling
            while isinstance(before, NavigableString) and not before.strip():
                before = before.previous_sibling
            node = before if isinstance(before, Tag) and before.name == node.name else None
        value = None if node is None else self.apart[id(node)]
        for item in reversed(chain):
            value = value is not None and not value
            self.apart[id(item)] = value
        return self.apart[id(lst)]

    def _text_block(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """A block that prints as a paragraph of text (headings, quotes, rows, terms)."""
        if "_inline" in parent_tags:
            return " " + text.strip() + " "
        text = text.strip()
        return f"\n\n{text}\n\n" if text else ""

    def _text_inline(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return text

    def convert_hN(self, n: int, el: Tag, text: str, parent_tags: set[str]) -> str:
        """A heading inside an answer is a paragraph."""
        return self._text_block(el, text, parent_tags)

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """Images are left out (the reader reports each one)."""
        return ""

    def convert_hr(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """A rule separates paragraphs and prints nothing."""
        return "\n\n"

    def convert_td(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """A table cell is its text, followed by a space."""
        return " " + text.strip() + " "

    def convert_tr(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """A table row is a paragraph of its cells' text."""
        return self._text_block(el, text, set())

    convert_th = convert_td
    convert_blockquote = convert_caption = convert_figcaption = _text_block
    convert_dt = convert_dd = convert_table = convert_pre = _text_block
    convert_details = convert_summary = convert_figure = convert_dl = _text_block
    convert_code = convert_kbd = convert_samp = convert_del = convert_s = _text_inline
    convert_sub = convert_sup = convert_q = _text_inline


def to_markdown(container: Tag, base: str | None = None) -> str:
    """Markdown for what an element holds (an answer); '' when it holds no text.

    The caller checks :func:`depth_at` first: the conversion recurses once per level.
    """
    text = _Converter(base).process_tag(container, parent_tags=set())
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return text + "\n" if text else ""
