"""Skip builds whose inputs have not changed, without importing the renderer.

A source's key hashes everything its outputs depend on: the source text, every
local image the loaded model holds (however the Markdown spells it, read
through the same gate as the renderer's), every file in the style folders, the
options, this package's code and the versions of the libraries that render.
The manifest in the output folder remembers each source's key and the size and
time of the files it wrote; a build is skipped only when the key matches and
those files are untouched.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from . import __version__
from .gate import Refused, read_local
from .model import Briefing, markdown
from .options import Options

MANIFEST = ".briefing-manifest.json"
_LIBRARIES = ("weasyprint", "pydyf", "fonttools", "jinja2", "markdown-it-py", "pyyaml",
              "font-source-serif-pro", "font-source-sans-pro")


@lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """Hash of this package's code and the rendering libraries' versions."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + path.read_bytes())
    for name in _LIBRARIES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{name}={metadata.version(name)}".encode())
    return digest.hexdigest()


def style_files(options: Options) -> list[Path]:
    """Every file of the style folders, in lookup order (what a restyle can change)."""
    return [p for folder in options.search_path for p in sorted(folder.rglob("*")) if p.is_file()]


def styles_digest(options: Options) -> str:
    """Hash of every file in the style folders (computed once per build, not per source)."""
    digest = hashlib.sha256()
    for path in style_files(options):
        digest.update(str(path).encode() + b"\0")
        with contextlib.suppress(OSError), path.open("rb") as handle:
            while chunk := handle.read(1 << 20):  # streamed: a large file costs no memory
                digest.update(chunk)
    return digest.hexdigest()


def source_key(
    briefing: Briefing, text: str, options: Options, formats: Iterable[str],
    styles: str | None = None,
) -> str:
    """Everything the outputs of a loaded source depend on, as one hash.

    ``text`` is the source as read; ``styles`` is :func:`styles_digest` of
    ``options``, when the caller already has it.
    """
    digest = hashlib.sha256(tool_fingerprint().encode())
    digest.update(repr((options.paper, options.allow_remote, options.tagged,
                        options.attach_source, sorted(formats))).encode())
    digest.update((styles or styles_digest(options)).encode())
    digest.update(text.encode("utf-8"))
    folder = Path(briefing.path).parent
    paths = sorted({image.path for _, value in markdown(briefing) for image in value.images
                    if image.path is not None})
    for path in paths:
        digest.update(b"\0image\0" + path.encode("utf-8") + b"\0")
        try:
            _, data = read_local(folder / path, (), (folder,))
            digest.update(hashlib.sha256(data).digest())
        except Refused as exc:
            digest.update(exc.reason.encode())
    return digest.hexdigest()


@dataclass
class Entry:
    """What the manifest remembers of one source's last good build."""

    key: str
    outputs: dict[str, tuple[int, int]] = field(default_factory=dict)
    warnings: list[list] = field(default_factory=list)


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns)


class Manifest:
    """The record of good builds in one output folder."""

    def __init__(self, out_dir: Path, entries: dict[str, Entry] | None = None) -> None:
        self.out_dir = out_dir
        self.entries = entries or {}
        #: Whether anything was recorded or forgotten since the manifest was read.
        self.changed = False

    @classmethod
    def read(cls, out_dir: Path) -> Manifest:
        """Read the manifest; a missing or damaged one is empty."""
        try:
            raw = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
            entries = {name: Entry(e["key"], {k: tuple(v) for k, v in e["outputs"].items()},
                                   list(e["warnings"]))
                       for name, e in raw.items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            entries = {}
        return cls(out_dir, entries)

    def fresh(self, source: Path, key: str) -> Entry | None:
        """The entry for ``source`` if its key matches and its outputs are untouched."""
        entry = self.entries.get(str(source.resolve()))
        if entry is None or entry.key != key or not entry.outputs:
            return None
        for name, stamp in entry.outputs.items():
            if _stamp(self.out_dir / name) != tuple(stamp):
                return None
        return entry

    def record(self, source: Path, key: str, written: Iterable[Path], warnings: list[list]) -> None:
        """Remember a good build of ``source``."""
        outputs = {}
        for path in written:
            stamp = _stamp(path)
            if stamp is not None:
                outputs[path.relative_to(self.out_dir).as_posix()] = stamp
        self.entries[str(source.resolve())] = Entry(key, outputs, warnings)
        self.changed = True

    def forget(self, source: Path) -> None:
        """Drop ``source`` (its last build failed)."""
        if self.entries.pop(str(source.resolve()), None) is not None:
            self.changed = True

    def dumps(self) -> bytes:
        """The manifest as JSON bytes, stable from run to run."""
        return json.dumps({k: asdict(v) for k, v in sorted(self.entries.items())},
                          indent=1, sort_keys=True).encode()
