"""Booklets and two-up sheets: which page is on each half of each sheet, read from its text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import DATA, EXAMPLE, Built, build_once
from pdfgeom import fragments, lines
from pypdf import PageObject, PdfReader

from briefing.build import build
from briefing.cli import main
from briefing.impose import saddle_stitch, two_up
from briefing.options import Options
from briefing.writers import parse_formats

#: Landscape sheets in points: letter 11 x 8.5 in, A4 297 x 210 mm.
LETTER_SHEET = (792, 612)
A4_SHEET = (842, 595)


def test_saddle_stitch_order_of_eight_and_of_five_pages() -> None:
    # Sheet 1 front [8|1], back [2|7]; sheet 2 front [6|3], back [4|5] (1-based pages).
    assert saddle_stitch(8) == [(7, 0), (1, 6), (5, 2), (3, 4)]
    # Five pages pad to eight: pages 6, 7 and 8 are blank paper.
    assert saddle_stitch(5) == [(None, 0), (1, None), (None, 2), (3, 4)]
    assert two_up(5) == [(0, 1), (2, 3), (4, None)]


def _halves(page: PageObject) -> tuple[list[tuple[float, str]], list[tuple[float, str]]]:
    """The text lines on the left and on the right of the fold, positions made relative."""
    fold = float(page.mediabox.width) / 2
    found = fragments(page)
    return (lines([f for f in found if f.x < fold]), lines([f for f in found if f.x >= fold]))


def _identify(half: list[tuple[float, str]], pages: list[list[str]]) -> int | None:
    """The 1-based page of the laid-out PDF whose lines a half of a sheet holds; None if blank."""
    if not half:
        return None
    text = [line for _, line in half]
    (match,) = [number for number, page in enumerate(pages, start=1) if page == text]
    return match


def _sides(sheets: PdfReader, reference: PdfReader) -> list[tuple[int | None, int | None]]:
    pages = [[line for _, line in lines(fragments(page))] for page in reference.pages]
    return [tuple(_identify(half, pages) for half in _halves(page)) for page in sheets.pages]


def _size(page: PageObject) -> tuple[int, int]:
    return round(float(page.mediabox.width)), round(float(page.mediabox.height))


@pytest.fixture(scope="module")
def letter(tmp_path_factory: pytest.TempPathFactory) -> tuple[Built, PdfReader]:
    """The example as PDF, booklet and two-up; and, to read them against, its half-letter PDF."""
    built = build_once(EXAMPLE, tmp_path_factory.mktemp("impose"),
                       formats=("pdf", "booklet", "2up"))
    half = build_once(EXAMPLE, tmp_path_factory.mktemp("half"), formats=("pdf",),
                      paper="half-letter")
    return built, half.reader


def test_booklet_sheets_fold_into_reading_order(letter) -> None:
    built, reference = letter
    pages = len(reference.pages)
    booklet = PdfReader(built.out_dir / "missouri-ice-cooperation-booklet.pdf")
    total = -(-pages // 4) * 4
    # Folding the stack: sheet k's front holds pages total-2k | 2k+1, its back 2k+2 | total-2k-1.
    expected = []
    for k in range(total // 4):
        expected += [(total - 2 * k, 2 * k + 1), (2 * k + 2, total - 2 * k - 1)]
    expected = [tuple(p if p <= pages else None for p in side) for side in expected]
    assert _sides(booklet, reference) == expected
    assert {_size(page) for page in booklet.pages} == {LETTER_SHEET}
    assert booklet.pdf_header == reference.pdf_header  # the same PDF version as the pages
    written = {w.path.name: w.pages for w in built.outcome.written}
    assert written["missouri-ice-cooperation-booklet.pdf"] == total // 2


def test_booklet_padding_is_blank_paper(letter) -> None:
    built, reference = letter
    pages = len(reference.pages)
    assert pages % 4, "the example should need padding"
    booklet = PdfReader(built.out_dir / "missouri-ice-cooperation-booklet.pdf")
    total = -(-pages // 4) * 4
    # Pads are the last pages: the first sheet's front has the last page on its left, its back
    # the last but one on its right. Neither has a running head or a page number.
    front, back = (_halves(page) for page in booklet.pages[:2])
    assert front[1] and back[0], "the cover and the next page are printed"
    assert (not front[0], not back[1]) == (total > pages, total - 1 > pages)


def test_two_up_sheets_are_in_reading_order(letter) -> None:
    built, reference = letter
    pages = len(reference.pages)
    sheets = PdfReader(built.out_dir / "missouri-ice-cooperation-2up.pdf")
    expected = [(n, n + 1 if n + 1 <= pages else None) for n in range(1, pages + 1, 2)]
    assert _sides(sheets, reference) == expected
    assert {_size(page) for page in sheets.pages} == {LETTER_SHEET}


def test_a4_folds_into_a5_pages_at_full_size(tmp_path: Path) -> None:
    source = tmp_path / "guia.yaml"
    source.write_text("paper: a4\n" + (DATA / "flat-es.yaml").read_text(encoding="utf-8"),
                      encoding="utf-8")
    built = build_once(source, tmp_path / "out", formats=("booklet",))
    a5 = build_once(source, tmp_path / "a5", formats=("pdf",), paper="a5").reader
    booklet = PdfReader(built.out_dir / "guia-booklet.pdf")
    assert {_size(page) for page in booklet.pages} == {A4_SHEET}
    sides = _sides(booklet, a5)
    assert sorted(p for side in sides for p in side if p) == list(range(1, len(a5.pages) + 1))
    # Laid out at A5, not shrunk: the text is set at the sizes of the A5 PDF.
    assert ({round(f.size, 2) for page in booklet.pages for f in fragments(page)}
            == {round(f.size, 2) for page in a5.pages for f in fragments(page)})


def test_legal_paper_does_not_fold(tmp_path: Path) -> None:
    source = tmp_path / "legal.yaml"
    source.write_text("paper: legal\n" + (DATA / "flat-es.yaml").read_text(encoding="utf-8"),
                      encoding="utf-8")
    (outcome,) = build([source], tmp_path / "out", Options(), ("pdf", "booklet"))
    assert str(outcome.error) == (
        f"{source}: error: paper 'legal' does not fold into half sheets; booklets and two-up "
        "sheets take letter, half-letter, a4, a5")
    assert not (tmp_path / "out" / "legal.pdf").exists()


def test_format_takes_a_comma_separated_list(tmp_path: Path, capsys) -> None:
    source = tmp_path / "faq.yaml"
    shutil.copy(DATA / "flat-es.yaml", source)
    out = tmp_path / "out"
    assert main(["build", str(source), "--out", str(out), "--format", "2up,pdf"]) == 0
    assert sorted(p.name for p in out.glob("*.pdf")) == ["faq-2up.pdf", "faq.pdf"]
    assert not (out / "faq.html").exists()


def test_all_is_every_output_and_without_format_a_build_writes_pdf_and_html() -> None:
    from briefing.arguments import parser

    assert parse_formats("all") == ("pdf", "html", "booklet", "2up", "sections")
    assert parse_formats("booklet, pdf,booklet") == ("pdf", "booklet")
    assert parser().parse_args(["build"]).format == ("pdf", "html")
