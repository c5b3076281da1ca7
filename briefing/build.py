"""Orchestrate a build in named steps: load, claim, plan, check, render, shared assets, manifest.

Everything is read and checked before anything is written; nothing is
written for a source with errors, and a failed or interrupted write never
replaces a good earlier file (each output goes to a temporary file in the same
folder and is renamed into place only when complete). Outputs come from the
writers in :mod:`briefing.writers`; this module knows none of them by name.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import astuple, dataclass, field
from pathlib import Path

from .cache import MANIFEST as MANIFEST_NAME
from .cache import Manifest, source_key, styles_digest
from .check import check, drafts
from .errors import BriefingError, Diagnostic, OutputError, SourceError, UnexpectedError
from .load import parse
from .model import Briefing
from .options import Options
from .read import MAX_SOURCE_BYTES, read
from .write import (
    first_existing,
    locked,
    remove_inside,
    remove_stale_temporaries,
    write_atomic,
    write_inside,
)
from .writers import DEFAULT, WRITERS, Writer

__all__ = ["Built", "Outcome", "Written", "build", "check_sources", "discover", "load_checked"]


@dataclass(frozen=True)
class Written:
    """One file a build wrote."""

    path: Path
    size: int
    pages: int | None = None
    #: The output (``--format`` name) that wrote it.
    format: str | None = None


@dataclass
class Outcome:
    """What happened to one source: diagnostics, files written, or the error that stopped it."""

    source: Path
    diagnostics: list[Diagnostic] = field(default_factory=list)
    written: list[Written] = field(default_factory=list)
    #: Files its last build wrote that this one did not (a section renamed), now removed.
    removed: list[Path] = field(default_factory=list)
    error: BriefingError | None = None
    briefing: Briefing | None = None
    up_to_date: bool = False
    #: The source as read, and its cache key, while the build needs them.
    text: str = field(default="", repr=False)
    key: str | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        """True when the source built (or checked) without errors."""
        return self.error is None


@dataclass
class Built(Sequence[Outcome]):
    """The outcome of every source, in the order given, and the shared files the build wrote."""

    outcomes: list[Outcome]
    shared: list[Written] = field(default_factory=list)

    def __getitem__(self, index):  # type: ignore[override]
        return self.outcomes[index]

    def __len__(self) -> int:
        return len(self.outcomes)

    def __iter__(self) -> Iterator[Outcome]:
        return iter(self.outcomes)


def discover(folder: Path = Path("source")) -> list[Path]:
    """The sources of a folder, in a stable order."""
    return sorted(p for p in folder.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def expand(paths: Iterable[Path]) -> list[Path]:
    """The sources named, each folder standing for the sources in it; each source once."""
    found: dict[Path, None] = {}
    for path in paths:
        found.update(dict.fromkeys(discover(path) if path.is_dir() else [path]))
    return list(found)


def _sorted(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=lambda d: (d.line, d.column))


@contextlib.contextmanager
def _recorded(outcome: Outcome) -> Iterator[None]:
    """Record an error raised in the block as the outcome's: an expected one as it is, any
    other as an unexpected error with its traceback (a bug must not cost the other sources
    their build)."""
    try:
        yield
    except BriefingError as exc:
        outcome.error = exc
    except Exception as exc:
        outcome.error = UnexpectedError(str(outcome.source), exc)


def _load(path: Path, max_bytes: int) -> Outcome:
    """Step 1: read and parse one source; its errors stop it here."""
    outcome = Outcome(path)
    with _recorded(outcome):
        outcome.text = read(path, max_bytes=max_bytes)
        outcome.briefing, diagnostics = parse(outcome.text, str(path))
        if any(d.severity == "error" for d in diagnostics):
            raise SourceError(_sorted(diagnostics))
        outcome.diagnostics = diagnostics
    return outcome


def _refuse_drafts(outcomes: Iterable[Outcome]) -> None:
    """Step 1b, for a release (``--final``): a draft, or a source holding a draft question, fails.

    Before planning, so that a draft built earlier is refused too, not found up to date.
    """
    for outcome in outcomes:
        if outcome.ok and outcome.briefing is not None:
            found = drafts(outcome.briefing)
            if found:
                outcome.error = SourceError(found)


def _check(outcome: Outcome, strict: bool) -> None:
    """Step 4: whole-document rules and glyphs; errors (or warnings when strict) stop it."""
    from .glyphs import missing_glyphs

    assert outcome.briefing is not None
    with _recorded(outcome):
        diagnostics = outcome.diagnostics + check(outcome.briefing)
        if not any(d.severity == "error" for d in diagnostics):
            diagnostics += missing_glyphs(outcome.briefing)
        outcome.diagnostics = _sorted(diagnostics)
        if any(d.severity == "error" or strict for d in outcome.diagnostics):
            raise SourceError(outcome.diagnostics)


def load_checked(
    path: Path, *, strict: bool = False, max_bytes: int = MAX_SOURCE_BYTES
) -> tuple[Briefing, list[Diagnostic]]:
    """Load and check a source; raise SourceError with every error (and warnings if strict)."""
    outcome = _load(path, max_bytes)
    if outcome.ok:
        _check(outcome, strict)
    if outcome.error is not None:
        raise outcome.error
    assert outcome.briefing is not None
    return outcome.briefing, outcome.diagnostics


def check_sources(
    paths: Iterable[Path], *, strict: bool = False, max_bytes: int = MAX_SOURCE_BYTES,
    final: bool = False,
) -> list[Outcome]:
    """Validate sources without rendering anything; one failing source does not stop the others.

    ``final`` refuses drafts, as ``build`` does with it.
    """
    outcomes = [_load(path, max_bytes) for path in paths]
    if final:
        _refuse_drafts(outcomes)
    for outcome in outcomes:
        if outcome.ok:
            _check(outcome, strict)
    return outcomes


def _claim(outcomes: list[Outcome], manifest: Manifest, out_dir: Path, force: bool) -> None:
    """Step 2: one source per output name; two sources that would write the same files fail.

    Within a build both are refused (``a/faq.yaml`` and ``b/faq.yaml``, ``x.yaml`` and
    ``x.yml``); a source whose outputs an earlier build wrote from another source
    that still exists is refused too, unless ``force`` lets it take them over.
    """
    by_name: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        if outcome.ok and outcome.briefing is not None:
            by_name.setdefault(outcome.briefing.name, []).append(outcome)
    for name, group in by_name.items():
        files = f"{out_dir / name}.*"
        if len(group) > 1:
            for outcome in group:
                others = ", ".join(str(o.source) for o in group if o is not outcome)
                outcome.error = SourceError.at(str(outcome.source), 0, 0, (
                    f"writes the same files as {others} ({files}); rename one of them, or "
                    "build them into different --out folders"))
            continue
        owner = manifest.owner(name, group[0].source)
        if owner is not None and owner.exists() and not force:
            group[0].error = SourceError.at(str(group[0].source), 0, 0, (
                f"{files} were built from {owner}; rename one of the two sources, or use "
                "--force to let this one replace them"))
        elif owner is not None:
            manifest.forget(owner)


def _plan(outcomes: list[Outcome], manifest: Manifest, options: Options,
          formats: tuple[str, ...], force: bool, strict: bool) -> list[Outcome]:
    """Step 3: find each loaded source's key; one whose last build is fresh is up to date.

    An up-to-date source repeats the warnings of its last build, and fails
    with them under ``--strict``. Returns the sources still to build.
    """
    styles = styles_digest(options)
    todo = []
    for outcome in outcomes:
        if not outcome.ok:
            continue
        assert outcome.briefing is not None
        outcome.key = source_key(outcome.briefing, outcome.text, options, formats, styles)
        entry = None if force else manifest.fresh(outcome.source, outcome.key)
        if entry is None:
            todo.append(outcome)
            continue
        outcome.up_to_date = True
        outcome.diagnostics = [Diagnostic(*d) for d in entry.warnings]
        if strict and outcome.diagnostics:
            outcome.error = SourceError(outcome.diagnostics)
    return todo


def render_and_write(
    briefing: Briefing, out_dir: Path, options: Options, formats: tuple[str, ...], strict: bool
) -> tuple[list[Written], list[Diagnostic]]:
    """Run every writer on one checked briefing, then write all its files, or none.

    Warnings fail it before anything is written when ``strict``; a warning given
    twice (a refused image both writers read, a stylesheet both layouts use) is
    said once.
    """
    files: dict[str, bytes] = {}
    pages: dict[str, int] = {}
    made_by: dict[str, str] = {}
    warnings: list[Diagnostic] = []
    for name in formats:
        output = WRITERS[name].write(briefing, options)
        files.update(output.files)
        pages.update(output.pages)
        made_by.update(dict.fromkeys(output.files, name))
        for warning in output.warnings:
            if str(warning) not in map(str, warnings):
                warnings.append(warning)
    if strict and warnings:
        raise SourceError(warnings)
    written = []
    for name, data in files.items():
        target = write_inside(out_dir, name, data)
        written.append(Written(target, len(data), pages.get(name), made_by[name]))
    return written, warnings


def _render(outcomes: list[Outcome], out_dir: Path, options: Options, formats: tuple[str, ...],
            strict: bool, jobs: int, on_done: Callable[[Outcome], None]) -> None:
    """Step 5: render checked sources, in worker processes when there is more than one job."""

    def finish(outcome: Outcome, result: Callable[[], tuple[list[Written], list[Diagnostic]]]):
        with _recorded(outcome):
            written, warnings = result()
            outcome.written += written
            outcome.diagnostics += warnings
        on_done(outcome)

    if jobs <= 1 or len(outcomes) <= 1:
        for outcome in outcomes:
            finish(outcome, lambda o=outcome: render_and_write(
                o.briefing, out_dir, options, formats, strict))
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(outcomes)), mp_context=context,
                               initializer=_worker_signals)
    try:
        futures = {pool.submit(render_and_write, o.briefing, out_dir, options, formats, strict): o
                   for o in outcomes}
        for future in as_completed(futures):
            finish(futures[future], future.result)
    except BaseException:
        # Ctrl-C or SIGTERM: stop the workers now, so nothing is written after the signal
        # (a write cut short leaves only a temporary file, which the next build removes).
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _worker_signals() -> None:
    """In a worker: die at once on SIGTERM, and leave Ctrl-C to the parent, which stops us."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _shared_assets(out_dir: Path, writers: list[Writer], outcomes: list[Outcome]) -> list[Written]:
    """Step 6: copy the files every output of a format shares, once, when they changed.

    Also after a build with nothing to render: someone may have removed them.
    """
    if not any(o.ok for o in outcomes):
        return []
    written = []
    for writer in writers:
        for name, source in writer.assets().items():
            target = out_dir / name
            if target.is_file() and target.stat().st_size == source.stat().st_size:
                continue
            data = source.read_bytes()
            written.append(Written(write_inside(out_dir, name, data), len(data)))
    return written


