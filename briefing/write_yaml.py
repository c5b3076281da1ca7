"""Write the model as a YAML source that reads like a hand-written one and loads back the same.

Keys come in the order the model declares them, Markdown (answers, introductions, notices) is
written as literal ``|`` blocks, and a blank line separates sections and
questions. PyYAML chooses the scalar styles, so text a block cannot hold
exactly (trailing spaces, control characters) falls back to a quoted scalar
rather than changing.
"""

from __future__ import annotations

from typing import Any

import yaml

from .model import Briefing, Declared, Markdown, Node, schema

#: Wide enough that PyYAML never folds a long question or title over two lines.
_WIDTH = 1 << 30


class _Block(str):
    """Text to write as a literal block scalar when PyYAML can do so exactly."""


class _Dumper(yaml.SafeDumper):
    """A dumper that indents list items under their key, as the README's examples do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        """Never write a block sequence flush with its parent key."""
        super().increase_indent(flow, False)


def _represent_block(dumper: yaml.SafeDumper, data: _Block) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style="|")


_Dumper.add_representer(_Block, _represent_block)


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=_WIDTH)


def _indent(text: str, spaces: int) -> str:
    # Empty lines stay empty: inside a block scalar they are part of the text.
    pad = " " * spaces
    return "".join(pad + line if line.strip("\n") else line
                   for line in text.splitlines(keepends=True))


def _empty(value: Any) -> bool:
    return value is None or value in ("", ()) or (isinstance(value, Markdown) and not value)


def _value(declared: Declared, value: Any) -> Any:
    """A declared value as PyYAML should write it."""
    if declared.kind == "markdown":
        return _Block(str(value))
    if declared.kind == "names":
        return value[0] if len(value) == 1 else list(value)
    if declared.kind == "list":
        return [_compact(item) for item in value]
    return value


def _compact(node: Node) -> Any:
    """A list item written in one piece: its shorthand when that is all it holds."""
    data = {d.key: _value(d, getattr(node, d.attr)) for d in schema(type(node))
            if not _empty(getattr(node, d.attr))}
    if node.SHORTHAND and list(data) == [node.SHORTHAND]:
        return data[node.SHORTHAND]
    return data


def _spaced(cls: type | None) -> bool:
    """Whether a list of ``cls`` is written item by item, a blank line between them."""
    return cls is not None and any(d.kind in ("markdown", "list") for d in schema(cls))


def _flat_items(declared: Declared, value: tuple) -> tuple | None:
    """The inner items when a list is a single wrapper that holds only them (flat form)."""
    if not declared.flat or len(value) != 1 or declared.item is None:
        return None
    inner = next(d for d in schema(declared.item) if d.key == declared.flat)
    others = [d for d in schema(declared.item) if d.key != inner.key]
    if all(_empty(getattr(value[0], d.attr)) for d in others):
        return getattr(value[0], inner.attr)
    return None


def _mapping(node: Node, separator: str) -> str:
    """The YAML of one object: scalars dumped together, spaced lists item by item."""
    parts: list[str] = []
    pending: dict[str, Any] = {}
    for declared in schema(type(node)):
        value = getattr(node, declared.attr)
        if _empty(value):
            continue
        if declared.kind == "list" and _spaced(declared.item):
            if pending:
                parts.append(_dump(pending))
                pending = {}
            key, items = declared.key, value
            flat = _flat_items(declared, value)
            if flat is not None:
                key, items = declared.flat, flat
            parts.append(f"{key}:\n" + "\n".join(_indent(_item(i), 2) for i in items))
        else:
            pending[declared.key] = _value(declared, value)
    if pending:
        parts.append(_dump(pending))
    return separator.join(parts)


def _item(node: Node) -> str:
    """An object as a list item: ``- `` before its first line, the rest indented under it."""
    first, _, rest = _mapping(node, "").partition("\n")
    return f"- {first}\n" + _indent(rest, 2)


def dump(briefing: Briefing, comment: str | None = None) -> str:
    """The YAML source text of a briefing, optionally headed by a comment."""
    head = ""
    if comment:
        head = "".join(f"# {line}\n".replace("# \n", "#\n") for line in comment.splitlines())
        head += "\n"
    return head + _mapping(briefing, "\n")
