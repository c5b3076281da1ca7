"""The PDF: contents numbers, outline, page labels, metadata, fonts, running text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import EXAMPLE, Built, build_once, page_texts
from markupsafe import escape
from pdfgeom import fragments, lines, text_extents
from pypdf import PdfReader

from briefing.glyphs import system_has
from briefing.load import load
from briefing.model import Briefing
from briefing.options import Options
from briefing.render_html import render_body


def _outline(reader: PdfReader, items=None) -> list:
    """The outline as nested (title, page index, children) tuples."""
    items = reader.outline if items is None else items
    result = []
    for item in items:
        if isinstance(item, list):
            title, page, _ = result[-1]
            result[-1] = (title, page, _outline(reader, item))
        else:
            result.append((item.title, reader.get_destination_page_number(item), []))
    return result


def _contents_entries(reader: PdfReader, page_index: int) -> list[tuple[str, str]]:
    """(entry number, printed page number) pairs read from the positions of text on a page."""
    return [(num, page_no) for num, page_no, _ in _positioned_entries(reader, page_index)]


def _positioned_entries(
    reader: PdfReader, page_index: int
) -> list[tuple[str, str, tuple[float, float]]]:
    """(entry number, printed page number, position of that page number) on a contents page.

    An entry's number sits in the left columns; its page number is the last
    right-aligned fragment before the next entry starts.
    """
    page = reader.pages[page_index]
    width = float(page.mediabox.width)
    fragments: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            x = tm[4] * cm[0] + cm[4]
            y = tm[5] * cm[3] + cm[5]
            fragments.append((round(-y, 1), x, text.strip(), y))

    page.extract_text(visitor_text=visit)
    fragments.sort()
    entries: list[list] = []
    for _, x, text, y in fragments:
        if x < width * 0.25 and re.fullmatch(r"\d+(\.\d+)?", text):
            entries.append([text, "", (0.0, 0.0)])
        elif x > width * 0.8 and re.fullmatch(r"\d+", text) and entries:
            entries[-1][1:] = [text, (x + 1, y + 2)]
    return [(num, page_no, at) for num, page_no, at in entries]


def _heading_page(texts: list[str], labels: list[str], heading: str) -> str:
    """The page label of the body page whose text has ``heading`` at the start of a line."""
    pattern = re.compile(r"(?m)^" + re.escape(heading))
    hits = [label for label, text in zip(labels, texts, strict=True)
            if label.isdigit() and pattern.search(text)]
    assert len(hits) == 1, (heading, hits)
    return hits[0]


def test_every_contents_number_is_the_page_of_its_heading(example: Built) -> None:
    assert_contents_numbers_are_right(example.reader, load(EXAMPLE))


def assert_contents_numbers_are_right(reader: PdfReader, briefing: Briefing) -> None:
    """Every section and question is listed once, with the page its heading is printed on."""
    texts = page_texts(reader)
    labels = reader.page_labels
    expected_entries = [s.number for s in briefing.sections]
    expected_entries += [q.number for q in briefing.questions]
    contents_pages = [i for i, label in enumerate(labels) if not label.isdigit()][1:]
    entries = [e for i in contents_pages for e in _contents_entries(reader, i)]
    assert sorted(num for num, _ in entries) == sorted(expected_entries)
    headings = {s.number: f"{s.number} {s.title}" for s in briefing.sections}
    headings.update({q.number: f"{q.number} {q.question[:40]}" for q in briefing.questions})
    for num, printed in entries:
        assert printed == _heading_page(texts, labels, headings[num]), num


def test_contents_links_land_on_the_printed_page(example: Built) -> None:
    reader = example.reader
    labels = reader.page_labels
    contents = reader.pages[1]
    named = reader.named_destinations
    links = []
    for annot in contents.get("/Annots", []):
        annot = annot.get_object()
        if annot.get("/Subtype") == "/Link" and "/Dest" in annot:
            page = reader.get_destination_page_number(named[str(annot["/Dest"])])
            x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
            rect = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
            links.append((rect, labels[page]))
    entries = _positioned_entries(reader, 1)
    assert len(entries) == 25  # 5 sections and 20 questions
    for num, printed, (_, y) in entries:
        # Only the title is a link: its last line shares the page number's baseline.
        landing = {label for (_, y0, _, y1), label in links if y0 <= y <= y1}
        assert landing == {printed}, num


def test_outline_nests_questions_under_numbered_sections(example: Built) -> None:
    reader = example.reader
    outline = _outline(reader)
    briefing = load(EXAMPLE)
    titles = [title for title, _, _ in outline]
    assert titles == ["Contents"] + [f"{s.number} {s.title}" for s in briefing.sections]
    for (title, page, children), section in zip(outline[1:], briefing.sections, strict=True):
        assert [c[0] for c in children] == [f"{q.number} {q.question}" for q in section.questions]
        assert all(child_page >= page for _, child_page, _ in children), title


def test_page_labels_match_printed_numbers(example: Built) -> None:
    reader = example.reader
    labels = reader.page_labels
    assert labels[:2] == ["i", "ii"]
    body = labels[2:]
    assert body == [str(n) for n in range(1, len(body) + 1)]
    texts = page_texts(reader)
    for index, label in enumerate(labels):
        if label.isdigit():
            assert f"Page {label} of {len(body)}" in texts[index]
    assert "ii" in texts[1].split()


#: The margins print.css gives body pages, in points: 0.95in, 1in and 0.9in.
TOP, SIDE, BOTTOM = 0.95 * 72, 72.0, 0.9 * 72


def _bands(page) -> tuple[list[str], list[str], list[str]]:
    """The lines of a page above its top margin, inside the margins, and below the bottom one."""
    height = float(page.mediabox.height)
    rows = lines(fragments(page))
    return ([text for y, text in rows if y > height - TOP],
            [text for y, text in rows if BOTTOM <= y <= height - TOP],
            [text for y, text in rows if y < BOTTOM])


def test_print_css_places_running_heads_footers_and_text_in_the_margins(example: Built) -> None:
    reader = example.reader
    labels = reader.page_labels
    title = load(EXAMPLE).title
    body_count = sum(label.isdigit() for label in labels)
    text_left = []
    for index, page in enumerate(reader.pages):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        head, _, foot = _bands(page)
        if index == 0:
            continue  # the cover: see test_cover_has_no_running_head_or_number
        if not labels[index].isdigit():
            assert (head, foot) == ([], [labels[index]]), index  # contents: a roman number
            continue
        assert len(head) == 1 and head[0].startswith(title + " "), (index, head)
        assert foot == [f"Page {labels[index]} of {body_count}"], index
        runs = text_extents(page)
        head_runs = [r for r in runs if r[2] > height - TOP]
        foot_runs = [r for r in runs if r[2] < BOTTOM]
        text_runs = [r for r in runs if BOTTOM <= r[2] <= height - TOP]
        # The title starts at the left margin, the section ends at the right one.
        assert min(x0 for x0, _, _ in head_runs) == pytest.approx(SIDE, abs=0.1), index
        assert max(x1 for _, x1, _ in head_runs) == pytest.approx(width - SIDE, abs=0.5), index
        # The page number is centred below the text.
        left, right = min(r[0] for r in foot_runs), max(r[1] for r in foot_runs)
        assert (left + right) / 2 == pytest.approx(width / 2, abs=0.5), index
        assert max(x1 for _, x1, _ in text_runs) <= width - SIDE + 0.5, index
        text_left.append(min(x0 for x0, _, _ in text_runs))
    # Headings start at the left margin; answers are indented from it, never outside it.
    assert min(text_left) == pytest.approx(SIDE, abs=0.1)


def test_cover_has_no_running_head_or_number(example: Built) -> None:
    briefing = load(EXAMPLE)
    cover = example.reader.pages[0]
    height = float(cover.mediabox.height)
    found = fragments(cover)
    text = page_texts(example.reader)[0]
    assert "Page" not in text
    assert text.split("\n")[0] == "GOBIERNO FEDERAL"
    assert "As of November 27, 2026" in text
    assert "not legal advice" in text
    # Nothing in the top margin (the cover's is 1in) or below the text.
    assert [f.text for f in found if f.y > height - 72 or f.y < BOTTOM] == []
    # The title is there once, as the big heading, never in a running head's small type.
    big = [f for f in found if f.size >= 20]
    assert " ".join(f.text for f in sorted(big, key=lambda f: -f.y)) == briefing.title
    first_words = " ".join(briefing.title.split()[:3])
    assert [f.text for f in found if f.size < 20 and first_words in f.text] == []
    assert not any(s.title in text for s in briefing.sections)


@pytest.mark.parametrize("name", ["example", "forty"])
def test_running_head_shows_title_and_the_section_in_force_at_the_top(
        name: str, request: pytest.FixtureRequest) -> None:
    """Each body page's head names the section going on at its top: the one whose heading
    opens the page, else the last one begun on an earlier page."""
    built = request.getfixturevalue(name)
    reader = built.reader
    labels = reader.page_labels
    briefing = load(built.outcome.source)
    in_force, seen_heads = None, []
    for index, label in enumerate(labels):
        if not label.isdigit():
            continue
        head, body, _ = _bands(reader.pages[index])
        opening = [s for s in briefing.sections if body[0].startswith(f"{s.number} {s.title}")]
        expected = opening[0].title if opening else in_force
        assert head == [f"{briefing.title} {expected}"], label
        seen_heads.append(expected)
        begun = [s.title for s in briefing.sections
                 if any(line.startswith(f"{s.number} {s.title}") for line in body)]
        in_force = begun[-1] if begun else expected
    assert seen_heads[0] == briefing.sections[0].title
    assert in_force == briefing.sections[-1].title
    # A page that opens in the middle of a section keeps that section's name, even when the
    # next section begins further down the page.
    assert any(a == b for a, b in zip(seen_heads, seen_heads[1:], strict=False))


def test_metadata_comes_from_the_source(example: Built) -> None:
    reader = example.reader
    info = reader.metadata
    assert info.title == "State And Local ICE Cooperation Policies in Missouri"
    assert info.subject == "Questions and answers"
    assert info["/Keywords"] == "Gobierno federal"
    assert info["/CreationDate"] == info["/ModDate"] == "D:20261127000000+00'00'"
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_every_font_is_embedded_and_from_the_shipped_families(example: Built) -> None:
    fonts = set()
    for page in example.reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"]
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.add(str(font["/BaseFont"]).split("+", 1)[1])
    assert fonts and all(f.startswith(("Source-Serif-Pro", "Source-Sans-Pro")) for f in fonts)


def test_letter_by_default_and_a4_on_request(example: Built, spanish: Built) -> None:
    letter = example.reader.pages[0].mediabox
    a4 = spanish.reader.pages[0].mediabox
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)


def test_spanish_labels_dates_and_flat_numbering(spanish: Built) -> None:
    reader = spanish.reader
    texts = page_texts(reader)
    labels = reader.page_labels
    body_count = sum(label.isdigit() for label in labels)
    assert "Actualizado al 27 de noviembre de 2026" in texts[0]
    assert "Elaborado por Ana Pérez, Luis Gómez" in texts[0]
    assert "Índice" in texts[1]
    assert f"Página 1 de {body_count}" in texts[labels.index("1")]
    assert [title for title, _, _ in _outline(reader)] == [
        "Índice", "Introducción", "1 ¿Qué es el padrón municipal?",
        "2 ¿Qué documentos necesito?", "3 ¿Cuánto tarda el trámite?",
    ]
    assert reader.metadata["/Author"] == "Ana Pérez, Luis Gómez"
    assert reader.trailer["/Root"]["/Lang"] == "es"
    body = "\n".join(texts[labels.index("1"):])
    assert "FUENTES" in body and "Ley 7/1985" in body


@pytest.mark.parametrize("name", ["example", "spanish"])
def test_question_numbers_are_text_not_generated_content(name: str, request) -> None:
    """The numbers are in the markup the PDF is laid out from.

    Generated content (``::before { content: counter(...) }``) prints as text too,
    so the PDF's text alone cannot tell the two apart; the body HTML can.
    """
    built: Built = request.getfixturevalue(name)
    briefing = built.outcome.briefing
    assert briefing is not None
    html = render_body(briefing, Options())
    for s, section in enumerate(briefing.sections, start=1):
        for q, question in enumerate(section.questions, start=1):
            number = f"{s}.{q}" if section.title is not None else str(q)
            assert (f'<span class="num">{number} </span>'
                    f'<span class="text">{escape(question.question)}</span>') in html, number
    body = "\n".join(page_texts(built.reader))
    first = "1.1 What is the current policy" if name == "example" else "1 ¿Qué es el padrón"
    assert re.search(r"(?m)^" + re.escape(first), body)


def test_no_question_heading_is_stranded_at_the_foot_of_a_page(example: Built) -> None:
    """Each question's heading shares its page with the start of its answer."""
    reader = example.reader
    texts = [" ".join(t.split()) for t in page_texts(reader)]
    labels = reader.page_labels
    for question in load(EXAMPLE).questions:
        heading = f"{question.number} {' '.join(question.question.split()[:6])}"
        first_words = " ".join(question.answer.text.replace("1. ", "", 1).split()[:6])
        pages = [i for i, text in enumerate(texts) if labels[i].isdigit() and heading in text]
        assert len(pages) == 1, heading
        assert first_words in texts[pages[0]], (heading, first_words)


