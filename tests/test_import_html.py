"""Importing saved web pages: every question and answer prints word for word, in HTML and PDF.

The expected words are read from the pages here with BeautifulSoup's own text
(what a person reads), knowing only where each fixture keeps its questions.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import DATA, ROOT, Built, build_once
from faqwords import html_faq, html_introduction, html_text, pdf_words
from pypdf import PageObject, PdfReader

from briefing.cli import main
from briefing.load import parse
from briefing.model import walk
from briefing.readers.html import read_html

PAGES = DATA / "import"
#: Body text is set at 10.5pt and larger; footnotes, footnote calls and page furniture smaller.
BODY_SIZE = 10


#: The links of every answer read: (text, address as written).
LINKS: dict[str, list[tuple[str, str]]] = {}
#: The numbers of the ordered-list items of every answer read, in order ('3.', '4.', ...).
MARKERS: dict[str, list[str]] = {}


def _words_of(fragment: Tag | BeautifulSoup, page: Path) -> str:
    """The text of HTML as a person reads it, each ordered-list item's number before it."""
    for hidden in fragment.find_all(style=re.compile("display: *none")):
        hidden.decompose()
    MARKERS.setdefault(page.name, []).extend(
        f"{int(ol.get('start') or 1) + n}." for ol in fragment.find_all("ol")
        for n in range(len(ol.find_all("li", recursive=False))))
    LINKS.setdefault(page.name, []).extend(
        (" ".join(a.get_text().split()), a["href"]) for a in fragment.find_all("a", href=True))
    return " ".join(html_text(str(fragment))[0].split())


def jsonld_faq(page: Path) -> list[tuple[str, str]]:
    """(question, answer) of the FAQPage in a page's valid JSON-LD blocks."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    found = []
    for script in soup.find_all("script", type="application/ld+json"):
        with contextlib.suppress(json.JSONDecodeError):
            for node in json.loads(script.string)["@graph"]:
                for item in node.get("mainEntity", []):
                    answer = BeautifulSoup(item["acceptedAnswer"]["text"], "html.parser")
                    found.append((item["name"], _words_of(answer, page)))
    return found


def details_faq(page: Path) -> list[tuple[str, str]]:
    """(summary, the rest) of each outermost <details> of a page."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    found = []
    for details in soup.main.find_all("details"):
        if details.find_parent("details"):
            continue
        summary = details.summary.extract()
        found.append((" ".join(summary.get_text().split()), _words_of(details, page)))
    return found


def headings_faq(page: Path) -> list[tuple[str, str]]:
    """(h3, what follows it up to the next h2 or h3) for each h3 of a page's content."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    found = []
    for h3 in soup.find(id="content").find_all("h3"):
        holder = BeautifulSoup("<div></div>", "html.parser")
        for sibling in list(h3.next_siblings):
            if isinstance(sibling, Tag) and sibling.name in ("h2", "h3"):
                break
            holder.div.append(sibling.extract())
        found.append((h3.get_text(), _words_of(holder.div, page)))
    return found


#: name: (file, how its questions are found, section titles as the page gives them, intro)
FIXTURES = {
    "jsonld": ("voter-faq.html", jsonld_faq, [],
               "Answers to common questions about registering & voting in Springfield."),
    "headings": ("tenant-faq.html", headings_faq,
                 ["Security deposits", "Repairs and habitability", "Evictions"],
                 "Plain answers for renters in Riverside County."),
    "details": ("padron-faq.html", details_faq, ["Inscripción", "Cambios y certificados"],
                "Todo sobre el empadronamiento: requisitos, plazos y documentos."),
}



def run(argv: list[str]) -> tuple[int, str, str]:
    """Exit code, standard output and standard error of the command line."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="session")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Built, str, str]]:
    """Each fixture page imported with the command line and built once: (built, out, err)."""
    folder = tmp_path_factory.mktemp("pages")
    made = {}
    for name, (file, *_) in FIXTURES.items():
        source = folder / f"{name}.yaml"
        code, out, err = run(["import", str(PAGES / file), "--out", str(source)])
        assert code == 0, err
        made[name] = (build_once(source, tmp_path_factory.mktemp(name)), out, err)
    return made


