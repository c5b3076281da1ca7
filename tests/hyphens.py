"""Hyphenation faults a reader notices, found in a PDF's text alone.

Two faults are counted, on the body text only (lines set at least as large as the
body text size; running heads, page numbers and footnotes are smaller):

- a page turn inside a word: the last line of a page's text ends with a hyphen
  that the word does not have in the source;
- a stub: a line ends with such a hyphen and the line after it, the last of its
  paragraph, holds only a few characters ("referen-" / "cia.").

A hyphen is the one WeasyPrint adds (U+2010), or a hyphen-minus that the source
does not have at that place (the word, joined across the break, is in the source
without it).
"""

from __future__ import annotations

from dataclasses import dataclass

from pdfgeom import fragments
from pypdf import PdfReader

#: A last line this short after a hyphen is a stub.
STUB_CHARS = 6
#: Lines set smaller than this (points) are not body text.
BODY_SIZE = 10.0


@dataclass(frozen=True)
class Faults:
    """Where hyphenation went wrong: (page index, the hyphenated line's text) of each fault."""

    page_turns: list[tuple[int, str]]
    stubs: list[tuple[int, str]]
    #: Every line of body text ending with a hyphen the source does not have.
    hyphenated: int = 0


def body_lines(page) -> list[str]:  # noqa: ANN001 - a pypdf page
    """The page's body-text lines, top to bottom."""
    rows: dict[float, list] = {}
    for fragment in fragments(page):
        if fragment.text.strip():
            key = next((y for y in rows if abs(y - fragment.y) < 1.0), fragment.y)
            rows.setdefault(key, []).append(fragment)
    found = []
    for y in sorted(rows, reverse=True):
        row = sorted(rows[y], key=lambda f: f.x)
        if max(f.size for f in row) >= BODY_SIZE:
            found.append("".join(f.text for f in row).strip())
    return found


def _hyphenated(line: str, following: str, source: str) -> bool:
    """Whether ``line`` ends with a hyphen the source does not have there."""
    if line.endswith("\u2010"):
        return True
    if not line.endswith("-") or not following:
        return False
    head = line.split()[-1][:-1] if line.split() else ""
    tail = following.split()[0] if following.split() else ""
    return bool(head and tail) and f"{head}-{tail}" not in source and f"{head}{tail}" in source


def faults(path, source: str) -> Faults:  # noqa: ANN001 - a path
    """Count page turns inside words and stubs after a hyphen in the PDF at ``path``."""
    turns, stubs, count = [], [], 0
    pages = [body_lines(page) for page in PdfReader(path).pages]
    for index, lines in enumerate(pages):
        for i, line in enumerate(lines):
            last = i + 1 == len(lines)
            following = next((p[0] for p in pages[index + 1:] if p), "") if last \
                else lines[i + 1]
            if not _hyphenated(line, following, source):
                continue
            count += 1
            if last:
                turns.append((index, line))
            elif len(following) <= STUB_CHARS:
                stubs.append((index, f"{line} / {following}"))
    return Faults(turns, stubs, count)
