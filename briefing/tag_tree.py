"""The tagged PDF's structure tree as pydyf holds it: resolve, walk, detach, tidy."""

from __future__ import annotations

from typing import Any


def get(pdf: Any, reference: Any) -> Any:
    """The object a reference (``b"12 0 R"``) or an object number points to."""
    if isinstance(reference, bytes):
        reference = reference.decode()
    return pdf.objects[int(str(reference).split()[0])]


def detach(pdf: Any, element: Any) -> None:
    """Take a structure element out of its parent, and the parent too if it is left empty."""
    parent = get(pdf, element["P"])
    if element.reference in parent.get("K", ()):
        parent["K"].remove(element.reference)
    if parent.get("Type") == "/StructElem" and parent.get("S") != "/Document" \
            and not parent["K"]:
        detach(pdf, parent)


def elements(pdf: Any, root: Any) -> list[Any]:
    """Every structure element under ``root``, in document order."""
    found = []
    todo = list(reversed(root["K"]))
    while todo:
        element = get(pdf, todo.pop())
        found.append(element)
        todo.extend(kid for kid in reversed(element["K"]) if isinstance(kid, bytes)
                    and get(pdf, kid).get("Type") == "/StructElem")
    return found


def list_bodies(pdf: Any, root: Any) -> None:
    """Put what a list item holds besides its label into one LBody element.

    WeasyPrint tags an item of paragraphs (a loose list: ``li > p``) as LI > P,
    and PDF/UA allows only Lbl and LBody in an LI.
    """
    import pydyf

    for element in elements(pdf, root):
        if element["S"] != "/LI":
            continue
        body = None
        kept = pydyf.Array()
        for kid in element["K"]:
            child = get(pdf, kid) if isinstance(kid, bytes) else None
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


def prune_empty(pdf: Any, root: Any) -> None:
    """Take out structure elements that hold nothing: no content, no element, no text of
    their own (WeasyPrint tags a ``<wbr>`` as an empty NonStruct, for one)."""
    for element in reversed(elements(pdf, root)):  # an element's children before it
        if not element["K"] and element.get("S") != "/Document" \
                and "Alt" not in element and "ActualText" not in element:
            detach(pdf, element)