def test_long_words_urls_and_code_stay_inside_the_margins(stretched: Built, example: Built) -> None:
    for built in (stretched, example):
        for index, page in enumerate(built.reader.pages):
            width = float(page.mediabox.width)
            runs = text_extents(page)
            assert runs, index
            left = min(x0 for x0, _, _ in runs)
            right = max(x1 for _, x1, _ in runs)
            assert left >= 72 - 0.5 and right <= width - 72 + 0.5, (built.pdf_path, index, right)
    assert "x" * 60 in page_texts(stretched.reader)[2].replace("\n", "")


#: A word of each script the stretched source holds, as written there.
SCRIPTS = {"Arabic": "مرحبا", "Hebrew": "שלום", "CJK": "中文"}


def test_right_to_left_and_cjk_text_print_or_are_reported(stretched: Built) -> None:
    """A script prints as itself where the machine has a font for it, else it is reported.

    Which branch runs depends on the machine's fonts; test_glyphs runs both
    with a pretend fontconfig.
    """
    assert stretched.outcome.briefing is not None
    source = Path(stretched.outcome.briefing.path).read_text(encoding="utf-8").splitlines()
    printed = "".join(page_texts(stretched.reader))
    missing = []
    for script, word in SCRIPTS.items():
        assert word in stretched.html, script
        ((number, line),) = [(n, text) for n, text in enumerate(source, 1) if word in text]
        if all(system_has(ord(c)) for c in word):
            assert word in printed, script
        else:
            missing.append((number, line.index(word) + 1, word[0]))
    warnings = [d for d in stretched.outcome.diagnostics if "no available font" in d.message]
    # The words share a line: one warning, placed at the first word no font has.
    expected = [("warning", *min(missing)[:2])] if missing else []
    assert [(d.severity, d.line, d.column) for d in warnings] == expected
    for d, (_, _, char) in zip(warnings, sorted(missing)[:1], strict=True):
        assert f"U+{ord(char):04X} '{char}'" in d.message


