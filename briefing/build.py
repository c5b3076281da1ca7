"""Orchestrate a build in named steps: load, claim, plan, check, render, shared assets, manifest.

Everything is read and checked before anything is written; nothing is
written for a source with errors, and a failed or interrupted write never
replaces a good earlier file (each output goes to a temporary file in the same
folder and is renamed into place only when complete). Outputs come from the
writers in :mod:`briefing.writers`; this module knows none of them by name.
The steps live in :mod:`briefing.sources` (load, check), :mod:`briefing.plan`
(claim, plan, manifest) and :mod:`briefing.render` (render, shared assets).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from .cache import Manifest
from .errors import OutputError
from .options import Options
from .outcome import Built, Outcome, Written
from .plan import claim, plan, record
from .read import MAX_SOURCE_BYTES
from .render import copy_shared_assets, render_all
from .sources import (
    check_loaded,
    check_sources,
    discover,
    expand,
    load_checked,
    load_source,
    refuse_drafts,
)
from .write import first_existing, locked, remove_stale_temporaries
from .writers import DEFAULT, WRITERS

__all__ = [
    "Built", "Outcome", "Written", "build", "check_sources", "discover", "expand", "load_checked",
]


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

    outcomes = [load_source(path, max_bytes) for path in paths]
    if final:
        refuse_drafts(outcomes)
    shared: list[Written] = []
    if not any(o.ok for o in outcomes) and not out_dir.is_dir():  # the folder is not even made
        for outcome in outcomes:
            report(outcome)
        return Built(outcomes, shared)
    with locked(out_dir):  # one build at a time reads, writes and records in a folder
        manifest = Manifest.read(out_dir)
        claim(outcomes, manifest, out_dir, force)
        todo = plan(outcomes, manifest, options, formats, force, strict)
        for outcome in todo:
            check_loaded(outcome, strict)
        for outcome in outcomes:
            if not outcome.ok:
                report(outcome)
        remove_stale_temporaries(out_dir)
        render_all([o for o in todo if o.ok], out_dir, options, formats, strict, jobs, report)
        for outcome in outcomes:
            if outcome.up_to_date and outcome.ok:
                report(outcome)
        shared = copy_shared_assets(out_dir, writers, outcomes)
        record(manifest, outcomes, out_dir, formats)
    for outcome in outcomes:
        outcome.text = ""
    return Built(outcomes, shared)
