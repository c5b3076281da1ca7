"""Skip builds whose inputs have not changed, without importing the renderer.

A source's key hashes everything its outputs depend on: the source bytes, the
images it names, every file in the style folders, the options, this package's
code and the versions of the libraries that render. The manifest in the output
folder remembers each source's key and the size and time of the files it wrote;
a build is skipped only when the key matches and those files are untouched.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from . import __version__
from .options import Options

MANIFEST = ".briefing-manifest.json"
_LIBRARIES = ("weasyprint", "pydyf", "fonttools", "jinja2", "markdown-it-py", "pyyaml",
              "font-source-serif-pro", "font-source-sans-pro")
_IMAGE = re.compile(rb"!\[[^\]]*\]\(\s*<?([^)\s>]+)")


@lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """Hash of this package's code and the rendering libraries' versions."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
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
        digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def source_key(
    source: Path, options: Options, formats: Iterable[str], styles: str | None = None
) -> str:
    """Everything the outputs of ``source`` depend on, as one hash.

    ``styles`` is :func:`styles_digest` of ``options``, when the caller already has it.
    """
    data = source.read_bytes()
    digest = hashlib.sha256(tool_fingerprint().encode())
    digest.update(repr((options.paper, options.allow_remote, sorted(formats))).encode())
    digest.update((styles or styles_digest(options)).encode())
    digest.update(data)
    for target in _IMAGE.findall(data):
        image = source.parent / target.decode("utf-8", "replace")
        with contextlib.suppress(OSError, ValueError):
            digest.update(target + b"\0" + image.read_bytes())
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
