"""Standard output and error that may go away: a closed pipe never stops a build.

``briefing build | head -1`` closes standard output after one line; a terminal
closed under a long build takes standard error with it. Python would raise
BrokenPipeError at the next print, with a traceback, and the sources after it
would never be built. Wrapped, a stream that fails is silenced (pointed at the
null device, so that nothing fails again when Python exits), the build goes
on, and the command ends with a non-zero exit code.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import TextIO


class Resilient:
    """A text stream whose writes never raise; it remembers whether one failed."""

    def __init__(self, stream: TextIO | None, name: str) -> None:
        self.stream = stream
        self.name = name
        self.failed: str | None = None if stream is not None else "it is closed"

    def _fail(self, exc: BaseException) -> None:
        self.failed = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        with contextlib.suppress(Exception):
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, self.stream.fileno())  # type: ignore[union-attr]
            os.close(null)

    def write(self, text: str) -> int:
        """Write ``text`` unless the stream has failed; never raise."""
        if self.failed is None:
            try:
                self.stream.write(text)  # type: ignore[union-attr]
            except (OSError, ValueError) as exc:
                self._fail(exc)
        return len(text)

    def flush(self) -> None:
        """Flush unless the stream has failed; never raise."""
        if self.failed is None:
            try:
                self.stream.flush()  # type: ignore[union-attr]
            except (OSError, ValueError) as exc:
                self._fail(exc)

    def isatty(self) -> bool:
        """Whether the stream is a terminal (False once it has failed)."""
        try:
            return self.failed is None and self.stream.isatty()  # type: ignore[union-attr]
        except (OSError, ValueError):
            return False

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)


@contextlib.contextmanager
def resilient() -> Iterator[tuple[Resilient, Resilient]]:
    """Replace ``sys.stdout`` and ``sys.stderr`` with resilient ones while the block runs."""
    saved = sys.stdout, sys.stderr
    out, err = Resilient(sys.stdout, "standard output"), Resilient(sys.stderr, "standard error")
    sys.stdout, sys.stderr = out, err  # type: ignore[assignment]
    try:
        yield out, err
    finally:
        with contextlib.suppress(Exception):
            out.flush()
            err.flush()
        sys.stdout, sys.stderr = saved