#: Paper sizes in points (width, height), from their definitions: inches times 72, A
#: sizes in millimetres times 72 / 25.4.
PAPER_POINTS = {"letter": (612, 792), "a4": (595, 842), "legal": (612, 1008),
                "a5": (420, 595), "half-letter": (396, 612)}


@pytest.fixture(scope="module")
def papers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    """The Spanish sample built with ``paper:`` a4, legal and a5 in the source, and legal
    overridden by the command line's a5."""
    source_text = (Path(__file__).parent / "data" / "flat-es.yaml").read_text(encoding="utf-8")
    built = {}
    for case, paper, option in (("a4", "a4", None), ("legal", "legal", None), ("a5", "a5", None),
                                ("legal, --paper a5", "legal", "a5")):
        folder = tmp_path_factory.mktemp("paper-src")
        source = folder / "paper.yaml"
        source.write_text(f"paper: {paper}\n" + source_text, encoding="utf-8")
        built[case] = build_once(source, tmp_path_factory.mktemp("paper"), paper=option)
    return built


@pytest.mark.parametrize(("case", "expected"), [
    ("a4", "a4"), ("legal", "legal"), ("a5", "a5"), ("legal, --paper a5", "a5")])
def test_the_source_names_its_paper_and_the_command_line_overrides_it(
        papers: dict[str, Built], case: str, expected: str) -> None:
    reader = papers[case].reader
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height)))
             for p in reader.pages}
    assert sizes == {PAPER_POINTS[expected]}
    assert len(reader.pages) >= 3  # cover, contents and body all follow the paper