def _record(manifest: Manifest, outcomes: list[Outcome], out_dir: Path,
            formats: tuple[str, ...]) -> None:
    """Step 7: remember each good build and invalidate each failed one, in the output folder.

    Files a good build's outputs wrote last time and not this time are removed
    (see :func:`remove_inside`: only those the manifest recorded, still unchanged).
    """
    for outcome in outcomes:
        if outcome.up_to_date:
            continue
        if outcome.ok and outcome.key is not None:
            assert outcome.briefing is not None
            paths = [w.path for w in outcome.written]
            for name, stamp in manifest.stale(outcome.source, paths, formats).items():
                removed = remove_inside(out_dir, name, stamp)
                if removed is not None:
                    outcome.removed.append(removed)
            manifest.record(outcome.source, outcome.key, paths,
                            [list(astuple(d)) for d in outcome.diagnostics],
                            outcome.briefing.name,
                            {w.path: w.format for w in outcome.written if w.format}, formats)
        else:
            manifest.invalidate(outcome.source)
    if manifest.changed and out_dir.is_dir():
        write_atomic(out_dir / MANIFEST_NAME, manifest.dumps())


def build(
    paths: Iterable[Path],
    out_dir: Path,
    options: Options,
    formats: Iterable[str] = DEFAULT,
    *,
    strict: bool = False,
    force: bool = False,
    jobs: int = 1,
    max_bytes: int = MAX_SOURCE_BYTES,
    on_done: Callable[[Outcome], None] | None = None,
    final: bool = False,
) -> Built:
    """Build every source into ``out_dir``; one failing source does not stop the others.

    Sources whose inputs are unchanged since their last good build are skipped
    (unless ``force``); the rest are checked before anything is written, then
    rendered, ``jobs`` at a time. An expected error or an unexpected exception
    in one source is recorded in its outcome and the others are still built;
    Ctrl-C stops the build, and what was written so far stays complete. ``final`` (a
    release) refuses a draft and a source holding a draft question, writing nothing for it.
    """
    formats = tuple(formats)
    writers = [WRITERS[name] for name in formats]
    report = on_done or (lambda outcome: None)
    existing = first_existing((out_dir, *out_dir.parents))
    if existing is not None and not existing.is_dir():  # refused before any rendering
        raise OutputError(f"{out_dir}: error: cannot write: {existing} is a file, not a folder")

    outcomes = [_load(path, max_bytes) for path in paths]
    if final:
        _refuse_drafts(outcomes)
    shared: list[Written] = []
    if not any(o.ok for o in outcomes) and not out_dir.is_dir():  # the folder is not even made
        for outcome in outcomes:
            report(outcome)
        return Built(outcomes, shared)
    with locked(out_dir):  # one build at a time reads, writes and records in a folder
        manifest = Manifest.read(out_dir)
        _claim(outcomes, manifest, out_dir, force)
        todo = _plan(outcomes, manifest, options, formats, force, strict)
        for outcome in todo:
            _check(outcome, strict)
        for outcome in outcomes:
            if not outcome.ok:
                report(outcome)
        remove_stale_temporaries(out_dir)
        _render([o for o in todo if o.ok], out_dir, options, formats, strict, jobs, report)
        for outcome in outcomes:
            if outcome.up_to_date and outcome.ok:
                report(outcome)
        shared = _shared_assets(out_dir, writers, outcomes)
        _record(manifest, outcomes, out_dir, formats)
    for outcome in outcomes:
        outcome.text = ""
    return Built(outcomes, shared)
