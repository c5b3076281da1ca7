"""Importing FAQs as people have them: every word of the text prints in the built PDF and HTML.

The fixtures in ``tests/data/import/`` are read here by simple rules of their
own (a question is a line ending in '?' after a blank line; a Markdown answer's
words are what a plain CommonMark renderer shows), independent of the readers.
"""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import DATA, Built, build_once
from faqwords import html_faq, html_introduction, html_text, pdf_body_words, pdf_words
from markdown_it import MarkdownIt

from briefing.cli import main

FAQS = DATA / "import"
TENANT = FAQS / "tenant-faq.txt"
CHECKLIST = FAQS / "checklist.txt"
VOTING = FAQS / "voting-faq.md"
#: The addresses of the plain-text FAQ as written, and where their links go.
TENANT_LINKS = [
    ("https://housing.springfield.example/help", "https://housing.springfield.example/help"),
    ("https://www.hud.gov/fairhousing", "https://www.hud.gov/fairhousing"),
    ("www.springfieldhealth.org/mold", "http://www.springfieldhealth.org/mold"),
    ("inspections@springfieldhealth.org", "mailto:inspections@springfieldhealth.org"),
    ("https://housing.springfield.example/forms/deposit_letter.pdf",
     "https://housing.springfield.example/forms/deposit_letter.pdf"),
]
#: The headings of the plain-text FAQ, as its text has them.
TENANT_SECTIONS = ("Before You Rent", "Living in Your Home", "Moving Out")


@dataclass
class Imported:
    """A fixture imported with the command line and built once: what was said, and the build."""

    stdout: str
    stderr: str
    built: Built


def _import_and_build(source: Path, folder: Path, out: Path, *args: str) -> Imported:
    target = folder / f"{source.stem}.yaml"
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        assert main(["import", str(source), "--out", str(target), *args]) == 0
    return Imported(stdout.getvalue(), stderr.getvalue(), build_once(target, out))


@pytest.fixture(scope="session")
def faqs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Imported]:
    """Each fixture imported and built, once per session."""
    folder = tmp_path_factory.mktemp("faqs")
    return {source.name: _import_and_build(source, folder, tmp_path_factory.mktemp("out"))
            for source in (TENANT, CHECKLIST, VOTING)}


# -- the fixtures, read by rules of their own ---------------------------------

