"""The document model: frozen dataclasses that every stage reads and no stage mutates.

The model is also the schema. A field that a source may set is declared once,
with :func:`declare`: its YAML key, its kind, whether it is required; the order
of the fields is the order a source writes them. Model objects are built with
keywords only, so that order is free to follow the documentation. The loader,
the YAML writer and every traversal (glyphs, images, links) read those
declarations through :func:`schema`, so a new field is one declaration here plus
its use in a template.

Numbers ("1", "1.2") and anchors ("q-1-2") are computed here, once, so that the
HTML, the contents, the bookmarks and the tests all agree on them.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any, ClassVar

#: The kinds of value a declared field holds; the loader has one reader per kind.
KINDS = ("text", "markdown", "id", "url", "language", "choice", "flag", "date", "names", "list",
         "label")

#: The paper sizes a source may name (``paper:``), by the name it uses.
PAPERS = ("letter", "a4", "legal", "a5", "half-letter")

#: The layouts a source may name (``layout:``): a cover and contents, or a one-page title block.
LAYOUTS = ("briefing", "handout")

#: A briefing's or a question's ``status:``; a draft is marked, and ``--final`` refuses it.
STATUSES = ("draft", "final")

#: How a briefing is printed (``sides:``): on one side of the paper, or on both.
SIDES = ("one", "two")

#: Where a section starts when printed on both sides (``section-start:``).
SECTION_STARTS = ("any", "right")


@dataclass(frozen=True)
class Location:
    """Where a node starts in its source file (1-based line and column)."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Span:
    """Where a text value sits in its file: its start, and each of its lines when known exactly.

    ``lines`` holds the 1-based (line, column) at which each line of the value
    starts in the file; it is empty when the YAML style (a folded block, escapes)
    does not keep the text's layout, and then every offset maps to ``start``.
    """

    start: Location
    lines: tuple[tuple[int, int], ...] = ()

    def at(self, line: int, column: int) -> Location:
        """The file position of the character at 0-based ``line`` and ``column`` of the value."""
        if 0 <= line < len(self.lines):
            file_line, file_column = self.lines[line]
            return Location(self.start.path, file_line, file_column + column)
        return self.start


@dataclass(frozen=True)
class Reference:
    """An image, a link or a footnote that a Markdown text holds, as the renderer treats it."""

    kind: str
    #: The target as Markdown normalises it (percent-encoded), which is what is rendered.
    url: str
    #: False when the renderer shows it as text instead (a refused scheme or path).
    allowed: bool
    #: For an allowed local image: its path relative to the source's folder, decoded.
    path: str | None = None
    where: Location | None = field(default=None, compare=False)
    #: For an image: its alternative text as plain text ("" when there is none).
    alt: str = ""


@dataclass(frozen=True)
class Markdown:
    """A Markdown text, parsed once: every consumer reads these tokens and references."""

    text: str
    #: The parser's block tokens (opaque to the model; ``markup`` renders them).
    tokens: tuple[Any, ...] = field(default=(), compare=False, repr=False)
    images: tuple[Reference, ...] = field(default=(), compare=False)
    links: tuple[Reference, ...] = field(default=(), compare=False)
    span: Span | None = field(default=None, compare=False, repr=False)
    #: Footnote definitions ("footnote", allowed when called) and calls ("footnote-call",
    #: allowed when defined), by label.
    notes: tuple[Reference, ...] = field(default=(), compare=False)

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


@dataclass(frozen=True)
class Declared:
    """One field a source may set: its key, its kind, and how the loader treats it."""

    key: str
    attr: str
    kind: str
    required: bool = False
    #: For a list: the model class of its items.
    item: type | None = None
    #: For a list: a key that may stand instead of it, holding the items' own items
    #: (a briefing's ``questions`` instead of ``sections``).
    flat: str | None = None
    #: Whether the outputs print the value (the glyph check reads these).
    printed: bool = True
    #: For a choice: the values a source may write.
    choices: tuple[str, ...] = ()


