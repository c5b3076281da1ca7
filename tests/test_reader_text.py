"""The plain-text reader: questions, answers, lists, escaping, language, and where problems are."""

from __future__ import annotations

import pytest
from conftest import DATA
from faqwords import html_text

from briefing.errors import SourceError
from briefing.load import read
from briefing.markup import to_html
from briefing.readers.text import escape, guess_language, read_text, to_markdown


def _answers(text: str) -> list[str]:
    return [q.answer.text for q in read_text(text, "f.txt").briefing.questions]


def test_the_corpus_reads_into_twenty_questions() -> None:
    reading = read_text(read(DATA / "missouri-ice-cooperation.txt"), "corpus.txt")
    b = reading.briefing
    assert reading.diagnostics == ()
    assert (b.title, b.category, b.language, b.introduction) == (
        "State And Local ICE Cooperation Policies in Missouri", "Gobierno federal", "en", None)
    assert reading.language_guessed
    assert b.flat and [q.number for q in b.questions] == [str(n) for n in range(1, 21)]
    assert b.questions[0].question.startswith("What is the current policy of Missouri")
    assert b.questions[0].answer.text.startswith("1. The current policy")
    assert "\n2. Furthermore, Missouri’s current policy" in b.questions[0].answer.text
    assert b.questions[5].answer.text.count("\n\n") == 1  # a paragraph, then a tight list
    assert b.questions[19].answer.text.count("\n\n") == 5  # six paragraphs
    assert (b.questions[2].where.line, b.questions[2].at("answer").line) == (15, 17)


@pytest.mark.parametrize(("line", "markdown"), [
    ("$5 * 3", "$5 \\* 3"),
    ("<b>this</b>", "\\<b>this\\</b>"),
    ("[a link](http://x)", "\\[a link\\](http://x)"),
    ("C:\\Users\\x", "C:\\Users\\x"),
    ("a \\* b \\", "a \\\\\\* b \\\\"),
    ("AT&T &amp; &#35; &x", "AT&T \\&amp; \\&#35; &x"),
    ("snake_case `code` a|b", "snake\\_case \\`code\\` a\\|b"),
    ("~5 or ~~struck~~", "~5 or \\~\\~struck\\~\\~"),
    ("# not a heading", "\\# not a heading"),
    ("> not a quote", "\\> not a quote"),
    ("- not a bullet", "\\- not a bullet"),
    ("+ nor this", "\\+ nor this"),
    ("---", "\\---"),
    ("===", "\\==="),
    ("1) not a list", "1\\) not a list"),
    ("<http://x.org>", "\\<http://x.org>"),
    ("¡Qué “bien” — sí!", "¡Qué “bien” — sí!"),
])
def test_escape_keeps_plain_text_plain(line: str, markdown: str) -> None:
    assert escape(line) == markdown
    text, tags = html_text(to_html(markdown))
    assert (text.strip(), tags) == (line, {"p"})


def test_numbered_lines_form_lists_that_keep_their_numbers() -> None:
    lines = ["Steps:", "3. Third.", "4. Fourth.", "Then.", "1. One.", "1. One again.",
             "7. Seven.", "01. Not a list.", "1234567890. Nor this."]
    assert to_markdown(lines) == (
        "Steps:\n\n3. Third.\n4. Fourth.\n\nThen.\n\n1. One.\n\n1) One again.\n\n"
        "7. Seven.\n\n01\\. Not a list.\n\n1234567890\\. Nor this.\n"
    )
    html = to_html(to_markdown(lines))
    assert html.count("<ol") == 4 and '<ol start="3"' in html and '<ol start="7"' in html


def test_blank_lines_between_items_do_not_split_a_list() -> None:
    (answer,) = _answers("T\n1. Q?\nIntro:\n\n1. a\n\n2. b\n\n\n3. c\nEnd.")
    assert answer == "Intro:\n\n1. a\n2. b\n3. c\n\nEnd.\n"


