"""Orchestrate a build: load and check every source first, then render and write atomically.

Nothing is written for a source with errors, and a failed or interrupted write
never replaces a good earlier file: each output goes to a temporary file in
the same folder and is renamed into place only when complete.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import fonts
from .check import check
from .coverage import drawable, missing_glyphs
from .errors import BriefingError, Diagnostic, SourceError, UnexpectedError
from .load import MAX_SOURCE_BYTES, parse, read
from .model import Briefing
from .render_html import Options
from .write import TEMP_PREFIX, remove_stale_temporaries, write_atomic

__all__ = ["TEMP_PREFIX", "Outcome", "Written", "build", "check_sources", "discover",
           "load_checked", "remove_stale_temporaries", "render_outputs", "write_atomic"]

LOGGER = logging.getLogger("briefing")
_NOTDEF = re.compile(r"\(U\+([0-9A-F]{4,6})\)")
FORMATS = ("pdf", "html")


@dataclass(frozen=True)
class Written:
    """One file a build wrote."""

    path: Path
    size: int
    pages: int | None = None


@dataclass
class Outcome:
    """What happened to one source: diagnostics, files written, or the error that stopped it."""

    source: Path
    diagnostics: list[Diagnostic] = field(default_factory=list)
    written: list[Written] = field(default_factory=list)
    error: BriefingError | None = None
    briefing: Briefing | None = None

    @property
    def ok(self) -> bool:
        """True when the source built (or checked) without errors."""
        return self.error is None


def discover(folder: Path = Path("source")) -> list[Path]:
    """The sources of a folder, in a stable order."""
    return sorted(p for p in folder.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def load_checked(
    path: Path, *, strict: bool = False, max_bytes: int = MAX_SOURCE_BYTES
) -> tuple[Briefing, list[Diagnostic]]:
    """Load and check a source; raise SourceError with every error (and warnings if strict)."""
    text = read(path, max_bytes=max_bytes)
    briefing, diagnostics = parse(text, str(path))
    diagnostics += check(briefing)
    if not any(d.severity == "error" for d in diagnostics):
        diagnostics += missing_glyphs(briefing, text)
    diagnostics.sort(key=lambda d: (d.line, d.column))
    failing = [d for d in diagnostics if d.severity == "error" or strict]
    if failing:
        raise SourceError(diagnostics)
    return briefing, diagnostics


def check_sources(
    paths: Iterable[Path], *, strict: bool = False, max_bytes: int = MAX_SOURCE_BYTES
) -> list[Outcome]:
    """Validate sources without rendering anything; one failing source does not stop the others."""
    outcomes = []
    for path in paths:
        outcome = Outcome(path)
        try:
            outcome.briefing, outcome.diagnostics = load_checked(
                path, strict=strict, max_bytes=max_bytes)
        except BriefingError as exc:
            outcome.error = exc
        except Exception as exc:  # a bug must not cost the other sources their build
            outcome.error = UnexpectedError(str(path), exc)
        outcomes.append(outcome)
    return outcomes


class _Collect(logging.Handler):
    """Turn WeasyPrint's warnings during one render into diagnostics naming the source."""

    def __init__(self, path: str) -> None:
        super().__init__(logging.WARNING)
        self.path = path
        self.found: list[Diagnostic] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("Using fontTools instead of HarfBuzz"):
            return  # about the machine, not the source; the output is the same
        self.found.append(Diagnostic(self.path, 0, 0, message, "warning"))


@contextlib.contextmanager
def _weasyprint_warnings(path: str) -> Iterator[list[Diagnostic]]:
    logger = logging.getLogger("weasyprint")
    handler = _Collect(path)
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield handler.found
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _copy_fonts(out_dir: Path) -> list[Written]:
    """Put the font files the HTML version links to beside it (only when they changed)."""
    written = []
    for face in fonts.FACES:
        target = out_dir / "fonts" / face.filename
        data = face.path.read_bytes()
        if not target.is_file() or target.read_bytes() != data:
            write_atomic(target, data)
            written.append(Written(target, len(data)))
    return written


def _not_yet_said(warnings: list[Diagnostic]) -> list[Diagnostic]:
    """Drop WeasyPrint's empty-box warnings for characters the checker already placed.

    The checker reports every printed character that ``drawable`` rejects, with
    its line; a character it thought drawable keeps WeasyPrint's warning.
    """
    kept = []
    for warning in warnings:
        code = _NOTDEF.search(warning.message)
        if not (code and warning.message.startswith(".notdef glyph")
                and not drawable(chr(int(code[1], 16)))):
            kept.append(warning)
    return kept


def render_outputs(
    briefing: Briefing, options: Options, formats: Iterable[str]
) -> tuple[dict[str, bytes], dict[str, int], list[Diagnostic]]:
    """Render the requested formats in memory: {suffix: bytes}, {suffix: pages}, warnings."""
    outputs: dict[str, bytes] = {}
    pages: dict[str, int] = {}
    with _weasyprint_warnings(briefing.path) as warnings:
        if "pdf" in formats:
            from .finish import to_pdf
            from .render_pdf import render

            rendering = render(briefing, options)
            outputs["pdf"] = to_pdf(briefing, rendering)
            pages["pdf"] = rendering.front_pages + rendering.body_pages
            # WeasyPrint also logs each failed fetch; our own line says why, once.
            refused = [r.url for r in rendering.refused]
            warnings[:] = [w for w in warnings if not any(url in w.message for url in refused)]
            warnings.extend(Diagnostic(briefing.path, 0, 0, str(r), "warning")
                            for r in rendering.refused)
        if "html" in formats:
            from .render_html import render_screen

            outputs["html"] = render_screen(briefing, options).encode("utf-8")
    return outputs, pages, list(warnings)


def build(
    paths: Iterable[Path],
    out_dir: Path,
    options: Options,
    formats: Iterable[str] = FORMATS,
    *,
    strict: bool = False,
    max_bytes: int = MAX_SOURCE_BYTES,
) -> list[Outcome]:
    """Build every source into ``out_dir``; one failing source does not stop the others.

    Every source is loaded and checked before anything is rendered. An expected
    error (BriefingError) or an unexpected exception while rendering one source
    is recorded in its outcome and the next source is built; Ctrl-C stops the
    build, and what was written so far stays complete.
    """
    formats = tuple(formats)
    checked = check_sources(paths, strict=strict, max_bytes=max_bytes)
    if out_dir.is_dir():
        remove_stale_temporaries(out_dir)
    fonts_copied = False
    for outcome in checked:
        briefing = outcome.briefing
        if briefing is None:
            continue
        try:
            outputs, pages, warnings = render_outputs(briefing, options, formats)
            warnings = _not_yet_said(warnings)
            outcome.diagnostics += warnings
            if strict and warnings:
                raise SourceError(warnings)
            if "html" in outputs and not fonts_copied:
                outcome.written += _copy_fonts(out_dir)
                fonts_copied = True
            for suffix, data in outputs.items():
                target = out_dir / f"{briefing.name}.{suffix}"
                write_atomic(target, data)
                outcome.written.append(Written(target, len(data), pages.get(suffix)))
        except BriefingError as exc:
            outcome.error = exc
        except Exception as exc:  # a bug must not cost the other sources their build
            outcome.error = UnexpectedError(briefing.path, exc)
    return checked
