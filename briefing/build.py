"""Orchestrate a build: load and check every source first, then render and write atomically.

Nothing is written for a source with errors, and a failed or interrupted write
never replaces a good earlier file: each output goes to a temporary file in
the same folder and is renamed into place only when complete.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import astuple, dataclass, field
from pathlib import Path

from . import fonts
from .cache import MANIFEST as MANIFEST_NAME
from .cache import Manifest, source_key
from .check import check
from .errors import BriefingError, Diagnostic, SourceError
from .load import parse, read
from .model import Briefing
from .options import Options

LOGGER = logging.getLogger("briefing")
FORMATS = ("pdf", "html")
#: Temporary files start with this; leftovers of an interrupted build are removed.
TEMP_PREFIX = ".~briefing-"


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


def load_checked(path: Path, *, strict: bool = False) -> tuple[Briefing, list[Diagnostic]]:
    """Load and check a source; raise SourceError with every error (and warnings if strict)."""
    text = read(path)
    briefing, diagnostics = parse(text, str(path))
    diagnostics += check(briefing)
    diagnostics.sort(key=lambda d: (d.line, d.column))
    failing = [d for d in diagnostics if d.severity == "error" or strict]
    if failing:
        raise SourceError(diagnostics)
    return briefing, diagnostics


def check_sources(paths: Iterable[Path], *, strict: bool = False) -> list[Outcome]:
    """Validate sources without rendering anything."""
    outcomes = []
    for path in paths:
        outcome = Outcome(path)
        try:
            outcome.briefing, outcome.diagnostics = load_checked(path, strict=strict)
        except BriefingError as exc:
            outcome.error = exc
        outcomes.append(outcome)
    return outcomes


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def remove_stale_temporaries(out_dir: Path) -> None:
    """Delete temporary files an interrupted earlier build left behind."""
    for leftover in out_dir.glob(TEMP_PREFIX + "*"):
        with contextlib.suppress(OSError):
            leftover.unlink()


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
            warnings.extend(
                Diagnostic(briefing.path, 0, 0, f"refused to fetch {url}", "warning")
                for url in rendering.refused
            )
        if "html" in formats:
            from .render_html import render_screen

            outputs["html"] = render_screen(briefing, options).encode("utf-8")
    return outputs, pages, list(warnings)


def render_and_write(
    briefing: Briefing, out_dir: Path, options: Options, formats: tuple[str, ...], strict: bool
) -> tuple[list[Written], list[Diagnostic]]:
    """Render one checked briefing and write its files; warnings fail it first when strict."""
    outputs, pages, warnings = render_outputs(briefing, options, formats)
    if strict and warnings:
        raise SourceError(warnings)
    written = []
    for suffix, data in outputs.items():
        target = out_dir / f"{briefing.name}.{suffix}"
        write_atomic(target, data)
        written.append(Written(target, len(data), pages.get(suffix)))
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
        on_done(outcome)

    if jobs <= 1 or len(outcomes) <= 1:
        for outcome in outcomes:
            assert outcome.briefing is not None
            finish(outcome, lambda o=outcome: render_and_write(
                o.briefing, out_dir, options, formats, strict))
        return
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
    on_done: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Build every source into ``out_dir``; one failing source does not stop the others.

    Sources whose inputs are unchanged since their last good build are skipped
    (unless ``force``); the rest are loaded and checked before anything is
    written, then rendered, ``jobs`` at a time.
    """
    paths = list(paths)
    formats = tuple(formats)
    report = on_done or (lambda outcome: None)
    manifest = Manifest.read(out_dir)
    outcomes: list[Outcome] = []
    keys: dict[Path, str] = {}
    for path in paths:
        with contextlib.suppress(OSError):
            keys[path] = source_key(path, options, formats)
        entry = None if force or path not in keys else manifest.fresh(path, keys[path])
        if entry is not None:
            cached = [Diagnostic(*d) for d in entry.warnings]
            outcomes.append(Outcome(path, diagnostics=cached, up_to_date=True))
    todo = [p for p in paths if p not in {o.source for o in outcomes}]
    checked = check_sources(todo, strict=strict)
    for outcome in checked:
        if outcome.error is not None:
            report(outcome)
    good = [o for o in checked if o.error is None]
    if out_dir.is_dir():
        remove_stale_temporaries(out_dir)
    if "html" in formats and good:
        good[0].written += _copy_fonts(out_dir)
    _render_all(good, out_dir, options, formats, strict, jobs, report)
    for outcome in outcomes:
        report(outcome)
    for outcome in checked:
        if outcome.ok and outcome.source in keys:
            own = [w.path for w in outcome.written if w.path.parent == out_dir]
            manifest.record(outcome.source, keys[outcome.source], own,
                            [list(astuple(d)) for d in outcome.diagnostics])
        else:
            manifest.forget(outcome.source)
    if checked and out_dir.is_dir():
        write_atomic(out_dir / MANIFEST_NAME, manifest.dumps())
    order = {path: index for index, path in enumerate(paths)}
    return sorted(outcomes + checked, key=lambda o: order[o.source])
