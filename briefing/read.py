"""Read a source safely: bounded bytes, strict UTF-8, and a YAML node tree of bounded size.

Sources are pasted from anywhere, so nothing here trusts the file. It is read
only if it is a regular file no larger than a limit (before any parsing), it
must be UTF-8, and it is composed (never constructed: no Python objects, no
tags acted upon) by PyYAML's SafeLoader with two extra bounds that keep memory
and time small whatever the input:

- the document's size *with aliases expanded* is counted while composing, so
  an alias bomb ("billion laughs") is refused at the alias that crosses the
  limit, and an alias to a node that contains it (a cycle) is refused;
- nesting depth is limited, so ``[[[[...]]]]`` is an error, not a RecursionError.
"""

from __future__ import annotations

import stat
from pathlib import Path

import yaml

from .errors import SourceError

#: Sources larger than this are refused before parsing (``--max-source-bytes``). A
#: briefing of this size, one long paragraph at worst, builds in under half a minute on
#: two cores; a real one is a hundred times smaller.
MAX_SOURCE_BYTES = 2 * 1024 * 1024
#: A document that expands (through aliases) to more nodes than this is refused.
MAX_NODES = 200_000
#: Deeper nesting than this is refused; a briefing needs about six levels.
MAX_DEPTH = 64

_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32", b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16",
}


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index."""
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def decode(data: bytes, path: str) -> str:
    """Decode UTF-8 (with or without a byte order mark), or say where it is not UTF-8."""
    for bom, encoding in _BOMS.items():
        if data.startswith(bom):
            raise SourceError.at(path, 1, 1, f"file is {encoding} text; save it as UTF-8")
    if b"\x00" in data[:8192]:
        raise SourceError.at(path, 1, 1, "file is binary, not UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        raise SourceError.at(
            path, line, column, f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x})"
        ) from None


def read(path: str | Path, *, max_bytes: int = MAX_SOURCE_BYTES) -> str:
    """Read a source file as text, refusing special, huge and non-UTF-8 files before parsing."""
    name = str(path)
    try:
        info = Path(path).stat()
        if not stat.S_ISREG(info.st_mode):
            raise SourceError.at(name, 0, 0, "not a regular file")
        if info.st_size > max_bytes:
            raise SourceError.at(name, 0, 0, _too_big(info.st_size, max_bytes))
        with open(path, "rb") as handle:
            # Read at most one byte more than allowed: the file may grow after stat().
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise SourceError.at(name, 0, 0, f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise SourceError.at(name, 0, 0, _too_big(len(data), max_bytes))
    return decode(data, name)


def _too_big(size: int, limit: int) -> str:
    return f"file is {size} bytes; the limit is {limit} bytes (see --max-source-bytes)"


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader's composer, counting expanded size and depth as it goes."""

    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self.depth = 0
        self.expanded = 0
        self.sizes: dict[int, int] = {}
        super().__init__(text)

    def _fail(self, mark: yaml.Mark, message: str) -> SourceError:
        return SourceError.at(self.path, mark.line + 1, mark.column + 1, message)

    def _grow(self, amount: int, mark: yaml.Mark, alias: str | None = None) -> None:
        self.expanded += amount
        if self.expanded > MAX_NODES:
            if alias is None:
                raise self._fail(mark, f"document has more than {MAX_NODES} values")
            raise self._fail(mark, f"alias '*{alias}' expands the document to more than "
                                   f"{MAX_NODES} values")

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            node = super().compose_node(parent, index)
            if id(node) not in self.sizes:
                raise self._fail(event.start_mark,
                                 f"alias '*{event.anchor}' is used inside its own anchor")
            self._grow(self.sizes[id(node)], event.start_mark, event.anchor)
            return node
        if self.depth >= MAX_DEPTH:
            raise self._fail(event.start_mark, f"nesting is deeper than {MAX_DEPTH} levels")
        self.depth += 1
        try:
            node = super().compose_node(parent, index)
        finally:
            self.depth -= 1
        if isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            children = []
        self.sizes[id(node)] = 1 + sum(self.sizes.get(id(c), 1) for c in children)
        self._grow(1, event.start_mark)
        return node


def _syntax_error(exc: yaml.MarkedYAMLError, path: str) -> SourceError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "invalid YAML"
    context = exc.context_mark
    if exc.context and context and context is not mark:
        problem += f" ({exc.context} on line {context.line + 1}, column {context.column + 1})"
    elif exc.context:
        problem += f" ({exc.context})"
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    hint = next((h for start, h in _HINTS if (exc.problem or "").startswith(start)), "")
    return SourceError.at(path, line, column, f"YAML syntax error: {problem}{hint}")


#: What a person needs to know beside PyYAML's words, by the start of its message.
_HINTS = (
    ("mapping values are not allowed here",
     "; a value holding ': ' must be in quotes or written as a | block"),
    ("found character '\\t' that cannot start any token",
     "; use spaces, not tabs, to indent and before a comment"),
    ("found unexpected end of stream", "; a quote was opened and never closed"),
    ("did not find expected key",
     "; a value that starts with a quote must end with it, or be written as a | block"),
    ("found undefined alias", "; a value that starts with '*' must be in quotes"),
    ("found character '@' that cannot start any token",
     "; a value that starts with '@' or '`' must be in quotes"),
    ("found character '`' that cannot start any token",
     "; a value that starts with '@' or '`' must be in quotes"),
)


def compose(text: str, path: str) -> yaml.Node | None:
    """Compose YAML text into a node tree (None for an empty document), bounded in size."""
    loader = None
    try:
        loader = _BoundedLoader(text, path)
        return loader.get_single_node()
    except yaml.reader.ReaderError as exc:
        line, column = _position(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise SourceError.at(
            path, line, column, f"control character U+{code:04X} is not allowed in a source"
        ) from None
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, path) from None
    except yaml.YAMLError as exc:
        raise SourceError.at(path, 1, 1, f"YAML error: {exc}") from None
    finally:
        if loader is not None:
            loader.dispose()