def _runs(page: PageObject) -> list[tuple[float, float, str]]:
    """(baseline y, font size, text as drawn, spaces kept) of every text run, in drawing order."""
    runs = []

    def visit(text: str, cm: list, tm: list, font: object, font_size: float) -> None:
        if text:
            scale = float(tm[3]) * float(cm[3])
            runs.append((float(tm[5]) * float(cm[3]) + float(cm[5]), abs(font_size * scale),
                         text))

    page.extract_text(visitor_text=visit)
    return runs


def _markers(reader: PdfReader) -> list[str]:
    """The ordered-list markers the numbered pages draw, in drawing order."""
    return [text.strip() for page, label in zip(reader.pages, reader.page_labels, strict=True)
            if label.isdigit() for _, size, text in _runs(page)
            if size >= BODY_SIZE and re.fullmatch(r"\d+\.\s*", text)]


def _body(reader: PdfReader) -> tuple[list[str], str]:
    """Words of the numbered pages in body type (bullets left out), and the small print
    (footnotes, their calls, running heads and page numbers) joined without spaces."""
    body, small = "", ""
    for page, label in zip(reader.pages, reader.page_labels, strict=True):
        if not label.isdigit():
            continue
        y = None
        for baseline, size, text in _runs(page):
            if "\n" in text and not text.strip():
                continue  # pypdf's own line ends; lines are told apart by their baselines
            if size < BODY_SIZE:
                small += "".join(text.split())
                continue
            if y is not None and abs(baseline - y) > 1:
                body += "\n"
            body, y = body + text, baseline
        body += "\n"
    body = re.sub("[\u2022\u25e6]", " ", body)
    return pdf_words(re.sub("[-\u2010\u00ad]\n", "", body)), small


@pytest.mark.parametrize("name", FIXTURES)
def test_every_question_and_answer_prints_word_for_word_in_html(pages, name: str) -> None:
    file, faq, _, intro = FIXTURES[name]
    expected = faq(PAGES / file)
    assert len(expected) >= 10
    built, _, _ = pages[name]
    printed = [(question, answer.split()) for _, question, answer, _ in html_faq(built.html)]
    assert printed == [(question, answer.split()) for question, answer in expected]
    assert html_introduction(built.html).split() == intro.split()


@pytest.mark.parametrize("name", FIXTURES)
def test_every_question_and_answer_prints_word_for_word_in_the_pdf(pages, name: str) -> None:
    file, faq, sections, intro = FIXTURES[name]
    MARKERS.pop(file, None)
    expected = faq(PAGES / file)
    built, _, _ = pages[name]
    assert _markers(built.reader) == MARKERS[file]
    assert "<ol start=" in (PAGES / file).read_text(encoding="utf-8").replace("\\", "")
    heading = "Introducción" if name == "details" else "Introduction"
    words = [heading, intro]
    for number, section, (question, answer) in numbered(PAGES / file, sections, expected):
        words += [section] if section else []
        words.append(f"{number} {question} {answer}")
    printed, small = _body(built.reader)
    assert printed == pdf_words(" ".join(words))


#: Where each page says its relative links lead (its <base href> or canonical URL, if any).
BASES = {"voter-faq.html": "https://www.springfield.example.gov/elections/faq/",
         "tenant-faq.html": "https://www.riversidelegalaid.example.org/help/",
         "padron-faq.html": None}


