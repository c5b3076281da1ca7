"""Where the plain-text reader finds questions: numbered or not, lists first, headings."""

from __future__ import annotations

import re

import pytest
from faqwords import html_text
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from test_import import _answer, _question

from briefing.errors import SourceError
from briefing.markup import to_html
from briefing.readers.text import read_text


def _read(text: str, **options: bool) -> list[tuple[str | None, list[tuple[str, str]]]]:
    """(section title, [(question, answer)]) of a text."""
    b = read_text(text, "f.txt", **options).briefing
    return [(s.title, [(q.question, q.answer.text) for q in s.questions]) for s in b.sections]


def _said(text: str, **options: bool) -> list[str]:
    return [str(d) for d in read_text(text, "f.txt", **options).diagnostics]


UNNUMBERED = "Title\n\nIntro.\n\nWhat is it?\n\nA thing.\nReally.\n\nHow much?\n\nNothing."


def test_unnumbered_questions_stand_as_paragraphs_of_their_own() -> None:
    assert _read(UNNUMBERED) == [(None, [("What is it?", "A thing.\n\nReally.\n"),
                                         ("How much?", "Nothing.\n")])]
    assert _said(UNNUMBERED) == []
    b = read_text(UNNUMBERED, "f.txt").briefing
    assert (b.introduction.text, b.questions[1].where.line) == ("Intro.\n", 10)


def test_without_blank_lines_every_line_is_a_paragraph() -> None:
    text = "Title\n¿Qué es?\nUna cosa.\n¿Cuánto cuesta “esto”?”\nNada."
    assert _read(text) == [(None, [("¿Qué es?", "Una cosa.\n"),
                                   ("¿Cuánto cuesta “esto”?”", "Nada.\n")])]


def test_a_question_inside_a_paragraph_stays_there_with_a_warning() -> None:
    text = "Title\n\nWhat is it?\n\nA thing.\nWhy ask?\n\nHow much?\n\nNothing."
    assert _read(text)[0][1][0] == ("What is it?", "A thing.\n\nWhy ask?\n")
    assert _said(text) == ["f.txt:6: warning: this line reads as a question but is not a "
                           "paragraph of its own (no blank line before it); kept in the answer "
                           "to question 1"]


CHECKLIST = ("Title\n\n1. One?\n\nA.\n\n2. What to check?\n\nThis:\n1. Papers?\n2. Date?\n"
             "3. Receipts?\n\n3. Three?\n\nC.")


def test_a_numbered_line_that_continues_a_list_stays_in_it() -> None:
    assert _read(CHECKLIST) == [(None, [
        ("One?", "A.\n"),
        ("What to check?", "This:\n\n1. Papers?\n2. Date?\n3. Receipts?\n"),
        ("Three?", "C.\n"),
    ])]
    assert _said(CHECKLIST) == [
        "f.txt:12: warning: '3.' continues both the list begun on line 10 and the numbering of "
        "the questions (question 2 is on line 7); kept in the list in the answer to question 2"]


def test_a_list_item_is_not_taken_for_a_misnumbered_question() -> None:
    text = "Title\n\n1. One?\n\nA.\n\n2. Two?\n\nCheck:\n1. Papers?\n2. Date?\n\nEnd."
    assert [q for q, _ in _read(text)[0][1]] == ["One?", "Two?"]
    assert _said(text) == []


@pytest.mark.parametrize(("text", "said"), [
    ("Title\n\n1. One?\n\nA.\n\nTwo?\n\nB.\n\n3. Three?\n\nC.",
     ["f.txt:7: warning: this line reads as a question but is not numbered, as the questions "
      "are (question 1 is on line 3); kept in the answer to question 1",
      "f.txt:11: warning: '3.' reads as a question but does not continue the numbering "
      "(expected 2.); kept in the answer to question 1"]),
    ("Title\n\nOne?\n\nA.\n\n2. Two?\n\nB.\n\nThree?\n\nC.",
     ["f.txt:7: warning: '2.' starts a numbered question, but the questions are not numbered "
      "(question 1 is on line 3); kept in the answer to question 1"]),
])
def test_mixing_numbered_and_unnumbered_questions_says_where(text: str, said: list[str]) -> None:
    assert _said(text) == said


