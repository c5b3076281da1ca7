"""Importing a plain-text FAQ: every question and answer prints word for word, in HTML and PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import DATA, EXAMPLE, ROOT, Built, build_once
from faqwords import (
    html_faq,
    html_introduction,
    html_text,
    pdf_body_words,
    pdf_list_markers,
    pdf_words,
)
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from briefing.cli import main
from briefing.errors import SourceError
from briefing.load import load, parse
from briefing.markup import to_html
from briefing.options import Options
from briefing.readers.text import read_text
from briefing.render_html import render_screen
from briefing.write_yaml import dump

CORPUS = DATA / "missouri-ice-cooperation.txt"

#: Answers that would turn into markup if the importer did not escape them.
TRICKY = [
    ("What does $5 * 3 cost, and is *this* or **that** emphasis?", [
        "It costs $5 * 3, not *15* or **15** or _15_ or __15__.",
        "Write <b>this</b> and [a link](http://x.org) and <http://x.org> and <me@x.org>.",
        "Paths like C:\\Users\\x and \\*stars\\* and a lone \\ stay as they are.",
        "![an image](x.png) and [ref]: http://x.org and [^1] are not links.",
    ]),
    ("Are # and > and - special at the start of a line?", [
        "# not a heading",
        "> not a quote",
        "- not a bullet",
        "+ not a bullet either",
        "* nor this",
        "---",
        "===",
        "1) not a list",
        "    four spaces are not code",
        "\tnor is a tab",
        "~~~ nor a fence",
        "``` nor this",
    ]),
    ("What about &amp; and &copy; and tables | pipes?", [
        "AT&T writes &amp; as &amp;amp; and &#35; stays &#35; and &#x23; too.",
        "A | table | row",
        "|---|---|",
        "Strike ~~this~~ not, and ~5 km stays.",
        "Underscores in __init__, snake_case and _emphasis_ stay.",
        "`code` and ``double ticks`` stay, and so does a backslash at the end \\",
        "Trailing spaces are not a line break   ",
        "nor is a trailing backslash\\",
    ]),
    ("Do numbered lists keep their own numbers?", [
        "Some steps:",
        "3. The third step.",
        "",
        "4. The fourth, after a blank line.",
        "Then a paragraph.",
        "1. A new list.",
        "1. Another list that starts at 1 again.",
        "2019. A year that starts a line is a list item too.",
        "12. - a dash inside an item",
        "Closing words.",
    ]),
]
SPANISH = [
    ("¿Qué es el padrón municipal?", [
        "Es el registro donde constan los vecinos de un municipio: «Ley 7/1985».",
        "1. Sirve para acreditar la residencia.",
        "2. Es obligatorio inscribirse — incluso sin papeles.",
    ]),
    ("¿Cuánto cuesta el trámite \u201curgente\u201d?", [
        "Nada.\u00a0El\u00a0trámite es gratuito; no pague a intermediarios * ni _gestores_.",
    ]),
    ("¿Dónde se presenta la solicitud (en persona)?", [
        "En la oficina de atención ciudadana de su ayuntamiento, con cita previa.",
    ]),
]


def faq_text(title: str, qas: list, *, category: str | None = None, intro: tuple = (),
             newline: str = "\n", bom: bool = False) -> str:
    """A FAQ in the plain-text format, from its parts."""
    lines = [f"Categories {category}", ""] if category else []
    lines += [title, "", *intro, ""]
    for number, (question, answer) in enumerate(qas, start=1):
        lines += [f"{number}. {question}", "", *answer, ""]
    return ("\ufeff" if bom else "") + newline.join(lines)


def corpus_faq() -> list[tuple[str, str]]:
    """(question, answer text) of the corpus, split at '1. ...?' lines that continue the count."""
    found: list[list[str]] = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines()[3:]:
        match = re.fullmatch(r"(\d+)\. (.+\?)", line.strip())
        if match and int(match.group(1)) == len(found) + 1:
            found.append([match.group(2), ""])
        elif found:
            found[-1][1] += "\n" + line
        else:
            assert not line.strip(), "the corpus has no introduction"
    return [(q, a) for q, a in found]


def built_words(html: str) -> list[tuple[str, list[str]]]:
    """(question, answer words) as the built HTML prints them; answers may only be p, ol, li."""
    found = []
    for _, question, answer, tags in html_faq(html):
        assert tags <= {"p", "ol", "li"}, (question, tags)
        found.append((question, answer.split()))
    return found


def _import(text: str, folder: Path, name: str) -> Path:
    source = folder / f"{name}.txt"
    source.write_bytes(text.encode("utf-8"))
    out = folder / f"{name}.yaml"
    assert main(["import", str(source), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The corpus imported with the command line and built, once."""
    folder = tmp_path_factory.mktemp("import")
    out = folder / "missouri.yaml"
    assert main(["import", str(CORPUS), "--out", str(out)]) == 0
    return build_once(out, tmp_path_factory.mktemp("import-out"))


