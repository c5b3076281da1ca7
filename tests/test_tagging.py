"""Tagged PDF/UA-1 and PDF/A-3u: structure, artifacts, languages, links, metadata, attachments.

These read the PDFs' objects with pikepdf; veraPDF (``tools/verapdf/run``, in CI)
checks the same files against the full rule sets.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
import yaml
from conftest import DATA, EXAMPLE, PIXEL, Built, build_once

from briefing.build import build
from briefing.check import check
from briefing.load import load
from briefing.options import Options

BILINGUAL = """\
title: Bilingual briefing
language: en
date: 2026-11-27
sections:
  - title: La parte en español
    language: es
    questions:
      - question: ¿Qué documentos necesito para el trámite?
        answer: |
          Un documento de identidad y un justificante de domicilio, como un contrato.

          ![Mapa de las oficinas del condado](pixel.png) ![-](pixel.png)
        sources:
          - Reglamento de Población y Demarcación Territorial
      - language: en
        question: And in English, what is needed for this?
        answer: |
          An identity document and proof of address, such as a rental contract or a bill.
  - title: The English part
    questions:
      - question: What is the register used for in daily life?
        answer: |
          It proves where you live, for school places, health care and voting registration.
"""


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A briefing with a Spanish section, an English question inside it, and two images."""
    folder = tmp_path_factory.mktemp("bilingual-src")
    (folder / "pixel.png").write_bytes(PIXEL)
    source = folder / "bilingual.yaml"
    source.write_text(BILINGUAL, encoding="utf-8")
    return build_once(source, tmp_path_factory.mktemp("bilingual"), attach_source=True)


@pytest.fixture(scope="module")
def addresses(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A briefing that prints addresses that wrap, as links and as link texts, and lists
    whose items hold paragraphs."""
    return build_once(DATA / "addresses-en.yaml", tmp_path_factory.mktemp("addresses"))


def test_a_wrapped_address_is_one_link_with_one_annotation(addresses: Built) -> None:
    pdf = _open(addresses)
    body = pdf.pages[2]  # the first page of the body
    targets = Counter(str(a.A.URI) for a in body.obj.get("/Annots", []) if "/A" in a)
    # Each address once, however many lines and break chances it has.
    assert targets == Counter([
        "https://revisor.mo.gov/main/OneSection.aspx?section=535.300&bid=29047&hl=landlord",
        "https://revisor.mo.gov/main/OneSection.aspx?section=535.300",
        "mailto:help@clinic.example.org"])
    wrapped = next(a for a in body.obj.Annots if "hl=landlord" in str(a.A.URI))
    assert len(wrapped.QuadPoints) == 16  # two lines: two quadrilaterals


def _open(built: Built) -> pikepdf.Pdf:
    return pikepdf.open(built.pdf_path)


def _elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element, in document order."""
    found = []

    def visit(node: object) -> None:
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            found.append(node)
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                visit(kid)

    for kid in pdf.Root.StructTreeRoot.K:
        visit(kid)
    return found


def _marked(page: pikepdf.Page) -> list[tuple[tuple[str, ...], str]]:
    """Each text-showing operator with the stack of marked-content tags around it.

    A tag is ``MCID`` for tagged content, else the artifact's /Type (or ``Artifact``).
    """
    stack: list[str] = []
    shown = []
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op in ("BDC", "BMC"):
            props = operands[1] if op == "BDC" else None
            if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                stack.append("MCID")
            elif str(operands[0]) == "/Artifact":
                kind = props.get("/Type") if isinstance(props, pikepdf.Dictionary) else None
                stack.append(str(kind) if kind is not None else "Artifact")
            else:
                stack.append(str(operands[0]))
        elif op == "EMC":
            stack.pop()
        elif op in ("Tj", "TJ", "'", '"'):
            shown.append((tuple(stack), op))
    return shown


@pytest.mark.parametrize("name", ["example", "spanish"])
def test_the_pdf_is_tagged_in_its_language(name: str, request: pytest.FixtureRequest) -> None:
    built: Built = request.getfixturevalue(name)
    source = EXAMPLE if name == "example" else DATA / "flat-es.yaml"
    language = yaml.safe_load(source.read_text(encoding="utf-8")).get("language", "en")
    pdf = _open(built)
    assert pdf.Root.StructTreeRoot.Type == "/StructTreeRoot"
    assert pdf.Root.MarkInfo.Marked is True
    assert str(pdf.Root.Lang) == language
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    for page in pdf.pages:
        if "/Annots" in page.obj:
            assert page.obj.Tabs == "/S"


@pytest.mark.parametrize("name", ["example", "spanish", "addresses"])
def test_every_link_annotation_is_inside_a_link_element(
    name: str, request: pytest.FixtureRequest
) -> None:
    pdf = _open(request.getfixturevalue(name))
    in_links = set()
    for element in _elements(pdf):
        for kid in element.K if isinstance(element.K, pikepdf.Array) else [element.K]:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                assert element.S == "/Link"
                in_links.add(kid.Obj.objgen)
    annotations = [a for page in pdf.pages for a in page.obj.get("/Annots", [])]
    assert annotations
    assert {a.objgen for a in annotations} == in_links
    parents = dict(pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree).items())
    for annotation in annotations:
        element = parents[annotation.StructParent]
        assert element.S == "/Link"
        assert annotation.objgen in [k.Obj.objgen for k in element.K
                                     if isinstance(k, pikepdf.Dictionary) and "/Obj" in k]
    # Nothing else in the parent tree: one entry per page and per annotation.
    assert sorted(parents) == sorted([p.obj.StructParents for p in pdf.pages]
                                     + [a.StructParent for a in annotations])


