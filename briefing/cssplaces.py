"""Where a line of the rendered stylesheet comes from: a style file's own line, or a template.

The templates put every stylesheet into one ``<style>`` element, and WeasyPrint
numbers the lines of its warnings from the start of that element's text. To
point a warning at the file the user wrote, the loader marks the text of every
``.css`` file it hands to Jinja2: ``/*@ 1 custom.css */`` before its first line
(on that line, so lines stay where they are) and ``/*@ end */`` at the end of
its last line. The numbers name a style folder by its place in the search path
and the names are relative to that folder, so the marks carry no path of the
machine into the HTML. :func:`place` reads the marks in the style text back.

A warning WeasyPrint gives while it parses a stylesheet names the line and
column in ``at L:C``; :func:`located` finds which stylesheet was being parsed
(the innermost :class:`weasyprint.CSS` being made) and, for the ``<style>``
element's text, returns the message without the position and the place the
position is in. A stylesheet read from a URL (``@import``) keeps its message.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

_MARK = re.compile(r"/\*@ (?:(?P<index>\d+) (?P<name>[^*\n]+?)|end) \*/")
#: The position a WeasyPrint message gives, as written in its format string.
_AT = re.compile(r" at %d:%d(?P<comma>, )?")
_CONVERSION = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%]")


def mark(source: str, index: int, name: str) -> str:
    """``source`` of style folder ``index``'s file ``name`` between its two marks."""
    if "*" in name or "\n" in name:  # would end the comment early: left unmarked
        return source
    body, newline = (source[:-1], "\n") if source.endswith("\n") else (source, "")
    return f"/*@ {index} {name} */{body}/*@ end */{newline}"


@dataclass(frozen=True)
class Place:
    """A position in a file of a style folder (``line`` 0 when only the file is known)."""

    folder: int
    name: str
    line: int
    column: int


def place(text: str, line: int, column: int) -> Place | None:
    """Where line ``line``, column ``column`` (1-based) of the marked ``text`` was written.

    None when it is in text no style file holds (CSS a template generates).
    """
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return None
    offset = sum(len(s) + 1 for s in lines[:line - 1]) + column - 1
    open_: list[tuple[re.Match, int]] = []  # the marks still open, with where each file starts
    for found in _MARK.finditer(text, 0, offset):
        if found["index"] is None:
            if open_:
                open_.pop()
        else:
            open_.append((found, found.end()))
    if not open_:
        return None
    found, start = open_[-1]
    # The lines and columns of the file: marks inside it (a file it includes) are not its text.
    before = _MARK.sub("", text[start:offset])
    file_line = before.count("\n") + 1
    file_column = len(before) - (before.rfind("\n") + 1) + 1
    return Place(int(found["index"]), found["name"], file_line, file_column)


def _style_text() -> str | None:
    """The text of the stylesheet WeasyPrint is parsing from a string, if it is parsing one."""
    from weasyprint import CSS

    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code is CSS.__init__.__code__:  # the innermost stylesheet being made
            string = frame.f_locals.get("string")
            return string if isinstance(string, str) else None
        frame = frame.f_back
    return None


def located(msg: str, args: tuple, folders: Sequence[Path],
            ) -> tuple[str, Path | None, int, int] | None:
    """A WeasyPrint warning ``msg % args`` said again at its place in a style file.

    Returns ``(message without "at L:C", file, line, column)``; the file is None
    for CSS a template generates. None when the message has no position, or its
    position is not in the ``<style>`` element's text (a stylesheet from a URL).
    """
    at = _AT.search(msg)
    text = _style_text()
    if at is None or text is None:
        return None
    first = len([c for c in _CONVERSION.findall(msg[:at.start()]) if c != "%%"])
    line, column = args[first:first + 2]
    if not (isinstance(line, int) and isinstance(column, int)):
        return None
    rest = args[:first] + args[first + 2:]
    message = (msg[:at.start()] + (": " if at["comma"] else "") + msg[at.end():]) % rest
    found = place(text, line, column)
    if found is None or found.folder >= len(folders):
        return message, None, 0, 0
    return message, folders[found.folder] / found.name, found.line, found.column
