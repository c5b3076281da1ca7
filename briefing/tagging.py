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
A link that wraps onto several lines (one annotation per line from WeasyPrint)
becomes one Link element with one annotation covering each line (QuadPoints),
and a list item's paragraphs go into its LBody.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

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


def _get(pdf: Any, reference: Any) -> Any:
    """The object a reference (``b"12 0 R"``) or an object number points to."""
    if isinstance(reference, bytes):
        reference = reference.decode()
    return pdf.objects[int(str(reference).split()[0])]


def _detach(pdf: Any, element: Any) -> None:
    """Take a structure element out of its parent, and the parent too if it is left empty."""
    parent = _get(pdf, element["P"])
    if element.reference in parent.get("K", ()):
        parent["K"].remove(element.reference)
    if parent.get("Type") == "/StructElem" and parent.get("S") != "/Document" \
            and not parent["K"]:
        _detach(pdf, parent)


def finish(pdf: Any, marks: Marks, language: str, links: Mapping[str, str]) -> None:
    """Artifacts for furniture, MCIDs renumbered, ``/Lang`` where it differs, link texts."""
    import pydyf

    root = _get(pdf, pdf.catalog["StructTreeRoot"])
    nums = _get(pdf, root["ParentTree"])["Nums"]
    for index, number in enumerate(pdf.pages["Kids"][::3]):
        page = pdf.objects[number]
        tags = getattr(_get(pdf, page["Contents"]), "_tags", None)
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
                element = _get(pdf, reference)
                element["K"] = pydyf.Array(k for k in element["K"] if k != mcid)
                if not element["K"]:
                    _detach(pdf, element)
                continue
            new_ids[mcid] = len(kept)
            kept.append(reference)
            if mark is not None:
                mark.operators[mark.index + 1]["MCID"] = new_ids[mcid]
                if mark.lang and mark.lang.lower() != language.lower():
                    _get(pdf, reference)["Lang"] = pydyf.String(mark.lang)
        for reference in dict.fromkeys(kept):
            element = _get(pdf, reference)
            element["K"] = pydyf.Array(new_ids[k] if isinstance(k, int) else k
                                       for k in element["K"])
        nums[position] = kept

        for annotation in page.get("Annots", ()):
            annotation = _get(pdf, annotation)
            target = getattr(annotation.get("Dest"), "string", None)
            if target in links:
                annotation["Contents"] = pydyf.String(links[target])
    _type_artifacts(pdf)
    _fold_nested_annotations(pdf, root, nums)
    _join_wrapped_links(pdf, root, nums)
    _list_bodies(pdf, root)


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


def _structure(pdf: Any, root: Any) -> list[Any]:
    """Every structure element under ``root``, in document order."""
    found = []
    todo = list(reversed(root["K"]))
    while todo:
        element = _get(pdf, todo.pop())
        found.append(element)
        todo.extend(kid for kid in reversed(element["K"]) if isinstance(kid, bytes)
                    and _get(pdf, kid).get("Type") == "/StructElem")
    return found


def _target(annotation: Any) -> tuple[str, str]:
    """Where a link annotation goes: a named destination or a URI."""
    if "Dest" in annotation:
        return "dest", getattr(annotation["Dest"], "string", str(annotation["Dest"]))
    uri = annotation.get("A", {}).get("URI")
    return "uri", getattr(uri, "string", str(uri))


def _box(annotation: Any) -> tuple[float, float, float, float]:
    x1, y1, x2, y2 = (float(v) for v in annotation["Rect"])
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


def _list_bodies(pdf: Any, root: Any) -> None:
    """Put what a list item holds besides its label into one LBody element.

    WeasyPrint tags an item of paragraphs (a loose list: ``li > p``) as LI > P,
    and PDF/UA allows only Lbl and LBody in an LI.
    """
    import pydyf

    for element in _structure(pdf, root):
        if element["S"] != "/LI":
            continue
        body = None
        kept = pydyf.Array()
        for kid in element["K"]:
            child = _get(pdf, kid) if isinstance(kid, bytes) else None
            if child is None or child.get("Type") != "/StructElem" \
                    or child["S"] in ("/Lbl", "/LBody"):
                kept.append(kid)
                continue
            if body is None:
                body = pydyf.Dictionary({"Type": "/StructElem", "S": "/LBody",
                                         "P": element.reference, "K": pydyf.Array()})
                pdf.add_object(body)
                kept.append(body.reference)
            body["K"].append(kid)
            child["P"] = body.reference
        element["K"] = kept


def _objrs(pdf: Any, element: Any) -> list[Any]:
    """The object references (annotations) directly under a structure element."""
    return [kid for kid in element["K"] if isinstance(kid, bytes)
            and _get(pdf, kid).get("Type") == "/OBJR"]


def _children(pdf: Any, element: Any) -> list[Any]:
    """The structure elements directly under a structure element."""
    return [_get(pdf, kid) for kid in element["K"] if isinstance(kid, bytes)
            and _get(pdf, kid).get("Type") == "/StructElem"]


