"""Run the writers on checked sources, in worker processes when asked, and copy shared assets.

Steps 5 and 6 of a build. Every file of a source is rendered before any is
written, and each is written atomically inside the output folder.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .errors import Diagnostic, SourceError
from .model import Briefing
from .options import Options
from .outcome import Outcome, Written, recorded
from .write import write_inside
from .writers import WRITERS, Writer

__all__ = ["copy_shared_assets", "render_all", "render_and_write"]


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


def render_all(outcomes: list[Outcome], out_dir: Path, options: Options,
               formats: tuple[str, ...], strict: bool, jobs: int,
               on_done: Callable[[Outcome], None]) -> None:
    """Step 5: render checked sources, in worker processes when there is more than one job."""

    def finish(outcome: Outcome, result: Callable[[], tuple[list[Written], list[Diagnostic]]]):
        with recorded(outcome):
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


def copy_shared_assets(out_dir: Path, writers: list[Writer],
                       outcomes: list[Outcome]) -> list[Written]:
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
