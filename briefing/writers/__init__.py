"""Outputs are writers in a registry: one module each, one protocol, ``--format`` lists them.

A writer turns a checked briefing into files, in memory: it names them
relative to the output folder, says how many pages each PDF has, and returns
its warnings with their positions. It writes nothing itself; the build does,
atomically, after every writer of a source has succeeded. Files that every
briefing shares (the fonts beside the HTML version) are declared as
``assets`` and copied once per build.

Importing this package imports no renderer: each writer imports what it
needs when it writes, so listing the formats and no-op builds stay light.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urljoin

from ..errors import Diagnostic
from ..model import Briefing, markdown
from ..options import Options


@dataclass
class Output:
    """What a writer made of one briefing: files by name, their page counts, its warnings."""

    files: dict[str, bytes] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)


class Writer(Protocol):
    """One output format."""

    #: The name ``--format`` takes.
    name: str
    #: One line for ``--help``.
    description: str

    def assets(self) -> Mapping[str, Path]:
        """Files every output of this format shares: {name in the output folder: file}."""
        ...

    def write(self, briefing: Briefing, options: Options) -> Output:
        """Render ``briefing`` to files in memory."""
        ...


def refusals(briefing: Briefing, refused: Iterable[object]) -> list[Diagnostic]:
    """Warnings for URLs a fetcher refused, each placed at the image that names it when
    the source has one (a stylesheet's URL has no place in the source)."""
    base = Path(briefing.path).resolve().parent
    places = []
    for _, text in markdown(briefing):
        for image in text.images:
            urls = {unquote(urljoin(base.as_uri() + "/", image.url))}
            if image.path is not None:
                urls.add(unquote((base / image.path).as_uri()))
            places.append((urls, image.where))
    found = []
    for refusal in refused:
        url = unquote(getattr(refusal, "url", ""))
        where = next((w for urls, w in places if url in urls and w is not None), None)
        line, column = (where.line, where.column) if where else (0, 0)
        found.append(Diagnostic(briefing.path, line, column, str(refusal), "warning"))
    return found


def _registry() -> dict[str, Writer]:
    from . import booklet, html, pdf, sections, twoup

    return {writer.name: writer for writer in (pdf.WRITER, html.WRITER, booklet.WRITER,
                                               twoup.WRITER, sections.WRITER)}


#: Every writer by name, in the order a build runs them.
WRITERS: dict[str, Writer] = _registry()

#: What a build writes when it is not told: the PDF and the HTML version.
DEFAULT = ("pdf", "html")


def names() -> tuple[str, ...]:
    """The formats ``--format`` accepts (besides ``all``)."""
    return tuple(WRITERS)


def parse_formats(text: str) -> tuple[str, ...]:
    """Writer names from a comma-separated list (``pdf,booklet``); ``all`` is every writer.

    The result is in registry order, each name once; an unknown name raises ValueError.
    """
    asked = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [name for name in asked if name != "all" and name not in WRITERS]
    if unknown or not asked:
        raise ValueError(f"invalid choice: {(unknown or [text])[0]!r} (choose from "
                         f"{', '.join(WRITERS)}, all; or a comma-separated list)")
    return tuple(name for name in WRITERS if name in asked or "all" in asked)


def get(name: str) -> Writer:
    """The writer called ``name``."""
    return WRITERS[name]
