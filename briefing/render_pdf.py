"""Lay out the briefing with WeasyPrint: the body once, then the front matter with its numbers.

The contents needs the page of every heading. Rather than let WeasyPrint resolve
``target-counter()`` (which lays the whole document out again), the body is laid
out alone, each anchor's page is read from the laid-out pages, and only the short
front matter (cover and contents) is laid out with those numbers as plain text; a
briefing with neither (a handout) is the body alone. A body in which a page ends
inside a word is laid out again (see ``pageturns``).
Printed on both sides (``sides: two``), front matter of an odd number of pages
gets a blank page, so that the body starts on a right-hand page.
The two page lists are then joined into one document: links and bookmarks are
resolved across all pages when the PDF is written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from weasyprint import HTML, Document
from weasyprint.text.fonts import FontConfiguration

from . import fonts, pageturns
from .fetch import Refusal, RestrictedFetcher
from .model import Briefing
from .options import PAPER_SIZES, Options
from .render_html import render_body, render_front


@dataclass
class Rendering:
    """A laid-out briefing: the joined document and where its parts start."""

    document: Document
    front_pages: int
    body_pages: int
    pages: dict[str, int]
    fingerprint: bytes
    refused: list[Refusal] = field(default_factory=list)
    # The partial documents own the font configuration the joined one draws with.
    _keep: tuple[Document, ...] = ()


def _anchor_pages(document: Document) -> dict[str, int]:
    """Map each anchor to the 1-based page it first appears on."""
    found: dict[str, int] = {}
    for index, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            found.setdefault(anchor, index)
    return found


def render(briefing: Briefing, options: Options) -> Rendering:
    """Lay out the briefing: body first, then cover and contents with the body's page numbers."""
    source_dir = Path(briefing.path).resolve().parent
    fetcher = RestrictedFetcher(
        (*options.search_path, *fonts.font_dirs()), (source_dir,),
        allow_remote=options.allow_remote,
    )
    font_config = FontConfiguration()
    base_url = source_dir.as_uri() + "/"

    body_html = render_body(briefing, options)
    body = HTML(string=body_html, base_url=base_url, url_fetcher=fetcher)
    body_doc = pageturns.settle(body.render(font_config=font_config),
                                lambda: body.render(font_config=font_config))
    pages = _anchor_pages(body_doc)
    if not (briefing.with_cover or briefing.with_contents):
        # No front matter: laying out an empty front document would add a blank page.
        return Rendering(document=body_doc, front_pages=0, body_pages=len(body_doc.pages),
                         pages=pages, fingerprint=hashlib.sha256(body_html.encode()).digest(),
                         refused=fetcher.refused)
    labels = {anchor: str(number) for anchor, number in pages.items()}
    front_html = render_front(briefing, options, labels)
    front_doc = HTML(string=front_html, base_url=base_url, url_fetcher=fetcher).render(
        font_config=font_config
    )

    front = list(front_doc.pages)
    keep = (front_doc, body_doc)
    if briefing.two_sided and len(front) % 2:
        blank_doc = _blank(PAPER_SIZES[options.paper_for(briefing)], font_config)
        front.append(blank_doc.pages[0])
        keep += (blank_doc,)
    joined = front_doc.copy([*front, *body_doc.pages])
    return Rendering(
        document=joined,
        front_pages=len(front),
        body_pages=len(body_doc.pages),
        pages=pages,
        fingerprint=hashlib.sha256((front_html + body_html).encode()).digest(),
        refused=fetcher.refused,
        _keep=keep,
    )


def _blank(paper: str, font_config: FontConfiguration) -> Document:
    """One page of ``paper`` with nothing on it: no text, no running head, no page number."""
    html = f"<!DOCTYPE html><style>@page {{ size: {paper}; margin: 0 }}</style>"
    return HTML(string=html).render(font_config=font_config)
