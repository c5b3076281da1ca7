"""The plain-text reader: a title, questions numbered or not, answers kept word for word.

Where the questions and headings are is :mod:`.split`'s business; each answer's
lines become Markdown that prints them exactly (:mod:`.plain`): one paragraph a
line, numbered runs as ordered lists, addresses as links.
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import markup
from ..check import reads_as_question
from ..errors import Diagnostic, SourceError
from ..model import Briefing, Location, Question, Section, Span, number
from . import Reading
from .common import guess_language
from .plain import LIST_ITEM, escape, to_markdown
from .split import Found, Line, Split, numbered_question, split

__all__ = ["READER", "escape", "guess_language", "read_text", "to_markdown"]

_CATEGORY = re.compile(r"Categories:?[ \t]+(\S.*)\Z", re.IGNORECASE)
#: Characters Python treats as line or word breaks; in a line they are only spaces.
_SPACES = re.compile(r"[ \t\x0b\x0c\x1c-\x1f\x85\u2028\u2029]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")


def _clean(raw: str) -> tuple[str, bool]:
    """A line with odd spaces made plain and control characters removed (and whether any were)."""
    line, removed = _CONTROL.subn("", raw)
    return _SPACES.sub(" ", line).strip(), bool(removed)


def _lines(text: str, path: str, diagnostics: list[Diagnostic]) -> list[Line]:
    """The non-empty lines of a text, numbered, each knowing whether a blank line precedes it.

    CRLF, CR or LF line ends; a byte order mark is dropped.
    """
    lines = []
    gap = False
    for at, raw in enumerate(re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff")), start=1):
        line, removed = _clean(raw)
        if removed:
            diagnostics.append(Diagnostic(path, at, 0, "control characters removed", "warning"))
        if line:
            lines.append(Line(at, line, gap))
        gap = not line
    return lines


def _front(lines: list[Line], path: str) -> tuple[str | None, str, int]:
    """Category, title and the index of the first line after them."""
    if not lines:
        raise SourceError.at(path, 1, 0, "file is empty; expected a title and questions")
    category = _CATEGORY.match(lines[0].text)
    start = 1 if category else 0
    if start == len(lines) or numbered_question(lines[start].text):
        at = lines[min(start, len(lines) - 1)].at
        raise SourceError.at(path, at, 0, "expected a title before the first question")
    return (category.group(1) if category else None), lines[start].text, start + 1


def _no_question(body: list[Line], title_at: int, path: str) -> SourceError:
    """The error for a text without questions, at the line most likely meant as one."""
    for line in body:
        if reads_as_question(line.text) and not LIST_ITEM.match(line.text):
            return SourceError.at(path, line.at, 0, "no question found; this line reads as a "
                                  "question but is not a paragraph of its own (put a blank "
                                  "line before it)")
    numbered = [line.at for line in body if LIST_ITEM.match(line.text)]
    if numbered:
        return SourceError.at(path, numbered[0], 0, "no question found; this numbered line is "
                              "not a question ending in '?'")
    return SourceError.at(path, body[0].at if body else title_at, 0, (
        "no question found; questions are lines of their own ending in '?', "
        "like 'What is ...?' or '1. What is ...?'"))


def _read(body: list[Line], path: str, flat: bool) -> Split:
    """The questions of the body; headings are left as text when questions come before them."""
    found = split(body, path, flat)
    if found.headings and found.headings[0].first > 0:
        first = found.headings[0]
        found = split(body, path, flat=True)
        found.diagnostics.append(Diagnostic(path, first.at, 0, (
            f"'{first.text}' reads as a heading, but question 1 (line {found.questions[0].at}) "
            "comes before it; no heading starts a section and each is kept at the end of the "
            "text before it (give question 1 a heading, or use --flat)"), "warning"))
    return found


def _question(found: Found, index: int, path: str, diagnostics: list[Diagnostic]) -> Question:
    if not found.answer:
        diagnostics.append(Diagnostic(path, found.at, 0, f"question {index} has no answer",
                                      "warning"))
    answer_at = Location(path, found.answer[0].at if found.answer else found.at, 1)
    return Question(
        question=found.text,
        answer=markup.parse(to_markdown([line.text for line in found.answer]), Span(answer_at)),
        where=Location(path, found.at, 1),
        spans={"question": Span(Location(path, found.at, 1)), "answer": Span(answer_at)},
    )


def read_text(text: str, path: str, language: str | None = None, *,
              flat: bool = False) -> Reading:
    """Read a plain-text FAQ; raise SourceError when it has no title or no question.

    With ``flat``, headings start no sections and stay as text where they are.
    """
    diagnostics: list[Diagnostic] = []
    lines = _lines(text, path, diagnostics)
    category, title, start = _front(lines, path)
    body = lines[start:]
    found = _read(body, path, flat)
    if not found.questions:
        raise _no_question(body, lines[start - 1].at, path)
    diagnostics += found.diagnostics
    questions = [_question(q, index, path, diagnostics)
                 for index, q in enumerate(found.questions, start=1)]
    introduction = to_markdown([line.text for line in found.intro])
    if found.headings:
        bounds = [h.first for h in found.headings] + [len(questions)]
        sections = tuple(
            Section(title=h.text, questions=tuple(questions[bounds[k]:bounds[k + 1]]),
                    where=Location(path, h.at, 1), spans={"title": Span(Location(path, h.at, 1))})
            for k, h in enumerate(found.headings))
    else:
        sections = (Section(title=None, questions=tuple(questions),
                            where=Location(path, found.questions[0].at, 1)),)
    briefing = Briefing(
        title=title,
        sections=sections,
        category=category,
        language=language or guess_language([q.question for q in questions]),
        introduction=markup.parse(introduction) if introduction else None,
        path=path,
    )
    diagnostics.sort(key=lambda d: d.line)
    return Reading(number(briefing), tuple(diagnostics), language is None)


class _Text:
    """The plain-text reader: a title line, then questions with their answers."""

    name = "text"
    description = ("plain text: a title, then questions ('What ...?' or '1. What ...?') "
                   "with their answers; short lines before questions are section headings")
    extensions = (".txt", ".text")

    def recognises(self, text: str) -> bool:
        """Plain text is what is left when nothing else recognises a file."""
        return True

    def read(self, text: str, name: str, language: str | None = None, *,
             flat: bool = False, folder: Path | None = None) -> Reading:
        """Read a plain-text FAQ (see :func:`read_text`)."""
        return read_text(text, name, language, flat=flat)


#: The plain-text reader, as registered.
READER = _Text()
