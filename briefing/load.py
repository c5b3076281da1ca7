"""Read a YAML source into the model, driven by the model's declared fields.

``read`` bounds the file and composes a node tree with positions; ``nodes``
reads mappings, lists and text with their positions; this module walks the
tree with :func:`briefing.model.schema`: one reader per kind of field, so a new
field needs no code here unless it is of a new kind. Markdown fields are parsed
here, once, into the model.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from . import markup
from .errors import Diagnostic, SourceError
from .model import Briefing, Declared, Node, Span, number, schema
from .nodes import NodeReader
from .read import MAX_SOURCE_BYTES, compose, read

__all__ = ["LANGUAGE_TAG", "load", "parse"]

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*\Z")
_LABEL = re.compile(r"[A-Za-z0-9]{1,3}\Z")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_URL = re.compile(r"(?:https?://[^\s/?#]+[^\s]*|mailto:[^\s@]+@[^\s@]+)\Z", re.IGNORECASE)
#: Bidirectional overrides and isolates: they reorder the text around them.
_BIDI = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
#: What a list of each key must not be when empty; {owner} is the object holding it.
_EMPTY = {"sections": "'sections' is empty; add at least one section",
          "questions": "{owner} has no questions"}


class _Loader(NodeReader):
    """Turns a node tree into model objects, one reader per kind of declared field."""

    def node(self, node: yaml.Node, cls: type[Node]) -> Node | None:
        """Read one model object of class ``cls``, or None when the node is not one."""
        declared = schema(cls)
        if cls.SHORTHAND and isinstance(node, yaml.ScalarNode):
            title = self.text(node, cls.NOUN.split()[-1], required=True)
            if not title:
                return None
            return cls(**{cls.SHORTHAND: title.strip()}, where=self.where(node),
                       spans={cls.SHORTHAND: self._span(node, title, title.strip())})
        allowed = [d.key for d in declared] + [d.flat for d in declared if d.flat]
        fields = self.mapping(node, allowed, cls.NOUN)
        if fields is None:
            return None
        values: dict[str, Any] = {}
        spans: dict[str, Span] = {}
        for d in declared:
            if d.flat:
                self._either(node, fields, d, cls, values)
            if d.key not in fields:
                if d.required:
                    self.error(node, f"{cls.NOUN} is missing required key '{d.key}'")
                    if d.kind == "text":
                        values[d.attr] = ""
                continue
            value_node = fields[d.key][1]
            value, span = getattr(self, "_" + d.kind)(value_node, d, cls)
            if value is not None:
                values[d.attr] = value
            spans[d.key] = span or Span(self.where(value_node))
        return cls(**values, where=self.where(node), spans=spans)

    def _either(self, node: yaml.Node, fields: dict, d: Declared, cls: type[Node],
                values: dict) -> None:
        """A list that may be given flat instead: a briefing's ``questions`` for ``sections``."""
        assert d.item is not None and d.flat is not None
        if d.flat in fields:
            inner = next(x for x in schema(d.item) if x.key == d.flat)
            items, _ = self._list(fields[d.flat][1], inner, cls)
            if d.key in fields:
                self.error(fields[d.flat][0], f"use either '{d.key}' or '{d.flat}', not both")
            else:
                values[d.attr] = (d.item(**{inner.attr: items},
                                         where=self.where(fields[d.flat][1])),)
        elif d.key not in fields:
            self.error(node, f"{cls.NOUN} needs '{d.key}' or '{d.flat}'")

    # -- one reader per kind: each returns (value or None, span or None) --------------

    def _span(self, node: yaml.Node, raw: str, value: str) -> Span:
        """The span of ``value``, which is ``raw`` with surrounding space stripped."""
        span = self.span(node, raw)
        leading = raw.index(value) if value else 0
        if not leading or not span.lines:
            return span
        if "\n" in raw[:leading]:
            return Span(span.start)
        (line, column), *rest = span.lines
        return Span(span.start, ((line, column + leading), *rest))

    def _comment(self, node: yaml.Node) -> None:
        found = self.trailing_comment(node)
        if found:
            self.warning(*found, "the text after ' #' is a YAML comment and is left out; put "
                                 "the value in quotes or write it as a | block to keep it")

    def _text(self, node: yaml.Node, d: Declared, cls: type) -> tuple[str | None, Span | None]:
        raw = self.text(node, d.key, required=d.required)
        if raw is None:
            return ("" if d.required else None), None
        self._comment(node)
        span = self._span(node, raw, raw.strip())
        self._bidi(raw.strip(), span, d.key)
        return raw.strip(), span

    def _bidi(self, text: str, span: Span, key: str) -> None:
        """Warn about characters that make plain text read differently than it is stored."""
        for index, line in enumerate(text.splitlines()):
            for column, char in enumerate(line):
                if char in _BIDI:
                    where = span.at(index, column)
                    self.warning(where.line, where.column, (
                        f"the {key} holds U+{ord(char):04X} ({unicodedata.name(char)}), which "
                        "can make it read differently in bookmarks, file lists and metadata; "
                        "remove it"))
                    return

    def _markdown(self, node: yaml.Node, d: Declared, cls: type) -> tuple[Any, Span | None]:
        raw = self.text(node, d.key, required=d.required)
        if raw is None:
            return None, None
        self._comment(node)
        span = self.span(node, raw)
        value = markup.parse(raw, span)
        deep = markup.too_deep(value)
        if deep is not None:
            where = span.at(deep, 0)
            self.diagnostics.append(Diagnostic(
                self.path, where.line, where.column,
                f"lists and quotes are nested more than {markup.MAX_DEPTH} levels deep here; "
                "that much nesting cannot be printed"))
        return value, span

    def _checked(self, node: yaml.Node, key: str, ok: Any, message: str) -> str | None:
        value = self.text(node, key)
        if value is None:
            return None
        value = value.strip()
        if not ok(value):
            self.error(node, message.format(value=value))
            return None
        return value

    def _id(self, node: yaml.Node, d: Declared, cls: type) -> tuple[str | None, None]:
        return self._checked(
            node, d.key, lambda v: bool(_ID.match(v)),
            "id '{value}' must be a slug: lowercase letters, digits and single hyphens",
        ), None

    def _url(self, node: yaml.Node, d: Declared, cls: type) -> tuple[str | None, Span | None]:
        value = self._checked(
            node, d.key, lambda v: bool(_URL.match(v)),
            "url '{value}' must be an http://, https:// or mailto: address",
        )
        return value, (self._span(node, node.value, value) if value else None)

    def _label(self, node: yaml.Node, d: Declared, cls: type) -> tuple[str | None, None]:
        return self._checked(
            node, d.key, lambda v: bool(_LABEL.match(v)),
            d.key + " '{value}' must be 1 to 3 letters or digits, such as B or A2",
        ), None

    def _language(self, node: yaml.Node, d: Declared, cls: type) -> tuple[str | None, None]:
        return self._checked(
            node, d.key, lambda v: bool(LANGUAGE_TAG.match(v)),
            "language '{value}' must be a language tag such as en, es or pt-BR",
        ), None

    def _choice(self, node: yaml.Node, d: Declared, cls: type) -> tuple[str | None, None]:
        return self._checked(
            node, d.key, lambda v: v in d.choices,
            f"{d.key} '{{value}}' must be one of " + ", ".join(d.choices),
        ), None

    def _flag(self, node: yaml.Node, d: Declared, cls: type) -> tuple[bool | None, None]:
        value = self._checked(node, d.key, lambda v: v in ("true", "false"),
                              d.key + " '{value}' must be true or false")
        return (None if value is None else value == "true"), None

    def _date(self, node: yaml.Node, d: Declared, cls: type) -> tuple[Any, None]:
        value = self._checked(node, d.key, lambda v: bool(_DATE.match(v)),
                              "date '{value}' must be written YYYY-MM-DD")
        if value is None:
            return None, None
        try:
            return datetime.date.fromisoformat(value), None
        except ValueError:
            self.error(node, f"date '{value}' is not a real date")
            return None, None

    def _names(self, node: yaml.Node, d: Declared, cls: type) -> tuple[tuple[str, ...], None]:
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        names = []
        for item in items:
            name = self.text(item, d.key, required=True)
            if name and name.strip():
                self._comment(item)
                self._bidi(name.strip(), self._span(item, name, name.strip()), d.key)
                names.append(name.strip())
        return tuple(names), None

    def _list(self, node: yaml.Node, d: Declared, cls: type) -> tuple[tuple[Any, ...], None]:
        items = self.sequence(node, d.key)
        if items is None:
            return (), None
        if not items and d.key in _EMPTY:
            self.error(node, _EMPTY[d.key].format(owner=getattr(cls, "NOUN", "")))
        assert d.item is not None
        read = (self.node(item, d.item) for item in items)
        return tuple(item for item in read if item is not None), None


def parse(text: str, path: str) -> tuple[Briefing, list[Diagnostic]]:
    """Parse source text into a (possibly partial) numbered model and its diagnostics."""
    root = compose(text, path)
    if root is None:
        raise SourceError.at(path, 1, 1, "file is empty; a briefing needs at least a title")
    loader = _Loader(path, text)
    briefing = loader.node(root, Briefing)
    if not isinstance(briefing, Briefing):
        briefing = Briefing()
    briefing = replace(briefing, path=path, name=Path(path).stem, text=text)
    return number(briefing), loader.diagnostics


def load(path: str | Path, *, max_bytes: int = MAX_SOURCE_BYTES) -> Briefing:
    """Load one source file into a numbered model; raise SourceError listing every error."""
    briefing, diagnostics = parse(read(path, max_bytes=max_bytes), str(path))
    errors = sorted((d for d in diagnostics if d.severity == "error"),
                    key=lambda d: (d.line, d.column))
    if errors:
        raise SourceError(errors)
    return briefing
