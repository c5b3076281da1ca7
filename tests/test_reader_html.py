"""The HTML reader on small pages: choice, structure, page data, errors, and hostile markup."""

from __future__ import annotations

import html
import time
from pathlib import Path

import pytest
from conftest import base_url
from faqwords import html_text
from hypothesis import given, settings
from hypothesis import strategies as st
from test_hostile import IMAGE_CASES
from test_import import _TOKENS

from briefing.cli import main
from briefing.errors import SourceError
from briefing.markup import to_html
from briefing.readers import choose
from briefing.readers.html import READER, read_html

DETAILS = "<details><summary>{q}</summary>{a}</details>"


def page(body: str, head: str = "", lang: str = "en") -> str:
    """A page of ``body`` inside <main>."""
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head><title>T | Site</title>{head}</head>\n'
            f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n")


def printed(answer_html: str, head: str = "") -> str:
    """The words an answer of a <details> page prints once imported and rendered."""
    reading = read_html(page(DETAILS.format(q="Q?", a=answer_html), head), "p.html")
    return html_text(to_html(reading.briefing.questions[0].answer.text))[0]


@pytest.mark.parametrize(("text", "expected"), [
    ("<!DOCTYPE html><html><body>", True),
    ("\ufeff  <!doctype HTML>\n<title>x</title>", True),
    ("<!-- saved from url=(0042)https://x.org/ -->\n<html lang=es>", True),
    ('<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">', True),
    ("Title\n1. What is <html>?\n", False),
    ("# Title\n\n<details>", False),
])
def test_recognises_a_page_by_its_start(text: str, expected: bool) -> None:
    assert READER.recognises(text) is expected


@pytest.mark.parametrize(("name", "forced", "reader", "why"), [
    ("faq.html", None, "html", "from the name .html"),
    ("FAQ.HTM", None, "html", "from the name .htm"),
    ("faq.xhtml", None, "html", "from the name .xhtml"),
    ("saved", None, "html", "from the content"),
    ("faq.txt", None, "text", "from the name .txt"),
    ("faq.txt", "html", "html", "given with --from"),
])
def test_choose_takes_pages_by_name_or_content(name: str, forced: str | None, reader: str,
                                               why: str) -> None:
    chosen, said = choose(name, page(DETAILS.format(q="Q?", a="A.")), forced)
    assert (chosen.name, said) == (reader, why)