HANDOUT = Path(__file__).parent / "data" / "handout-en.yaml"


@pytest.fixture(scope="module")
def handouts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    """The four-question handout as written, with contents and with a cover; and a briefing
    without its cover."""
    text = HANDOUT.read_text(encoding="utf-8")
    variants = {"handout": text, "handout, contents": "contents: true\n" + text,
                "handout, cover": "cover: true\n" + text,
                "briefing, no cover": "cover: false\n" + text.replace("layout: handout\n",
                                                                      "layout: briefing\n")}
    built = {}
    for case, source_text in variants.items():
        folder = tmp_path_factory.mktemp("handout-src")
        source = folder / "guide.yaml"
        source.write_text(source_text, encoding="utf-8")
        built[case] = build_once(source, tmp_path_factory.mktemp("handout"))
    return built


def test_a_four_question_handout_is_one_letter_page(handouts: dict[str, Built]) -> None:
    source = load(HANDOUT)
    reader = handouts["handout"].reader
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
    (text,) = page_texts(reader)
    top = [line for _, line in lines(fragments(page))]
    # The title block tops the page: category, title, subtitle; no running head repeats the title.
    assert top[:3] == [source.category.upper(), source.title, source.subtitle]
    assert text.count(source.title) == 1
    assert "Page 1 of 1" in text
    assert all(q.question in text for q in source.questions)
    assert _outline(reader) == [(f"{q.number} {q.question}", 0, []) for q in source.questions]
    assert reader.page_labels == ["1"]
    assert reader.metadata.title == source.title
    assert reader.metadata.author == ", ".join(source.authors)


