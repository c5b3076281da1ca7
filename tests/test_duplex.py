"""Printing on both sides: the body and each section on a right-hand page, mirrored margins."""

from __future__ import annotations

import re

import pytest
from conftest import DATA, ROOT, Built, build_once, page_texts
from pdfgeom import fragments, lines, painted, text_extents
from pypdf import PdfReader
from test_render_pdf import _outline

from briefing.check import check
from briefing.load import parse

VARIABLES = (ROOT / "styles" / "variables.css").read_text(encoding="utf-8")


def _inches(name: str) -> float:
    """A length of variables.css, in points."""
    return float(re.search(rf"{name}:\s*([\d.]+)in", VARIABLES)[1]) * 72


INNER, OUTER = _inches("--inner-margin"), _inches("--outer-margin")
TOP, BOTTOM = 0.95 * 72, 0.9 * 72  # --page-margin's, which two-sided pages keep
SECTIONS = ["Opening the shelter", "Intake and beds", "Meals and supplies", "Volunteers",
            "Closing for the season"]
WORDS = ("The shelter keeps a written log of every night, and the coordinator reads it the "
         "next morning so that anything missing or broken is replaced before the doors open "
         "again. Volunteers sign the log when they arrive and when they leave.")


def _source(keys: str, sections: list[str] = SECTIONS, per_section: int = 8) -> str:
    """A briefing of ``per_section`` questions in each section: a contents of two pages."""
    text = f"title: Winter Shelter Handbook\nsubtitle: For volunteers\n{keys}date: 2026-01-15\n"
    text += "sections:\n"
    for s, title in enumerate(sections, start=1):
        text += f"  - title: {title}\n    questions:\n"
        for q in range(1, per_section + 1):
            answer = "\n\n".join(f"          {WORDS}" for _ in range(1 + (s * q) % 4))
            text += (f"      - question: What happens at step {q} of {title.lower()}?\n"
                     f"        answer: |\n{answer}\n")
    return text


