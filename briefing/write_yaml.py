"""Write the model as a YAML source that reads like a hand-written one and loads back the same.

Keys come in the documented order, Markdown (answers, introductions, notices) is
written as literal ``|`` blocks, and a blank line separates sections and
questions. PyYAML chooses the scalar styles, so text a block cannot hold
exactly (trailing spaces, control characters) falls back to a quoted scalar
rather than changing.
"""

from __future__ import annotations

from typing import Any

import yaml

from .model import Briefing, Question, Section, Source

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


def _markdown(text: str) -> str:
    return _Block(text) if text else text


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=_WIDTH)


def _indent(text: str, spaces: int) -> str:
    # Empty lines stay empty: inside a block scalar they are part of the text.
    pad = " " * spaces
    return "".join(pad + line if line.strip("\n") else line
                   for line in text.splitlines(keepends=True))


def _source(source: Source) -> str | dict[str, str]:
    if source.url is None:
        return source.title
    return {"title": source.title, "url": source.url}


def _question(question: Question) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if question.id:
        data["id"] = question.id
    data["question"] = question.question
    data["answer"] = _markdown(question.answer)
    if question.sources:
        data["sources"] = [_source(s) for s in question.sources]
    return data


def _questions(questions: tuple[Question, ...]) -> str:
    """A ``questions:`` key with one blank line between its items."""
    items = [_dump([_question(q)]) for q in questions]
    return "questions:\n" + "\n".join(_indent(item, 2) for item in items)


def _section(section: Section) -> str:
    head: dict[str, Any] = {"title": section.title}
    if section.id:
        head["id"] = section.id
    if section.introduction:
        head["introduction"] = _markdown(section.introduction)
    return _dump([head]) + _indent(_questions(section.questions), 2)


def _front(briefing: Briefing) -> dict[str, Any]:
    """The front matter, in the documented order, without empty keys."""
    authors: Any = list(briefing.authors)
    if len(authors) == 1:
        authors = authors[0]
    fields: dict[str, Any] = {
        "title": briefing.title,
        "subtitle": briefing.subtitle,
        "category": briefing.category,
        "language": briefing.language,
        "date": briefing.date,
        "author": authors or None,
        "notice": _markdown(briefing.notice or ""),
        "introduction": _markdown(briefing.introduction or ""),
    }
    return {key: value for key, value in fields.items() if value}


def dump(briefing: Briefing, comment: str | None = None) -> str:
    """The YAML source text of a briefing, optionally headed by a comment."""
    parts = []
    if comment:
        parts.append("".join(f"# {line}\n".replace("# \n", "#\n")
                             for line in comment.splitlines()))
    parts.append(_dump(_front(briefing)))
    if briefing.flat:
        parts.append(_questions(briefing.sections[0].questions))
    else:
        sections = [_section(s) for s in briefing.sections]
        parts.append("sections:\n" + "\n".join(_indent(s, 2) for s in sections))
    return "\n".join(parts)
