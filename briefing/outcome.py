"""What a build reports: the files written, each source's outcome, and the whole build's."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BriefingError, Diagnostic, UnexpectedError
from .model import Briefing

__all__ = ["Built", "Outcome", "Written", "recorded"]


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


@contextlib.contextmanager
def recorded(outcome: Outcome) -> Iterator[None]:
    """Record an error raised in the block as the outcome's: an expected one as it is, any
    other as an unexpected error with its traceback (a bug must not cost the other sources
    their build)."""
    try:
        yield
    except BriefingError as exc:
        outcome.error = exc
    except Exception as exc:
        outcome.error = UnexpectedError(str(outcome.source), exc)
