"""The one gate local files pass before they are read: where they are, what they are, how big.

A source names files (images) and a build reads them for the PDF, for the
copies beside the HTML version and for the cache key. Every such read goes
through :func:`read_local`, so all of them follow the same rules: the path,
after resolving symlinks and ``..``, is inside an allowed folder; it is a
regular file (not a FIFO, a device or a folder); it is no larger than a limit,
checked before reading; and the source's own folder gives images only.
"""

from __future__ import annotations

import stat
from collections.abc import Iterable
from pathlib import Path

#: Files the source's own folder may provide.
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"})
#: No single local file may be larger than this.
MAX_FILE_BYTES = 32 * 1024 * 1024


class Refused(ValueError):
    """A local file the gate will not read, and why; ``refused`` is False when it is missing."""

    def __init__(self, reason: str, *, refused: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.refused = refused


def inside(path: Path, roots: Iterable[Path]) -> bool:
    """Whether ``path`` is one of ``roots`` or below one of them."""
    return any(path == root or root in path.parents for root in roots)


def read_local(
    path: Path,
    folders: Iterable[Path] = (),
    image_folders: Iterable[Path] = (),
    *,
    max_bytes: int = MAX_FILE_BYTES,
) -> tuple[Path, bytes]:
    """Read a local file if the rules allow it: its resolved path and its bytes.

    ``folders`` may give any file; ``image_folders`` only images. Raises
    :class:`Refused` with the reason otherwise; nothing refused is opened.
    """
    folders = tuple(Path(f).resolve() for f in folders)
    image_folders = tuple(Path(f).resolve() for f in image_folders)
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError, ValueError):
        raise Refused("not a valid file path") from None
    if not inside(resolved, folders):
        if not inside(resolved, image_folders):
            raise Refused("outside the source's folder and the style folders")
        if resolved.suffix.lower() not in IMAGE_SUFFIXES:
            raise Refused("only images are read from the source's folder")
    try:
        info = resolved.stat()
    except OSError:
        raise Refused("no such file", refused=False) from None
    if not stat.S_ISREG(info.st_mode):
        raise Refused("not a regular file")
    if info.st_size > max_bytes:
        raise Refused(f"larger than {max_bytes} bytes")
    try:
        with resolved.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise Refused(f"cannot read it: {exc.strerror or exc}", refused=False) from None
    if len(data) > max_bytes:  # it grew after stat()
        raise Refused(f"larger than {max_bytes} bytes")
    return resolved, data