@pytest.fixture(scope="session")
def tricky(tmp_path_factory: pytest.TempPathFactory) -> tuple[Built, Built]:
    """An English FAQ of Markdown-special text (LF) and a Spanish one with BOM and CRLF, built."""
    folder = tmp_path_factory.mktemp("tricky")
    english = faq_text("Tricky text", TRICKY, intro=("An <i>intro</i> with * and [x].",))
    spanish = faq_text("Padrón", SPANISH, category="Trámites", newline="\r\n", bom=True,
                       intro=("Guía\tbreve,  con\u00a0espacios.  ",))
    return (build_once(_import(english, folder, "tricky"), tmp_path_factory.mktemp("en")),
            build_once(_import(spanish, folder, "padron"), tmp_path_factory.mktemp("es")))


def test_the_corpus_prints_word_for_word_in_html(corpus: Built) -> None:
    expected = [(q, a.split()) for q, a in corpus_faq()]
    assert len(expected) == 20
    assert built_words(corpus.html) == expected


def test_the_corpus_prints_word_for_word_in_the_pdf(corpus: Built) -> None:
    reader = corpus.reader
    title = "State And Local ICE Cooperation Policies in Missouri"
    printed = pdf_body_words(reader, title)
    expected = [f"{n} {q} {a}" for n, (q, a) in enumerate(corpus_faq(), start=1)]
    assert printed == pdf_words(" ".join(expected))
    numbered = re.findall(r"(?m)^(\d+\.) ", "\n".join(a for _, a in corpus_faq()))
    assert pdf_list_markers(reader, title) == numbered


@pytest.mark.parametrize("which", [0, 1])
def test_tricky_text_prints_word_for_word(tricky: tuple[Built, Built], which: int) -> None:
    built = tricky[which]
    qas, intro = (TRICKY, "An <i>intro</i> with * and [x].") if which == 0 else (
        SPANISH, "Guía\tbreve,  con\u00a0espacios.")
    assert built_words(built.html) == [(q, " ".join(a).split()) for q, a in qas]
    assert html_introduction(built.html).split() == intro.split()
    reader = built.reader
    title, heading = ("Tricky text", "Introduction") if which == 0 else ("Padrón", "Introducción")
    expected = [heading, intro] + [f"{n} {q} {' '.join(a)}" for n, (q, a) in
                                   enumerate(qas, start=1)]
    printed = pdf_body_words(reader, title)
    assert printed == pdf_words(" ".join(expected))
    numbered = [line.split()[0] for _, a in qas for line in a
                if re.match(r"\s*\d+\. ", line)]
    assert pdf_list_markers(reader, title) == numbered


def test_spanish_bom_crlf_text_is_read_as_spanish(tricky: tuple[Built, Built]) -> None:
    briefing = tricky[1].outcome.briefing
    assert briefing is not None
    assert (briefing.language, briefing.category, briefing.title) == ("es", "Trámites", "Padrón")


def test_the_hand_grouped_example_holds_the_corpus_words() -> None:
    example = {q.question: q.answer.text for q in load(EXAMPLE).questions}
    corpus = dict(corpus_faq())
    assert sorted(example) == sorted(corpus)
    for question, answer in corpus.items():
        assert html_text(to_html(example[question]))[0].split() == answer.split(), question


# -- properties --------------------------------------------------------------

_TOKENS = st.sampled_from([
    "$5", "*", "**", "_", "__init__", "`", "```", "~", "~~", "#", "##", ">", "-", "+", "=",
    "---", "===", "***", "<b>this</b>", "<b>", "[a", "link](http://x.org)", "<http://x.org>",
    "C:\\Users\\x", "\\", "\\*", "\\\\", "&amp;", "&copy;", "&#35;", "&#x23;", "AT&T", "|",
    "a|b", "![i](x.png)", "[r]:", "1.", "2)", "“quoted”", "it’s", "—", "(ICE)", "¿", "¡Sí!",
    "año", "niño", "<!--", "-->", "{", "}", "%", "^", "@", "1)", "10.",
])
_PLAIN = st.text(st.characters(categories=("L", "N", "P", "S"), exclude_characters="?\uff1f"),
                 min_size=1, max_size=8)
