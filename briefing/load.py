"""Read a YAML source into the model, keeping file:line:column for every node.

PyYAML's composer gives a node tree with positions (``read`` bounds it); we walk
it ourselves instead of constructing Python objects so that duplicate keys,
unknown keys and wrong types are all reported, each where it is, and every
error of a file at once.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Callable
from pathlib import Path

import yaml

from .errors import Diagnostic, SourceError
from .model import Briefing, Location, Question, Section, Source, number
from .read import MAX_SOURCE_BYTES, compose, decode, read

__all__ = ["MAX_SOURCE_BYTES", "decode", "load", "parse", "read"]

TOP_KEYS = (
    "title", "subtitle", "category", "language", "date", "author",
    "notice", "introduction", "sections", "questions",
)
SECTION_KEYS = ("title", "id", "introduction", "questions")
QUESTION_KEYS = ("id", "question", "answer", "sources")
SOURCE_KEYS = ("title", "url")

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*\Z")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_URL = re.compile(r"(?:https?://[^\s/?#]+[^\s]*|mailto:[^\s@]+@[^\s@]+)\Z", re.IGNORECASE)
_NULL_TAG = "tag:yaml.org,2002:null"


class _Walker:
    """Turn a composed YAML node tree into model objects, collecting diagnostics."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []

    # -- reporting ---------------------------------------------------------

    def where(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        return Location(self.path, mark.line + 1, mark.column + 1)

    def error(self, node: yaml.Node, message: str) -> None:
        loc = self.where(node)
        self.diagnostics.append(Diagnostic(self.path, loc.line, loc.column, message))

    # -- generic shapes ----------------------------------------------------

    def mapping(
        self, node: yaml.Node, allowed: tuple[str, ...], what: str
    ) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        """Return {key: (key_node, value_node)}, reporting bad, unknown and duplicate keys."""
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what} must be a mapping of keys, not {_kind(node)}")
            return None
        result: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_node, f"a key in {what} must be plain text, not {_kind(key_node)}")
                continue
            key = key_node.value
            if key in result:
                first = result[key][0].start_mark.line + 1
                self.error(key_node, f"duplicate key '{key}' (first defined on line {first})")
                continue
            if key not in allowed:
                hint = difflib.get_close_matches(key, allowed, n=1)
                did_you_mean = f"did you mean '{hint[0]}'? " if hint else ""
                self.error(
                    key_node,
                    f"unknown key '{key}' in {what}; {did_you_mean}"
                    f"allowed keys: {', '.join(allowed)}",
                )
            result[key] = (key_node, value_node)
        return result

    def require(
        self, node: yaml.Node, fields: dict[str, tuple[yaml.Node, yaml.Node]], key: str, what: str
    ) -> yaml.Node | None:
        """Return the value node of a required key, or report it missing."""
        if key not in fields:
            self.error(node, f"{what} is missing required key '{key}'")
            return None
        return fields[key][1]

    def text(self, node: yaml.Node | None, key: str, *, required: bool = False) -> str | None:
        """A scalar as text; None for null. Required text must not be empty."""
        if node is None:
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, f"'{key}' must be text, not {_kind(node)}")
            return None
        value = None if node.tag == _NULL_TAG and node.style is None else node.value
        if required and not (value or "").strip():
            self.error(node, f"{key} is empty")
        return value

    def sequence(self, node: yaml.Node, key: str) -> list[yaml.Node] | None:
        """The items of a sequence node, or None after reporting a wrong type."""
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"'{key}' must be a list, not {_kind(node)}")
            return None
        return list(node.value)

    # -- the schema --------------------------------------------------------

    def briefing(self, root: yaml.Node) -> Briefing:
        fields = self.mapping(root, TOP_KEYS, "the briefing")
        if fields is None:
            return Briefing(title="", sections=(), path=self.path)
        value = {k: v for k, (_, v) in fields.items()}
        title = self.text(self.require(root, fields, "title", "the briefing"), "title",
                          required=True)
        sections: list[Section] = []
        if "sections" in fields:
            sections = self.sections(value["sections"])
        if "questions" in fields:
            questions = self.questions(value["questions"], "the briefing")
            if "sections" in fields:
                self.error(fields["questions"][0],
                           "use either 'sections' or 'questions', not both")
            else:
                sections = [Section(title=None, questions=tuple(questions),
                                    where=self.where(value["questions"]))]
        if "sections" not in fields and "questions" not in fields:
            self.error(root, "the briefing needs 'sections' or 'questions'")
        return Briefing(
            title=title or "",
            sections=tuple(sections),
            subtitle=self.text(value.get("subtitle"), "subtitle"),
            category=self.text(value.get("category"), "category"),
            language=self.language(value.get("language")),
            date=self.date(value.get("date")),
            authors=self.authors(value.get("author")),
            notice=self.text(value.get("notice"), "notice"),
            introduction=self.text(value.get("introduction"), "introduction"),
            path=self.path,
            name=Path(self.path).stem,
        )

    def sections(self, node: yaml.Node) -> list[Section]:
        items = self.sequence(node, "sections")
        if items is None:
            return []
        if not items:
            self.error(node, "'sections' is empty; add at least one section")
        result = []
        for item in items:
            fields = self.mapping(item, SECTION_KEYS, "a section")
            if fields is None:
                continue
            title = self.text(self.require(item, fields, "title", "a section"), "title",
                              required=True)
            questions_node = self.require(item, fields, "questions", "a section")
            questions = (self.questions(questions_node, "a section")
                         if questions_node is not None else [])
            result.append(Section(
                title=title or "",
                questions=tuple(questions),
                introduction=self.text(fields.get("introduction", (None, None))[1],
                                       "introduction"),
                id=self.ident(fields.get("id", (None, None))[1]),
                where=self.where(item),
            ))
        return result

    def questions(self, node: yaml.Node, owner: str) -> list[Question]:
        items = self.sequence(node, "questions")
        if items is None:
            return []
        if not items:
            self.error(node, f"{owner} has no questions")
        result = []
        for item in items:
            fields = self.mapping(item, QUESTION_KEYS, "a question")
            if fields is None:
                continue
            q_node = self.require(item, fields, "question", "a question")
            a_node = self.require(item, fields, "answer", "a question")
            result.append(Question(
                question=(self.text(q_node, "question", required=True) or "").strip(),
                answer=self.text(a_node, "answer", required=True) or "",
                sources=self.sources(fields.get("sources", (None, None))[1]),
                id=self.ident(fields.get("id", (None, None))[1]),
                where=self.where(item),
                question_where=self.where(q_node) if q_node is not None else None,
                answer_where=self.where(a_node) if a_node is not None else None,
            ))
        return result

    def sources(self, node: yaml.Node | None) -> tuple[Source, ...]:
        if node is None:
            return ()
        items = self.sequence(node, "sources")
        result = []
        for item in items or []:
            if isinstance(item, yaml.ScalarNode):
                title = self.text(item, "source", required=True)
                if title:
                    result.append(Source(title=title.strip(), where=self.where(item)))
                continue
            fields = self.mapping(item, SOURCE_KEYS, "a source")
            if fields is None:
                continue
            title = self.text(self.require(item, fields, "title", "a source"), "title",
                              required=True)
            url_node = fields.get("url", (None, None))[1]
            result.append(Source(
                title=(title or "").strip(),
                url=self.url(url_node),
                where=self.where(item),
                url_where=self.where(url_node) if url_node is not None else None,
            ))
        return tuple(result)

    # -- checked scalars ---------------------------------------------------

    def _checked(
        self, node: yaml.Node | None, key: str, ok: Callable[[str], bool], message: str
    ) -> str | None:
        value = self.text(node, key)
        if value is None or node is None:
            return None
        value = value.strip()
        if not ok(value):
            self.error(node, message.format(value=value))
            return None
        return value

    def ident(self, node: yaml.Node | None) -> str | None:
        return self._checked(
            node, "id", lambda v: bool(_ID.match(v)),
            "id '{value}' must be a slug: lowercase letters, digits and single hyphens",
        )

    def url(self, node: yaml.Node | None) -> str | None:
        return self._checked(
            node, "url", lambda v: bool(_URL.match(v)),
            "url '{value}' must be an http://, https:// or mailto: address",
        )

    def language(self, node: yaml.Node | None) -> str:
        value = self._checked(
            node, "language", lambda v: bool(LANGUAGE_TAG.match(v)),
            "language '{value}' must be a language tag such as en, es or pt-BR",
        )
        return value or "en"

    def date(self, node: yaml.Node | None) -> datetime.date | None:
        value = self._checked(
            node, "date", lambda v: bool(_DATE.match(v)),
            "date '{value}' must be written YYYY-MM-DD",
        )
        if value is None or node is None:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            self.error(node, f"date '{value}' is not a real date")
            return None

    def authors(self, node: yaml.Node | None) -> tuple[str, ...]:
        if node is None:
            return ()
        if isinstance(node, yaml.SequenceNode):
            names = [self.text(item, "author", required=True) for item in node.value]
        else:
            names = [self.text(node, "author", required=True)]
        return tuple(n.strip() for n in names if n and n.strip())


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return "text" if node.tag != _NULL_TAG else "empty"


def parse(text: str, path: str) -> tuple[Briefing, list[Diagnostic]]:
    """Parse source text into a (possibly partial) numbered model and its diagnostics."""
    root = compose(text, path)
    if root is None:
        raise SourceError.at(path, 1, 1, "file is empty; a briefing needs at least a title")
    walker = _Walker(path)
    briefing = number(walker.briefing(root))
    return briefing, walker.diagnostics


def load(path: str | Path, *, max_bytes: int = MAX_SOURCE_BYTES) -> Briefing:
    """Load one source file into a numbered model; raise SourceError listing every error."""
    briefing, diagnostics = parse(read(path, max_bytes=max_bytes), str(path))
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors:
        raise SourceError(errors)
    return briefing
