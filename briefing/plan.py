"""The steps that consult the output folder's manifest: claim names, skip what is fresh, record.

Steps 2, 3 and 7 of a build: which source may write which outputs, which sources
are up to date since their last good build, and what this build wrote.
"""

from __future__ import annotations

from dataclasses import astuple
from pathlib import Path

from .cache import MANIFEST as MANIFEST_NAME
from .cache import Manifest, source_key, styles_digest
from .errors import Diagnostic, SourceError
from .options import Options
from .outcome import Outcome
from .write import remove_inside, write_atomic

__all__ = ["claim", "plan", "record"]


def claim(outcomes: list[Outcome], manifest: Manifest, out_dir: Path, force: bool) -> None:
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


def plan(outcomes: list[Outcome], manifest: Manifest, options: Options,
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


def record(manifest: Manifest, outcomes: list[Outcome], out_dir: Path,
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