SECTIONED = ("Title\n\nIntro.\n\nBefore you rent\n\nWhat is a lease?\n\nA contract.\n\n"
             "Moving out\n\nHow much notice?\n\nThirty days\n\nWho pays?\n\nThe landlord.")


def test_a_short_line_before_a_question_starts_a_section() -> None:
    assert _read(SECTIONED) == [
        ("Before you rent", [("What is a lease?", "A contract.\n")]),
        # "Thirty days" is the whole answer, so it is no heading.
        ("Moving out", [("How much notice?", "Thirty days\n"), ("Who pays?", "The landlord.\n")]),
    ]
    b = read_text(SECTIONED, "f.txt").briefing
    assert [s.where.line for s in b.sections] == [5, 11]
    assert [q.number for q in b.questions] == ["1.1", "2.1", "2.2"]


def test_flat_keeps_headings_as_text_where_they_are() -> None:
    assert _read(SECTIONED, flat=True) == [(None, [
        ("What is a lease?", "A contract.\n\nMoving out\n"),
        ("How much notice?", "Thirty days\n"), ("Who pays?", "The landlord.\n")])]
    assert read_text(SECTIONED, "f.txt", flat=True).briefing.introduction.text == (
        "Intro.\n\nBefore you rent\n")


def test_headings_after_the_first_question_are_kept_as_text_with_a_warning() -> None:
    text = "Title\n\nWhat is a lease?\n\nA contract.\n\nMoving out\n\nHow much notice?\n\nA month."
    assert _read(text) == _read(text, flat=True)
    assert _said(text) == [
        "f.txt:7: warning: 'Moving out' reads as a heading, but question 1 (line 3) comes "
        "before it; no heading starts a section and each is kept at the end of the text "
        "before it (give question 1 a heading, or use --flat)"]


def test_numbered_questions_under_headings() -> None:
    text = "Title\n\nRenting\n\n1. What?\n\nA.\n\nLeaving\n\n2. When?\n\nB."
    assert _read(text) == [("Renting", [("What?", "A.\n")]), ("Leaving", [("When?", "B.\n")])]


RESTARTED = ("Title\n\nRenting\n\n1. What is a lease?\n\nA contract.\n\n2. What do I check?\n\n"
             "This list:\n1. Is the heat on?\n2. Do the locks work?\n\nLeaving\n\n"
             "1. How much notice?\n\nA month.\n\n2. Who pays?\n\nThe landlord.\n\n"
             "3. Can I stay?\n\nNo.")


def test_numbers_that_start_again_in_each_section_are_questions() -> None:
    assert _read(RESTARTED) == [
        ("Renting", [("What is a lease?", "A contract.\n"), ("What do I check?",
                     "This list:\n\n1. Is the heat on?\n2. Do the locks work?\n")]),
        ("Leaving", [("How much notice?", "A month.\n"), ("Who pays?", "The landlord.\n"),
                     ("Can I stay?", "No.\n")])]
    assert _said(RESTARTED) == []
    # Without sections the numbers still start again where a heading stands.
    flat = _read(RESTARTED, flat=True)
    assert [q for _, qs in flat for q, _ in qs] == [
        "What is a lease?", "What do I check?", "How much notice?", "Who pays?", "Can I stay?"]


def test_no_question_points_at_the_line_meant_as_one() -> None:
    with pytest.raises(SourceError) as error:
        read_text("Title\n\nIntro.\nWhat is it?\nIt is.\n\nMore.", "f.txt")
    assert str(error.value) == (
        "f.txt:4: error: no question found; this line reads as a question but is not a "
        "paragraph of its own (put a blank line before it)")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_question(), _answer()), min_size=1, max_size=4),
       st.sampled_from(["\n", "\r\n"]))
def test_any_unnumbered_faq_reads_question_for_question(qas: list, newline: str) -> None:
    assume(not any(re.match(r"\s*\d+[.)]\s", q) for q, _ in qas))
    lines = ["Title", ""]
    for question, answer in qas:
        lines += [question, "", *answer, ""]
    reading = read_text(newline.join(lines), "f.txt", flat=True)
    assert [(" ".join(q.question.split()), html_text(to_html(q.answer.text))[0].split())
            for q in reading.briefing.questions] == [
        (" ".join(q.split()), " ".join(a).split()) for q, a in qas]
