"""XMP metadata that agrees with the Info dictionary, and the PDF/UA claim inside it.

WeasyPrint writes an XMP packet for PDF/A (the ``pdfaid`` claim, title,
producer...). Validators read only its first ``rdf:RDF``, so the PDF/UA claim
and everything else go into that same RDF: the values a briefing sets replace
WeasyPrint's, and ``pdfuaid`` comes with the PDF/A extension schema that
declares it (PDF/A allows only declared schemas). Dates are the briefing's
``date`` at midnight UTC, never the clock.
"""

from __future__ import annotations

import datetime
from typing import Any
from xml.etree import ElementTree

from .model import Briefing

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: The properties this module writes, which replace any WeasyPrint wrote.
_OWNED = ("dc:title", "dc:creator", "dc:description", "dc:language", "pdf:Keywords",
          "pdf:Producer", "xmp:CreatorTool", "xmp:CreateDate", "xmp:ModifyDate",
          "xmp:MetadataDate", "pdfuaid:part")


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _sub(parent: ElementTree.Element, name: str, text: str | None = None,
         **attrib: str) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, _q(name), attrib)
    element.text = text
    return element


def timestamp(briefing: Briefing) -> datetime.datetime | None:
    """The moment the PDF says it was made: the briefing's date at 00:00 UTC, if it has one."""
    if briefing.date is None:
        return None
    return datetime.datetime.combine(briefing.date, datetime.time(), datetime.timezone.utc)


def pdf_date(moment: datetime.datetime) -> str:
    """A PDF date string (ISO 32000-1, 7.9.4) in UTC."""
    return moment.strftime("D:%Y%m%d%H%M%S+00'00'")


def described(briefing: Briefing) -> dict[str, str]:
    """What a PDF's document information says of a briefing: title, authors, subject, keywords."""
    entries = {"Title": briefing.document_title}
    if briefing.authors:
        entries["Author"] = ", ".join(briefing.authors)
    if briefing.subtitle:
        entries["Subject"] = briefing.subtitle
    if briefing.category:
        entries["Keywords"] = briefing.category
    return entries


def info(briefing: Briefing, producer: str, creator: str) -> dict[str, str]:
    """The Info dictionary's text entries, from the same values the XMP is written from."""
    entries = {**described(briefing), "Producer": producer, "Creator": creator}
    moment = timestamp(briefing)
    if moment is not None:
        entries["CreationDate"] = entries["ModDate"] = pdf_date(moment)
    return entries


def _extension_schema(parent: ElementTree.Element) -> None:
    """Declare the pdfuaid schema, which PDF/A does not predefine."""
    schemas = _sub(_sub(parent, "pdfaExtension:schemas"), "rdf:Bag")
    schema = _sub(schemas, "rdf:li", **{_q("rdf:parseType"): "Resource"})
    _sub(schema, "pdfaSchema:schema", "PDF/UA Universal Accessibility Schema")
    _sub(schema, "pdfaSchema:namespaceURI", NS["pdfuaid"])
    _sub(schema, "pdfaSchema:prefix", "pdfuaid")
    properties = _sub(_sub(schema, "pdfaSchema:property"), "rdf:Seq")
    part = _sub(properties, "rdf:li", **{_q("rdf:parseType"): "Resource"})
    _sub(part, "pdfaProperty:name", "part")
    _sub(part, "pdfaProperty:valueType", "Integer")
    _sub(part, "pdfaProperty:category", "internal")
    _sub(part, "pdfaProperty:description", "Part of ISO 14289 the file conforms to")


def rewrite(packet: bytes, briefing: Briefing, producer: str, creator: str,
            ua_part: int | None) -> bytes:
    """Return the XMP ``packet`` with the briefing's metadata and, if given, the PDF/UA claim."""
    head, _, rest = packet.partition(b"<rdf:RDF")
    body, _, tail = rest.partition(b"</rdf:RDF>")
    for prefix, uri in NS.items():
        ElementTree.register_namespace(prefix, uri)
    rdf = ElementTree.fromstring(b"<rdf:RDF" + body + b"</rdf:RDF>")
    owned = {_q(name) for name in _OWNED}
    for description in list(rdf):
        for key in [k for k in description.attrib if k in owned]:
            del description.attrib[key]
        for child in [c for c in description if c.tag in owned]:
            description.remove(child)
        if not len(description) and set(description.attrib) <= {_q("rdf:about")}:
            rdf.remove(description)

    mine = _sub(rdf, "rdf:Description", **{_q("rdf:about"): ""})
    alt = _sub(_sub(mine, "dc:title"), "rdf:Alt")
    _sub(alt, "rdf:li", briefing.document_title, **{_XML_LANG: "x-default"})
    if briefing.authors:
        seq = _sub(_sub(mine, "dc:creator"), "rdf:Seq")
        for author in briefing.authors:
            _sub(seq, "rdf:li", author)
    if briefing.subtitle:
        alt = _sub(_sub(mine, "dc:description"), "rdf:Alt")
        _sub(alt, "rdf:li", briefing.subtitle, **{_XML_LANG: "x-default"})
    _sub(_sub(_sub(mine, "dc:language"), "rdf:Bag"), "rdf:li", briefing.language)
    if briefing.category:
        _sub(mine, "pdf:Keywords", briefing.category)
    _sub(mine, "pdf:Producer", producer)
    _sub(mine, "xmp:CreatorTool", creator)
    moment = timestamp(briefing)
    if moment is not None:
        for name in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
            _sub(mine, name, moment.isoformat())
    if ua_part is not None:
        _sub(mine, "pdfuaid:part", str(ua_part))
        _extension_schema(_sub(rdf, "rdf:Description", **{_q("rdf:about"): ""}))
    return head + ElementTree.tostring(rdf, encoding="utf-8", xml_declaration=False) + tail


def claims(packet: bytes) -> dict[str, Any]:
    """The conformance claims an XMP packet makes: {'pdfaid:part': '3', ...}."""
    found: dict[str, Any] = {}
    start, end = packet.find(b"<rdf:RDF"), packet.find(b"</rdf:RDF>")
    rdf = ElementTree.fromstring(packet[start:end + len(b"</rdf:RDF>")])
    for description in rdf:
        for name in ("pdfaid:part", "pdfaid:conformance", "pdfuaid:part"):
            value = description.get(_q(name))
            child = description.find(_q(name))
            if child is not None:
                value = child.text
            if value is not None:
                found[name] = value
    return found
