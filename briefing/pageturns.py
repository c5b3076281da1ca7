"""No word split across a page turn: find pages whose last line ends with an added hyphen.

CSS has ``hyphenate-limit-last: page`` for this, which WeasyPrint does not
implement, and a line cannot know it is a page's last while it is set. So the
body is laid out, the pages whose last line of text ends with the hyphen
WeasyPrint added are found, and each paragraph that breaks there is asked to
carry one more line over to the next page (a larger ``widows``, set on the
element of the parsed document), and the body is laid out again: the page then
ends a line earlier, on a whole word. The second layout happens only when a page
needs it, and a few rounds at most.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

#: Layouts after the first, at most: each may move later breaks.
ROUNDS = 2


def _lines(box: Any) -> Iterator[Any]:
    """The line boxes of a page's flow, in order (not its margins or its footnotes)."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, (boxes.MarginBox, boxes.FootnoteAreaBox)):
        return
    if isinstance(box, boxes.LineBox):
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from _lines(child)


def _text(box: Any) -> str:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        return box.text
    return "".join(_text(child) for child in getattr(box, "children", ()))


def split_words(document: Any) -> list[tuple[Any, int]]:
    """For each page ending inside a word: the paragraph's element, and how many of its
    lines the next page holds."""
    found = []
    pages = document.pages
    for page, following in zip(pages, pages[1:], strict=False):
        lines = list(_lines(page._page_box))
        if not lines:
            continue
        last = lines[-1]
        hyphen = last.style["hyphenate_character"]
        element = getattr(last, "element", None)
        if not hyphen or element is None or not _text(last).rstrip().endswith(hyphen):
            continue
        carried = sum(1 for line in _lines(following._page_box)
                      if getattr(line, "element", None) is element)
        found.append((element, carried))
    return found


def settle(document: Any, layout: Callable[[], Any]) -> Any:
    """The document laid out again, by ``layout``, until no page ends inside a word
    (or :data:`ROUNDS` more layouts have been made)."""
    for _ in range(ROUNDS):
        split = split_words(document)
        if not split:
            break
        for element, carried in split:
            style = element.get("style", "")
            element.set("style", f"{style}; widows: {carried + 1}".lstrip("; "))
        document = layout()
    return document