@pytest.fixture(scope="module")
def duplex(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("duplex-src")
    source = folder / "handbook.yaml"
    source.write_text(_source("sides: two\nsection-start: right\n"), encoding="utf-8")
    return build_once(source, tmp_path_factory.mktemp("duplex"))


@pytest.fixture(scope="module")
def handout(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The short sectioned guide as a two-sided handout whose sections start on the right."""
    folder = tmp_path_factory.mktemp("handout-src")
    source = folder / "sectioned-en.yaml"
    text = (DATA / "sectioned-en.yaml").read_text(encoding="utf-8")
    source.write_text("layout: handout\nsides: two\nsection-start: right\n" + text,
                      encoding="utf-8")
    return build_once(source, tmp_path_factory.mktemp("handout"))


def _blank(reader: PdfReader, index: int) -> bool:
    """Nothing on the page: no text to extract and nothing painted."""
    page = reader.pages[index]
    return page.extract_text() == "" and painted(page) == []


def _section_pages(reader: PdfReader) -> dict[str, int]:
    """The page index of each section's bookmark, by its title without the number."""
    return {title.split(" ", 1)[1]: page for title, page, _ in _outline(reader)
            if re.match(r"\d+ ", title)}


def test_the_body_starts_on_a_right_hand_page_after_a_blank_one(duplex: Built) -> None:
    reader = duplex.reader
    labels = reader.page_labels
    first = labels.index("1")
    # Cover and two pages of contents: the fourth page is left blank.
    assert labels[:first] == ["i", "ii", "iii", "iv"]
    texts = page_texts(reader)
    assert texts[1].startswith("Contents\n") and texts[1].endswith("\nii")
    assert f"8 of {SECTIONS[-1].lower()}?" in texts[2] and texts[2].endswith("\niii")
    assert _blank(reader, first - 1)
    assert first % 2 == 0
    assert _section_pages(reader)[SECTIONS[0]] == first


def test_each_section_starts_on_a_right_hand_page(duplex: Built) -> None:
    pages = _section_pages(duplex.reader)
    assert list(pages) == SECTIONS
    assert [page % 2 for page in pages.values()] == [0] * len(SECTIONS)
    texts = page_texts(duplex.reader)
    for number, (title, page) in enumerate(pages.items(), start=1):
        assert texts[page].startswith(f"{number} {title}\n{number}.1 "), page


def test_blank_pages_carry_nothing_and_only_precede_a_right_hand_start(duplex: Built) -> None:
    reader = duplex.reader
    starts = set(_section_pages(reader).values())
    blanks = [i for i in range(len(reader.pages)) if _blank(reader, i)]
    assert blanks  # the layout needs some, or this proves nothing
    for index in blanks:
        assert index % 2 == 1 and index + 1 in starts, index
    # A page with nothing between its margins has nothing in them either.
    for index, page in enumerate(reader.pages):
        if not _bands(page)[1]:
            assert index in blanks, index


def test_page_labels_and_page_numbers_count_the_blank_pages(duplex: Built) -> None:
    reader = duplex.reader
    labels = reader.page_labels
    first = labels.index("1")
    body = labels[first:]
    assert body == [str(n) for n in range(1, len(body) + 1)]
    for index, text in enumerate(page_texts(reader)[first:], start=first):
        if not _blank(reader, index):
            assert text.endswith(f"Page {labels[index]} of {len(body)}"), index


def _bands(page) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """The text runs of a page in its top margin, and between its top and bottom margins."""
    height = float(page.mediabox.height)
    runs = text_extents(page)
    return ([r for r in runs if r[2] > height - TOP],
            [r for r in runs if BOTTOM <= r[2] <= height - TOP])


def test_margins_mirror_about_the_binding(duplex: Built) -> None:
    reader = duplex.reader
    first = reader.page_labels.index("1")
    seen = set()
    for index in range(first, len(reader.pages)):
        if _blank(reader, index):
            continue
        page = reader.pages[index]
        width = float(page.mediabox.width)
        # A right-hand page (even index) is bound on its left; a left-hand page on its right.
        left, right = (INNER, OUTER) if index % 2 == 0 else (OUTER, INNER)
        head, text = _bands(page)
        assert min(r[0] for r in head) == pytest.approx(left, abs=0.1), index
        assert max(r[1] for r in head) == pytest.approx(width - right, abs=0.5), index
        assert min(r[0] for r in text) == pytest.approx(left, abs=0.1), index
        assert max(r[1] for r in text) <= width - right + 0.5, index
        seen.add(index % 2)
    assert seen == {0, 1}


def _running_head(reader: PdfReader, index: int) -> str:
    page = reader.pages[index]
    height = float(page.mediabox.height)
    return " ".join(text for y, text in lines(fragments(page)) if y > height - TOP)


def test_the_running_head_names_the_section_in_force_around_a_blank_page(duplex: Built) -> None:
    reader = duplex.reader
    pages = _section_pages(reader)
    for before, (title, start) in zip(SECTIONS[:-1], list(pages.items())[1:], strict=True):
        if _blank(reader, start - 1):
            assert _running_head(reader, start - 2).endswith(before), start
        assert _running_head(reader, start).endswith(title), start
        if not _blank(reader, start + 1):
            assert _running_head(reader, start + 1).endswith(title), start


def test_a_handout_keeps_its_first_section_under_the_title_block(handout: Built) -> None:
    reader = handout.reader
    texts = page_texts(reader)
    source = (DATA / "sectioned-en.yaml").read_text(encoding="utf-8")
    titles = re.findall(r"(?m)^  - title: (.+)$", source)
    assert texts[0].startswith("COMMUNITY SERVICES\nWinter Shelter Questions")
    assert f"1 {titles[0]}" in texts[0]
    pages = _section_pages(reader)
    assert list(pages) == titles and pages[titles[0]] == 0
    assert all(page % 2 == 0 for page in pages.values())
    assert _blank(reader, 1)
    assert reader.page_labels[:3] == ["1", "2", "3"]


def test_the_html_version_is_unchanged_by_printing_keys(duplex: Built) -> None:
    html = duplex.html
    for number, title in enumerate(SECTIONS, start=1):
        assert f'<span class="num">{number}</span> <span class="text">{title}</span>' in html


def _diagnostics(text: str) -> list[str]:
    briefing, found = parse(text, "src/x.yaml")
    return [str(d) for d in found + check(briefing)]


def test_section_start_without_two_sides_is_a_warning_at_the_key() -> None:
    text = _source("section-start: right\n", SECTIONS[:1], per_section=1)
    assert _diagnostics(text) == [
        "src/x.yaml:3:16: warning: section-start 'right' has no effect: pages printed on one "
        "side have no left or right; add 'sides: two'"]
    flat = "title: T\nsides: two\nsection-start: right\nquestions:\n" \
           f"  - question: Why?\n    answer: {WORDS}\n"
    assert _diagnostics(flat) == [
        "src/x.yaml:3:16: warning: section-start 'right' has no effect: the briefing has no "
        "sections"]
    assert _diagnostics(_source("sides: two\nsection-start: right\n", SECTIONS[:1], 1)) == []


def test_unknown_sides_are_errors_at_the_value() -> None:
    text = _source("sides: both\nsection-start: left\n", SECTIONS[:1], per_section=1)
    assert _diagnostics(text) == [
        "src/x.yaml:3:8: error: sides 'both' must be one of one, two",
        "src/x.yaml:4:16: error: section-start 'left' must be one of any, right"]


def test_one_sided_briefings_have_no_blank_pages(example: Built) -> None:
    reader = example.reader
    assert not any(_blank(reader, i) for i in range(len(reader.pages)))