_WORD = st.one_of(_TOKENS, _PLAIN)
_SPACE = st.sampled_from([" ", " ", "  ", "\t", "\u00a0", " \t "])
_PREFIX = st.sampled_from(["", "", "", "  ", "    ", "\t", "\u00a0", "1. ", "2. ", "3. ",
                           "10. ", "1) ", "- ", "* ", "# ", "> ", "01. ", "1234567890. "])
_SUFFIX = st.sampled_from(["", "", " ", "   ", "\t", "\u00a0", "\\"])


@st.composite
def _line(draw: st.DrawFn) -> str:
    words = draw(st.lists(_WORD, min_size=1, max_size=8))
    text = words[0] + "".join(draw(_SPACE) + word for word in words[1:])
    return draw(_PREFIX) + text + draw(_SUFFIX)


@st.composite
def _answer(draw: st.DrawFn) -> list[str]:
    lines = []
    for line in draw(st.lists(_line(), min_size=1, max_size=5)):
        lines += [line] + draw(st.lists(st.sampled_from(["", " ", "\t"]), max_size=2))
    return lines


@st.composite
def _question(draw: st.DrawFn) -> str:
    words = draw(st.lists(_WORD, min_size=1, max_size=6))
    opening = draw(st.sampled_from(["", "¿"]))
    return opening + " ".join(words) + "?" + draw(st.sampled_from(["", "”", ")", " "]))


_TITLE = st.lists(_WORD, min_size=1, max_size=5).map(" ".join).filter(
    lambda t: not re.match(r"\s*categor", t, re.IGNORECASE))
_FAQ = st.fixed_dictionaries({
    "title": _TITLE,
    "category": st.one_of(st.none(), _TITLE),
    "intro": st.lists(_line(), max_size=2),
    "qas": st.lists(st.tuples(_question(), _answer()), min_size=1, max_size=4),
    "newline": st.sampled_from(["\n", "\r\n", "\r"]),
    "bom": st.booleans(),
})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_FAQ)
def test_any_faq_prints_word_for_word(faq: dict) -> None:
    text = faq_text(faq["title"], faq["qas"], category=faq["category"], intro=faq["intro"],
                    newline=faq["newline"], bom=faq["bom"])
    reading = read_text(text, "faq.txt")
    assert [d for d in reading.diagnostics if d.severity == "error"] == []
    loaded, diagnostics = parse(dump(reading.briefing), "faq.yaml")
    assert [d for d in diagnostics if d.severity == "error"] == []
    assert loaded.title.split() == faq["title"].split()
    html = render_screen(loaded, Options())
    expected = [(" ".join(q.split()), " ".join(a).split()) for q, a in faq["qas"]]
    assert [(" ".join(q.split()), a) for q, a in built_words(html)] == expected
    assert html_introduction(html).split() == " ".join(faq["intro"]).split()


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=60))
def test_any_line_renders_as_written(line: str) -> None:
    assume(not (re.match(r"\s*2\.", line) and "?" in line))  # that would be question 2
    reading = read_text(f"Title\n1. Question?\n{line}\n", "line.txt")
    answer = reading.briefing.questions[0].answer.text
    assert html_text(to_html(answer))[0].split() == line.split()


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_model_or_a_source_error(text: str) -> None:
    try:
        reading = read_text(text, "any.txt")
    except SourceError as exc:
        assert str(exc).startswith("any.txt:")
        return
    loaded, _ = parse(dump(reading.briefing), "any.yaml")
    assert [(q.question, q.answer) for q in loaded.questions] == [
        (q.question, q.answer) for q in reading.briefing.questions]
    assert (loaded.title, loaded.introduction) == (
        reading.briefing.title, reading.briefing.introduction)


def test_the_readme_example_imports_as_described() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("The text looks like", 1)[1].split("```\n")[1]
    lines = example.splitlines()
    assert lines[9].startswith("2. a list keeps its own numbers")  # the line this is about
    reading = read_text(example, "README.md")
    b = reading.briefing
    assert reading.diagnostics == ()
    assert (b.category, b.title) == ("Gobierno federal", lines[1])
    assert b.introduction.text == lines[3] + "\n"
    assert [(q.number, q.question, q.answer.text) for q in b.questions] == [
        ("1", lines[5].removeprefix("1. "), f"{lines[7]}\n\n{lines[8]}\n{lines[9]}\n"),
        ("2", lines[11].removeprefix("2. "), lines[13] + "\n"),
    ]
    printed = html_text(to_html(b.questions[0].answer.text))[0]
    assert printed.split() == " ".join(lines[7:10]).split()