def test_a_numbered_line_that_is_not_a_question_belongs_to_the_answer() -> None:
    answers = _answers("T\n1. Q?\n1. First point.\n2. Second point.\n2. Next question?\nA.")
    assert answers == ["1. First point.\n2. Second point.\n", "A.\n"]


def test_bom_crlf_tabs_trailing_spaces_and_nbsp() -> None:
    text = "\ufeffCategories\tTrámites \r\n\r\nTítulo\r\n1.\t¿Qué\t es?  \r\nSí,\u00a0claro.\t \r\n"
    reading = read_text(text, "f.txt")
    b = reading.briefing
    assert (b.category, b.title, b.language) == ("Trámites", "Título", "es")
    question = b.questions[0]
    assert (question.question, question.answer.text) == ("¿Qué es?", "Sí,\u00a0claro.\n")
    assert _answers("T\r1. Q?\rA\rB") == ["A\n\nB\n"]


def test_text_before_question_one_is_the_introduction() -> None:
    b = read_text("Title\nWhy *this* exists.\n\n- It helps.\n1. Q?\nA.", "f.txt").briefing
    assert b.introduction.text == "Why \\*this\\* exists.\n\n\\- It helps.\n"


@pytest.mark.parametrize(("questions", "language"), [
    (["¿Qué es?", "¿Dónde?"], "es"),
    (["Cuánto cuesta el trámite?"], "es"),
    (["What is the policy?", "How does it work?"], "en"),
    (["ICE?"], "en"),
])
def test_language_is_guessed_from_the_questions(questions: list[str], language: str) -> None:
    assert guess_language(questions) == language


def test_a_given_language_wins() -> None:
    reading = read_text("T\n1. ¿Qué?\nA.", "f.txt", language="pt-BR")
    assert (reading.briefing.language, reading.language_guessed) == ("pt-BR", False)


@pytest.mark.parametrize(("text", "message"), [
    ("", "f.txt:1: error: file is empty; expected a title and numbered questions"),
    ("\n \n", "f.txt:1: error: file is empty; expected a title and numbered questions"),
    ("Title\n\nJust text.\n", "f.txt:3: error: no question found; "
     "questions are lines like '1. What is ...?'"),
    ("Title\n\nIntro.\n1. Not a question.\n2. Neither\nEnd.", "f.txt:4: error: no question "
     "found; this numbered line is not a question ending in '?'"),
    ("Categories X\n1. What?\nA.", "f.txt:2: error: expected a title before the first question"),
    ("Categories X\n\n", "f.txt:1: error: expected a title before the first question"),
])
def test_errors_say_where(text: str, message: str) -> None:
    with pytest.raises(SourceError) as error:
        read_text(text, "f.txt")
    assert str(error.value) == message


def test_a_question_out_of_sequence_is_kept_in_the_answer_with_a_warning() -> None:
    reading = read_text("T\n1. One?\nA.\n3. Three?\nB.\n2. Two?\nC.", "f.txt")
    assert [str(d) for d in reading.diagnostics] == [
        "f.txt:4: warning: '3.' reads as a question but does not continue the numbering "
        "(expected 2.); kept in the answer to question 1"
    ]
    assert _answers("T\n1. One?\nA.\n3. Three?\nB.\n2. Two?\nC.") == [
        "A.\n\n3. Three?\n\nB.\n", "C.\n"]


def test_a_question_without_answer_is_a_warning() -> None:
    reading = read_text("T\n1. One?\n\n2. Two?\nB.\n3. Three?\n", "f.txt")
    assert [str(d) for d in reading.diagnostics] == [
        "f.txt:2: warning: question 1 has no answer",
        "f.txt:6: warning: question 3 has no answer",
    ]


def test_control_characters_are_removed_with_a_warning() -> None:
    reading = read_text("T\n1. Q?\nA\x00B\x0cC\x85D\u2028E", "f.txt")
    assert reading.briefing.questions[0].answer.text == "AB C D E\n"
    assert [str(d) for d in reading.diagnostics] == [
        "f.txt:3: warning: control characters removed"]