def test_contents_links_only_the_titles_and_says_where_they_go(example: Built) -> None:
    pdf = _open(example)
    briefing = load(EXAMPLE)
    titles = {f"{s.number} {s.title}" for s in briefing.sections}
    titles |= {f"{q.number} {q.question}" for q in briefing.questions}
    labels = example.reader.page_labels
    named = example.reader.named_destinations
    said = []
    for annotation in pdf.pages[1].obj.Annots:
        target = str(annotation.Dest)
        page = labels[example.reader.get_destination_page_number(named[target])]
        title, _, printed = str(annotation.Contents).rpartition(", page ")
        assert title in titles and printed == page
        said.append(title)
    assert sorted(said) == sorted(titles)  # one annotation per entry, wrapped or not
    wrapped = [a for a in pdf.pages[1].obj.Annots if "/QuadPoints" in a]
    assert wrapped and all(len(a.QuadPoints) % 8 == 0 for a in wrapped)


@pytest.fixture(scope="module")
def handout(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A flat handout: a title block and questions, no contents page between them."""
    return build_once(DATA / "handout-en.yaml", tmp_path_factory.mktemp("handout"))


@pytest.mark.parametrize("name", ["example", "spanish", "addresses"])
def test_list_items_hold_a_label_and_a_body_only(name: str, request: pytest.FixtureRequest,
                                                 ) -> None:
    pdf = _open(request.getfixturevalue(name))
    items = [e for e in _elements(pdf) if e.S == "/LI"]
    assert items
    for item in items:
        kids = item.K if isinstance(item.K, pikepdf.Array) else [item.K]
        assert [str(k.S) for k in kids] in (["/Lbl", "/LBody"], ["/LBody"]), item.objgen
        for kid in kids:
            assert kid.P.objgen == item.objgen


@pytest.mark.parametrize("name", ["example", "spanish", "addresses"])
def test_every_structure_element_holds_something(name: str,
                                                 request: pytest.FixtureRequest) -> None:
    # An empty element (WeasyPrint's tag for a <wbr>, for one) is noise to a screen reader.
    pdf = _open(request.getfixturevalue(name))
    empty = [e.S for e in _elements(pdf) if "/Alt" not in e and "/ActualText" not in e
             and (e.get("/K") is None or isinstance(e.K, pikepdf.Array) and len(e.K) == 0)]
    assert empty == []


@pytest.mark.parametrize("name", ["example", "spanish", "handout"])
def test_headings_never_skip_a_level(name: str, request: pytest.FixtureRequest) -> None:
    pdf = _open(request.getfixturevalue(name))
    levels = [int(str(e.S)[2:]) for e in _elements(pdf) if re.fullmatch(r"/H\d", str(e.S))]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels


@pytest.mark.parametrize("name", ["example", "spanish", "addresses"])
def test_all_text_is_tagged_or_an_artifact_and_the_parent_tree_has_no_strays(
    name: str, request: pytest.FixtureRequest
) -> None:
    pdf = _open(request.getfixturevalue(name))
    parents = dict(pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree).items())
    for index, page in enumerate(pdf.pages):
        assert all(stack for stack, _ in _marked(page)), index
        mcids = [props.MCID for operands, op in pikepdf.parse_content_stream(page)
                 if str(op) == "BDC" and isinstance(props := operands[1], pikepdf.Dictionary)
                 and "/MCID" in props]
        assert sorted(mcids) == list(range(len(mcids))), index
        elements = parents[page.obj.StructParents]
        assert len(elements) == len(mcids), index
        for mcid, element in enumerate(elements):
            kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
            assert mcid in [int(k) for k in kids if isinstance(k, int)], (index, mcid)


def test_running_heads_page_numbers_and_leaders_are_artifacts(example: Built) -> None:
    pdf = _open(example)
    entries = len(load(EXAMPLE).sections) + len(load(EXAMPLE).questions)
    contents = Counter(stack[-1] for stack, _ in _marked(pdf.pages[1]))
    assert contents["/Layout"] >= entries  # at least one leader dot each
    assert contents["/Pagination"] == 1  # the roman page number
    for page in pdf.pages[2:]:
        furniture = Counter(stack[-1] for stack, _ in _marked(page))
        assert furniture["/Pagination"] >= 2  # the running head and "Page N of M"
    body = pdf.pages[2].obj.Contents.read_bytes()
    assert b"/Subtype /Header" in body and b"/Subtype /Footer" in body


def test_every_artifact_says_what_it_is(example: Built) -> None:
    pdf = _open(example)
    kinds = Counter()
    for page in pdf.pages:
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) in ("BMC", "BDC") and str(operands[0]) == "/Artifact":
                props = operands[1] if str(operator) == "BDC" else {}
                kinds[str(props.get("/Type"))] += 1
    assert set(kinds) == {"/Pagination", "/Layout"}, kinds


def test_xmp_claims_pdfa_3u_and_pdfua_1_and_agrees_with_info(spanish: Built) -> None:
    pdf = _open(spanish)
    source = yaml.safe_load((DATA / "flat-es.yaml").read_text(encoding="utf-8"))
    meta = pdf.open_metadata()
    assert (meta["pdfaid:part"], meta["pdfaid:conformance"], meta["pdfuaid:part"]) == \
        ("3", "U", "1")
    assert meta["dc:title"] == str(pdf.docinfo.Title) == source["title"]
    assert meta["dc:creator"] == source["author"]
    assert str(pdf.docinfo.Author) == ", ".join(source["author"])
    assert meta["dc:description"] == str(pdf.docinfo.Subject) == source["subtitle"]
    assert meta["pdf:Keywords"] == str(pdf.docinfo.Keywords) == source["category"]
    assert meta["dc:language"] == {source["language"]}
    assert meta["pdf:Producer"] == str(pdf.docinfo.Producer)
    assert meta["xmp:CreatorTool"] == str(pdf.docinfo.Creator)
    date = source["date"].isoformat()
    assert meta["xmp:CreateDate"] == meta["xmp:ModifyDate"] == f"{date}T00:00:00+00:00"
    assert str(pdf.docinfo.CreationDate) == f"D:{date.replace('-', '')}000000+00'00'"
    packet = pdf.Root.Metadata.read_bytes()
    assert packet.count(b"<rdf:RDF") == 1
    assert b"<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in packet
    (intent,) = pdf.Root.OutputIntents
    assert intent.S == "/GTS_PDFA1" and "/DestOutputProfile" in intent


def test_parts_in_another_language_say_so(bilingual: Built) -> None:
    pdf = _open(bilingual)
    assert str(pdf.Root.Lang) == "en"
    langs = Counter(str(e.get("/Lang")) for e in _elements(pdf) if "/Lang" in e)
    assert set(langs) == {"es"}
    html = bilingual.html
    assert '<section class="section" id="s-1" lang="es">' in html
    assert '<article class="question" id="q-1-2" lang="en">' in html
    assert '<p class="sources-label" lang="en">Sources</p>' in html
    assert '<a href="#q-1-1" lang="es">' in html


def test_images_need_alternative_text(tmp_path: Path) -> None:
    source = tmp_path / "x.yaml"
    source.write_text(BILINGUAL.replace("[Mapa de las oficinas del condado]", "[]"),
                      encoding="utf-8")
    line = BILINGUAL.splitlines().index(
        "          ![Mapa de las oficinas del condado](pixel.png) ![-](pixel.png)") + 1
    errors = [str(d) for d in check(load(source)) if d.severity == "error"]
    assert errors == [f"{source}:{line}:11: error: image 'pixel.png' has no alternative text: "
                      "describe it between the brackets, or write ![-](...) if it only "
                      "decorates"]


def test_decorative_images_are_artifacts_and_described_ones_figures(bilingual: Built) -> None:
    pdf = _open(bilingual)
    figures = [str(e.Alt) for e in _elements(pdf) if e.S == "/Figure"]
    assert figures == ["Mapa de las oficinas del condado"]
    drawn = [str(op) for page in pdf.pages for op in
             (o for _, o in pikepdf.parse_content_stream(page)) if str(op) == "Do"]
    assert len(drawn) == 2


def test_attached_source_is_the_file_dated_like_the_briefing(bilingual: Built) -> None:
    pdf = _open(bilingual)
    (spec,) = pdf.Root.AF
    assert spec.AFRelationship == "/Source"
    assert pdf.attachments["bilingual.yaml"].get_file().read_bytes() == BILINGUAL.encode()
    params = spec.EF.F.Params
    assert str(params.CreationDate) == str(params.ModDate) == "D:20261127000000Z"


def test_sources_are_not_attached_unless_asked(example: Built) -> None:
    pdf = _open(example)
    assert "/AF" not in pdf.Root and len(pdf.attachments) == 0


def test_untagged_pdf_claims_only_pdfa(tmp_path: Path) -> None:
    source = tmp_path / "x.yaml"
    source.write_text((DATA / "flat-es.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (outcome,) = build([source], tmp_path / "out", Options(tagged=False), ("pdf",))
    assert outcome.ok, outcome.error
    pdf = pikepdf.open(tmp_path / "out" / "x.pdf")
    assert "/StructTreeRoot" not in pdf.Root
    meta = pdf.open_metadata()
    assert meta["pdfaid:part"] == "3" and "pdfuaid:part" not in meta


def test_writing_leaves_weasyprint_and_pydyf_as_they_were(example: Built) -> None:
    import pydyf
    from weasyprint.pdf.stream import Stream

    assert Stream.marked.__qualname__ == "Stream.marked"
    assert pydyf.PDF.page_references.fget.__qualname__ == "PDF.page_references"
