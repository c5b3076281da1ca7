"""The Markdown reader: questions as headings or bold lines, answers as written."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.cli import main
from briefing.errors import SourceError
from briefing.importer import import_text
from briefing.load import load, parse
from briefing.readers import choose
from briefing.readers.markdown import READER, read_markdown
from briefing.write_yaml import dump

FAQ = """# Voting guide

Read *this* first.

## Registering

Some words about registering.

### Who can register?

Citizens, 18 and over.

**How do I register?**

1. Online.
2. By mail.

## Voting

### Where do I vote?

At any [vote center](https://x.org/centers).
"""


def _said(text: str, **options: bool) -> list[str]:
    return [str(d) for d in read_markdown(text, "f.md", **options).diagnostics]


def test_headings_and_bold_lines_are_questions_and_other_headings_sections() -> None:
    reading = read_markdown(FAQ, "f.md")
    b = reading.briefing
    assert reading.diagnostics == ()
    assert (b.title, b.introduction.text, b.language) == ("Voting guide", "Read *this* first.\n",
                                                          "en")
    assert [(s.title, s.introduction and s.introduction.text) for s in b.sections] == [
        ("Registering", "Some words about registering.\n"), ("Voting", None)]
    assert [(q.number, q.question, q.answer.text) for q in b.questions] == [
        ("1.1", "Who can register?", "Citizens, 18 and over.\n"),
        ("1.2", "How do I register?", "1. Online.\n2. By mail.\n"),
        ("2.1", "Where do I vote?", "At any [vote center](https://x.org/centers).\n"),
    ]
    assert [(q.where.line, q.at("answer").line) for q in b.questions] == [(9, 10), (13, 14),
                                                                           (20, 21)]


def test_flat_keeps_section_headings_in_the_text() -> None:
    b = read_markdown(FAQ, "f.md", flat=True).briefing
    assert b.flat and len(b.questions) == 3
    assert b.introduction.text == (
        "Read *this* first.\n\n# Registering\n\nSome words about registering.\n")
    assert b.questions[1].answer.text == "1. Online.\n2. By mail.\n\n# Voting\n"


def test_the_deepest_heading_level_that_holds_questions_makes_sections() -> None:
    text = ("# T\n\n## Part one\n\n### Renting\n\n#### What is a lease?\n\nA contract.\n\n"
            "### Leaving\n\n#### When?\n\nSoon.\n")
    b = read_markdown(text, "f.md").briefing
    assert [s.title for s in b.sections] == ["Renting", "Leaving"]
    assert b.introduction.text == "# Part one\n"
    assert _said(text) == ["f.md:3: warning: a level-2 heading in the introduction is written "
                           "as level 1 ('#'): headings in an answer start one level below "
                           "their question"]


def test_headings_inside_an_answer_start_below_the_question() -> None:
    text = "# T\n\n## What?\n\nA.\n\n#### Details\n\nB.\n\nMore\n-----\n\nC.\n"
    b = read_markdown(text, "f.md").briefing
    assert b.questions[0].answer.text == "A.\n\n## Details\n\nB.\n\n# More\n\nC.\n"
    assert _said(text) == [
        "f.md:7: warning: a level-4 heading in the answer to question 1 is written as level 2 "
        "('##'): headings in an answer start one level below their question",
        "f.md:11: warning: a level-2 heading in the answer to question 1 is written as level 1 "
        "('#'): headings in an answer start one level below their question",
    ]


def test_raw_html_and_images_are_reported_where_they_are() -> None:
    text = "# T\n\n## What?\n\nSay <b>hi</b>.\n\n<div>\nblock\n</div>\n\n![](map.png)\n"
    assert _said(text) == [
        "f.md:5: warning: raw HTML in the answer to question 1 is printed as text, not as "
        "markup: '<b>'",
        "f.md:5: warning: raw HTML in the answer to question 1 is printed as text, not as "
        "markup: '</b>'",
        "f.md:7: warning: raw HTML in the answer to question 1 is printed as text, not as "
        "markup: '<div> block </div>'",
        "f.md:11: warning: the image 'map.png' in the answer to question 1 has no alternative "
        "text, which the build requires: describe it between the brackets, or write ![-](...) "
        "if it only decorates",
        "f.md:11: warning: the image 'map.png' in the answer to question 1 is not copied: the "
        "text was not read from a file; put 'map.png' beside the written source",
    ]


@pytest.mark.parametrize(("text", "message"), [
    ("# T\n\nJust text.\n\n## About\n", "f.md:1: error: no question found; questions are "
     "headings ('## What is ...?') or bold lines ('**What is ...?**') ending in '?'"),
    ("Intro.\n\n## What?\n\nA.\n", "f.md:3: error: expected a title ('# Title') before the "
     "first question"),
    ("# T\n\n## What?\n\n" + "> " * 45 + "deep\n", "f.md:5: error: lists and quotes in the "
     "answer to question 1 are nested more than 40 levels deep here; that much nesting cannot "
     "be printed"),
])
def test_errors_say_where(text: str, message: str) -> None:
    with pytest.raises(SourceError) as error:
        read_markdown(text, "f.md")
    assert str(error.value) == message


@pytest.mark.parametrize(("text", "recognised"), [
    ("# T\n\n## What is it?\n", True),
    ("# T\n\n**What is it?**\n", True),
    ("Title\n\n1. What is it?\n\nA.\n", False),
    ("Title\n\nWhat is it?\n", False),
])
def test_recognises_headings_and_bold_lines_ending_in_a_question_mark(
        text: str, recognised: bool) -> None:
    assert READER.recognises(text) is recognised


def test_the_content_chooses_the_reader_when_the_name_does_not() -> None:
    assert [(r.name, why) for r, why in (choose("faq.md", "x"), choose("faq", FAQ),
                                         choose("faq", "Title\n1. Q?\nA."))] == [
        ("markdown", "from the name .md"), ("markdown", "from the content"),
        ("text", "the default")]


def test_from_markdown_reads_a_txt_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    faq = tmp_path / "faq.txt"
    faq.write_text(FAQ, encoding="utf-8")
    out = tmp_path / "faq.yaml"
    assert main(["import", str(faq), "--from", "markdown", "--out", str(out)]) == 0
    assert capsys.readouterr().out == (
        f"wrote {out}: 3 questions, read as markdown (given with --from), "
        "language en (guessed from the questions)\n")
    assert [s.title for s in load(out).sections] == ["Registering", "Voting"]


def test_the_written_source_loads_back_the_same(tmp_path: Path) -> None:
    text = FAQ + "\n### Tabs and breaks?\n\nA line  \nbroken\tby\\\nhard breaks: # not a comment\n"
    imported = import_text(text, "f.md", tmp_path / "f.yaml")
    loaded = load(imported.path)
    assert [(q.question, q.answer.text) for q in loaded.questions] == [
        (q.question, q.answer.text) for q in imported.briefing.questions]
    assert loaded.questions[-1].answer.text.startswith("A line  \nbroken\tby\\\n")


def test_a_shallower_heading_that_holds_questions_is_not_a_section_when_a_deeper_one_is() -> None:
    text = "# T\n\n## Renting\n\n**Lease?**\n\nA.\n\n### Deposits\n\n**How much?**\n\nB.\n"
    b = read_markdown(text, "f.md").briefing
    assert b.flat and b.introduction.text == "# Renting\n"
    assert b.questions[0].answer.text == "A.\n\n# Deposits\n"
    assert _said(text)[1] == (
        "f.md:9: warning: 'Deposits' reads as a section heading, but question 1 (line 5) comes "
        "before it; no heading starts a section and each is kept in the text before it (give "
        "question 1 a heading, or use --flat)")


def test_the_readme_example_imports_as_described() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("### Importing a Markdown FAQ", 1)[1].split("```\n")[1]
    lines = example.splitlines()
    reading = read_markdown(example, "README.md")
    b = reading.briefing
    assert reading.diagnostics == ()
    assert (b.title, b.introduction.text) == (lines[0].removeprefix("# "), lines[2] + "\n")
    assert [s.title for s in b.sections] == [lines[4].removeprefix("## ")]
    assert [(q.question, q.answer.text) for q in b.questions] == [
        (lines[6].removeprefix("### "), lines[8] + "\n"),
        (lines[10].strip("*"), "\n".join(lines[12:14]) + "\n"),
    ]


def test_reference_links_keep_their_definitions_as_written() -> None:
    text = ("# T\n\n## What?\n\nSee [the form][Form] and [form].\n\n## Where?\n\nHere.\n\n"
            "[form]: https://x.org/form  'The form'\n")
    b = read_markdown(text, "f.md").briefing
    assert b.questions[0].answer.text == (
        "See [the form][Form] and [form].\n\n[form]: https://x.org/form  'The form'\n")
    assert [link.url for link in b.questions[0].answer.links] == ["https://x.org/form"] * 2
    assert b.questions[1].answer.text == "Here.\n\n[form]: https://x.org/form  'The form'\n"


_PIECES = st.sampled_from([
    "# T", "## What?", "### Why?", "**How?**", "__When?__", "## Section", "#### Deep", "Text.",
    "1. one", "3) three", "- item", "> quote", "<b>x</b>", "![](x.png)", "[a][r]", "[r]: http://x",
    "Setext", "===", "---", "```", "    code", "", "", "¿Qué?", "| a | b |", "|---|---|",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=25), st.booleans())
def test_any_text_gives_a_model_that_loads_back_or_a_source_error(
        lines: list[str], flat: bool) -> None:
    try:
        reading = read_markdown("\n".join(lines), "any.md", flat=flat)
    except SourceError as exc:
        assert str(exc).startswith("any.md:")
        return
    loaded, _ = parse(dump(reading.briefing), "any.yaml")
    assert [(q.question, q.answer) for q in loaded.questions] == [
        (q.question, q.answer) for q in reading.briefing.questions]
    assert [s.title for s in loaded.sections] == [s.title for s in reading.briefing.sections]


def test_control_characters_are_removed_with_a_warning() -> None:
    reading = read_markdown("# T\n\n## Q?\n\nA\x00B\u2028C\n", "f.md")
    assert reading.briefing.questions[0].answer.text == "AB C\n"
    assert [str(d) for d in reading.diagnostics] == ["f.md:5: warning: control characters removed"]


@pytest.mark.parametrize(("text", "questions"), [
    ("# T\n\n## 1. What?\n\nA.\n\n## 2) Why?\n\nB.\n", ["What?", "Why?"]),
    ("# T\n\n## 1. What?\n\nA.\n\n## 3. Why?\n\nB.\n", ["1. What?", "3. Why?"]),
    ("# T\n\n## 2024. What?\n\nA.\n", ["2024. What?"]),
])
def test_question_numbers_go_only_when_they_count_the_questions(
        text: str, questions: list[str]) -> None:
    assert [q.question for q in read_markdown(text, "f.md").briefing.questions] == questions
