"""Watch sources and styles; rebuild what a change affects in one warm process.

Polling (a few stat calls every quarter second) needs no extra dependency and
works the same on every file system. A changed source rebuilds that source; a
changed stylesheet or template rebuilds every source. Errors are reported and
watching goes on.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

from .build import Outcome, build, discover, expand
from .cache import style_files
from .options import Options
from .read import MAX_SOURCE_BYTES

Stamps = dict[Path, tuple[int, int]]


def _stamps(paths: Iterable[Path]) -> Stamps:
    found: Stamps = {}
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


def affected(
    sources: list[Path], before: Stamps, after: Stamps, styles_before: Stamps, styles_after: Stamps
) -> list[Path]:
    """The sources to rebuild: all of them after a style change, else the changed ones."""
    if styles_before != styles_after:
        return list(sources)
    return [s for s in sources if s in after and after[s] != before.get(s)]


def watch(
    sources: list[Path],
    out_dir: Path,
    options: Options,
    formats: tuple[str, ...],
    *,
    strict: bool = False,
    max_bytes: int = MAX_SOURCE_BYTES,
    report: Callable[[Outcome], None],
    say: Callable[[str], None] = lambda message: None,
    interval: float = 0.25,
    stop: threading.Event | None = None,
) -> int:
    """Build, then rebuild on every change until interrupted (or ``stop`` is set)."""
    import weasyprint  # noqa: F401 - imported once, so every rebuild starts warm

    stop = stop or threading.Event()

    def current() -> list[Path]:
        return expand(sources) if sources else discover()

    found = current()
    # Stamped before building: a change made while the build runs is seen next time.
    seen, styles = _stamps(found), _stamps(style_files(options))
    build(found, out_dir, options, formats, strict=strict, jobs=1, max_bytes=max_bytes,
          on_done=report)
    say(f"watching {len(found)} source(s) and {len(styles)} style file(s); Ctrl-C stops")
    while not stop.wait(interval):
        found = current()
        now, now_styles = _stamps(found), _stamps(style_files(options))
        changed = affected(found, seen, now, styles, now_styles)
        seen, styles = now, now_styles
        if not changed:
            continue
        started = time.perf_counter()
        try:
            build(changed, out_dir, options, formats, strict=strict, force=True, jobs=1,
                  max_bytes=max_bytes, on_done=report)
        except Exception:  # a bug must not end the session; show it and keep watching
            say(traceback.format_exc())
            continue
        say(f"rebuilt {len(changed)} source(s) in {time.perf_counter() - started:.2f} s")
    return 0