@pytest.mark.parametrize("name", FIXTURES)
def test_link_addresses_print_as_footnotes_and_no_script_link_survives(pages, name: str) -> None:
    file, faq, _, _ = FIXTURES[name]
    LINKS.pop(file, None)
    faq(PAGES / file)
    text = PAGES.joinpath(file).read_text(encoding="utf-8")
    assert BASES[file] is None or f'href="{BASES[file]}"' in text
    built, _, _ = pages[name]
    _, small = _body(built.reader)
    noted = []
    for words, href in LINKS[file]:
        address = urljoin(BASES[file], href) if BASES[file] else href
        if re.match(r"https?://|mailto:", address) and words != address.removeprefix("mailto:"):
            noted.append(address.removeprefix("mailto:"))
            assert address.removeprefix("mailto:") in small, address
    assert len(noted) >= 2
    assert "javascript:" not in built.html and "javascript" not in small
    hrefs = re.findall(r'<a href="([^"]*)"', built.html.split('<main', 1)[-1])
    assert all(re.match(r"https?://|mailto:|#", href) for href in hrefs), hrefs


def numbered(page: Path, sections: list[str], faq: list[tuple[str, str]]
             ) -> list[tuple[str, str | None, tuple[str, str]]]:
    """Each question with its number and the numbered section title that starts before it,
    in the order the page's text has them."""
    if not sections:
        return [(str(n), None, qa) for n, qa in enumerate(faq, start=1)]
    text = page.read_text(encoding="utf-8")
    start = text.index("<h1")
    starts = sorted((text.index(f">{title}</h2>", start), title) for title in sections)
    found = []
    counts: dict[str, int] = {}
    for qa in faq:
        at = text.index(qa[0], start)
        index, title = [(i, t) for i, (s, t) in enumerate(starts, start=1) if s < at][-1]
        counts[title] = counts.get(title, 0) + 1
        found.append((f"{index}.{counts[title]}",
                      f"{index} {title}" if counts[title] == 1 else None, qa))
    return found


def test_the_import_says_what_it_read_where(pages) -> None:
    page = PAGES / "voter-faq.html"
    lines = page.read_text(encoding="utf-8").splitlines()
    # The positions named below, as the page has them.
    assert lines[16].endswith("},") and lines[17] == "  ]"  # a comma before ']' is not JSON
    assert lines[30].index('"@type": "Question"') == 10  # the first question, column 11
    assert lines[45].index('"@type": "Question"') == 10 and "sample military ID" in lines[47]
    _, out, err = pages["jsonld"]
    assert err.splitlines() == [
        f"{page}:18:3: warning: structured data (JSON-LD) is not valid JSON: Expecting value; "
        "block ignored",
        f"{page}:31:11: note: questions read from FAQPage structured data (JSON-LD)",
        f"{page}:46:11: warning: image left out (its text: 'sample military ID')",
    ]
    assert out.endswith(": 12 questions, read as html (from the name .html), language en-US "
                        "(given in the file)\n")
    for name, how in (("headings", "headings ending in '?'"),
                      ("details", "<details> and <summary>")):
        file = PAGES / FIXTURES[name][0]
        first = FIXTURES[name][1](file)[0][0]
        (line,) = [n for n, text in enumerate(file.read_text(encoding="utf-8").splitlines(),
                                              start=1) if first in text]
        assert pages[name][2].splitlines() == [f"{file}:{line}:5: note: questions read from {how}"
                                               if name == "headings" else
                                               f"{file}:{line}:3: note: questions read from {how}"]


@pytest.mark.parametrize("name", FIXTURES)
def test_the_written_source_loads_back_the_very_same_content(pages, name: str) -> None:
    built, _, _ = pages[name]
    source = built.outcome.source
    reading = read_html(PAGES.joinpath(FIXTURES[name][0]).read_text(encoding="utf-8"), "x.html")
    loaded, diagnostics = parse(source.read_text(encoding="utf-8"), str(source))
    assert [d for d in diagnostics if d.severity == "error"] == []
    assert [(d.key, str(v)) for _, d, v in walk(loaded)] == [
        (d.key, str(v)) for _, d, v in walk(reading.briefing)]
    assert len(loaded.questions) >= 10


def test_the_readme_shows_what_importing_the_voter_page_prints(pages) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("### Importing a saved web page", 1)[1].split("```\n")[3]
    built, out, err = pages["jsonld"]
    printed = err.replace(f"{PAGES}/", "") + out.replace(str(built.outcome.source),
                                                         "source/voter.yaml")
    assert shown == printed