def declare(kind: str, *, key: str | None = None, required: bool = False, default: Any = None,
            item: type | None = None, flat: str | None = None, printed: bool = True,
            choices: tuple[str, ...] = ()) -> Any:
    """A dataclass field that sources set, declared once for loading, writing and traversal."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    if (kind == "choice") != bool(choices):
        raise ValueError("a choice, and only a choice, names its choices")
    spec = {"kind": kind, "key": key, "required": required, "item": item, "flat": flat,
            "printed": printed, "choices": choices}
    return field(default=default, metadata={"declared": spec})


@cache
def schema(cls: type) -> tuple[Declared, ...]:
    """The declared fields of a model class, in the order a source writes them: the class's."""
    found = []
    for f in dataclasses.fields(cls):
        spec = f.metadata.get("declared")
        if spec is not None:
            found.append(Declared(attr=f.name, **{**spec, "key": spec["key"] or f.name}))
    return tuple(found)


@dataclass(frozen=True, kw_only=True)
class Node:
    """What every model object shares: where it starts and where each of its values is."""

    NOUN: ClassVar[str] = "a node"
    #: A key a plain string item stands for (a source written as just its title).
    SHORTHAND: ClassVar[str | None] = None

    where: Location | None = field(default=None, compare=False)
    #: Where each declared value is, by key.
    spans: Mapping[str, Span] = field(default_factory=dict, compare=False, repr=False)

    def at(self, key: str) -> Location | None:
        """Where the value of ``key`` starts, or where the object starts."""
        span = self.spans.get(key)
        return span.start if span is not None else self.where


@dataclass(frozen=True, kw_only=True)
class Source(Node):
    """A reference cited under an answer: a title and an optional URL."""

    NOUN: ClassVar[str] = "a source"
    SHORTHAND: ClassVar[str | None] = "title"

    title: str = declare("text", required=True, default="")
    url: str | None = declare("url")


@dataclass(frozen=True, kw_only=True)
class Question(Node):
    """One question with its Markdown answer, number and anchor."""

    NOUN: ClassVar[str] = "a question"

    id: str | None = declare("id", printed=False)
    #: The question's language when it differs from its section's or the briefing's.
    language: str | None = declare("language", printed=False)
    question: str = declare("text", required=True, default="")
    answer: Markdown = declare("markdown", required=True, default=Markdown(""))
    sources: tuple[Source, ...] = declare("list", item=Source, default=())
    #: None is final; a draft question is marked in its margin.
    status: str | None = declare("choice", choices=STATUSES, printed=False)
    number: str = ""
    anchor: str = ""

    @property
    def draft(self) -> bool:
        """Whether the question is marked as a draft."""
        return self.status == "draft"


@dataclass(frozen=True, kw_only=True)
class Section(Node):
    """A titled group of questions; a flat source has one untitled section."""

    NOUN: ClassVar[str] = "a section"

    title: str | None = declare("text", required=True)
    id: str | None = declare("id", printed=False)
    #: The section's language when it differs from the briefing's.
    language: str | None = declare("language", printed=False)
    introduction: Markdown | None = declare("markdown")
    questions: tuple[Question, ...] = declare("list", required=True, item=Question, default=())
    number: str = ""
    anchor: str = ""


