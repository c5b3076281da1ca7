"""Where a page keeps its questions: structured data, ``<details>``, or question headings.

Each finder returns the questions it found, in page order, with their answers
already in Markdown, their positions in the page and the section heading they
fall under. The page has been cleaned first (:func:`clean`): what a reader of
the page never sees is gone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, CData, Comment, Declaration, Doctype, ProcessingInstruction, Tag

from ..check import reads_as_question
from ..errors import Diagnostic, SourceError
from .html_markdown import MAX_DEPTH, depth_at, to_markdown
from .jsonld import Entry

#: Elements that are never text of the page: code, media, frames, form controls, furniture.
_INERT = ("script", "style", "template", "noscript", "iframe", "frame", "frameset", "svg",
          "math", "object", "embed", "canvas", "audio", "video", "input", "select",
          "textarea", "nav", "footer", "aside", "dialog")
_HIDDEN_ROLES = {"dialog", "alertdialog", "navigation", "banner", "contentinfo", "complementary"}
_BANNER = re.compile(r"cookie|consent|gdpr", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\n\r\f]+")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@dataclass(frozen=True)
class Found:
    """A question as found on the page."""

    question: str
    answer: str
    line: int
    column: int
    answer_line: int
    answer_column: int
    section: str | None = None


def text_of(tag: Tag) -> str:
    """The text of an element as a browser shows it: runs of white space are one space."""
    return _SPACE.sub(" ", tag.get_text()).strip()


def _hidden(tag: Tag) -> bool:
    names = " ".join([str(tag.get("id") or ""), *(tag.get("class") or [])])
    return (tag.has_attr("hidden") or str(tag.get("aria-hidden")).lower() == "true"
            or bool(_HIDDEN_STYLE.search(str(tag.get("style") or "")))
            or str(tag.get("role") or "").lower() in _HIDDEN_ROLES or bool(_BANNER.search(names))
            or tag.name == "button" and not tag.find_parent([*_HEADINGS, "summary"]))


def clean(soup: BeautifulSoup) -> None:
    """Drop what a reader never sees: scripts, media, controls, hidden parts, comments."""
    for tag in soup.find_all(_INERT):
        if tag.parent is not None:
            tag.decompose()
    for tag in soup.find_all(True):
        if tag.parent is not None and _hidden(tag):
            tag.decompose()
    for node in soup.find_all(string=lambda s: isinstance(
            s, (Comment, CData, Declaration, Doctype, ProcessingInstruction))):
        node.extract()


def content(soup: BeautifulSoup) -> Tag:
    """The part of the page that holds its content: main, else the article, else the body."""
    for found in (soup.find("main"), soup.find(attrs={"role": "main"}), soup.find("article")):
        if isinstance(found, Tag):
            return found
    body = soup.find("body")
    root = body if isinstance(body, Tag) else soup
    for header in root.find_all("header"):
        if header.parent is not None and not header.find_parent(["article", "section"]):
            header.decompose()
    return root


def _where(tag: Tag, at: tuple[int, int], inner: bool) -> tuple[int, int]:
    """Where an element is in the page; ``at`` for one of an answer held in structured data."""
    if inner or tag.sourceline is None:
        return at
    return tag.sourceline, (tag.sourcepos or 0) + 1


def _answer(container: Tag, path: str, base: str | None, at: tuple[int, int],
            diagnostics: list[Diagnostic], inner: bool) -> str:
    """The Markdown of an answer held by ``container``; images are reported as left out.

    ``inner``: the answer was HTML inside structured data, whose positions are its own.
    """
    deep = depth_at(container)
    if deep is not None:
        raise SourceError.at(path, *_where(deep, at, inner),
                             f"elements nest deeper than {MAX_DEPTH} levels in an answer")
    for image in container.find_all("img"):
        alt = " ".join(str(image.get("alt") or "").split())
        if alt:
            diagnostics.append(Diagnostic(path, *_where(image, at, inner),
                                          f"image left out (its text: '{alt}')", "warning"))
    return to_markdown(container, base)


def _start(nodes: list, fallback: tuple[int, int]) -> tuple[int, int]:
    """Where the first element of an answer starts (else ``fallback``)."""
    for node in nodes:
        if isinstance(node, Tag) and node.sourceline is not None:
            return node.sourceline, (node.sourcepos or 0) + 1
    return fallback


def _found(question: str, nodes: list, at: tuple[int, int], path: str, base: str | None,
           diagnostics: list[Diagnostic], section: str | None, inner: bool = False) -> Found:
    holder = BeautifulSoup("", "html.parser")
    container = holder.new_tag("div")
    for node in nodes:
        container.append(node.extract())
    answer = _answer(container, path, base, at, diagnostics, inner)
    answer_at = at if inner else _start(nodes, at)
    return Found(question, answer, at[0], at[1], answer_at[0], answer_at[1], section)


def by_jsonld(entries: list[Entry], path: str, base: str | None,
              diagnostics: list[Diagnostic]) -> list[Found]:
    """The questions of the page's FAQPage structured data; answers are HTML."""
    found = []
    for entry in entries:
        soup = BeautifulSoup(entry.answer, "html.parser")
        clean(soup)
        at = (entry.line, entry.column)
        found.append(_found(_SPACE.sub(" ", entry.question).strip(), list(soup.contents), at,
                            path, base, diagnostics, None, inner=True))
    return found


