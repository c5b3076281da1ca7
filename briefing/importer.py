"""The import command: read an FAQ with a reader, write YAML, prove it loads back, save it.

Nothing is written when the text has errors, when the target exists (unless
forced), or when the YAML would not load back into the very same questions and
answers; the file is written atomically. The image files the text names are
then copied beside it at the same relative paths, so its answers find them
unchanged; a different file already there is refused like the YAML, before
anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostic, SourceError, UsageError
from .gate import Refused, inside, read_local
from .load import LANGUAGE_TAG, parse
from .model import Briefing, walk
from .readers import choose
from .slugs import slug
from .write import write_atomic
from .write_yaml import dump

#: Where imported sources go by default, beside the ones `build` finds.
SOURCE_DIR = Path("source")


@dataclass(frozen=True)
class Imported:
    """One imported text: where its source was written, what it holds, what was said,
    and which reader read it and why that one."""

    path: Path
    briefing: Briefing
    diagnostics: tuple[Diagnostic, ...]
    language_guessed: bool
    reader: str
    chosen: str
    #: The image files written beside the source (an identical one already there is kept).
    copied: tuple[Path, ...] = ()


def default_output(briefing: Briefing, folder: Path = SOURCE_DIR) -> Path:
    """``source/<slug-of-title>.yaml``."""
    return folder / f"{slug(briefing.title)}.yaml"


def _content(briefing: Briefing) -> list[tuple[str, str]]:
    """Every declared value of a briefing, in document order, as text."""
    return [(declared.key, str(value)) for _, declared, value in walk(briefing)]


def _same_content(written: Briefing, read: Briefing) -> bool:
    """Whether the loaded YAML holds exactly what the reader read, field for field."""
    return _content(written) == _content(read)


def _copies(files: tuple[tuple[str, Path], ...], folder: Path,
            force: bool) -> list[tuple[Path, bytes]]:
    """The files to write into ``folder`` (where the source goes) and their bytes.

    Raise SourceError, before anything is written, for a different file already
    there (unless forced) and for a file that can no longer be read.
    """
    wanted: list[tuple[Path, bytes]] = []
    for relative, source in files:
        target = folder / relative
        try:
            _, data = read_local(source, (), (source.parent,))
        except Refused as refused:
            raise SourceError.at(str(source), 0, 0, f"cannot copy it: {refused.reason}") from None
        if not inside(target.parent.resolve(), (folder.resolve(),)):
            raise SourceError.at(str(target), 0, 0,
                                 f"would be written out of {folder} through a symlink")
        if target.exists() or target.is_symlink():
            if target.is_file() and target.read_bytes() == data:
                continue  # the very same image is there already
            if not force:
                raise SourceError.at(str(target), 0, 0,
                                     "already exists; use --force to replace it")
        wanted.append((target, data))
    return wanted


def import_text(
    text: str,
    name: str,
    out: Path | None = None,
    *,
    language: str | None = None,
    force: bool = False,
    reader: str | None = None,
    flat: bool = False,
    folder: Path | None = None,
) -> Imported:
    """Read the FAQ ``text`` (named ``name`` in messages) and write it as a YAML source.

    ``out`` is the file to write, or a folder for ``<slug-of-title>.yaml``
    (default: ``source/``). ``reader`` names the reader to use (``--from``);
    without it one is chosen from the name and the content. ``folder`` is the
    one the text was read from (None for standard input): the image files it
    names there are copied beside the source.
    """
    if language is not None and not LANGUAGE_TAG.match(language):
        raise UsageError(f"--language {language}: not a language tag such as en, es or pt-BR")
    chosen, why = choose(name, text, reader)
    reading = chosen.read(text, name, language, flat=flat, folder=folder)
    if out is None or out.is_dir():
        target = default_output(reading.briefing, out or SOURCE_DIR)
    else:
        target = out
    if target.exists() and not force:
        raise SourceError.at(str(target), 0, 0, "already exists; use --force to replace it")
    copies = _copies(reading.files, target.parent, force)
    how = "guessed from the questions" if reading.language_guessed else "given"
    source = dump(reading.briefing, comment=(
        f"Imported from {Path(name).name} (language {reading.briefing.language}, {how}).\n"
        "Questions and answers are word for word. Answers are Markdown; in plain text,\n"
        "characters that mean something in Markdown are escaped with a backslash."
    ))
    loaded, _ = parse(source, str(target))
    if not _same_content(loaded, reading.briefing):
        raise SourceError.at(name, 0, 0, "the YAML made from it would not load back the same "
                             f"text; {target} was not written")
    write_atomic(target, source.encode("utf-8"))
    for path, data in copies:
        write_atomic(path, data)
    return Imported(target, reading.briefing, reading.diagnostics, reading.language_guessed,
                    chosen.name, why, tuple(path for path, _ in copies))
