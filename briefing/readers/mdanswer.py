"""A Markdown answer as the project prints it: the lines as written, with what differs reported.

An answer's headings sit right below its question, so the shallowest heading of
an answer is written ``#`` and deeper ones follow without skipping a level;
each heading changed is reported. Raw HTML is printed as text by the project,
so it is reported where it is; images are handed to :mod:`.mdimages`, which
takes their files or says why not. Nothing is dropped.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from .. import markup
from ..errors import Diagnostic, SourceError
from .mdimages import Images

_ATX = re.compile(r"([ ]{0,3})(#{1,6})(?=[ \t]|\Z)")


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _relevel(lines: list[str], offset: int, path: str, where: str,
             diagnostics: list[Diagnostic]) -> list[str]:
    """The lines with their top-level headings numbered from level 1, without gaps."""
    tokens = _parser().parse("\n".join(lines))
    headings = [t for t in tokens if t.type == "heading_open" and t.level == 0 and t.map]
    levels = sorted({int(t.tag[1]) for t in headings})
    wanted = {level: index for index, level in enumerate(levels, start=1)}
    out = list(lines)
    for token in reversed(headings):  # from the end, so a setext rewrite keeps earlier lines
        old, new = int(token.tag[1]), wanted[int(token.tag[1])]
        if old == new:
            continue
        first, end = token.map
        atx = _ATX.match(out[first])
        if atx:
            out[first] = atx.group(1) + "#" * new + out[first][atx.end():]
        else:  # an underlined heading: written as one '#' line
            text = " ".join(line.strip() for line in out[first:end - 1])
            out[first:end] = ["#" * new + " " + text]
        diagnostics.append(Diagnostic(path, offset + first + 1, 0, (
            f"a level-{old} heading in {where} is written as level {new} ('{'#' * new}'): "
            "headings in an answer start one level below their question"), "warning"))
    return out


def _report(lines: list[str], offset: int, path: str, where: str,
            diagnostics: list[Diagnostic], images: Images) -> None:
    """Warnings for raw HTML and images, at the line that holds them."""
    tokens = _parser().parse("\n".join(lines))
    for token in tokens:
        if not token.map:
            continue
        first = token.map[0]
        if token.type == "html_block":
            diagnostics.append(_html(path, offset + first, token.content, where))
        for child in token.children or ():
            line = _line_of(lines, token.map, child.content or str(child.attrGet("src") or ""))
            if child.type == "html_inline":
                diagnostics.append(_html(path, offset + line, child.content, where))
            elif child.type == "image":
                alt = "".join(t.content for t in child.children or () if t.content).strip()
                diagnostics += images.see(str(child.attrGet("src") or ""), alt,
                                          offset + line + 1, where)


def _line_of(lines: list[str], span: list[int], content: str) -> int:
    for index in range(span[0], span[1]):
        if content and content in lines[index]:
            return index
    return span[0]


def _html(path: str, line: int, content: str, where: str) -> Diagnostic:
    shown = " ".join(content.split())[:40]
    return Diagnostic(path, line + 1, 0, f"raw HTML in {where} is printed as text, not as "
                      f"markup: '{shown}'", "warning")


def answer_markdown(chunk: list[str], offset: int, path: str, where: str,
                    diagnostics: list[Diagnostic], images: Images | None = None) -> str:
    """The Markdown of ``chunk`` (lines of the file from 0-based line ``offset``), adjusted.

    Blank lines around it go; the files of its images are added to ``images``
    (none when it is not given: the text was not read from a file); raise
    SourceError when it nests deeper than the project can print.
    """
    while chunk and not chunk[0].strip():
        chunk, offset = chunk[1:], offset + 1
    while chunk and not chunk[-1].strip():
        chunk = chunk[:-1]
    if not chunk:
        return ""
    _report(chunk, offset, path, where, diagnostics, images or Images(path, None))
    text = "\n".join(_relevel(chunk, offset, path, where, diagnostics)) + "\n"
    deep = markup.too_deep(markup.parse(text))
    if deep is not None:
        raise SourceError.at(path, offset + deep + 1, 0, (
            f"lists and quotes in {where} are nested more than {markup.MAX_DEPTH} levels "
            "deep here; that much nesting cannot be printed"))
    return text
