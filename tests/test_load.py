"""The loader: YAML to model, and every schema error with its exact position."""

from __future__ import annotations

import datetime
import textwrap
from pathlib import Path

import pytest
from conftest import EXAMPLE

from briefing.build import load_checked
from briefing.errors import SourceError
from briefing.load import load

MINIMAL = """\
title: T
questions:
  - question: Q?
    answer: Ten words, so no lint rule calls this answer short.
"""


def errors_of(tmp_path: Path, text: str, name: str = "s.yaml") -> list[str]:
    """The diagnostics of a source, as printed (path made relative)."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_checked(path)
    return [str(d).replace(str(tmp_path) + "/", "") for d in caught.value.diagnostics]


def test_example_loads_into_numbered_sections() -> None:
    briefing = load(EXAMPLE)
    assert briefing.title == "State And Local ICE Cooperation Policies in Missouri"
    assert briefing.category == "Gobierno federal"
    assert briefing.date == datetime.date(2026, 11, 27)
    assert 4 <= len(briefing.sections) <= 6
    assert len(briefing.questions) == 20
    count = len(briefing.sections)
    assert [s.number for s in briefing.sections] == [str(n) for n in range(1, count + 1)]
    first = briefing.sections[0].questions
    assert [q.number for q in first] == [f"1.{n}" for n in range(1, len(first) + 1)]
    assert first[0].anchor == "current-policy"
    assert first[0].where is not None and first[0].where.line > 1


def test_flat_source_numbers_questions_from_one(tmp_path: Path) -> None:
    path = tmp_path / "flat.yaml"
    path.write_text(MINIMAL + "  - question: R?\n"
                    "    answer: Ten more words, so no lint rule calls it short.\n",
                    encoding="utf-8")
    briefing = load(path)
    assert briefing.flat
    assert [q.number for q in briefing.questions] == ["1", "2"]
    assert [q.anchor for q in briefing.questions] == ["q-1", "q-2"]
    assert briefing.language == "en" and briefing.authors == ()


def test_author_may_be_a_string_or_a_list(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("author: Jane Doe\n" + MINIMAL, encoding="utf-8")
    assert load(path).authors == ("Jane Doe",)
    path.write_text("author: [Jane Doe, John Roe]\n" + MINIMAL, encoding="utf-8")
    assert load(path).authors == ("Jane Doe", "John Roe")


def test_plain_scalars_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("title: 1984\nsubtitle: yes\n" + MINIMAL.replace("title: T\n", ""),
                    encoding="utf-8")
    briefing = load(path)
    assert (briefing.title, briefing.subtitle) == ("1984", "yes")


CASES = {
    "yaml syntax": (
        "title: [unclosed\n",
        ["s.yaml:2:1: error: YAML syntax error: expected ',' or ']', but got '<stream end>' "
         "(while parsing a flow sequence on line 1, column 8)"],
    ),
    "unknown key with suggestion": (
        """\
        title: T
        questions:
          - question: Q?
            anwser: A.
        """,
        ["s.yaml:3:5: error: a question is missing required key 'answer'",
         "s.yaml:4:5: error: unknown key 'anwser' in a question; did you mean 'answer'? "
         "allowed keys: id, language, question, answer, sources, status"],
    ),
    "duplicate key": (
        "title: T\ntitle: U\n" + MINIMAL.replace("title: T\n", ""),
        ["s.yaml:2:1: error: duplicate key 'title' (first defined on line 1)"],
    ),
    "wrong type": (
        "title: [a, b]\nquestions: just text\n",
        ["s.yaml:1:8: error: 'title' must be text, not a list",
         "s.yaml:2:12: error: 'questions' must be a list, not text"],
    ),
    "missing title": (
        "questions:\n  - question: Q?\n"
        "    answer: Ten words, so no lint rule calls this answer short.\n",
        ["s.yaml:1:1: error: the briefing is missing required key 'title'"],
    ),
    "empty question and answer": (
        """\
        title: T
        questions:
          - question: "  "
            answer:
        """,
        ["s.yaml:3:15: error: question is empty", "s.yaml:4:12: error: answer is empty"],
    ),
    "both sections and questions": (
        """\
        title: T
        sections:
          - title: S
            questions:
              - question: Q?
                answer: Ten words, so no lint rule calls this answer short.
        questions:
          - question: R?
            answer: Ten more words, so no lint rule calls it short.
        """,
        ["s.yaml:7:1: error: use either 'sections' or 'questions', not both"],
    ),
    "neither sections nor questions": (
        "title: T\n",
        ["s.yaml:1:1: error: the briefing needs 'sections' or 'questions'"],
    ),
    "section without questions": (
        """\
        title: T
        sections:
          - title: Empty
            questions: []
          - title: Missing
        """,
        ["s.yaml:4:16: error: a section has no questions",
         "s.yaml:5:5: error: a section is missing required key 'questions'"],
    ),
    "duplicate id": (
        """\
        title: T
        questions:
          - id: same
            question: Q?
            answer: Ten words, so no lint rule calls this answer short.
          - id: same
            question: R?
            answer: Ten more words, so no lint rule calls it short.
        """,
        ["s.yaml:6:5: error: duplicate id 'same' (first used on line 3)"],
    ),
    "id that is not a slug": (
        "title: T\nquestions:\n  - id: Not A Slug\n    question: Q?\n"
        "    answer: Ten words, so no lint rule calls this answer short.\n",
        ["s.yaml:3:9: error: id 'Not A Slug' must be a slug: lowercase letters, digits and "
         "single hyphens"],
    ),
    "date that is not real": (
        "date: 2026-02-30\n" + MINIMAL,
        ["s.yaml:1:7: error: date '2026-02-30' is not a real date"],
    ),
    "date in another format": (
        "date: 27/11/2026\n" + MINIMAL,
        ["s.yaml:1:7: error: date '27/11/2026' must be written YYYY-MM-DD"],
    ),
    "url that is not http(s) or mailto": (
        """\
        title: T
        questions:
          - question: Q?
            answer: Ten words, so no lint rule calls this answer short.
            sources:
              - title: Files
                url: file:///etc/passwd
              - title: Script
                url: javascript:alert(1)
        """,
        ["s.yaml:7:14: error: url 'file:///etc/passwd' must be an http://, https:// or "
         "mailto: address",
         "s.yaml:9:14: error: url 'javascript:alert(1)' must be an http://, https:// or "
         "mailto: address"],
    ),
    "paper that is not a size": (
        "paper: b5\n" + MINIMAL,
        ["s.yaml:1:8: error: paper 'b5' must be one of letter, a4, legal, a5, half-letter"],
    ),
    "paper in capitals": (
        "title: T\npaper: A4\n" + MINIMAL.replace("title: T\n", ""),
        ["s.yaml:2:8: error: paper 'A4' must be one of letter, a4, legal, a5, half-letter"],
    ),
    "paper that is a list": (
        "paper: [a4]\n" + MINIMAL,
        ["s.yaml:1:8: error: 'paper' must be text, not a list"],
    ),
    "layout that does not exist": (
        "layout: flyer\n" + MINIMAL,
        ["s.yaml:1:9: error: layout 'flyer' must be one of briefing, handout"],
    ),
    "cover that is not true or false": (
        "cover: maybe\ncontents: 0\n" + MINIMAL,
        ["s.yaml:1:8: error: cover 'maybe' must be true or false",
         "s.yaml:2:11: error: contents '0' must be true or false"],
    ),
    "top level is a list": (
        "- a\n- b\n",
        ["s.yaml:1:1: error: the briefing must be a mapping of keys, not a list"],
    ),
    "empty file": (
        "",
        ["s.yaml:1:1: error: file is empty; a briefing needs at least a title"],
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_schema_errors_say_where(tmp_path: Path, case: str) -> None:
    text, expected = CASES[case]
    assert errors_of(tmp_path, text) == expected


def test_all_errors_of_a_file_are_reported_at_once(tmp_path: Path) -> None:
    found = errors_of(tmp_path, """\
        title: T
        title: U
        date: 2026-13-01
        questions:
          - question: Q?
            anwser: A.
          - question: R?
            answer: ""
        """)
    assert found == [
        "s.yaml:2:1: error: duplicate key 'title' (first defined on line 1)",
        "s.yaml:3:7: error: date '2026-13-01' is not a real date",
        "s.yaml:5:5: error: a question is missing required key 'answer'",
        "s.yaml:6:5: error: unknown key 'anwser' in a question; did you mean 'answer'? "
        "allowed keys: id, language, question, answer, sources, status",
        "s.yaml:8:13: error: answer is empty",
    ]


def test_unknown_language_falls_back_to_english_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "fr.yaml"
    path.write_text("language: fr\n" + MINIMAL, encoding="utf-8")
    briefing, diagnostics = load_checked(path)
    assert briefing.language == "fr"
    assert [str(d) for d in diagnostics] == [
        f"{path}: warning: no labels for language 'fr'; using English labels"
    ]
