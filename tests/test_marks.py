"""Appendix numbering, drafts and the address online, on real outputs of one source each."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from urllib.parse import unquote

import pikepdf
import pytest
import segno
import yaml
from conftest import ROOT, Built, build_once, page_texts
from pdfgeom import fragments, lines
from pypdf import PdfReader

from briefing.cli import main
from briefing.load import parse

#: A source with every key of this feature, long enough for three body pages.
SOURCE = """\
title: Cooperation with federal immigration enforcement
subtitle: What the county does and does not do
category: Public briefing
appendix: B
status: draft
url: https://example.org/briefings/ice-cooperation
date: 2026-11-27
author: County Counsel
sections:
  - title: Detainers
    questions:
      - question: Does the jail hold people for immigration agents?
        answer: |
          {long}
      - question: Who decides whether a detainer is honoured?
        status: draft
        answer: |
          {long}
  - title: Information sharing
    questions:
      - question: Does the county share release dates?
        answer: |
          {long}
      - question: Does the county ask people where they were born?
        answer: |
          {long}
"""
LONG = " ".join(["Only with a judicial warrant signed by a judge, the policy says, and the "
                 "sheriff applies it the same way to everyone held in the county jail."] * 14)
TEXT = SOURCE.replace("{long}", LONG)
DATA = yaml.safe_load(TEXT)


def _build(tmp_path_factory: pytest.TempPathFactory, name: str, text: str) -> Built:
    folder = tmp_path_factory.mktemp(name)
    source = folder / f"{name}.yaml"
    source.write_text(text, encoding="utf-8")
    return build_once(source, folder / "out", formats=("pdf", "html", "booklet"))


@pytest.fixture(scope="session")
def covered(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The briefing layout: a cover, contents, and the body."""
    return _build(tmp_path_factory, "covered", TEXT)


