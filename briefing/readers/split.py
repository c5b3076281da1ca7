"""Where the questions of a plain-text FAQ are: numbered or not, lists first, headings as sections.

A text's lines after its title are read twice, once taking numbered lines
(``1. …?``) as questions and once taking lines ending in ``?`` that stand as
paragraphs of their own; the reading that finds more questions wins (numbered on
a tie), and lines that would be questions in the other one are kept where they
are with a warning. A line stands as its own paragraph when a blank line comes
before it or it is the first after the title or a heading; in a text without
any blank line between its lines, every line is a paragraph of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..check import reads_as_question
from ..errors import Diagnostic
from .plain import LIST_ITEM

_NUMBERED = re.compile(r"([0-9]+)\.[ \t]+(\S.*)\Z")
#: A heading ends without punctuation (closing quotes or brackets aside).
_PUNCTUATED = re.compile(r"[.,;:!?\uff1f\u2026][\"'\u201d\u2019\u00bb)\]]*\Z")
#: Longer lines are sentences, not headings.
MAX_HEADING = 80


@dataclass(frozen=True)
class Line:
    """A non-empty line: its number in the file, its text, and whether a blank line precedes it."""

    at: int
    text: str
    gap: bool


@dataclass
class Found:
    """A question as found: its line, its text and its answer's lines."""

    at: int
    text: str
    answer: list[Line] = field(default_factory=list)


@dataclass
class Heading:
    """A heading that starts a section: its line, its text, and its first question's index."""

    at: int
    text: str
    first: int


@dataclass
class Split:
    """The introduction, the questions and the headings of a text, and what was said."""

    numbered: bool
    intro: list[Line] = field(default_factory=list)
    questions: list[Found] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def numbered_question(text: str) -> re.Match[str] | None:
    """The match of ``N. text?`` when the text reads as a question."""
    match = _NUMBERED.match(text)
    return match if match and reads_as_question(match.group(2)) else None


def _plain_question(text: str) -> bool:
    return reads_as_question(text) and not LIST_ITEM.match(text)


def _heading_like(text: str) -> bool:
    return (len(text) <= MAX_HEADING and not _PUNCTUATED.search(text)
            and not LIST_ITEM.match(text) and not _NUMBERED.match(text))


