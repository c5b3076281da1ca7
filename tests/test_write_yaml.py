"""The YAML writer: documented key order, literal blocks, and a source that loads back the same."""

from __future__ import annotations

import datetime
from dataclasses import replace

import pytest
from conftest import DATA, EXAMPLE

from briefing.load import load, parse
from briefing.markup import parse as md
from briefing.model import Briefing, Question, Section, Source, number
from briefing.write_yaml import dump


def _flat(*questions: Question, **front: object) -> Briefing:
    flat = Section(title=None, questions=tuple(questions))
    return number(Briefing(title="T", sections=(flat,), **front))


@pytest.mark.parametrize("source", [EXAMPLE, DATA / "flat-es.yaml"])
def test_sources_load_back_the_same(source) -> None:
    briefing = load(source)
    again, diagnostics = parse(dump(briefing), str(source))
    assert diagnostics == []
    assert again == briefing


def test_keys_in_documented_order_answers_as_literal_blocks() -> None:
    briefing = _flat(
        Question(question="What is it?", answer=md("It is *this*.\n\n1. One.\n2. Two.\n"),
                 id="what", sources=(Source(title="A law", url="https://x.org/a"),
                                     Source(title="A book"))),
        Question(question="Why: because?", answer=md("Because.\n")),
        category="Cat", language="es", date=datetime.date(2026, 11, 27), authors=("Ana",),
        subtitle="Sub", notice=md("Not advice.\n"), introduction=md("Why.\n"),
    )
    assert dump(briefing, comment="Made by hand.\n\nTwice.") == """\
# Made by hand.
#
# Twice.

title: T
subtitle: Sub
category: Cat
language: es
date: 2026-11-27
author: Ana
notice: |
  Not advice.
introduction: |
  Why.

questions:
  - id: what
    question: What is it?
    answer: |
      It is *this*.

      1. One.
      2. Two.
    sources:
      - title: A law
        url: https://x.org/a
      - A book

  - question: 'Why: because?'
    answer: |
      Because.
"""


def test_sections_with_introductions_and_ids() -> None:
    briefing = number(Briefing(title="T", sections=(
        Section(title="One", questions=(Question(question="A?", answer=md("a\n")),
                                        Question(question="B?", answer=md("b\n"))), id="one",
                introduction=md("  - question: not a key\n")),
        Section(title="Two", questions=(Question(question="C?", answer=md("c\n")),)),
    ), authors=("Ana", "Luis")))
    text = dump(briefing)
    assert "\n\n      - question: B?\n" in text and "\n\n  - title: Two\n" in text
    again, diagnostics = parse(text, "t.yaml")
    assert diagnostics == [] and again == replace(briefing, path="t.yaml", name="t")


@pytest.mark.parametrize("answer", [
    "Hard break  \nhere.\n",      # trailing spaces mean something in Markdown
    "  Indented first line.\n",    # a block needs an indentation indicator
    "\nLeading blank line.\n",
    "No final newline",
    "Tab\there.\n\ttabbed line.\n",
    "Odd\ufeffcharacter\x85and NEL.\n",
    "",
])
def test_text_a_block_cannot_hold_still_loads_back_exactly(answer: str) -> None:
    briefing = _flat(Question(question="Q?", answer=md(answer)))
    again, _ = parse(dump(briefing), "t.yaml")
    assert again.questions[0].answer.text == answer
