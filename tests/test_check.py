"""Whole-document rules: each lint warning says what and where, and --strict makes it fail."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import DATA, EXAMPLE

from briefing.build import check_sources, load_checked
from briefing.check import RESERVED_IDS, reads_as_question
from briefing.cli import main
from briefing.errors import SourceError
from briefing.options import STYLES

TEN_WORDS = "One two three four five six seven eight nine ten."


def _warnings(tmp_path: Path, text: str) -> list[str]:
    source = tmp_path / "s.yaml"
    source.write_text(text, encoding="utf-8")
    _, diagnostics = load_checked(source)
    return [str(d).replace(str(source), "s.yaml") for d in diagnostics]


def test_the_example_and_the_spanish_data_have_no_warnings() -> None:
    for outcome in check_sources([EXAMPLE, DATA / "flat-es.yaml"], strict=True):
        assert outcome.ok and outcome.diagnostics == [], outcome.error


def test_duplicate_question_points_at_the_second(tmp_path: Path) -> None:
    assert _warnings(tmp_path, f"""title: T
questions:
  - question: What is  the policy?
    answer: {TEN_WORDS}
  - question: what is the Policy?
    answer: {TEN_WORDS}
""") == ["s.yaml:5:15: warning: duplicate question (first asked on line 3)"]


def test_question_without_question_mark(tmp_path: Path) -> None:
    assert _warnings(tmp_path, f"""title: T
questions:
  - question: Tell me about the policy
    answer: {TEN_WORDS}
  - question: ¿Y «esto»?
    answer: {TEN_WORDS}
""") == ["s.yaml:3:15: warning: question does not end with '?'"]


def test_short_answer(tmp_path: Path) -> None:
    assert _warnings(tmp_path, """title: T
questions:
  - question: Is it?
    answer: |
      Yes, it **is**, see [this](#q-1).
""") == ["s.yaml:4:13: warning: answer is only 5 words long; expected at least 10"]


def test_long_question(tmp_path: Path) -> None:
    question = "Why " + "very " * 60 + "long?"
    assert _warnings(tmp_path, f"""title: T
questions:
  - question: {question}
    answer: {TEN_WORDS}
""") == ["s.yaml:3:15: warning: question is 309 characters long; keep it under 250"]


def test_source_urls_that_are_not_https(tmp_path: Path) -> None:
    assert _warnings(tmp_path, f"""title: T
questions:
  - question: Where?
    answer: {TEN_WORDS}
    sources:
      - title: Plain web
        url: http://example.org/a
      - title: Mail
        url: mailto:someone@example.org
      - title: Fine
        url: https://example.org/b
      - Just a title
""") == [
        "s.yaml:7:14: warning: source URL 'http://example.org/a' is not https",
        "s.yaml:9:14: warning: source URL 'mailto:someone@example.org' is not https",
    ]


def test_strict_makes_lint_warnings_fail(tmp_path: Path, capsys) -> None:
    source = tmp_path / "s.yaml"
    source.write_text("title: T\nquestions:\n  - question: Q\n    answer: Short.\n",
                      encoding="utf-8")
    assert main(["check", str(source)]) == 0
    assert main(["check", "--strict", str(source)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-3:] == [
        f"{source}:3:15: warning: question does not end with '?'",
        f"{source}:4:13: warning: answer is only 1 word long; expected at least 10",
        "1 source checked, 0 errors, 2 warnings (failing: --strict)",
    ]
    with pytest.raises(SourceError):
        load_checked(source, strict=True)


@pytest.mark.parametrize(("text", "question"), [
    ("What?", True), ("¿Qué?", True), ("He said “why?”", True), ("(Really?) ", True),
    ("What? Not this", False), ("No.", False), ("？", True),
])
def test_reads_as_question(text: str, question: bool) -> None:
    assert reads_as_question(text) is question


@pytest.mark.parametrize("reserved", RESERVED_IDS)
def test_the_themes_own_ids_are_reserved(tmp_path: Path, reserved: str) -> None:
    source = tmp_path / "s.yaml"
    source.write_text("title: T\nsections:\n  - title: S\n    questions:\n"
                      f"      - id: {reserved}\n        question: Q?\n"
                      "        answer: Ten words, so no lint rule calls this answer short.\n",
                      encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_checked(source)
    assert str(caught.value) == (
        f"{source}:5:13: error: id '{reserved}' is used by the theme's own pages; choose another "
        "(reserved: contents, contents-title, cover, introduction, top)")


def test_every_id_the_templates_write_is_reserved() -> None:
    written = {m for path in STYLES.glob("*.j2")
               for m in re.findall(r'\bid="([^"{]+)"', path.read_text(encoding="utf-8"))}
    assert written == set(RESERVED_IDS)


def test_a_link_to_an_unknown_id_is_an_error_where_it_is(tmp_path: Path) -> None:
    source = tmp_path / "s.yaml"
    source.write_text("title: T\nquestions:\n  - id: locks\n    question: Q?\n    answer: |\n"
                      f"      {TEN_WORDS} See [locks](#locks), [top](#top)\n"
                      "      and [the fees](#fees).\n", encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_checked(source)
    column = "      and [the fees](#fees).".index("[") + 1
    assert str(caught.value) == (f"{source}:7:{column}: error: link to '#fees' leads nowhere: "
                                 "no section or question has that id")