class _Pass:
    """One reading of the lines in one style."""

    def __init__(self, body: list[Line], path: str, numbered: bool, flat: bool) -> None:
        self.body, self.path, self.flat = body, path, flat
        self.paragraphs = any(line.gap for line in body[1:])
        self.split = Split(numbered)
        self.list_start: int | None = None  # line where the "N." list the answer ends with began
        self.list_last = 0
        #: Questions before the current section when its numbers started again at 1.
        self.restart: int | None = None

    def own(self, index: int, after_heading: bool = False) -> bool:
        """Whether the line at ``index`` stands as a paragraph of its own."""
        return (index == 0 or after_heading or self.body[index].gap or not self.paragraphs)

    def question(self, index: int, after_heading: bool = False) -> str | None:
        """The question the line at ``index`` starts, or None."""
        text = self.body[index].text
        if not self.split.numbered:
            return text if _plain_question(text) and self.own(index, after_heading) else None
        match = numbered_question(text)
        if not match or int(match.group(1)) not in self.expected(after_heading):
            return None
        if not after_heading and self.continues_list(int(match.group(1))):
            return None
        return match.group(2)

    def expected(self, after_heading: bool = False) -> set[int]:
        """The numbers the next question may have: the next of the whole text, the next in
        its section when a section's numbers start again, or 1 right after a heading."""
        count = len(self.split.questions)
        numbers = {count + 1}
        if after_heading:
            numbers.add(1)
        elif self.restart is not None:
            numbers.add(count - self.restart + 1)
        return numbers

    def next_number(self) -> int:
        """The number the next question would have, for messages."""
        count = len(self.split.questions)
        return count + 1 if self.restart is None else count - self.restart + 1

    def continues_list(self, value: int) -> bool:
        return self.list_start is not None and self.list_last == value - 1

    def heading(self, index: int) -> bool:
        """Whether the line at ``index`` reads as a heading: short, unpunctuated, its own
        paragraph, and followed by a question (``flat`` keeps it as text all the same)."""
        line = self.body[index]
        answered = not self.split.questions or self.split.questions[-1].answer
        return (index + 1 < len(self.body) and _heading_like(line.text)
                and self.own(index) and bool(answered)  # a short answer is not a heading
                and self.question(index + 1, after_heading=True) is not None)

    def warn(self, line: Line, message: str) -> None:
        self.split.diagnostics.append(Diagnostic(self.path, line.at, 0, message, "warning"))

    def kept(self) -> str:
        count = len(self.split.questions)
        return f"answer to question {count}" if count else "introduction"

    def run(self) -> Split:
        """Read every line: a heading, a question, or a line of the current answer."""
        after_heading = False
        for index, line in enumerate(self.body):
            text = self.question(index, after_heading)
            if text is not None:
                if after_heading and self.split.numbered:
                    number = int(numbered_question(line.text).group(1))
                    count = len(self.split.questions)
                    self.restart = count if number == 1 and count else None
                self.split.questions.append(Found(line.at, text))
                self.list_start, after_heading = None, False
                continue
            after_heading = self.heading(index)  # the next question may number from 1
            if after_heading and not self.flat:
                self.split.headings.append(Heading(line.at, line.text, len(self.split.questions)))
                continue
            self.keep(index, line)
        return self.split

    def keep(self, index: int, line: Line) -> None:
        """Put a line in the current answer (or the introduction); say what else it could be."""
        if self.split.numbered:
            self.numbered_line(index, line)
        elif numbered_question(line.text) and self.own(index) and not self.in_list(index):
            self.warn(line, f"'{_NUMBERED.match(line.text).group(1)}.' starts a numbered "
                            "question, but the questions are not numbered"
                      f"{self.first()}; kept in the {self.kept()}")
        elif _plain_question(line.text) and not self.own(index):
            self.warn(line, "this line reads as a question but is not a paragraph of its own "
                            f"(no blank line before it); kept in the {self.kept()}")
        item = LIST_ITEM.match(line.text)
        if item and item.group(2) == ".":
            if not self.continues_list(int(item.group(1))):
                self.list_start = line.at
            self.list_last = int(item.group(1))
        else:
            self.list_start = None
        target = self.split.questions[-1].answer if self.split.questions else self.split.intro
        target.append(line)

    def first(self) -> str:
        found = self.split.questions
        return f" (question 1 is on line {found[0].at})" if found else ""

    def in_list(self, index: int) -> bool:
        """Whether a numbered line continues the list before it or the next line continues it."""
        value = int(_NUMBERED.match(self.body[index].text).group(1))
        if self.continues_list(value):
            return True
        after = self.body[index + 1].text if index + 1 < len(self.body) else ""
        item = LIST_ITEM.match(after)
        return bool(item and item.group(2) == "." and int(item.group(1)) == value + 1)

    def numbered_line(self, index: int, line: Line) -> None:
        """Warnings for a line of a numbered text that is not a question."""
        match = numbered_question(line.text)
        expected = self.next_number()
        count = len(self.split.questions)
        if match and int(match.group(1)) in self.expected():
            where = f"question {count} is on line {self.split.questions[-1].at}" if count else (
                "no question before it")
            self.warn(line, f"'{match.group(1)}.' continues both the list begun on line "
                            f"{self.list_start} and the numbering of the questions ({where}); "
                            f"kept in the list in the {self.kept()}")
        elif match and not self.in_list(index):
            self.warn(line, f"'{match.group(1)}.' reads as a question but does not continue "
                            f"the numbering (expected {expected}.); kept in the {self.kept()}")
        elif _plain_question(line.text) and self.own(index) and count:
            self.warn(line, "this line reads as a question but is not numbered, as the "
                            f"questions are{self.first()}; kept in the {self.kept()}")


def split(body: list[Line], path: str, flat: bool = False) -> Split:
    """The questions of ``body``, read in the style that finds more of them."""
    numbered = _Pass(body, path, True, flat).run()
    plain = _Pass(body, path, False, flat).run()
    return plain if len(plain.questions) > len(numbered.questions) else numbered