def test_from_html_reads_a_txt_file_as_a_page(tmp_path: Path, capsys) -> None:
    faq = tmp_path / "saved.txt"
    faq.write_text(page(DETAILS.format(q="Why?", a="<p>Because.</p>")), encoding="utf-8")
    out = tmp_path / "faq.yaml"
    assert main(["import", str(faq), "--from", "html", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out == (f"wrote {out}: 1 question, read as html (given with --from), "
                            "language en (given in the file)\n")
    assert captured.err == f"{faq}:6:10: note: questions read from <details> and <summary>\n"
    assert "question: Why?\n    answer: |\n      Because.\n" in out.read_text(encoding="utf-8")


def test_sections_come_from_headings_and_flat_ignores_them() -> None:
    body = ("<h3>Early?</h3><p>Before any section.</p>\n<h2>Costs</h2>\n<h3>Free?</h3><p>Yes.</p>"
            "\n<h3>Refunds?</h3><p>No.</p>\n<h2>Dates</h2>\n<h3>When?</h3><p>May.</p>")
    reading = read_html(page(body), "p.html")
    assert [(s.title, [q.question for q in s.questions]) for s in reading.briefing.sections] == [
        ("General", ["Early?"]), ("Costs", ["Free?", "Refunds?"]), ("Dates", ["When?"])]
    flat = read_html(page(body), "p.html", flat=True).briefing
    assert flat.flat and [q.question for q in flat.questions] == [
        "Early?", "Free?", "Refunds?", "When?"]


def test_flat_on_the_command_line(tmp_path: Path, capsys) -> None:
    source = tmp_path / "p.html"
    source.write_text(page("<h2>Costs</h2>\n<h3>Free?</h3><p>Yes, it is.</p>"), encoding="utf-8")
    assert main(["import", str(source), "--flat", "--out", str(tmp_path / "p.yaml")]) == 0
    written = (tmp_path / "p.yaml").read_text(encoding="utf-8")
    assert "sections" not in written and "  - question: Free?\n" in written


def test_an_answer_runs_to_the_next_heading_of_its_level() -> None:
    body = ("<h2>Who?</h2><p>Anyone.</p><h3>Details</h3><p>More.</p>"
            "<h2>Contact</h2><p>Not an answer.</p>")
    (question,) = read_html(page(body), "p.html").briefing.questions
    assert question.answer.text == "Anyone.\n\nDetails\n\nMore.\n"


def test_page_data_title_language_and_introduction() -> None:
    head = '<meta name="description" content="About 5 * 3 &amp; [x](y).">'
    reading = read_html(page(DETAILS.format(q="¿Qué es?", a="Es algo."), head, lang="es-MX"),
                        "p.html")
    b = reading.briefing
    assert (b.title, b.language, reading.language_guessed) == ("T", "es-MX", False)
    assert html_text(to_html(b.introduction.text))[0].strip() == "About 5 * 3 & [x](y)."


def test_a_language_that_is_not_a_tag_is_guessed_with_a_warning() -> None:
    reading = read_html(page(DETAILS.format(q="¿Dónde se presenta la solicitud?", a="Aquí."),
                             lang="español"), "p.html")
    assert reading.briefing.language == "es" and reading.language_guessed
    assert [str(d) for d in reading.diagnostics if d.severity == "warning"] == [
        "p.html:2:1: warning: lang 'español' is not a language tag; language guessed from the "
        "questions"]


@pytest.mark.parametrize(("answer", "markdown"), [
    ('<a href="/x">rel</a>', "rel\n"),  # no base: relative links are text
    ('<a href="x?a=(1)">rel</a>', "[rel](https://b.example/d/x?a=%281%29)\n"),
    ('<a href="#top">top</a> <a href="data:text/html,x">d</a> <a href="file:///etc">f</a>',
     "top d f\n"),
    ('<ol><li>a</li></ol><ol start="5"><li>b</li></ol><ul><li>c</li></ul><ul><li>d</li></ul>',
     "1. a\n\n5) b\n\n- c\n\n* d\n"),
    ('<ol start="12345678901"><li>big</li></ol>', "1. big\n"),
    ("<ol><li>a</li><li></li><li>c</li></ol> <ol><li>d</li></ol>\n<ol><li>e<ol><li>f</li>"
     "</ol></li></ol>", "1. a\n2.\n3. c\n\n1) d\n\n1. e\n   1. f\n"),
])
def test_links_and_lists(answer: str, markdown: str) -> None:
    head = '<link rel="canonical" href="https://b.example/d/">' if "(1)" in answer else ""
    reading = read_html(page(DETAILS.format(q="Q?", a=answer), head), "p.html")
    assert reading.briefing.questions[0].answer.text == markdown


def test_a_page_without_questions_is_an_error_that_writes_nothing(tmp_path: Path,
                                                                  capsys) -> None:
    source = tmp_path / "p.html"
    source.write_text(page("<h2>About us</h2><p>Nothing to ask.</p>"), encoding="utf-8")
    assert main(["import", str(source), "--out", str(tmp_path / "p.yaml")]) == 1
    assert capsys.readouterr().err == (
        f"{source}:5:1: error: no question found; expected FAQPage structured data, <details> "
        "with a <summary>, or h2-h4 headings ending in '?'\n")
    assert not (tmp_path / "p.yaml").exists()


def test_deep_nesting_is_a_positioned_error_not_a_crash(tmp_path: Path, capsys) -> None:
    source = tmp_path / "deep.html"
    source.write_text(page("<h2>Q?</h2>\n" + "<div>" * 5000 + "x" + "</div>" * 5000),
                      encoding="utf-8")
    started = time.perf_counter()
    assert main(["import", str(source), "--out", str(tmp_path / "deep.yaml")]) == 1
    assert time.perf_counter() - started < 20
    assert capsys.readouterr().err == (
        # the hundredth <div> of line 7 starts after 99 others
        f"{source}:7:{99 * len('<div>') + 1}: error: elements nest deeper than 100 levels in an "
        "answer\n")
    assert not (tmp_path / "deep.yaml").exists()


LD = '<script type="application/ld+json">{}</script>'


@pytest.mark.parametrize("data", [
    [{"@type": "FAQPage", "mainEntity": {"@type": "Question", "name": "One?",
                                         "acceptedAnswer": {"text": "<p>Yes <b>1</b></p>"}}}],
    {"@graph": [{"@type": ["WebPage", "FAQPage"], "mainEntity": [
        {"@type": "http://schema.org/Question", "name": ["One?"],
         "acceptedAnswer": [{"@type": "Answer", "text": "Yes <b>1</b>"}]}]}]},
    {"@type": "WebPage", "mainEntity": {"@type": "FAQPage", "mainEntity": [
        {"@type": "Question", "name": " One? ", "acceptedAnswer": {"text": "Yes\n<b>1</b>"}},
        {"@type": "Answer", "text": "not a question"}]}},
], ids=["a list", "a graph, types as lists and URLs", "nested"])
def test_structured_data_in_its_usual_shapes(data: object) -> None:
    import json

    reading = read_html(page("<p>No details here.</p>", LD.format(json.dumps(data))), "p.html")
    assert [(q.question, q.answer.text) for q in reading.briefing.questions] == [
        ("One?", "Yes **1**\n")]


def test_a_question_without_an_answer_is_a_warning() -> None:
    reading = read_html(page(DETAILS.format(q="Empty?", a=" <p> </p> ")), "p.html")
    assert [str(d) for d in reading.diagnostics] == [
        "p.html:6:10: warning: question 1 has no answer",
        "p.html:6:10: note: questions read from <details> and <summary>"]


def test_json_that_nests_too_deeply_is_skipped_with_a_warning() -> None:
    script = '<script type="application/ld+json">' + "[" * 100_000 + "]" * 100_000 + "</script>"
    reading = read_html(page(DETAILS.format(q="Q?", a="A."), script), "p.html")
    # <head> and <title>...</title> take 29 characters and the script's start tag 35
    assert [str(d) for d in reading.diagnostics][0] == (
        "p.html:3:65: warning: structured data (JSON-LD) nests too deeply; block ignored")


HOSTILE = """
<script>alert('SCRIPT-TEXT')</script><style>p { color: red } /* STYLE-TEXT */</style>
<details><summary>Is this page <b onclick="alert('ONCLICK')">safe</b>?</summary>
<p onmouseover="alert('HOVER')">Yes <a href="javascript:alert('JS-LINK')">click</a>
<a href=" JaVaScRiPt:alert(1)">again</a> <a href="data:text/html;base64,PHNjcmlwdD4=">data</a>
<img src="{http}/pixel.png" alt=""> <img src="data:image/png;base64,AAAA" alt="">
<iframe src="{http}/frame">IFRAME-TEXT</iframe><svg><script>SVG-SCRIPT</script>
<text>SVG-TEXT</text></svg> <object data="{http}/obj">OBJECT-TEXT</object>
&lt;script&gt;alert(1)&lt;/script&gt; &amp;lt; <!-- COMMENT-TEXT --> <![CDATA[ CDATA-TEXT ]]>
tab\x07bell</p>
<template><p>TEMPLATE-TEXT</p></template><noscript>NOSCRIPT-TEXT</noscript></details>
"""


def test_hostile_markup_stays_inert_and_nothing_is_fetched(tmp_path: Path, capsys, loopback,
                                                            requests_seen) -> None:
    http = base_url(loopback)
    head = (f'<base href="javascript:alert(1)//"><link rel="stylesheet" href="{http}/s.css">'
            f'<script src="{http}/s.js"></script><meta http-equiv="refresh" content="0;{http}/r">')
    source = tmp_path / "hostile.html"
    source.write_text(page(HOSTILE.replace("{http}", http), head), encoding="utf-8")
    out = tmp_path / "hostile.yaml"
    assert main(["import", str(source), "--out", str(out)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [f"{source}:8:10: note: questions read from <details> and <summary>",
                   f"{source}:15: warning: control characters removed"]
    written = out.read_text(encoding="utf-8")
    for word in ("SCRIPT", "STYLE", "ONCLICK", "HOVER", "IFRAME", "SVG", "OBJECT", "COMMENT",
                 "CDATA", "TEMPLATE", "NOSCRIPT", "javascript", "JaVaScRiPt", "data:", "\x07"):
        assert word not in written, word
    assert main(["build", str(out), "--out", str(tmp_path / "out")]) == 0
    assert requests_seen == []
    built = (tmp_path / "out" / "hostile.html").read_text(encoding="utf-8")
    answer = built.split('class="answer">', 1)[1].split("</div>", 1)[0]
    assert " ".join(html_text(answer)[0].split()) == (
        "Yes click again data <script>alert(1)</script> &lt; tabbell")
    assert "<a " not in answer and "<img" not in answer


def test_nul_bytes_are_removed_with_a_warning() -> None:
    reading = read_html(page(DETAILS.format(q="Q\x00?", a="<p>A\x00B</p>")), "p.html")
    assert [str(d) for d in reading.diagnostics][0] == (
        "p.html:6: warning: control characters removed")
    question = reading.briefing.questions[0]
    assert (question.question, question.answer.text) == ("Q?", "AB\n")


@pytest.mark.parametrize("case", IMAGE_CASES, ids=list(IMAGE_CASES))
def test_markdown_of_the_hostile_image_cases_is_text_on_a_page(case: str) -> None:
    text = IMAGE_CASES[case][0].format(http="http://127.0.0.1:9")
    assert printed(f"<p>{html.escape(text)}</p>").split() == text.split()


@settings(max_examples=120, deadline=None)
@given(st.lists(st.one_of(_TOKENS, st.text(st.characters(categories=("L", "N", "P", "S")),
                                           min_size=1, max_size=6)), min_size=1, max_size=10))
def test_any_text_of_a_page_prints_as_written(words: list[str]) -> None:
    text = " ".join(words)
    assert printed(f"<p>{html.escape(text)}</p><p>{html.escape(text)}<br>{html.escape(text)}"
                   "</p>").split() == (text + " " + text + " " + text).split()


def test_an_empty_file_is_an_error() -> None:
    with pytest.raises(SourceError) as raised:
        read_html("", "empty.html")
    assert str(raised.value) == (
        "empty.html:1: error: no question found; expected FAQPage structured data, <details> "
        "with a <summary>, or h2-h4 headings ending in '?'")
