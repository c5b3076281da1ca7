"""Inputs are readers in a registry: one module each, one protocol, ``import --from`` lists them.

A reader turns the text of an FAQ as people have it into the model, word for
word, with the positions of what it found and warnings for what it had to
decide. It writes nothing; the import command turns its briefing into YAML,
proves the YAML loads back the same, and only then writes it.

Which reader reads a file: the one ``--from`` names; else the one whose
extensions include the file's; else the first that recognises the content;
else plain text, which reads anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Protocol

from ..errors import Diagnostic
from ..model import Briefing


@dataclass(frozen=True)
class Reading:
    """What a reader made of a text: the model, its diagnostics, how it chose the language,
    and the local files (images) the text names, to copy beside the written source."""

    briefing: Briefing
    diagnostics: tuple[Diagnostic, ...]
    language_guessed: bool
    #: (path as the text names it, relative and decoded; the file it names there).
    files: tuple[tuple[str, Path], ...] = ()


class Reader(Protocol):
    """One input format."""

    #: The name ``--from`` takes.
    name: str
    #: One line for ``--help``.
    description: str
    #: File name endings this reader is chosen for, lower case with the dot (``.txt``).
    extensions: tuple[str, ...]

    def recognises(self, text: str) -> bool:
        """Whether the content alone says it is this format (used when the name does not)."""
        ...

    def read(self, text: str, name: str, language: str | None = None, *,
             flat: bool = False, folder: Path | None = None) -> Reading:
        """Read ``text`` (called ``name`` in messages); raise SourceError when it holds no FAQ.

        ``language`` is the tag to record, or None to guess it; ``flat`` ignores
        headings that would start sections; ``folder`` is the one the text was
        read from (None for standard input), where the files it names are.
        """
        ...


def _registry() -> dict[str, Reader]:
    from . import html, markdown, text

    return {reader.name: reader for reader in (html.READER, markdown.READER, text.READER)}


#: Every reader by name; plain text, which reads anything, is the last resort.
READERS: dict[str, Reader] = _registry()

#: The reader for a file nothing else claims.
FALLBACK = "text"


def choose(name: str, text: str, forced: str | None = None) -> tuple[Reader, str]:
    """The reader for the file ``name`` holding ``text``, and why it was chosen.

    ``forced`` is the name given with ``--from``; it must be in READERS.
    """
    if forced is not None:
        return READERS[forced], "given with --from"
    suffix = PurePath(name).suffix.lower()
    for reader in READERS.values():
        if suffix and suffix in reader.extensions:
            return reader, f"from the name {suffix}"
    for reader in READERS.values():
        if reader.name != FALLBACK and reader.recognises(text):
            return reader, "from the content"
    return READERS[FALLBACK], "the default"