def test_cover_and_contents_override_the_layout(handouts: dict[str, Built]) -> None:
    source = load(HANDOUT)

    def first_lines(case: str) -> list[str]:
        reader = handouts[case].reader
        return [lines(fragments(page))[0][1] for page in reader.pages]

    contents = handouts["handout, contents"].reader
    assert contents.page_labels == ["i", "1"]
    assert first_lines("handout, contents") == ["Contents", source.category.upper()]
    covered = handouts["handout, cover"].reader
    assert covered.page_labels == ["i", "1"]
    # The cover page, then the body under its running head, without a title block.
    assert first_lines("handout, cover") == [source.category.upper(), source.title]
    assert source.subtitle in page_texts(covered)[0]
    assert source.subtitle not in page_texts(covered)[1]
    uncovered = handouts["briefing, no cover"].reader
    assert uncovered.page_labels == ["i", "1"]
    assert first_lines("briefing, no cover") == ["Contents", source.category.upper()]
    html = handouts["handout"].html
    assert 'class="contents"' not in html and 'class="contents"' in handouts[
        "handout, contents"].html


def test_a_cross_reference_prints_the_number_it_leads_to(spanish: Built) -> None:
    briefing = load(spanish.outcome.source)
    target = next(q for q in briefing.questions if q.id == "documentos")
    body = " ".join(" ".join(page_texts(spanish.reader)).split())
    assert f"la pregunta sobre documentos (ver {target.number}, pág. " in body


