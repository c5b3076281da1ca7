"""Finish WeasyPrint's tagged PDF: page furniture as artifacts, languages, readable links.

WeasyPrint tags every piece of text it draws, page margins and leader dots
included, and writes no ``/Lang`` below the catalog. :func:`observe` notes, while
WeasyPrint draws, which marked-content id (MCID) each laid-out box received;
:func:`finish` then turns the running heads, page numbers, leaders and
decorative images and watermarks into ``/Artifact`` content (Pagination or Layout; WeasyPrint's
own artifacts, borders and backgrounds, become Layout), takes their
elements out of the structure tree, numbers the remaining MCIDs again from 0 on
each page, puts ``/Lang`` on elements whose language differs from the
document's, and gives internal links a description a screen reader can say.
It then reshapes the structure tree: a link that wraps onto several lines (one
annotation per line from WeasyPrint) becomes one Link element with one
annotation covering each line (QuadPoints), in :mod:`briefing.tag_links`, and a
list item's paragraphs go into its LBody and elements that hold nothing are taken
out, in :mod:`briefing.tag_tree`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .tag_links import fold_nested_annotations, join_wrapped_links
from .tag_tree import detach, get, list_bodies, prune_empty

#: Artifact kinds by the laid-out box they are drawn for.
HEADER = ("/Pagination", "/Header")
FOOTER = ("/Pagination", "/Footer")
PAGINATION = ("/Pagination", None)
LAYOUT = ("/Layout", None)
WATERMARK = ("/Pagination", "/Watermark")


@dataclass
class _Mark:
    """Where one MCID's marked-content operator sits, and what was drawn in it."""

    operators: list[Any]
    index: int
    artifact: tuple[str, str | None] | None
    lang: str | None


@dataclass
class Marks:
    """Every MCID WeasyPrint drew, by page (the page's tag table) and MCID."""

    pages: dict[int, dict[int, _Mark]] = field(default_factory=dict)


def _furniture(document: Any) -> dict[int, tuple[str, str | None]]:
    """Boxes (by ``id``) drawn as page furniture: margin boxes, leaders, decorative images,
    and an element marked ``data-artifact="watermark"`` (a draft's DRAFT on every page)."""
    from weasyprint.formatting_structure import boxes

    found: dict[int, tuple[str, str | None]] = {}

    def mark(box: Any, kind: tuple[str, str | None]) -> None:
        found[id(box)] = kind
        for child in getattr(box, "children", ()):
            mark(child, kind)

    def visit(box: Any) -> None:
        if isinstance(box, boxes.MarginBox):
            keyword = box.at_keyword
            mark(box, HEADER if keyword.startswith("@top") else
                 FOOTER if keyword.startswith("@bottom") else PAGINATION)
            return
        if getattr(box, "is_leader", False):
            mark(box, LAYOUT)
            return
        element = getattr(box, "element", None)
        if element is not None and element.get("data-artifact") == "watermark":
            mark(box, WATERMARK)
            return
        if isinstance(box, boxes.ReplacedBox) and box.element is not None \
                and box.element.get("alt") == "":
            found[id(box)] = LAYOUT
        for child in getattr(box, "children", ()):
            visit(child)

    for page in document.pages:
        visit(page._page_box)
    return found


