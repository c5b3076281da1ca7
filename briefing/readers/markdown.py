"""The Markdown reader: questions as headings or bold lines, answers kept as written.

The structure comes from the parser's tokens and their line numbers: a heading
or a paragraph that is one bold line, reading as a question, starts a question;
the first level-1 heading before it is the title; headings without ``?`` start
sections. Answers are the original lines between one question and the next,
already Markdown, so nothing is escaped; what the project prints otherwise
than a Markdown viewer would is adjusted or reported (:mod:`.mdanswer`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .. import markup
from ..check import reads_as_question
from ..errors import Diagnostic, SourceError
from ..model import Briefing, Location, Question, Section, Span, number
from . import Reading
from .common import guess_language
from .mdanswer import answer_markdown
from .mdimages import Images

#: An ATX heading or a bold line ending in "?": enough to tell a Markdown FAQ by its content.
_SNIFF = re.compile(r"^(?:#{1,6}[ \t].*\?[ \t#]*|(?:\*\*|__).+\?(?:\*\*|__)[ \t]*)$",
                    re.MULTILINE)

#: Characters a source cannot keep: control characters go, and those YAML or Python
#: would read as line breaks become spaces (as in plain text).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
_NUMBER = re.compile(r"([0-9]{1,9})[.)][ \t]+(?=\S)")
_BREAKS = re.compile(r"[\x0b\x0c\x1c-\x1f\x85\u2028\u2029]")


@dataclass(frozen=True)
class Block:
    """A heading or a bold-line question: its first line, end line (0-based), level and text.

    ``level`` is 0 for a bold line.
    """

    start: int
    end: int
    level: int
    text: str

    @property
    def question(self) -> bool:
        return reads_as_question(self.text)


def _plain(inline: Token) -> str:
    """The text of an inline token as a reader sees it: no markup, link texts kept."""
    parts = [child.content if child.type != "softbreak" else " "
             for child in inline.children or () if child.type in
             ("text", "text_special", "code_inline", "softbreak", "html_inline")]
    return " ".join("".join(parts).split())


def _bold_line(inline: Token) -> bool:
    children = [c for c in inline.children or () if not (c.type == "text" and not c.content)]
    return (len(children) >= 3 and children[0].type == "strong_open"
            and children[-1].type == "strong_close"
            and not any(c.type == "strong_open" for c in children[1:-1]))


def blocks(lines: list[str], references: dict | None = None) -> list[Block]:
    """Every top-level heading, and every one-line bold paragraph that reads as a question.

    ``references``, when given, receives the link reference definitions by label.
    """
    env: dict = {}
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(
        "\n".join(lines), env)
    if references is not None:
        references.update(env.get("references", {}))
    found = []
    for index, token in enumerate(tokens):
        if token.level != 0 or not token.map:
            continue
        inline = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.type == "heading_open" and inline is not None:
            found.append(Block(token.map[0], token.map[1], int(token.tag[1]), _plain(inline)))
        elif (token.type == "paragraph_open" and inline is not None
              and token.map[1] - token.map[0] == 1 and _bold_line(inline)):
            block = Block(token.map[0], token.map[1], 0, _plain(inline))
            if block.question:
                found.append(block)
    return found


def _sections(found: list[Block], title: Block | None, flat: bool) -> list[Block]:
    """The headings that start sections: those at the deepest level that holds questions.

    A heading deeper than the question heading before it belongs to that answer.
    """
    if flat:
        return []
    candidates: list[Block] = []
    holding: list[Block] = []
    asked = 0  # level of the question being answered (0: none, or a bold line)
    for block in found:
        if block is title:
            continue
        if block.question:
            asked = block.level
            if candidates and candidates[-1] not in holding:
                holding.append(candidates[-1])
        elif not (asked and block.level > asked):
            candidates.append(block)
            asked = 0
    if not holding:
        return []
    level = max(block.level for block in holding)
    return [block for block in holding if block.level == level]


def _definitions(lines: list[str], start: int, end: int, references: dict) -> list[str]:
    """The definitions, as written elsewhere in the file, of the reference links that
    ``lines[start:end]`` uses (``[text][label]``, ``[label]``), so that they stay links."""
    text = "\n".join(lines[start:end]).lower()
    found: list[str] = []
    for label, reference in references.items():
        first, last = reference["map"]
        if not start <= first < end and f"[{label.lower()}]" in text:
            found += ["", *lines[first:last]]
    return found


class _Markdown:
    """The Markdown reader."""

    name = "markdown"
    description = ("Markdown: '# Title', questions as headings ('## What ...?') or bold lines "
                   "('**What ...?**'), other headings start sections")
    extensions = (".md", ".markdown")

    def recognises(self, text: str) -> bool:
        """Whether the text has a heading or a bold line ending in '?'."""
        return bool(_SNIFF.search(text))

    def read(self, text: str, name: str, language: str | None = None, *,
             flat: bool = False, folder: Path | None = None) -> Reading:
        """Read a Markdown FAQ; raise SourceError when it has no title or no question."""
        return read_markdown(text, name, language, flat=flat, folder=folder)


def read_markdown(text: str, path: str, language: str | None = None, *,
                  flat: bool = False, folder: Path | None = None) -> Reading:
    """Read a Markdown FAQ (see the module's description).

    ``folder`` is the one the file was read from: the image files its answers
    name there are listed in the reading's ``files``.
    """
    diagnostics: list[Diagnostic] = []
    images = Images(path, folder)
    lines = []
    for at, raw in enumerate(re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff")), start=1):
        line, removed = _CONTROL.subn("", raw)
        if removed:
            diagnostics.append(Diagnostic(path, at, 0, "control characters removed", "warning"))
        lines.append(_BREAKS.sub(" ", line))
    references: dict = {}
    found = blocks(lines, references)
    asked = [block for block in found if block.question]
    if not asked:
        at = next((i for i, line in enumerate(lines) if line.strip()), 0) + 1
        raise SourceError.at(path, at, 0, "no question found; questions are headings "
                             "('## What is ...?') or bold lines ('**What is ...?**') ending in '?'")
    title = next((b for b in found if b.level == 1 and not b.question
                  and b.start < asked[0].start), None)
    if title is None:
        raise SourceError.at(path, asked[0].start + 1, 0,
                             "expected a title ('# Title') before the first question")
    heads = _sections(found, title, flat)
    if heads and heads[0].start > asked[0].start:
        diagnostics.append(Diagnostic(path, heads[0].start + 1, 0, (
            f"'{heads[0].text}' reads as a section heading, but question 1 (line "
            f"{asked[0].start + 1}) comes before it; no heading starts a section and each is "
            "kept in the text before it (give question 1 a heading, or use --flat)"), "warning"))
        heads = []
    marks = sorted([title, *asked, *heads], key=lambda b: b.start)
    numbered = [_NUMBER.match(b.text) for b in asked]
    if all(m and int(m.group(1)) == n for n, m in enumerate(numbered, start=1)):
        # "## 1. What ...?", "## 2. ...": the briefing numbers its questions itself
        renamed = {id(b): b.text[m.end():] for b, m in zip(asked, numbered, strict=True) if m}
    else:
        renamed = {}

    def text_after(block: Block | None, where: str) -> str:
        start = block.end if block else 0
        following = [b.start for b in marks if b.start >= start and b not in (block, title)]
        end = min(following, default=len(lines))
        if block:
            chunk = lines[start:end]
            while chunk and not chunk[-1].strip():
                chunk = chunk[:-1]
            chunk += _definitions(lines, start, end, references)
            return answer_markdown(chunk, start, path, where, diagnostics, images)
        before = answer_markdown(lines[:title.start], 0, path, where, diagnostics, images)
        after = answer_markdown(lines[title.end:end], title.end, path, where, diagnostics,
                                images)
        return "\n".join(part for part in (before, after) if part)

    questions: list[list[Question]] = [[]]
    for block in marks:
        if block in heads:
            questions.append([])
        elif block.question:
            index = sum(len(q) for q in questions) + 1
            answer = text_after(block, f"the answer to question {index}")
            if not answer:
                diagnostics.append(Diagnostic(path, block.start + 1, 0,
                                              f"question {index} has no answer", "warning"))
            at = Location(path, block.start + 1, 1)
            answer_at = Location(path, block.end + 1, 1)
            questions[-1].append(Question(
                question=renamed.get(id(block), block.text),
                answer=markup.parse(answer, Span(answer_at)), where=at,
                spans={"question": Span(at), "answer": Span(answer_at)}))
    if heads:
        sections = tuple(
            Section(title=head.text, questions=tuple(group),
                    introduction=markup.parse(intro) if (intro := text_after(
                        head, f"the introduction of section {n}")) else None,
                    where=Location(path, head.start + 1, 1),
                    spans={"title": Span(Location(path, head.start + 1, 1))})
            for n, (head, group) in enumerate(zip(heads, questions[1:], strict=True), start=1))
    else:
        sections = (Section(title=None, questions=tuple(questions[0]),
                            where=Location(path, asked[0].start + 1, 1)),)
    introduction = text_after(None, "the introduction")
    briefing = Briefing(
        title=title.text, sections=sections,
        language=language or guess_language([q.text for q in asked]),
        introduction=markup.parse(introduction) if introduction else None, path=path)
    diagnostics.sort(key=lambda d: d.line)
    return Reading(number(briefing), tuple(diagnostics), language is None,
                   tuple(images.files.items()))


#: The Markdown reader, as registered.
READER = _Markdown()