#: Addresses whose long words would be hyphenated at a line end, written bare, as a link's
#: text and as a source; the words before them vary so that their breaks fall everywhere.
URLS = [f"https://revisor.mo.gov/main/OneSection.aspx?section=544.{470 + i}"
        "&information=responsibilities" for i in range(3)]
URLS += [f"https://x{i}.org/responsibilities/internationally" for i in range(3)]
PADS = ["", "A", "Ab c", "Abc de", "Abcd efg h", "Abcde fghij kl"]


def _printed(reader: PdfReader) -> str:
    """The PDF's text with line ends removed and nothing else undone (no hyphen is taken back)."""
    return "".join(page.extract_text().replace("\n", "") for page in reader.pages)


def test_printed_addresses_are_exactly_their_source(tmp_path: Path) -> None:
    from briefing.build import build
    from briefing.options import Options

    answer = " ".join(f"{pad} see {url} and" for pad, url in zip(PADS, URLS, strict=True))
    link = f"[{URLS[0]}]({URLS[0]})"
    source = tmp_path / "urls.yaml"
    source.write_text(
        f"title: T\nquestions:\n  - question: Where?\n    answer: |\n      {answer} {link}.\n"
        "    sources:\n" + "".join(f"      - title: Section {i}\n        url: {url}\n"
                                   for i, url in enumerate(URLS)), encoding="utf-8")
    (outcome,) = build([source], tmp_path / "out", Options(), ("pdf",))
    assert outcome.ok, outcome.error
    printed = _printed(PdfReader(tmp_path / "out" / "urls.pdf"))
    assert [printed.count(url) for url in URLS] == [3] + [2] * 5  # bare, sources; one link
    assert "\u2010" not in printed


def test_a_link_shows_its_address_on_the_page_of_its_text(tmp_path: Path) -> None:
    from briefing.build import build
    from briefing.options import Options

    filler = "Words that fill the page so that the links fall on different pages. " * 40
    links = {"Know your rights": "https://example.org/rights", "the clinic": "mailto:help@ex.org",
             "the statute": "https://revisor.mo.gov/main/OneSection.aspx?section=544.470"}
    answers = [f"See [{text}]({url}) first, and [{text}]({url}) again. {filler}"
               for text, url in links.items()]
    questions = "".join(f"  - question: Question {i}?\n    answer: |\n      {a}\n"
                        for i, a in enumerate(answers, start=1))
    source = tmp_path / "links.yaml"
    source.write_text(f"title: T\nquestions:\n{questions}  - question: Bare?\n    answer: |\n"
                      f"      At [https://ok.example/a](https://ok.example/a), {filler}\n",
                      encoding="utf-8")
    (outcome,) = build([source], tmp_path / "out", Options(), ("pdf", "html"))
    assert outcome.ok, outcome.error
    pages = [page.extract_text().replace("\n", " ") for page in
             PdfReader(tmp_path / "out" / "links.pdf").pages]
    for text, url in links.items():
        (page,) = [p for p in pages if f"See {text}" in p]
        assert page.count(url.removeprefix("mailto:")) == 1, text  # once for the paragraph
    (page,) = [p for p in pages if "At https://ok.example/a, Words" in p]
    assert page.count("https://ok.example/a") == 1  # its text is its address: no footnote
    html = (tmp_path / "out" / "links.html").read_text(encoding="utf-8")
    assert "note-call" not in html and "link-notes" not in html
