"""Orchestrate a build: load and check every source first, then render and write atomically.

Nothing is written for a source with errors, and a failed or interrupted write
never replaces a good earlier file: each output goes to a temporary file in
the same folder and is renamed into place only when complete.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import astuple, dataclass, field
from pathlib import Path
from urllib.parse import unquote

from . import fonts
from .cache import MANIFEST as MANIFEST_NAME
from .cache import Manifest, source_key, styles_digest
from .check import check
from .coverage import drawable, missing_glyphs
from .errors import BriefingError, Diagnostic, SourceError, UnexpectedError
from .load import MAX_SOURCE_BYTES, parse, read
from .model import Briefing
from .options import Options
from .write import TEMP_PREFIX, remove_stale_temporaries, write_atomic

__all__ = ["TEMP_PREFIX", "Outcome", "Written", "build", "check_sources", "discover",
           "load_checked", "remove_stale_temporaries", "render_outputs", "write_atomic"]

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
    up_to_date: bool = False

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
        if not target.is_file() or target.stat().st_size != face.path.stat().st_size:
            data = face.path.read_bytes()
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


def _screen_images(briefing: Briefing, options: Options) -> tuple[dict[str, bytes], list]:
    """Copies of the local images the screen version shows: {relative path: bytes}, refusals.

    They are read through the same fetcher, under the same rules, as the PDF's.
    """
    from .fetch import FetchRefused, RestrictedFetcher
    from .markup import local_images
    from .render_html import images_folder

    wanted = sorted({src for _, text in briefing.markdown() for src in local_images(text)})
    if not wanted:
        return {}, []
    source_dir = Path(briefing.path).resolve().parent
    fetcher = RestrictedFetcher((), (source_dir,))
    found = {}
    for src in wanted:
        url = source_dir.as_uri() + "/" + src
        with contextlib.suppress(FetchRefused):
            name = unquote(src.split("?")[0].split("#")[0])
            found[f"{images_folder(briefing)}/{name}"] = fetcher.fetch(url).read()
    return found, fetcher.refused


def render_outputs(
    briefing: Briefing, options: Options, formats: Iterable[str]
) -> tuple[dict[str, bytes], dict[str, int], list[Diagnostic]]:
    """Render the requested formats in memory.

    Returns {file name relative to the output folder: bytes}, {file name: pages}
    and the warnings.
    """
    outputs: dict[str, bytes] = {}
    pages: dict[str, int] = {}
    with _weasyprint_warnings(briefing.path) as warnings:
        if "pdf" in formats:
            from .finish import to_pdf
            from .render_pdf import render

            rendering = render(briefing, options)
            outputs[f"{briefing.name}.pdf"] = to_pdf(briefing, rendering)
            pages[f"{briefing.name}.pdf"] = rendering.front_pages + rendering.body_pages
            # WeasyPrint also logs each failed fetch; our own line says why, once.
            refused = [r.url for r in rendering.refused]
            warnings[:] = [w for w in warnings if not any(url in w.message for url in refused)]
            warnings.extend(Diagnostic(briefing.path, 0, 0, str(r), "warning")
                            for r in rendering.refused)
        if "html" in formats:
            from .render_html import render_screen

            outputs[f"{briefing.name}.html"] = render_screen(briefing, options).encode("utf-8")
            images, refusals = _screen_images(briefing, options)
            outputs.update(images)
            said = {w.message for w in warnings}
            warnings.extend(Diagnostic(briefing.path, 0, 0, str(r), "warning")
                            for r in refusals if str(r) not in said)
    return outputs, pages, list(warnings)


def render_and_write(
    briefing: Briefing, out_dir: Path, options: Options, formats: tuple[str, ...], strict: bool
) -> tuple[list[Written], list[Diagnostic]]:
    """Render one checked briefing and write its files; warnings fail it first when strict."""
    outputs, pages, warnings = render_outputs(briefing, options, formats)
    warnings = _not_yet_said(warnings)
    if strict and warnings:
        raise SourceError(warnings)
    written = []
    for name, data in outputs.items():
        target = out_dir / name
        write_atomic(target, data)
        written.append(Written(target, len(data), pages.get(name)))
    return written, warnings


def _render_all(
    outcomes: list[Outcome], out_dir: Path, options: Options, formats: tuple[str, ...],
    strict: bool, jobs: int, on_done: Callable[[Outcome], None],
) -> None:
    """Render checked sources, in worker processes when there is more than one job."""

    def finish(outcome: Outcome, result: Callable[[], tuple[list[Written], list[Diagnostic]]]):
        try:
            written, warnings = result()
            outcome.written += written
            outcome.diagnostics += warnings
        except BriefingError as exc:
            outcome.error = exc
        except Exception as exc:  # a bug must not cost the other sources their build
            outcome.error = UnexpectedError(str(outcome.source), exc)
        on_done(outcome)

    if jobs <= 1 or len(outcomes) <= 1:
        for outcome in outcomes:
            assert outcome.briefing is not None
            finish(outcome, lambda o=outcome: render_and_write(
                o.briefing, out_dir, options, formats, strict))
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(jobs, len(outcomes)), mp_context=context) as pool:
        futures = {pool.submit(render_and_write, o.briefing, out_dir, options, formats, strict): o
                   for o in outcomes}
        for future in as_completed(futures):
            finish(futures[future], future.result)


def build(
    paths: Iterable[Path],
    out_dir: Path,
    options: Options,
    formats: Iterable[str] = FORMATS,
    *,
    strict: bool = False,
    force: bool = False,
    jobs: int = 1,
    max_bytes: int = MAX_SOURCE_BYTES,
    on_done: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Build every source into ``out_dir``; one failing source does not stop the others.

    Sources whose inputs are unchanged since their last good build are skipped
    (unless ``force``); the rest are loaded and checked before anything is
    written, then rendered, ``jobs`` at a time. An expected error or an
    unexpected exception while rendering one source is recorded in its outcome
    and the others are still built; Ctrl-C stops the build, and what was
    written so far stays complete.
    """
    paths = list(paths)
    formats = tuple(formats)
    fonts_checked = False

    def report(outcome: Outcome) -> None:
        # The fonts every HTML version links to go beside the first good one,
        # also when it was up to date (someone may have removed them).
        nonlocal fonts_checked
        if not fonts_checked and "html" in formats and outcome.ok:
            outcome.written += _copy_fonts(out_dir)
            fonts_checked = True
        if on_done is not None:
            on_done(outcome)

    manifest = Manifest.read(out_dir)
    outcomes: list[Outcome] = []
    keys: dict[Path, str] = {}
    styles = styles_digest(options)
    for path in paths:
        with contextlib.suppress(OSError):
            # Only what the loader would read: a regular file within the size limit.
            if path.is_file() and path.stat().st_size <= max_bytes:
                keys[path] = source_key(path, options, formats, styles)
        entry = None if force or path not in keys else manifest.fresh(path, keys[path])
        if entry is not None:
            cached = [Diagnostic(*d) for d in entry.warnings]
            outcomes.append(Outcome(path, diagnostics=cached, up_to_date=True))
    todo = [p for p in paths if p not in {o.source for o in outcomes}]
    checked = check_sources(todo, strict=strict, max_bytes=max_bytes)
    for outcome in checked:
        if outcome.error is not None:
            report(outcome)
    good = [o for o in checked if o.error is None]
    if out_dir.is_dir():
        remove_stale_temporaries(out_dir)
    _render_all(good, out_dir, options, formats, strict, jobs, report)
    for outcome in outcomes:
        report(outcome)
    for outcome in checked:
        if outcome.ok and outcome.source in keys:
            own = [w.path for w in outcome.written
                   if w.path.parent != out_dir / "fonts"]  # shared by every source
            manifest.record(outcome.source, keys[outcome.source], own,
                            [list(astuple(d)) for d in outcome.diagnostics])
        else:
            manifest.forget(outcome.source)
    if manifest.changed and out_dir.is_dir():
        write_atomic(out_dir / MANIFEST_NAME, manifest.dumps())
    order = {path: index for index, path in enumerate(paths)}
    return sorted(outcomes + checked, key=lambda o: order[o.source])
