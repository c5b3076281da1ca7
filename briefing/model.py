"""The document model: frozen dataclasses that every stage reads and no stage mutates.

Numbers ("1", "1.2") and anchors ("q-1-2") are computed here, once, so that the
HTML, the contents, the bookmarks and the tests all agree on them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Location:
    """Where a node starts in its source file (1-based line and column)."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Source:
    """A reference cited under an answer: a title and an optional URL."""

    title: str
    url: str | None = None
    where: Location | None = field(default=None, compare=False)
    url_where: Location | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Question:
    """One question with its Markdown answer, number and anchor."""

    question: str
    answer: str
    sources: tuple[Source, ...] = ()
    id: str | None = None
    number: str = ""
    anchor: str = ""
    where: Location | None = field(default=None, compare=False)
    question_where: Location | None = field(default=None, compare=False)
    answer_where: Location | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Section:
    """A titled group of questions; a flat source has one untitled section."""

    title: str | None
    questions: tuple[Question, ...]
    introduction: str | None = None
    id: str | None = None
    number: str = ""
    anchor: str = ""
    where: Location | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Briefing:
    """A whole briefing: front matter and sections, ready to render."""

    title: str
    sections: tuple[Section, ...]
    subtitle: str | None = None
    category: str | None = None
    language: str = "en"
    date: datetime.date | None = None
    authors: tuple[str, ...] = ()
    notice: str | None = None
    introduction: str | None = None
    path: str = "<memory>"
    name: str = "briefing"

    @property
    def flat(self) -> bool:
        """True when the source is a flat list of questions without sections."""
        return len(self.sections) == 1 and self.sections[0].title is None

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question, in document order."""
        return tuple(q for s in self.sections for q in s.questions)

    def markdown(self) -> Iterator[tuple[Location | None, str | None]]:
        """Every Markdown text of the briefing, with where it is when the model knows."""
        yield None, self.notice
        yield None, self.introduction
        for section in self.sections:
            yield section.where, section.introduction
            for question in section.questions:
                yield question.answer_where, question.answer


def number(briefing: Briefing) -> Briefing:
    """Return the briefing with section and question numbers and anchors filled in.

    Sections are numbered 1, 2, ...; their questions 1.1, 1.2, ...; in a flat
    briefing the questions are numbered 1, 2, ... An explicit ``id`` becomes the
    anchor; otherwise the anchor is derived from the number (``s-2``, ``q-2-3``).
    """
    sections = []
    for s_index, section in enumerate(briefing.sections, start=1):
        questions = []
        for q_index, question in enumerate(section.questions, start=1):
            num = f"{q_index}" if section.title is None else f"{s_index}.{q_index}"
            anchor = question.id or "q-" + num.replace(".", "-")
            questions.append(replace(question, number=num, anchor=anchor))
        sections.append(
            replace(
                section,
                questions=tuple(questions),
                number=str(s_index),
                anchor=section.id or f"s-{s_index}",
            )
        )
    return replace(briefing, sections=tuple(sections))
