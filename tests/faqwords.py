"""Words of a FAQ as its text has them and as a built briefing prints them (HTML and PDF).

The readers here are deliberately simpler than the project's: they know nothing
of Markdown, so a character the importer failed to escape shows up as a word
that differs.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from pypdf import PdfReader

_ARTICLE = re.compile(
    r'<article class="question" id="[^"]*"[^>]*>\s*<h([23]) class="question-title">'
    r'<span class="num">([^<]*?)\s*</span>\s*<span class="text">(.*?)</span></h\1>\s*'
    r'<div class="answer">(.*?)</div>',
    re.DOTALL,
)
_INTRO = re.compile(
    r'<section class="introduction" id="introduction">\s*<h2.*?</h2>(.*?)</section>', re.DOTALL)
_BLOCK_TAGS = {"p", "ol", "ul", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
               "pre", "table", "tr", "td", "th", "hr", "br", "div"}
_LIST_NUMBER = re.compile(r"\d+[.)]\Z")
_HYPHENS = re.compile("[-\u2010]")
_MARKERS = re.compile(r"(?:\d+[.)]\s*)+")


class _Text(HTMLParser):
    """Text of an HTML fragment, with each ordered-list item's number and delimiter before it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.counters: list[int] = []
        self.delimiters: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "ol":
            self.counters.append(int(dict(attrs).get("start") or 1))
            self.delimiters.append(")" if dict(attrs).get("class") == "paren" else ".")
        elif tag == "li" and self.counters:
            self.parts.append(f" {self.counters[-1]}{self.delimiters[-1]} ")
            self.counters[-1] += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "ol" and self.counters:
            self.counters.pop()
            self.delimiters.pop()
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(fragment: str) -> tuple[str, set[str]]:
    """The text of an HTML fragment (list numbers included) and the tags it used."""
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.parts), parser.tags


def html_faq(html: str) -> list[tuple[str, str, str, set[str]]]:
    """(number, question, answer text, answer tags) of every question of a screen HTML page."""
    found = []
    for _, number, question, answer in _ARTICLE.findall(html):
        text, tags = html_text(answer)
        found.append((number, unescape(question), text, tags))
    return found


def html_introduction(html: str) -> str:
    """The text of the introduction of a screen HTML page ('' without one)."""
    match = _INTRO.search(html)
    return html_text(match.group(1))[0] if match else ""


def _body_lines(reader: PdfReader, title: str, sections: tuple[str, ...] = ()) -> list[str]:
    """Lines of the body pages without the running head and the footer.

    The running head is the title, then "Introduction" or one of ``sections``.
    """
    parts = "|".join(re.escape(name) for name in ("Introduction", "Introducción", *sections))
    head = re.compile(re.escape(title) + rf"(?: (?:{parts}))?")
    footer = re.compile(r"(?:Page|Página) \d+ (?:of|de) \d+")
    return [line for page, label in zip(reader.pages, reader.page_labels, strict=True)
            if label.isdigit() for line in page.extract_text().splitlines()
            if not (head.fullmatch(line.strip()) or footer.fullmatch(line.strip()))]


def pdf_body_words(reader: PdfReader, title: str, sections: tuple[str, ...] = ()) -> list[str]:
    """Words of the body pages without running heads, footers and list markers.

    Extracted text puts list markers wherever the PDF drew them (after the
    page's text), so lines of markers go before hyphenation at line ends is
    undone; ``pdf_words`` then makes the words comparable.
    """
    lines = [line for line in _body_lines(reader, title, sections)
             if not _MARKERS.fullmatch(line.strip())]
    return pdf_words(re.sub("\u2010\n", "", "\n".join(lines)))


def pdf_list_markers(reader: PdfReader, title: str, sections: tuple[str, ...] = ()) -> list[str]:
    """The ordered-list markers the body pages print, in order ('3.', '4.', ...)."""
    return [marker for line in _body_lines(reader, title, sections)
            if _MARKERS.fullmatch(line.strip())
            for marker in line.split()]


def pdf_words(text: str) -> list[str]:
    """Words as they can be compared with a PDF's extracted text.

    Hyphens go (a PDF writes U+2010 for '-', and a hyphen at a line end is
    indistinguishable from hyphenation), and so do list numbers such as '2.'
    and '2)' (extracted text puts list markers wherever the PDF drew them).
    """
    words = (_HYPHENS.sub("", w) for w in text.split())
    return [w for w in words if w and not _LIST_NUMBER.match(w)]
