"""The project's exceptions and diagnostics, printed like a compiler's."""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Diagnostic:
    """One message about a source: where, how serious, and what."""

    path: str
    line: int
    column: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return printable(f"{where}: {self.severity}: {self.message}")


#: Characters a message must never send to a terminal as they are: controls
#: (an ESC clears the screen) and the bidirectional overrides and isolates.
_UNPRINTABLE = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))}
_UNPRINTABLE.update({c: f"\\u{c:04x}" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})


def printable(text: str) -> str:
    """``text`` with control and bidirectional control characters escaped (``\\x1b``)."""
    return text.translate(_UNPRINTABLE)


class BriefingError(Exception):
    """Base class of every expected error: printed without a traceback."""


class SourceError(BriefingError):
    """A source that cannot be built; carries every error found in it, not only the first."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        if not self.diagnostics:
            raise ValueError("SourceError needs at least one diagnostic")
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    def __reduce__(self) -> tuple:
        # Pickled across worker processes: rebuild from the diagnostics, not the message.
        return (type(self), (self.diagnostics,))

    @classmethod
    def at(cls, path: str, line: int, column: int, message: str) -> SourceError:
        """Build an error with a single diagnostic."""
        return cls([Diagnostic(path, line, column, message)])

    @property
    def path(self) -> str:
        """Path of the first diagnostic."""
        return self.diagnostics[0].path

    @property
    def line(self) -> int:
        """Line of the first diagnostic (1-based; 0 when unknown)."""
        return self.diagnostics[0].line

    @property
    def column(self) -> int:
        """Column of the first diagnostic (1-based; 0 when unknown)."""
        return self.diagnostics[0].column

    @property
    def message(self) -> str:
        """Message of the first diagnostic."""
        return self.diagnostics[0].message


class UsageError(BriefingError):
    """The command line asks for something impossible (exit code 2)."""


class RenderError(BriefingError):
    """Rendering failed for a reason the user can fix (a template, a style)."""


class OutputError(BriefingError):
    """An output could not be written: a full disk, a read-only folder, a name too long."""


class UnexpectedError(BriefingError):
    """An exception nobody expected while handling one source: a bug, reported with its traceback.

    It is a BriefingError so that one source's crash is reported for that source
    and the others are still built; unlike the others it keeps the traceback.
    """

    def __init__(self, path: str, exc: BaseException) -> None:
        self.path = path
        self.exception = exc
        self.traceback = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        super().__init__(f"{path}: error: unexpected {type(exc).__name__}: {exc}")