@contextlib.contextmanager
def observe(document: Any) -> Iterator[Marks]:
    """Note each MCID WeasyPrint gives a box while it writes ``document``.

    WeasyPrint's ``Stream.marked`` is wrapped for the duration of the block only; a
    process writes one PDF at a time (parallel builds use processes, not threads).
    pydyf's ``PDF.page_references`` is remembered meanwhile: WeasyPrint's tagging
    reads it for every structure element, and it lists every page each time (at
    1000 questions, a sixth of the build).
    """
    import pydyf
    from weasyprint.pdf.stream import Stream

    furniture = _furniture(document)
    marks = Marks()
    original = Stream.marked

    @contextlib.contextmanager
    def marked(self: Any, box: Any, tag: str) -> Iterator[None]:
        with original(self, box, tag):
            if self._tags is not None:
                mcid = self._tags[box]["mcid"]
                # begin_marked_content appended: /Tag, {MCID}, BDC.
                marks.pages.setdefault(id(self._tags), {})[mcid] = _Mark(
                    self.stream, len(self.stream) - 3, furniture.get(id(box)),
                    box.style["lang"])
            yield

    listing = pydyf.PDF.page_references
    remembered: dict[int, tuple[int, tuple[bytes, ...]]] = {}

    def page_references(self: Any) -> tuple[bytes, ...]:
        count = len(self.pages["Kids"])  # pages are only ever added
        if remembered.get(id(self), (-1,))[0] != count:
            remembered[id(self)] = (count, listing.fget(self))
        return remembered[id(self)][1]

    Stream.marked = marked
    pydyf.PDF.page_references = property(page_references)
    try:
        yield marks
    finally:
        Stream.marked = original
        pydyf.PDF.page_references = listing


def finish(pdf: Any, marks: Marks, language: str, links: Mapping[str, str]) -> None:
    """Artifacts for furniture, MCIDs renumbered, ``/Lang`` where it differs, link texts."""
    import pydyf

    root = get(pdf, pdf.catalog["StructTreeRoot"])
    nums = get(pdf, root["ParentTree"])["Nums"]
    for index, number in enumerate(pdf.pages["Kids"][::3]):
        page = pdf.objects[number]
        tags = getattr(get(pdf, page["Contents"]), "_tags", None)
        drawn = marks.pages.get(id(tags), {})
        position = 2 * index + 1  # Nums: [0, [page 0's elements], 1, [...], ...]
        old = nums[position]
        new_ids: dict[int, int] = {}
        kept = pydyf.Array()
        for mcid, reference in enumerate(old):
            mark = drawn.get(mcid)
            if mark is not None and mark.artifact is not None:
                kind, subtype = mark.artifact
                properties = pydyf.Dictionary({"Type": kind})
                if subtype:
                    properties["Subtype"] = subtype
                mark.operators[mark.index] = "/Artifact"
                mark.operators[mark.index + 1] = properties
                element = get(pdf, reference)
                element["K"] = pydyf.Array(k for k in element["K"] if k != mcid)
                if not element["K"]:
                    detach(pdf, element)
                continue
            new_ids[mcid] = len(kept)
            kept.append(reference)
            if mark is not None:
                mark.operators[mark.index + 1]["MCID"] = new_ids[mcid]
                if mark.lang and mark.lang.lower() != language.lower():
                    get(pdf, reference)["Lang"] = pydyf.String(mark.lang)
        for reference in dict.fromkeys(kept):
            element = get(pdf, reference)
            element["K"] = pydyf.Array(new_ids[k] if isinstance(k, int) else k
                                       for k in element["K"])
        nums[position] = kept

        for annotation in page.get("Annots", ()):
            annotation = get(pdf, annotation)
            target = getattr(annotation.get("Dest"), "string", None)
            if target in links:
                annotation["Contents"] = pydyf.String(links[target])
    _type_artifacts(pdf)
    fold_nested_annotations(pdf, root, nums)
    join_wrapped_links(pdf, root, nums)
    list_bodies(pdf, root)
    prune_empty(pdf, root)


def _type_artifacts(pdf: Any) -> None:
    """Say what WeasyPrint's untyped artifacts (borders, rules, backgrounds) are: Layout."""
    import pydyf

    for item in pdf.objects:
        operators = getattr(item, "stream", None)
        if not isinstance(item, pydyf.Stream) or b"BMC" not in operators:
            continue
        typed: list[Any] = []
        for operator in operators:
            if operator == b"BMC" and typed and typed[-1] == "/Artifact":
                typed.extend((pydyf.Dictionary({"Type": "/Layout"}), b"BDC"))
            else:
                typed.append(operator)
        item.stream = typed
