"""schema.org ``FAQPage`` structured data (JSON-LD) of a saved page: its questions and answers.

A page may hold several ``<script type="application/ld+json">`` blocks; each is
an object, a list, or an ``@graph``, and the FAQPage's ``mainEntity`` is one
``Question`` or a list of them, each with ``name`` and ``acceptedAnswer.text``
(HTML). Malformed JSON is a warning at its position in the page, and the page is
read as if that block were not there.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag

from ..errors import Diagnostic

_QUESTION_TYPE = re.compile(r'"@type"\s*:\s*(?:\[[^\]]*)?"Question"')


@dataclass(frozen=True)
class Entry:
    """One Question of the structured data: its text, its answer's HTML, and where it is."""

    question: str
    answer: str
    line: int
    column: int


def _types(node: dict) -> list[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return [k.rsplit("/", 1)[-1] for k in kinds if isinstance(k, str)]


def _objects(data: object) -> list[dict]:
    """Every JSON object in ``data``, outermost first, without recursion."""
    found: list[dict] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found.append(node)
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return found


def _text(value: object) -> str:
    """A schema.org text value: a string, or the first string of a list."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), "")
    return value if isinstance(value, str) else ""


def _entries(data: object) -> list[tuple[str, str]]:
    """(question, answer HTML) of every Question under an FAQPage, in order."""
    pairs: list[tuple[str, str]] = []
    for page in (o for o in _objects(data) if "FAQPage" in _types(o)):
        main = page.get("mainEntity")
        for item in main if isinstance(main, list) else [main]:
            if not isinstance(item, dict) or "Question" not in _types(item):
                continue
            answer = item.get("acceptedAnswer") or item.get("suggestedAnswer") or {}
            if isinstance(answer, list):
                answer = answer[0] if answer else {}
            text = _text(answer.get("text")) if isinstance(answer, dict) else ""
            pairs.append((_text(item.get("name")), text))
    return pairs


def _position(offset: int, start: tuple[int, int], raw: str) -> tuple[int, int]:
    """The page's (line, column), 1-based, of ``offset`` in a script whose text starts at
    ``start`` (0-based column)."""
    before = raw[:offset]
    line = start[0] + before.count("\n")
    column = (start[1] + offset if "\n" not in before else offset - before.rfind("\n") - 1)
    return line, column + 1


def read_jsonld(soup: BeautifulSoup, path: str, text_start: dict[int, tuple[int, int]],
                diagnostics: list[Diagnostic]) -> list[Entry]:
    """The FAQPage questions of every JSON-LD block of ``soup``.

    ``text_start`` gives, by ``id()`` of a script element, the 0-based (line,
    column) in the page where its text starts.
    """
    entries: list[Entry] = []
    for script in soup.find_all("script"):
        kind = str(script.get("type") or "").split(";")[0].strip().lower()
        if kind != "application/ld+json" or not isinstance(script, Tag):
            continue
        raw = script.string or ""
        start = text_start.get(id(script), (script.sourceline or 1, 0))
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as error:
            line, column = _position(error.pos, start, raw)
            diagnostics.append(Diagnostic(path, line, column, "structured data (JSON-LD) is not "
                                          f"valid JSON: {error.msg}; block ignored", "warning"))
            continue
        except RecursionError:
            line, column = _position(0, start, raw)
            diagnostics.append(Diagnostic(path, line, column, "structured data (JSON-LD) nests "
                                          "too deeply; block ignored", "warning"))
            continue
        marks = [m.start() for m in _QUESTION_TYPE.finditer(raw)]
        for index, (question, answer) in enumerate(_entries(data)):
            line, column = _position(marks[index] if index < len(marks) else 0, start, raw)
            entries.append(Entry(question, answer, line, column))
    return entries
