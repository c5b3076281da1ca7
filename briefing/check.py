"""Whole-document rules on a loaded briefing: errors that stop a build, warnings that don't."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import unquote

from .errors import Diagnostic
from .labels import has_labels
from .markup import refused_images
from .model import Briefing, Location


def _at(where: Location | None, path: str, message: str, severity: str) -> Diagnostic:
    line, column = (where.line, where.column) if where else (0, 0)
    return Diagnostic(path, line, column, message, severity)


def check(briefing: Briefing) -> list[Diagnostic]:
    """Return every diagnostic for the briefing: duplicate anchors, unsupported language."""
    path = briefing.path
    found: list[Diagnostic] = []
    seen: dict[str, Location | None] = {}
    nodes = [(s.anchor, s.id, s.where) for s in briefing.sections if s.title is not None]
    nodes += [(q.anchor, q.id, q.where) for q in briefing.questions]
    for anchor, explicit, where in nodes:
        if anchor in seen:
            first = seen[anchor]
            on_line = f" (first used on line {first.line})" if first else ""
            what = f"duplicate id '{anchor}'" if explicit else f"id '{anchor}' is already used"
            found.append(_at(where, path, what + on_line, "error"))
        else:
            seen[anchor] = where
    for where, text in _markdown(briefing):
        found.extend(
            _at(where, path, f"image '{unquote(url)}' is shown as text: images must be "
                "http(s) URLs or paths inside the source's folder", "warning")
            for url in refused_images(text)
        )
    if not has_labels(briefing.language):
        found.append(Diagnostic(
            path, 0, 0,
            f"no labels for language '{briefing.language}'; using English labels",
            "warning",
        ))
    return found


def _markdown(briefing: Briefing) -> Iterator[tuple[Location | None, str | None]]:
    """Every Markdown text of the briefing, with where it is when the model knows."""
    yield None, briefing.notice
    yield None, briefing.introduction
    for section in briefing.sections:
        yield section.where, section.introduction
        for question in section.questions:
            yield question.answer_where, question.answer
