"""Find, load and check sources (steps 1, 1b and 4 of a build), and check them alone."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .check import check, drafts
from .errors import Diagnostic, SourceError
from .load import parse
from .model import Briefing
from .outcome import Outcome, recorded
from .read import MAX_SOURCE_BYTES, read

__all__ = [
    "check_loaded", "check_sources", "discover", "expand", "load_checked", "load_source",
    "refuse_drafts",
]


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


def load_source(path: Path, max_bytes: int) -> Outcome:
    """Step 1: read and parse one source; its errors stop it here."""
    outcome = Outcome(path)
    with recorded(outcome):
        outcome.text = read(path, max_bytes=max_bytes)
        outcome.briefing, diagnostics = parse(outcome.text, str(path))
        if any(d.severity == "error" for d in diagnostics):
            raise SourceError(_sorted(diagnostics))
        outcome.diagnostics = diagnostics
    return outcome


def refuse_drafts(outcomes: Iterable[Outcome]) -> None:
    """Step 1b, for a release (``--final``): a draft, or a source holding a draft question, fails.

    Before planning, so that a draft built earlier is refused too, not found up to date.
    """
    for outcome in outcomes:
        if outcome.ok and outcome.briefing is not None:
            found = drafts(outcome.briefing)
            if found:
                outcome.error = SourceError(found)


def check_loaded(outcome: Outcome, strict: bool) -> None:
    """Step 4: whole-document rules and glyphs; errors (or warnings when strict) stop it."""
    from .glyphs import missing_glyphs

    assert outcome.briefing is not None
    with recorded(outcome):
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
    outcome = load_source(path, max_bytes)
    if outcome.ok:
        check_loaded(outcome, strict)
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
    outcomes = [load_source(path, max_bytes) for path in paths]
    if final:
        refuse_drafts(outcomes)
    for outcome in outcomes:
        if outcome.ok:
            check_loaded(outcome, strict)
    return outcomes