@dataclass(frozen=True, kw_only=True)
class Briefing(Node):
    """A whole briefing: front matter and sections, ready to render."""

    NOUN: ClassVar[str] = "the briefing"

    title: str = declare("text", required=True, default="")
    subtitle: str | None = declare("text")
    category: str | None = declare("text")
    #: The letter (or short label) of the appendix this briefing is: "B" numbers pages B-1, ...
    appendix: str | None = declare("label")
    #: None is final; a draft is watermarked on every page.
    status: str | None = declare("choice", choices=STATUSES, printed=False)
    #: The briefing's canonical address online, printed with a QR code.
    url: str | None = declare("url")
    language: str = declare("language", default="en", printed=False)
    #: None when the source names no paper: the command line's, else letter.
    paper: str | None = declare("choice", choices=PAPERS, printed=False)
    #: None is the default layout, "briefing".
    layout: str | None = declare("choice", choices=LAYOUTS, printed=False)
    #: None follows the layout: a briefing has a cover and contents, a handout neither.
    cover: bool | None = declare("flag", printed=False)
    contents: bool | None = declare("flag", printed=False)
    #: None is one-sided; "two" puts the body on a right-hand page and mirrors the margins.
    sides: str | None = declare("choice", choices=SIDES, printed=False)
    #: None is "any"; "right" starts each section on a right-hand page when two-sided.
    section_start: str | None = declare("choice", key="section-start", choices=SECTION_STARTS,
                                        printed=False)
    date: datetime.date | None = declare("date", printed=False)
    authors: tuple[str, ...] = declare("names", key="author", default=())
    notice: Markdown | None = declare("markdown")
    introduction: Markdown | None = declare("markdown")
    sections: tuple[Section, ...] = declare("list", item=Section, flat="questions", default=())
    path: str = "<memory>"
    name: str = "briefing"
    #: The source text the briefing was read from, as read (for ``--attach-source``).
    text: str = field(default="", compare=False, repr=False)
    #: For one section printed alone: the whole briefing, whose numbers it keeps.
    whole: Briefing | None = field(default=None, compare=False, repr=False)

    @property
    def flat(self) -> bool:
        """True when the source is a flat list of questions without sections."""
        return len(self.sections) == 1 and self.sections[0].title is None

    @property
    def with_cover(self) -> bool:
        """Whether the PDF opens with a cover page (else a title block tops page 1)."""
        return self.layout != "handout" if self.cover is None else self.cover

    @property
    def with_contents(self) -> bool:
        """Whether the PDF and the HTML version have a table of contents."""
        return self.layout != "handout" if self.contents is None else self.contents

    @property
    def draft(self) -> bool:
        """Whether the briefing is marked as a draft (watermarked)."""
        return self.status == "draft"

    @property
    def page_prefix(self) -> str:
        """What the body's page numbers start with: "B-" in appendix B, else nothing."""
        return f"{self.appendix}-" if self.appendix else ""

    @property
    def two_sided(self) -> bool:
        """Whether the PDF is laid out for printing on both sides of the paper."""
        return self.sides == "two"

    @property
    def sections_on_right(self) -> bool:
        """Whether each section starts on a right-hand page (two-sided, with sections)."""
        return self.two_sided and self.section_start == "right" and not self.flat

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question, in document order."""
        return tuple(q for s in self.sections for q in s.questions)

    @property
    def document_title(self) -> str:
        """The title in the PDF's metadata: a section printed alone names its section first."""
        if self.whole is not None and self.sections and self.sections[0].title:
            return f"{self.sections[0].title} \u2014 {self.title}"
        return self.title

    def numbers(self) -> dict[str, str]:
        """The number of every titled section and every question, by anchor (cross-references).

        A section printed alone knows the numbers of the whole briefing.
        """
        if self.whole is not None:
            return self.whole.numbers()
        found = {s.anchor: s.number for s in self.sections if s.title is not None}
        found.update({q.anchor: q.number for q in self.questions})
        return found


def walk(node: Node) -> Iterator[tuple[Node, Declared, Any]]:
    """Every declared value of ``node`` and of the objects it holds, in document order.

    Lists are entered, not yielded; each scalar value comes with its owner (for
    :meth:`Node.at`) and its declaration (for its kind and whether it prints).
    """
    for declared in schema(type(node)):
        value = getattr(node, declared.attr)
        if declared.kind == "list":
            for item in value:
                yield from walk(item)
        elif value is not None and value != ():
            yield node, declared, value


def markdown(node: Node) -> Iterator[tuple[Node, Markdown]]:
    """Every Markdown value of ``node`` and what it holds, with its owner."""
    for owner, declared, value in walk(node):
        if declared.kind == "markdown" and isinstance(value, Markdown):
            yield owner, value


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
