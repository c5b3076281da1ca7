"""Read a composed YAML node tree with positions: mappings, lists and text, each error where it is.

This part knows nothing of briefings: the loader drives it with the model's
declarations. Every problem becomes a :class:`~briefing.errors.Diagnostic` at
the node's line and column, and reading goes on, so a file's errors are all
reported at once.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

import yaml

from .errors import Diagnostic
from .model import Location, Span

NULL_TAG = "tag:yaml.org,2002:null"

#: Characters a value may not hold, however they are written: controls other than
#: tab, line breaks and NEL, and lone surrogates (both only reach a value as escapes).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff]")
#: Key -> (key node, value node) of one mapping.
Fields = dict[str, tuple[yaml.Node, yaml.Node]]


def kind(node: yaml.Node) -> str:
    """How a node is described in messages: a mapping, a list, text or empty."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return "text" if node.tag != NULL_TAG else "empty"


class NodeReader:
    """Reads nodes of one file, collecting diagnostics instead of stopping at the first."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.diagnostics: list[Diagnostic] = []

    def where(self, node: yaml.Node) -> Location:
        """Where a node starts."""
        mark = node.start_mark
        return Location(self.path, mark.line + 1, mark.column + 1)

    def error(self, node: yaml.Node, message: str) -> None:
        """Report an error at a node."""
        loc = self.where(node)
        self.diagnostics.append(Diagnostic(self.path, loc.line, loc.column, message))

    def mapping(self, node: yaml.Node, allowed: Iterable[str], what: str) -> Fields | None:
        """Return {key: (key_node, value_node)}, reporting bad, unknown and duplicate keys."""
        allowed = tuple(allowed)
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what} must be a mapping of keys, not {kind(node)}")
            return None
        result: Fields = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_node, f"a key in {what} must be plain text, not {kind(key_node)}")
                continue
            key = key_node.value
            if key in result:
                first = result[key][0].start_mark.line + 1
                self.error(key_node, f"duplicate key '{key}' (first defined on line {first})")
                continue
            if key not in allowed:
                hint = difflib.get_close_matches(key, allowed, n=1)
                did_you_mean = f"did you mean '{hint[0]}'? " if hint else ""
                self.error(key_node, f"unknown key '{key}' in {what}; {did_you_mean}"
                                     f"allowed keys: {', '.join(allowed)}")
            result[key] = (key_node, value_node)
        return result

    def sequence(self, node: yaml.Node, key: str) -> list[yaml.Node] | None:
        """The items of a list node, or None after reporting a wrong type."""
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"'{key}' must be a list, not {kind(node)}")
            return None
        return list(node.value)

    def text(self, node: yaml.Node, key: str, *, required: bool = False) -> str | None:
        """A scalar as text; None for null. Required text must not be empty."""
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, f"'{key}' must be text, not {kind(node)}")
            return None
        value = None if node.tag == NULL_TAG and node.style is None else node.value
        if required and not (value or "").strip():
            self.error(node, f"{key} is empty")
        bad = _FORBIDDEN.search(value or "")
        if bad:
            code = ord(bad[0])
            what = "lone surrogate" if 0xD800 <= code <= 0xDFFF else "control character"
            self.error(node, f"{what} U+{code:04X} is not allowed in a source "
                             "(here it is written as an escape)")
            return None
        return value

    def warning(self, line: int, column: int, message: str) -> None:
        """Report a warning at a 1-based line and column."""
        self.diagnostics.append(Diagnostic(self.path, line, column, message, "warning"))

    def trailing_comment(self, node: yaml.Node) -> tuple[int, int] | None:
        """Where a ``#`` comment starts right after a plain scalar on its last line, if one does.

        YAML drops it from the value: ``answer: press #2 for Spanish`` reads "press".
        """
        if not isinstance(node, yaml.ScalarNode) or node.style is not None:
            return None
        end = node.end_mark
        rest = self.lines[end.line][end.column:] if end.line < len(self.lines) else ""
        if rest[:1] in (" ", "\t") and rest.lstrip().startswith("#"):
            return end.line + 1, end.column + len(rest) - len(rest.lstrip()) + 1
        return None

    def span(self, node: yaml.Node, value: str) -> Span:
        """Where ``value``, read from ``node``, sits in the file, line by line when exact.

        Literal blocks (``|``) and one-line scalars keep their text as written,
        so every character of the value has a place; each line is verified
        against the file, and a style that rewrites the text (folding, escapes)
        maps every character to the node's start instead.
        """
        start = self.where(node)
        mark = node.start_mark
        value_lines = value.splitlines()
        if node.style == "|":
            body = self.lines[mark.line + 1: mark.line + 1 + len(value_lines)]
            indent = next((len(line) - len(line.lstrip(" ")) for line in body if line.strip()),
                          0)
            places = tuple((mark.line + 2 + i, indent + 1) for i in range(len(value_lines)))
        elif node.style in (None, "'", '"') and len(value_lines) <= 1:
            column = mark.column + (0 if node.style is None else 1)
            places = ((mark.line + 1, column + 1),)
        else:
            return Span(start)
        for (line, column), text in zip(places, value_lines, strict=False):
            written = self.lines[line - 1] if line - 1 < len(self.lines) else ""
            if text and written[column - 1: column - 1 + len(text)] != text:
                return Span(start)
        return Span(start, places)
