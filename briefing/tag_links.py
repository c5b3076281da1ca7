"""Link annotations in the structure tree: one per link, a wrapped link made one element."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .tag_tree import detach, elements, get


def _target(annotation: Any) -> tuple[str, str]:
    """Where a link annotation goes: a named destination or a URI."""
    if "Dest" in annotation:
        return "dest", getattr(annotation["Dest"], "string", str(annotation["Dest"]))
    uri = annotation.get("A", {}).get("URI")
    return "uri", getattr(uri, "string", str(uri))


def _box(annotation: Any) -> tuple[float, float, float, float]:
    """An annotation's Rect as (left, bottom, right, top)."""
    x1, y1, x2, y2 = (float(v) for v in annotation["Rect"])
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


def _objrs(pdf: Any, element: Any) -> list[Any]:
    """The object references (annotations) directly under a structure element."""
    return [kid for kid in element["K"] if isinstance(kid, bytes)
            and get(pdf, kid).get("Type") == "/OBJR"]


def _children(pdf: Any, element: Any) -> list[Any]:
    """The structure elements directly under a structure element."""
    return [get(pdf, kid) for kid in element["K"] if isinstance(kid, bytes)
            and get(pdf, kid).get("Type") == "/StructElem"]


def _in_link(pdf: Any, element: Any) -> bool:
    """Whether a structure element lies inside a Link element."""
    parent = get(pdf, element["P"])
    while parent.get("Type") == "/StructElem":
        if parent["S"] == "/Link":
            return True
        parent = get(pdf, parent["P"])
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
    for candidate in (get(pdf, page), *(pdf.objects[n] for n in pdf.pages["Kids"][::3])):
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


def fold_nested_annotations(pdf: Any, root: Any, nums: Any) -> None:
    """Give each Link element the only annotation of its link.

    WeasyPrint gives every inline box inside a link its own annotation and puts
    it under that box's element: an address kept whole in a span, with a break
    chance at each ``/`` (``<wbr>``), became one annotation per piece, mostly of
    no width, outside any Link element, which PDF/UA forbids. Annotations under
    a Link's descendants that go where the Link goes are dropped; one that covers
    ground the Link's own does not is added to its QuadPoints.
    """
    dropped: set[int] = set()
    for element in elements(pdf, root):
        objrs = _objrs(pdf, element)
        if element["S"] != "/Link" or len(objrs) != 1:
            continue
        kept = get(pdf, get(pdf, objrs[0])["Obj"])
        todo = _children(pdf, element)
        while todo:
            inner = todo.pop()
            for objr in _objrs(pdf, inner):
                annotation = get(pdf, get(pdf, objr)["Obj"])
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


def join_wrapped_links(pdf: Any, root: Any, nums: Any) -> None:
    """Join the Link elements of one wrapped link into the first, with one annotation.

    Two Link elements are one link when they go to the same place on the same page
    and no content is tagged between them (only the elements that hold the next
    line, and what lies inside the links themselves).
    """
    head: tuple[Any, Any, Any] | None = None  # (element, annotation, key)
    replaced: dict[bytes, bytes] = {}
    dropped: set[int] = set()
    for element in elements(pdf, root):
        objrs = _objrs(pdf, element)
        if element["S"] != "/Link" or len(objrs) != 1:
            if element["S"] == "/Link" or (any(isinstance(k, int) for k in element["K"])
                                           and not _in_link(pdf, element)):
                head = None
            continue
        annotation = get(pdf, get(pdf, objrs[0])["Obj"])
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
                get(pdf, kid)["P"] = first.reference
        _cover(kept, annotation)
        _remove_annotation(pdf, annotation, element["Pg"])
        dropped.add(annotation["StructParent"])
        replaced[element.reference] = first.reference
        element["K"].clear()
        detach(pdf, element)
    if replaced:
        _drop_parents(nums, dropped, replaced)
