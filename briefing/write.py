"""Write output files atomically, inside the output folder only, and clean up after a crash.

Each file goes to a temporary file in the same folder, is flushed to disk and
renamed into place, so a reader (or the next build) sees the old file or the
new one, never half of one. Temporary names carry the writer's process id, so a
build removes only leftovers of processes that are gone.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from .errors import OutputError, RenderError

#: Temporary files start with this and the writer's process id; leftovers of an
#: interrupted build are removed by the next one.
TEMP_PREFIX = ".~briefing-"
#: A temporary file of a live process is left alone unless it is older than this (seconds).
STALE_AFTER = 3600


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    A file system that refuses (full, read-only, a name too long, a file where a
    folder should be) is an :class:`OutputError` naming the path and the reason;
    the earlier file, if any, is left as it was.
    """
    try:
        _write(path, data)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        blocking = first_existing(path.parents)
        if blocking is not None and not blocking.is_dir():
            reason = f"{blocking} is a file, not a folder"
        raise OutputError(f"{path}: error: cannot write: {reason}") from None


def first_existing(paths: Iterable[Path]) -> Path | None:
    """The first of ``paths`` that exists; a path the system cannot even look up does not."""
    for path in paths:
        with contextlib.suppress(OSError):
            if path.exists():
                return path
    return None


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", dir=path.parent)
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
    _sync_folder(path.parent)


def write_inside(out_dir: Path, name: str, data: bytes) -> Path:
    """Write ``data`` atomically to ``out_dir/name``; refuse a name that leads outside.

    Every output file passes here: ``name`` is relative, in ``/`` form, without
    ``..`` or backslashes, and after resolving links it is still inside ``out_dir``.
    """
    parts = PurePosixPath(name)
    target = out_dir / name
    root = out_dir.resolve()
    if (parts.is_absolute() or ".." in parts.parts or "\\" in name or not parts.parts
            or root not in target.resolve().parents):
        raise RenderError(f"{target}: error: refused to write outside the output folder {out_dir}")
    write_atomic(target, data)
    return target


def remove_inside(out_dir: Path, name: str, stamp: tuple[int, int]) -> Path | None:
    """Remove the file ``out_dir/name`` that a build wrote, if it is still exactly that file.

    Only a regular file (not a link, not a folder) inside ``out_dir`` is removed, and
    only while its size and modification time are ``stamp``, the ones recorded
    when it was written: a file someone changed or put there since is theirs. A
    folder inside ``out_dir`` that this leaves empty goes too. Returns the path
    removed, or None.
    """
    root = out_dir.resolve()
    target = out_dir / name
    try:
        folder = target.parent.resolve()
        info = target.lstat()
        if ((folder != root and root not in folder.parents) or not stat.S_ISREG(info.st_mode)
                or (info.st_size, info.st_mtime_ns) != tuple(stamp)):
            return None
        target.unlink()
    except OSError:
        return None
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()  # only when empty
        except OSError:
            break
        folder = folder.parent
    return target


@contextlib.contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Make the output folder and hold it for one build at a time (an advisory lock on the
    folder itself, so nothing is added to it); a second build waits for the first."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: error: cannot write: {exc.strerror or exc}") from None
    try:
        import fcntl
    except ImportError:  # not POSIX: builds into one folder are not serialised
        yield
        return
    fd = os.open(out_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); elsewhere there is nothing to do."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _writer_alive(name: str) -> bool:
    """Whether the process that made a temporary file may still be writing it."""
    pid_text = name[len(TEMP_PREFIX):].split("-", 1)[0]
    if os.name != "posix" or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but belongs to someone else
    return True


def remove_stale_temporaries(out_dir: Path) -> None:
    """Delete temporary files an interrupted earlier build left behind, in ``out_dir``
    and the folders directly in it (``fonts/``, a briefing's section files).

    A temporary file whose writer is still running (another build into the same
    folder) is kept, unless it is older than STALE_AFTER seconds.
    """
    now = time.time()
    for pattern in (TEMP_PREFIX + "*", "*/" + TEMP_PREFIX + "*"):  # the folder and its folders
        for leftover in out_dir.glob(pattern):
            if leftover.parent.is_symlink():  # a folder elsewhere, not ours
                continue
            with contextlib.suppress(OSError):
                young = now - leftover.stat().st_mtime < STALE_AFTER
                if not (young and _writer_alive(leftover.name)):
                    leftover.unlink()