def _section(tag: Tag, levels: tuple[str, ...]) -> str | None:
    """The title a heading gives a section, or None when it is not a section heading."""
    text = text_of(tag)
    return text if tag.name in levels and text and not reads_as_question(text) else None


def by_details(root: Tag, path: str, base: str | None, diagnostics: list[Diagnostic], *,
               flat: bool = False) -> list[Found]:
    """Each outermost ``<details>``: its summary is the question, the rest the answer."""
    found: list[Found] = []
    section = None
    outermost = [tag for tag in root.find_all(["details", "h2", "h3"])
                 if not tag.find_parent("details")]
    for tag in outermost:
        if tag.name != "details":
            section = _section(tag, ("h2", "h3")) or section
            continue
        summary = tag.find("summary")
        question = text_of(summary) if isinstance(summary, Tag) else ""
        if not question:
            continue
        nodes = [child for child in tag.contents if child is not summary]
        at = (summary.sourceline or 0, (summary.sourcepos or 0) + 1)
        found.append(_found(question, nodes, at, path, base, diagnostics, section))
    return found


def _ends(node: object, level: int) -> bool:
    """Whether a node is or holds a heading that ends an answer under a heading of ``level``."""
    if not isinstance(node, Tag):
        return False
    headings = [node] if node.name in _HEADINGS else node.find_all(_HEADINGS)
    return any(int(h.name[1]) <= level or reads_as_question(text_of(h)) for h in headings)


def by_headings(root: Tag, path: str, base: str | None, diagnostics: list[Diagnostic], *,
                flat: bool = False) -> list[Found]:
    """h2-h4 headings ending in '?': each answer runs up to the next heading of its level."""
    questions = [h for h in root.find_all(["h2", "h3", "h4"]) if reads_as_question(text_of(h))]
    if not questions:
        return []
    asked = {id(h) for h in questions}
    top = min(int(h.name[1]) for h in questions)
    levels = tuple(f"h{n}" for n in (2, 3) if n < top)
    found: list[Found] = []
    section = None
    for tag in root.find_all(_HEADINGS):
        if id(tag) not in asked:
            section = _section(tag, levels) or section
            continue
        level = int(tag.name[1])
        nodes = []
        for sibling in tag.next_siblings:
            if _ends(sibling, level):
                break
            nodes.append(sibling)
        at = (tag.sourceline or 0, (tag.sourcepos or 0) + 1)
        found.append(_found(text_of(tag), nodes, at, path, base, diagnostics, section))
    return found