def _plain_faq(path: Path, sections: tuple[str, ...]) -> tuple[str, str, list[tuple[str, str]]]:
    """Title, introduction and (question, answer) of a plain-text FAQ with unnumbered questions.

    A question is a line ending in '?' after a blank line that is not a list item;
    the lines of ``sections`` are headings and belong to no answer.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    intro, found = [], []
    for previous, line in zip(lines[1:], lines[2:], strict=False):
        if line in sections or not line.strip():
            continue
        if (line.endswith("?") and not previous.strip() or previous in sections) and not (
                re.match(r"\d+[.)] ", line)):
            found.append([line, ""])
        elif found:
            found[-1][1] += " " + line
        else:
            intro.append(line)
    return lines[0], " ".join(intro), [(q, a) for q, a in found]


def _markdown_faq(path: Path) -> tuple[str, str, list[str], list[tuple[str, str]]]:
    """Title, introduction words, section titles and (question, answer words) of a Markdown FAQ."""
    md = MarkdownIt("commonmark").enable("strikethrough")
    title, sections, found, intro = "", [], [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        question = re.fullmatch(r"### (.*\?)|\*\*(.*\?)\*\*", line)
        if line.startswith("# "):
            title = line[2:]
        elif line.startswith("## "):
            sections.append(line[3:])
        elif question:
            found.append([question.group(1) or question.group(2), ""])
        elif found:
            found[-1][1] += line + "\n"
        elif not sections:
            intro.append(line)
    words = [(q, html_text(md.render(a))[0]) for q, a in found]
    return title, html_text(md.render("\n".join(intro)))[0], sections, words


def _links(path: Path) -> list[tuple[str, str]]:
    """(text, address) of every inline link of a Markdown file."""
    return re.findall(r"\[([^\]]+)\]\(([^)\s]+)\)", path.read_text(encoding="utf-8"))


def _unbroken(printed: list[str], expected: list[str]) -> list[str]:
    """Printed words with addresses that a line end broke in two joined again.

    An address breaks after a '/' or '.' without a hyphen, so its halves are two
    words in the extracted text; they are joined only where the expected word
    is exactly the two.
    """
    out, index = [], 0
    while index < len(printed):
        word = printed[index]
        position = len(out)
        if (index + 1 < len(printed) and position < len(expected) and word != expected[position]
                and word[-1:] in "/." and word + printed[index + 1] == expected[position]):
            word, index = word + printed[index + 1], index + 1
        out.append(word)
        index += 1
    return out


# -- plain text -----------------------------------------------------------------

def _printed_order(intro: str, sections: list[str] | tuple[str, ...], counts: tuple[int, ...],
                   qas: list[tuple[str, str]]) -> str:
    """The text a PDF prints, in order: the introduction, then each section's number and
    title and its questions numbered N.M with their answers (``counts`` per section)."""
    expected, questions = ["Introduction", intro], iter(qas)
    for number, (section, count) in enumerate(zip(sections, counts, strict=True), 1):
        expected.append(f"{number} {section}")
        for index in range(1, count + 1):
            question, answer = next(questions)
            expected.append(f"{number}.{index} {question} {answer}")
    return " ".join(expected)


def test_the_plain_text_faq_has_its_questions_and_sections(faqs: dict[str, Imported]) -> None:
    imported = faqs[TENANT.name]
    _, _, qas = _plain_faq(TENANT, TENANT_SECTIONS)
    assert len(qas) >= 10
    assert imported.stderr == ""
    assert imported.stdout.startswith(f"wrote {Path(imported.built.outcome.source)}: "
                                      f"{len(qas)} questions, read as text (from the name .txt)")
    outline = [item.title for item in imported.built.reader.outline if not isinstance(item, list)]
    assert [title.split(" ", 1)[1] for title in outline if title[0].isdigit()] == list(
        TENANT_SECTIONS)


def test_the_plain_text_faq_prints_word_for_word_in_html(faqs: dict[str, Imported]) -> None:
    html = faqs[TENANT.name].built.html
    title, intro, qas = _plain_faq(TENANT, TENANT_SECTIONS)
    assert [(question, answer.split()) for _, question, answer, _ in html_faq(html)] == [
        (q, a.split()) for q, a in qas]
    assert html_introduction(html).split() == intro.split()
    assert f"<title>{title}</title>" in html or title.split(":")[0] in html


def test_the_plain_text_faq_prints_word_for_word_in_the_pdf(faqs: dict[str, Imported]) -> None:
    title, intro, qas = _plain_faq(TENANT, TENANT_SECTIONS)
    counts = (3, 4, 4)  # questions under each heading, as the text has them
    printed = pdf_body_words(faqs[TENANT.name].built.reader, title, TENANT_SECTIONS)
    words = pdf_words(_printed_order(intro, TENANT_SECTIONS, counts, qas))
    assert _unbroken(printed, words) == words


def test_addresses_are_links_that_print_as_written(faqs: dict[str, Imported]) -> None:
    html = faqs[TENANT.name].built.html
    links = re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', html)
    assert [(text, href) for href, text in links if "springfield" in href or "hud" in href] == (
        TENANT_LINKS)
    assert 'class="link-note"' not in html and "link-note" not in faqs[TENANT.name].stderr


def test_each_address_is_one_link_on_paper(faqs: dict[str, Imported]) -> None:
    # An address broken into pieces for line breaking would be one annotation per piece.
    reader = faqs[TENANT.name].built.reader
    uris = [str(annotation.get_object()["/A"]["/URI"]) for page in reader.pages
            for annotation in page.get("/Annots", ())
            if "/URI" in annotation.get_object().get("/A", {})]
    assert uris == [href for _, href in TENANT_LINKS]


def test_lists_written_with_a_parenthesis_print_it(faqs: dict[str, Imported]) -> None:
    html = faqs[TENANT.name].built.html
    written = [line for line in TENANT.read_text(encoding="utf-8").splitlines()
               if re.match(r"\d\) ", line)]
    assert len(written) == 3
    assert html.count('<ol class="paren">') == 1
    answer = next(a for _, q, a, _ in html_faq(html) if q == "Who pays for repairs?")
    assert " ".join(written).split() == answer.split()[-len(" ".join(written).split()):]


# -- the checklist case -------------------------------------------------------------

def test_a_checklist_of_questions_stays_in_its_answer(faqs: dict[str, Imported]) -> None:
    imported = faqs[CHECKLIST.name]
    lines = CHECKLIST.read_text(encoding="utf-8").splitlines()
    numbered = [(at, line) for at, line in enumerate(lines, start=1)
                if re.match(r"\d+\. .*\?\Z", line)]
    # Questions 1-3 of the text, and the checklist's items 1-3 inside question 2's answer.
    (q1, q2, item1, item2, item3, q3, q4) = numbered
    assert imported.stderr == (
        f"{CHECKLIST}:{item3[0]}: warning: '3.' continues both the list begun on line "
        f"{item1[0]} and the numbering of the questions (question 2 is on line {q2[0]}); "
        "kept in the list in the answer to question 2\n")
    found = html_faq(imported.built.html)
    assert [(n, q) for n, q, _, _ in found] == [
        (str(k), line.split(". ", 1)[1]) for k, (_, line) in enumerate((q1, q2, q3, q4), 1)]
    answer = found[1][2].split()
    for _, item in (item1, item2, item3):
        assert item in " ".join(answer)


# -- Markdown -------------------------------------------------------------------

def test_the_markdown_faq_has_its_questions_and_sections(faqs: dict[str, Imported]) -> None:
    imported = faqs[VOTING.name]
    _, _, sections, qas = _markdown_faq(VOTING)
    assert len(qas) >= 10 and imported.stderr == ""
    assert f"{len(qas)} questions, read as markdown (from the name .md)" in imported.stdout
    outline = [item.title for item in imported.built.reader.outline if not isinstance(item, list)]
    assert [title.split(" ", 1)[1] for title in outline if title[0].isdigit()] == sections


def test_the_markdown_faq_prints_word_for_word_in_html(faqs: dict[str, Imported]) -> None:
    html = faqs[VOTING.name].built.html
    _, intro, _, qas = _markdown_faq(VOTING)
    assert [(q, a.split()) for _, q, a, _ in html_faq(html)] == [(q, a.split()) for q, a in qas]
    assert html_introduction(html).split() == intro.split()
    tags = set().union(*(tags for *_, tags in html_faq(html)))
    assert {"a", "em", "strong", "code", "s", "ol", "ul"} <= tags
    assert '<ol start="3"' in html


def test_the_markdown_faq_prints_word_for_word_in_the_pdf(faqs: dict[str, Imported]) -> None:
    title, intro, sections, qas = _markdown_faq(VOTING)
    counts = (4, 4, 3)  # questions under each heading, as the text has them
    expected_words = pdf_words(_printed_order(intro, sections, counts, qas))
    printed = [w for w in pdf_body_words(faqs[VOTING.name].built.reader, title, tuple(sections))
               if w != "•"]
    # On paper a link whose text is not its address gets a numbered footnote holding it.
    notes = [url for text, url in _links(VOTING)
             if text not in (url, re.sub(r"\Ahttps?://", "", url))]
    extra, call, at = [], 1, 0
    for word in printed:
        if at < len(expected_words) and word == expected_words[at]:
            at += 1
        elif at < len(expected_words) and word == f"{expected_words[at]}{call}":
            at, call = at + 1, call + 1
        else:
            extra.append(word)
    assert (at, call - 1) == (len(expected_words), len(notes))
    assert extra == notes
