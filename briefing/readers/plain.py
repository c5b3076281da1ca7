"""Plain lines as Markdown that prints them exactly: escapes, ordered lists, links.

Every character that would mean something in Markdown is escaped. Runs of
numbered lines (``1.`` or ``1)``) become ordered lists that keep their own
numbers and delimiter. Addresses (``https://…``, ``www.…``, e-mail) become
links whose text is the address exactly as written; punctuation after an
address, such as a final ``.`` or an unbalanced ``)``, stays outside the link.
"""

from __future__ import annotations

import re
from functools import lru_cache

from linkify_it import LinkifyIt

#: An ordered-list marker as CommonMark reads it: at most nine digits, no leading zero.
LIST_ITEM = re.compile(r"(0|[1-9][0-9]{0,8})([.)])[ \t]+(\S.*)\Z")
#: Ends a list before another with the same delimiter: a definition no link uses prints nothing.
LIST_END = "[list ends here]: #"
#: Inline Markdown: backslash escapes, emphasis, code, links, autolinks, tables,
#: entities and strikethrough (a run of two or more tildes).
_INLINE = re.compile(
    r"\\(?=[!-/:-@\[-`{-~]|\Z)|[`*_\[\]<|]|&(?=#?[A-Za-z0-9]+;)|~(?=~)|(?<=~)~"
)
#: Line starts that make a block: headings, quotes, bullets, breaks, setext
#: underlines and ordered-list markers.
_LINE_START = re.compile(r"[#>+=-]|[0-9]+(?=[.)])")
#: What a link destination in angle brackets cannot hold as written.
_UNSAFE_URL = re.compile(r"[\s<>\\]|&(?=#?[A-Za-z0-9]+;)")


@lru_cache(maxsize=1)
def _linkify() -> LinkifyIt:
    return LinkifyIt()


def addresses(line: str) -> list[tuple[int, int, str]]:
    """(start, end, target) of every address in a line that becomes a link.

    Only addresses with a scheme the project links (http, https, mailto),
    ``www.`` addresses and e-mail addresses; a bare ``example.org`` stays
    text, as do names like ``Node.js`` that only look like domains.
    """
    found = []
    for match in _linkify().match(line) or ():
        raw, url = match.raw, match.url
        explicit = match.schema.lower() in ("http:", "https:", "mailto:")
        if not (explicit or raw.lower().startswith("www.")) or _UNSAFE_URL.search(url):
            continue
        found.append((match.index, match.last_index, url))
    return found


def _escape_inline(text: str) -> str:
    return _INLINE.sub(lambda m: "\\" + m.group(0), text)


def escape(line: str) -> str:
    """Escape one line of plain text so that Markdown prints it exactly as written."""
    parts = []
    cursor = 0
    for start, end, url in addresses(line):
        parts.append(_escape_inline(line[cursor:start]))
        parts.append(f"[{_escape_inline(line[start:end])}](<{url}>)")
        cursor = end
    escaped = "".join(parts) + _escape_inline(line[cursor:])
    start_match = _LINE_START.match(escaped)
    if start_match is None:
        return escaped
    if start_match.group(0)[0].isdigit():  # "1." or "1)": the delimiter is what makes a list
        return escaped[:start_match.end()] + "\\" + escaped[start_match.end():]
    return "\\" + escaped


def to_markdown(lines: list[str]) -> str:
    """Markdown for non-empty plain lines: one paragraph each, numbered runs as ordered lists.

    A run continues while each number is one more than the last and the
    delimiter stays the same. Two lists with the same delimiter written one
    after the other would merge in Markdown, so a link reference definition,
    which prints nothing, stands between them (:data:`LIST_END`).
    """
    out: list[str] = []
    previous: tuple[int, str] | None = None  # (number, delimiter) of the item just written
    for line in lines:
        item = LIST_ITEM.match(line)
        if item is None:
            out += ["", escape(line)] if out else [escape(line)]
            previous = None
            continue
        value, delimiter = int(item.group(1)), item.group(2)
        if previous is None or (value, delimiter) != (previous[0] + 1, previous[1]):
            if previous is not None and delimiter == previous[1]:
                out += ["", LIST_END]
            if out:
                out.append("")
        out.append(f"{value}{delimiter} {escape(item.group(3))}")
        previous = (value, delimiter)
    return "\n".join(out) + "\n" if out else ""