@pytest.fixture(scope="session")
def handout(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The handout layout, in Spanish: a title block on page 1."""
    return _build(tmp_path_factory, "handout", "layout: handout\nlanguage: es\n" + TEXT)


#: Text this large is the diagonal mark of a draft (nothing else is set above 30pt).
MARK_SIZE = 40


def _lines(page: object) -> list[str]:
    """The page's lines of text, top first, without spaces and without the watermark."""
    kept = [f for f in fragments(page) if f.size < MARK_SIZE]
    return [text.replace(" ", "") for _, text in lines(kept, tolerance=2)]


def _booklet(built: Built) -> PdfReader:
    return PdfReader(built.pdf_path.with_name(built.pdf_path.stem + "-booklet.pdf"))


def _front(built: Built) -> int:
    return 2 if "layout: handout" not in built.outcome.source.read_text() else 0


@pytest.mark.parametrize("name", ["covered", "handout"])
def test_appendix_labels_the_pages_and_prints_them_in_the_footers(
        name: str, request: pytest.FixtureRequest) -> None:
    built: Built = request.getfixturevalue(name)
    reader = built.reader
    prefix = DATA["appendix"] + "-"
    front = _front(built)
    body = len(reader.pages) - front
    assert body >= 3
    assert reader.page_labels == [prefix + n for n in ("i", "ii")][:front] + [
        f"{prefix}{n}" for n in range(1, body + 1)]
    word, of = ("Página", "de") if name == "handout" else ("Page", "of")
    for index, page in enumerate(reader.pages[front:], start=1):
        assert _lines(page)[-1] == f"{word}{prefix}{index}{of}{prefix}{body}"


def test_the_contents_prints_the_appendix_page_of_every_heading(covered: Built) -> None:
    reader = covered.reader
    texts = page_texts(reader)
    contents = _lines(reader.pages[1])
    headings = [s["title"] for s in DATA["sections"]]
    headings += [q["question"] for s in DATA["sections"] for q in s["questions"]]
    for heading in headings:
        (entry,) = [line for line in contents if heading.replace(" ", "") in line]
        printed = entry.rsplit(".", 1)[1]  # after the leader dots
        page = next(i for i, text in enumerate(texts[2:], start=1) if heading in text)
        assert printed == f"{DATA['appendix']}-{page}", heading
    assert contents[-1] == f"{DATA['appendix']}-ii"
    with pikepdf.open(covered.pdf_path) as pdf:  # what a screen reader says of each entry
        links = [(str(a.Dest), str(a.Contents)) for a in pdf.pages[1].Annots]
    for target, said in links:
        page = reader.get_destination_page_number(reader.named_destinations[target])
        assert said.endswith(f", page {reader.page_labels[page]}")


@pytest.mark.parametrize(("name", "page", "words"), [
    ("covered", 0, ("Appendix", "Draft")), ("handout", 0, ("Anexo", "Borrador"))])
def test_appendix_and_draft_are_said_above_the_title(
        name: str, page: int, words: tuple[str, str], request: pytest.FixtureRequest) -> None:
    built: Built = request.getfixturevalue(name)
    found = _lines(built.reader.pages[page])
    part = found.index(f"{words[0]}{DATA['appendix']}{words[1].upper()}")
    title = DATA["title"].replace(" ", "")
    title_line = next(i for i, line in enumerate(found) if title.startswith(line))
    assert part < found.index(DATA["category"].upper().replace(" ", "")) < title_line
    assert built.reader.metadata.title == DATA["title"]
    html = built.html
    assert f'<span class="appendix">{words[0]} {DATA["appendix"]}</span>' in html
    assert f'<span class="status">{words[1]}</span>' in html


def _watermarks(page: pikepdf.Page) -> int:
    """How many watermark artifacts the page draws text in."""
    count, inside = 0, []
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op in ("BDC", "BMC"):
            props = operands[1] if op == "BDC" else {}
            inside.append(str(operands[0]) == "/Artifact"
                          and str(props.get("/Subtype")) == "/Watermark")
        elif op == "EMC":
            inside.pop()
        elif op in ("Tj", "TJ") and inside and inside[-1]:
            count += 1
    return count


def _without_watermarks(path: Path, out: Path) -> PdfReader:
    """The PDF with the content of its watermark artifacts taken out."""
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            kept, depth = [], 0
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if depth:
                    depth += {"BDC": 1, "BMC": 1, "EMC": -1}.get(op, 0)
                    continue
                if op == "BDC" and str(operands[1].get("/Subtype")) == "/Watermark":
                    depth = 1
                    continue
                kept.append((operands, operator))
            page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
        pdf.save(out)
    return PdfReader(out)


@pytest.mark.parametrize(("name", "word"), [("covered", "DRAFT"), ("handout", "BORRADOR")])
def test_a_draft_has_its_mark_on_every_page_as_an_artifact(
        name: str, word: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    built: Built = request.getfixturevalue(name)
    marks = [[f for f in fragments(page) if f.size > MARK_SIZE] for page in built.reader.pages]
    assert [[f.text for f in found] for found in marks] == [[word]] * len(marks)
    with pikepdf.open(built.pdf_path) as pdf:
        assert [_watermarks(page) for page in pdf.pages] == [1] * len(marks)
    stripped = _without_watermarks(built.pdf_path, tmp_path / "x.pdf")
    before = [text.split().count(word) for text in page_texts(built.reader)]
    after = [text.split().count(word) for text in page_texts(stripped)]
    assert after == [n - 1 for n in before]


@pytest.mark.parametrize(("name", "word"), [("covered", "DRAFT"), ("handout", "BORRADOR")])
def test_booklet_sheets_carry_the_mark_of_their_pages(
        name: str, word: str, request: pytest.FixtureRequest) -> None:
    booklet = _booklet(request.getfixturevalue(name))
    assert len(booklet.pages) >= 2
    for side in booklet.pages:
        middle = float(side.mediabox.width) / 2
        found = fragments(side)
        halves = [[f for f in found if f.x < middle], [f for f in found if f.x >= middle]]
        assert any(halves)
        for printed in halves:
            if printed:  # a page of the briefing, not a blank one
                big = [f.text for f in printed if f.size > MARK_SIZE]
                assert big == [word], [f.text for f in printed]


@pytest.mark.parametrize(("name", "word"), [("covered", "Draft"), ("handout", "Borrador")])
def test_a_draft_question_is_marked_in_its_margin(
        name: str, word: str, request: pytest.FixtureRequest) -> None:
    built: Built = request.getfixturevalue(name)
    drafts = [q["question"] for s in DATA["sections"] for q in s["questions"]
              if q.get("status") == "draft"]
    marks = []
    for page in built.reader.pages[_front(built):]:
        found = [f for f in fragments(page) if f.size < MARK_SIZE]
        text_left = min(f.x for f in found if f.text != word)
        for mark in (f for f in found if f.text == word and f.x < text_left):
            (title,) = [f for f in found if f.text in drafts]
            assert abs(mark.y - title.y) < 3 and mark.x + 20 < title.x
            marks.append(title.text)
    assert marks == drafts
    html = built.html
    questions = re.findall(r'<article class="question( draft)?".*?</h3>\s*(<p class="draft-mark"'
                           r'[^>]*>[^<]*</p>)?', html, re.S)
    assert [(flag, bool(mark)) for flag, mark in questions] == [
        (" draft" if q.get("status") == "draft" else "", q.get("status") == "draft")
        for s in DATA["sections"] for q in s["questions"]]
    assert f">{word}</p>" in html


def _modules(svg: str) -> list[list[bool]]:
    """The dark modules of a QR code drawn by segno's SVG path (``M``, ``m`` and ``h``)."""
    size = int(re.search(r"viewBox=[\"']0 0 (\d+) \d+", svg)[1])
    grid = [[False] * size for _ in range(size)]
    x = y = 0.0
    path = re.search(r"<path class=.qrline.[^>]* d=.([^\"']+)", svg)[1]
    for command, numbers in re.findall(r"([Mmh])([-\d. ]+)", path):
        values = [float(v) for v in numbers.split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        else:
            for column in range(int(x), int(x + values[0])):
                grid[int(y)][column] = True
            x += values[0]
    return grid


@pytest.mark.parametrize("name", ["covered", "handout"])
def test_the_qr_code_holds_the_address(name: str, request: pytest.FixtureRequest) -> None:
    built: Built = request.getfixturevalue(name)
    url = DATA["url"]
    (src,) = re.findall(r'<img class="qr" src="([^"]+)"', built.html)
    svg = unquote(src.split(",", 1)[1]) if ";base64" not in src else \
        base64.b64decode(src.split(",", 1)[1]).decode()
    expected = [[bool(v) for v in row] for row in segno.make(url, error="m").matrix]
    drawn = _modules(svg)
    assert [row[4:-4] for row in drawn[4:-4]] == expected
    quiet = [*drawn[:4], *drawn[-4:], *(row[:4] + row[-4:] for row in drawn)]
    assert not any(any(row) for row in quiet)
    with pikepdf.open(built.pdf_path) as pdf:
        figures = [str(e.Alt) for e in _figures(pdf)]
        parents = dict(pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree).items())
        links = [a for a in pdf.pages[0].Annots if str(a.get("/A", {}).get("/URI")) == url]
        assert len(links) == 1  # one link, in a Link element (PDF/UA 7.18.5)
        assert all(parents[a.StructParent].S == "/Link" for a in pdf.pages[0].Annots)
    alt = "Código QR de " if name == "handout" else "QR code for "
    assert figures == [alt + url]
    first = page_texts(built.reader)[0].replace("\n", "")
    assert url in first


def _figures(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    found, todo = [], list(pdf.Root.StructTreeRoot.K)
    while todo:
        node = todo.pop()
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            if node.S == "/Figure":
                found.append(node)
            kids = node.get("/K")
            todo.extend(kids if isinstance(kids, pikepdf.Array) else [kids])
    return found


def test_appendix_must_be_a_short_label() -> None:
    text = "title: T\nappendix: Appendix B\nquestions:\n  - question: Q?\n    answer: A\n"
    _, diagnostics = parse(text, "s.yaml")
    assert [str(d) for d in diagnostics] == [
        "s.yaml:2:11: error: appendix 'Appendix B' must be 1 to 3 letters or digits, "
        "such as B or A2"]


def _readme_example() -> tuple[str, list[str]]:
    """The README's example source for these keys and the errors it shows for --final."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Appendices, drafts and the address online", 1)[1]
    blocks = section.split("```")
    source = blocks[1].removeprefix("yaml\n")
    shown = blocks[3].strip().splitlines()
    assert shown[0] == "$ briefing build --final source/detainers.yaml"
    return source, shown[1:]


@pytest.mark.parametrize("command", ["build", "check"])
def test_final_refuses_a_draft_at_each_status_and_writes_nothing(
        command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    source, expected = _readme_example()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "detainers.yaml").write_text(source, encoding="utf-8")
    statuses = [(n, line.index("status:") + len("status: ") + 1)
                for n, line in enumerate(source.splitlines(), start=1) if "status:" in line]
    assert [tuple(map(int, e.split(":")[1:3])) for e in expected] == statuses
    code = main([command, "--final", "source/detainers.yaml", *(
        ["--out", "out"] if command == "build" else [])])
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert err[:2] == expected
    assert not (tmp_path / "out").exists()


def test_final_passes_a_final_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, _ = _readme_example()
    final = re.sub(r"\n *status: draft", "", source)
    path = tmp_path / "detainers.yaml"
    path.write_text(final, encoding="utf-8")
    assert main(["check", "--final", str(path)]) == 0
    assert "1 source checked, 0 errors" in capsys.readouterr().err