def _in_link(pdf: Any, element: Any) -> bool:
    """Whether a structure element lies inside a Link element."""
    parent = _get(pdf, element["P"])
    while parent.get("Type") == "/StructElem":
        if parent["S"] == "/Link":
            return True
        parent = _get(pdf, parent["P"])
    return False


def _cover(kept: Any, other: Any) -> None:
    """Make the annotation ``kept`` also cover the area of ``other`` (QuadPoints, Rect)."""
    import pydyf

    first, (x1, y1, x2, y2) = _box(kept), _box(other)
    quads = list(kept.get("QuadPoints", ())) or \
        [v for a1, b1, a2, b2 in [first] for v in (a1, b2, a2, b2, a1, b1, a2, b1)]
    kept["QuadPoints"] = pydyf.Array([*quads, x1, y2, x2, y2, x1, y1, x2, y1])
    kept["Rect"] = pydyf.Array([min(first[0], x1), min(first[1], y1),
                                max(first[2], x2), max(first[3], y2)])


def _remove_annotation(pdf: Any, annotation: Any, page: Any) -> None:
    """Take an annotation off its page (``page`` first, any page if it is not there)."""
    for candidate in (_get(pdf, page), *(pdf.objects[n] for n in pdf.pages["Kids"][::3])):
        if annotation.reference in candidate.get("Annots", ()):
            candidate["Annots"].remove(annotation.reference)
            return


def _drop_parents(nums: Any, dropped: set[int], replaced: Mapping[bytes, bytes]) -> None:
    """Remove the parent-tree entries of dropped annotations; point to joined elements."""
    import pydyf

    pairs = []
    for key, value in zip(nums[::2], nums[1::2], strict=True):
        if key in dropped:
            continue
        if isinstance(value, list):
            value = pydyf.Array(replaced.get(v, v) for v in value)
        pairs.extend((key, value))
    nums[:] = pairs


def _fold_nested_annotations(pdf: Any, root: Any, nums: Any) -> None:
    """Give each Link element the only annotation of its link.

    WeasyPrint gives every inline box inside a link its own annotation and puts
    it under that box's element: an address kept whole in a span, with a break
    chance at each ``/`` (``<wbr>``), became one annotation per piece, mostly of
    no width, outside any Link element, which PDF/UA forbids. Annotations under
    a Link's descendants that go where the Link goes are dropped; one that covers
    ground the Link's own does not is added to its QuadPoints.
    """
    dropped: set[int] = set()
    for element in _structure(pdf, root):
        objrs = _objrs(pdf, element)
        if element["S"] != "/Link" or len(objrs) != 1:
            continue
        kept = _get(pdf, _get(pdf, objrs[0])["Obj"])
        todo = _children(pdf, element)
        while todo:
            inner = todo.pop()
            for objr in _objrs(pdf, inner):
                annotation = _get(pdf, _get(pdf, objr)["Obj"])
                if _target(annotation) != _target(kept):
                    continue
                x1, y1, x2, y2 = _box(annotation)
                if x2 > x1 and y2 > y1 and (x1, y1, x2, y2) != _box(kept):
                    _cover(kept, annotation)
                inner["K"].remove(objr)
                _remove_annotation(pdf, annotation, element["Pg"])
                dropped.add(annotation["StructParent"])
            todo.extend(_children(pdf, inner))
    if dropped:
        _drop_parents(nums, dropped, {})


def _join_wrapped_links(pdf: Any, root: Any, nums: Any) -> None:
    """Join the Link elements of one wrapped link into the first, with one annotation.

    Two Link elements are one link when they go to the same place on the same page
    and no content is tagged between them (only the elements that hold the next
    line, and what lies inside the links themselves).
    """
    head: tuple[Any, Any, Any] | None = None  # (element, annotation, key)
    replaced: dict[bytes, bytes] = {}
    dropped: set[int] = set()
    for element in _structure(pdf, root):
        objrs = _objrs(pdf, element)
        if element["S"] != "/Link" or len(objrs) != 1:
            if element["S"] == "/Link" or (any(isinstance(k, int) for k in element["K"])
                                           and not _in_link(pdf, element)):
                head = None
            continue
        annotation = _get(pdf, _get(pdf, objrs[0])["Obj"])
        key = (_target(annotation), element["Pg"])
        if head is None or head[2] != key:
            head = (element, annotation, key)
            continue
        first, kept, _ = head
        for kid in element["K"]:
            if isinstance(kid, int):
                first["K"].append(kid)
            elif kid not in objrs:
                first["K"].append(kid)
                _get(pdf, kid)["P"] = first.reference
        _cover(kept, annotation)
        _remove_annotation(pdf, annotation, element["Pg"])
        dropped.add(annotation["StructParent"])
        replaced[element.reference] = first.reference
        element["K"].clear()
        _detach(pdf, element)
    if replaced:
        _drop_parents(nums, dropped, replaced)
