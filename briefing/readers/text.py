"""The plain-text reader: numbered questions, answers kept word for word.

The text is plain, so every character that would mean something in Markdown is
escaped; each non-empty line becomes a paragraph, and runs of numbered lines an
ordered list that keeps its own numbers. A numbered line is a question only when
it continues the numbering of the questions and reads as a question.
"""

from __future__ import annotations

import re

from .. import markup
from ..check import reads_as_question
from ..errors import Diagnostic, SourceError
from ..model import Briefing, Location, Question, Section, Span, number
from . import Reading

_NUMBERED = re.compile(r"([0-9]+)\.[ \t]+(\S.*)\Z")
#: An ordered-list marker as CommonMark reads it: at most nine digits, no leading zero.
_LIST_ITEM = re.compile(r"(0|[1-9][0-9]{0,8})\.[ \t]+(\S.*)\Z")
_CATEGORY = re.compile(r"Categories:?[ \t]+(\S.*)\Z", re.IGNORECASE)
#: Characters Python treats as line or word breaks; in a line they are only spaces.
_SPACES = re.compile(r"[ \t\x0b\x0c\x1c-\x1f\x85\u2028\u2029]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
#: Inline Markdown: backslash escapes, emphasis, code, links, autolinks, tables,
#: entities and strikethrough (a run of two or more tildes).
_INLINE = re.compile(
    r"\\(?=[!-/:-@\[-`{-~]|\Z)|[`*_\[\]<|]|&(?=#?[A-Za-z0-9]+;)|~(?=~)|(?<=~)~"
)
#: Line starts that make a block: headings, quotes, bullets, breaks, setext
#: underlines and ordered-list markers.
_LINE_START = re.compile(r"[#>+=-]|[0-9]+(?=[.)])")

#: Common words of questions in each language, for guessing which one a text is in.
_SPANISH = frozenset({
    "qué", "que", "cómo", "como", "cuál", "cuáles", "cuándo", "cuánto", "dónde", "quién",
    "por", "para", "los", "las", "el", "la", "del", "una", "es", "son", "se", "puedo",
    "puede", "hay", "en", "con", "mi", "su", "al", "sobre",
})
_ENGLISH = frozenset({
    "the", "what", "how", "is", "are", "do", "does", "can", "of", "to", "in", "for", "and",
    "who", "when", "where", "which", "why", "my", "on", "with", "will", "should", "there",
})


#: A question as found: its line, its text, and its answer's (line, text) pairs.
_Found = tuple[int, str, list[tuple[int, str]]]


def escape(line: str) -> str:
    """Escape one line of plain text so that Markdown prints it exactly as written."""
    escaped = _INLINE.sub(lambda m: "\\" + m.group(0), line)
    start = _LINE_START.match(escaped)
    if start is None:
        return escaped
    if start.group(0)[0].isdigit():  # "1." or "1)": the delimiter is what makes a list
        return escaped[:start.end()] + "\\" + escaped[start.end():]
    return "\\" + escaped


def to_markdown(lines: list[str]) -> str:
    """Markdown for non-empty plain lines: one paragraph each, numbered runs as ordered lists."""
    out: list[str] = []
    previous: int | None = None  # number of the list item just written, if any
    delimiter = "."
    for line in lines:
        item = _LIST_ITEM.match(line)
        if item is None:
            out += ["", escape(line)] if out else [escape(line)]
            previous = None
            continue
        value = int(item.group(1))
        if previous is None or value != previous + 1:
            # A list next to a list would merge with it; another delimiter starts a new one.
            delimiter = ")" if previous is not None and delimiter == "." else "."
            if out:
                out.append("")
        out.append(f"{value}{delimiter} {escape(item.group(2))}")
        previous = value
    return "\n".join(out) + "\n" if out else ""


def guess_language(questions: list[str]) -> str:
    """'es' when the questions read as Spanish, else 'en'."""
    text = " ".join(questions).lower()
    words = re.findall(r"\w+", text)
    spanish = sum(w in _SPANISH for w in words) + 3 * text.count("¿")
    spanish += len(re.findall(r"[áéíóúñü]", text))
    english = sum(w in _ENGLISH for w in words)
    return "es" if spanish > english else "en"


def _clean(raw: str) -> tuple[str, bool]:
    """A line with odd spaces made plain and control characters removed (and whether any were)."""
    line, removed = _CONTROL.subn("", raw)
    return _SPACES.sub(" ", line).strip(), bool(removed)


def _lines(text: str, path: str, diagnostics: list[Diagnostic]) -> list[tuple[int, str]]:
    """The non-empty lines of a text with their line numbers (CRLF, CR or LF; BOM dropped)."""
    lines = []
    for at, raw in enumerate(re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff")), start=1):
        line, removed = _clean(raw)
        if removed:
            diagnostics.append(Diagnostic(path, at, 0, "control characters removed", "warning"))
        if line:
            lines.append((at, line))
    return lines


def _is_question(line: str) -> bool:
    numbered = _NUMBERED.match(line)
    return bool(numbered and reads_as_question(numbered.group(2)))


def _front(lines: list[tuple[int, str]], path: str) -> tuple[str | None, str, int]:
    """Category, title and the index of the first line after them."""
    if not lines:
        raise SourceError.at(path, 1, 0, "file is empty; expected a title and numbered questions")
    category = _CATEGORY.match(lines[0][1])
    start = 1 if category else 0
    if start == len(lines) or _is_question(lines[start][1]):
        at = lines[min(start, len(lines) - 1)][0]
        raise SourceError.at(path, at, 0, "expected a title before the first question")
    return (category.group(1) if category else None), lines[start][1], start + 1


def _split(body: list[tuple[int, str]], path: str,
           diagnostics: list[Diagnostic]) -> tuple[list[str], list[_Found]]:
    """The introduction's lines, and each question as found."""
    intro: list[str] = []
    found: list[_Found] = []
    for at, line in body:
        numbered = _NUMBERED.match(line)
        if numbered and reads_as_question(numbered.group(2)):
            if int(numbered.group(1)) == len(found) + 1:
                found.append((at, numbered.group(2), []))
                continue
            kept = f"answer to question {len(found)}" if found else "introduction"
            diagnostics.append(Diagnostic(
                path, at, 0,
                f"'{numbered.group(1)}.' reads as a question but does not continue the "
                f"numbering (expected {len(found) + 1}.); kept in the {kept}",
                "warning",
            ))
        if found:
            found[-1][2].append((at, line))
        else:
            intro.append(line)
    if not found:
        numbered_lines = [at for at, line in body if _NUMBERED.match(line)]
        at = numbered_lines[0] if numbered_lines else body[-1][0] if body else 1
        hint = ("this numbered line is not a question ending in '?'" if numbered_lines
                else "questions are lines like '1. What is ...?'")
        raise SourceError.at(path, at, 0, f"no question found; {hint}")
    return intro, found


def read_text(text: str, path: str, language: str | None = None) -> Reading:
    """Read a plain-text FAQ; raise SourceError when it has no title or no question."""
    diagnostics: list[Diagnostic] = []
    lines = _lines(text, path, diagnostics)
    category, title, start = _front(lines, path)
    intro, found = _split(lines[start:], path, diagnostics)
    introduction = to_markdown(intro)
    questions = []
    for index, (at, question, answer) in enumerate(found, start=1):
        if not answer:
            diagnostics.append(Diagnostic(path, at, 0, f"question {index} has no answer",
                                          "warning"))
        answer_at = Location(path, answer[0][0] if answer else at, 1)
        questions.append(Question(
            question=question,
            answer=markup.parse(to_markdown([line for _, line in answer]), Span(answer_at)),
            where=Location(path, at, 1),
            spans={"question": Span(Location(path, at, 1)), "answer": Span(answer_at)},
        ))
    briefing = Briefing(
        title=title,
        sections=(Section(title=None, questions=tuple(questions),
                          where=Location(path, found[0][0], 1)),),
        category=category,
        language=language or guess_language([q.question for q in questions]),
        introduction=markup.parse(introduction) if introduction else None,
        path=path,
    )
    diagnostics.sort(key=lambda d: d.line)
    return Reading(number(briefing), tuple(diagnostics), language is None)


class _Text:
    """The plain-text reader: a title line, then numbered questions with their answers."""

    name = "text"
    description = "plain text: a title, then questions numbered '1. ...?' with their answers"
    extensions = (".txt", ".text")

    def recognises(self, text: str) -> bool:
        """Plain text is what is left when nothing else recognises a file."""
        return True

    def read(self, text: str, name: str, language: str | None = None, *,
             flat: bool = False) -> Reading:
        """Read a plain-text FAQ (see :func:`read_text`)."""
        return read_text(text, name, language)


#: The plain-text reader, as registered.
READER = _Text()
