"""Skip builds whose inputs have not changed, without importing the renderer.

A source's key hashes everything its outputs depend on: the source text, every
local image the loaded model holds (however the Markdown spells it, read
through the same gate as the renderer's), every file in the style folders, the
options, this package's code and the versions of the libraries that render.
The manifest in the output folder remembers each source's key and the size and
time of the files it wrote, and which output wrote each; a build is skipped only
when the key matches and those files are untouched. A file an output wrote last
time and not this time (a section renamed or removed) is stale: :meth:`Manifest.stale`
names it, for the build to remove.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Collection, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from . import __version__
from .gate import Refused, read_local
from .model import Briefing, markdown
from .options import Options
from .styleurls import used_files

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
    """The files of the style folders a restyle can change, in lookup order."""
    return used_files(options.search_path)


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
    digest.update(repr((options.paper_for(briefing), options.allow_remote, options.tagged,
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
    #: The name its outputs are called by (``faq`` for ``faq.pdf``): one source per name.
    name: str = ""
    #: The output (``--format`` name) that wrote each file, by the file's name.
    formats: dict[str, str] = field(default_factory=dict)


def _entry(raw: object) -> Entry:
    """An entry read from JSON, checked field by field; ValueError when it is not one."""
    if not isinstance(raw, dict) or not isinstance(raw.get("key"), str):
        raise ValueError("not an entry")
    outputs = raw.get("outputs")
    warnings = raw.get("warnings", [])
    name = raw.get("name", "")
    formats = raw.get("formats", {})
    if not (isinstance(outputs, dict) and isinstance(warnings, list) and isinstance(name, str)
            and isinstance(formats, dict)
            and all(isinstance(v, str) and k in outputs for k, v in formats.items())):
        raise ValueError("not an entry")
    stamps = {}
    for output, stamp in outputs.items():
        if not (isinstance(stamp, list) and len(stamp) == 2
                and all(type(v) is int for v in stamp)):
            raise ValueError("not a stamp")
        stamps[output] = (stamp[0], stamp[1])
    if not all(isinstance(w, list) and len(w) == 5 and isinstance(w[0], str)
               and type(w[1]) is int and type(w[2]) is int and isinstance(w[3], str)
               and w[4] in ("error", "warning") for w in warnings):
        raise ValueError("not a warning")
    return Entry(raw["key"], stamps, warnings, name, formats)


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
        """Read the manifest; a missing or damaged one (even valid JSON) is empty."""
        try:
            raw = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
            if not isinstance(raw, dict):
                raise ValueError("not a manifest")
            entries = {str(source): _entry(e) for source, e in raw.items()}
        except (OSError, ValueError):
            entries = {}
        return cls(out_dir, entries)

    def _id(self, source: Path) -> str:
        """How the manifest names a source: relative to the output folder, so that the
        manifest, which is published with the outputs, holds no local paths."""
        try:
            return Path(os.path.relpath(source.resolve(), self.out_dir.resolve())).as_posix()
        except ValueError:  # another drive
            return str(source.resolve())

    def owner(self, name: str, other_than: Path) -> Path | None:
        """The source, other than ``other_than``, whose outputs are called ``name``, if any."""
        mine = self._id(other_than)
        for source, entry in self.entries.items():
            if entry.name == name and source != mine:
                return self.out_dir / source
        return None

    def fresh(self, source: Path, key: str) -> Entry | None:
        """The entry for ``source`` if its key matches and its outputs are untouched."""
        entry = self.entries.get(self._id(source))
        if entry is None or entry.key != key or not entry.outputs:
            return None
        for name, stamp in entry.outputs.items():
            if _stamp(self.out_dir / name) != tuple(stamp):
                return None
        return entry

    def stale(self, source: Path, written: Iterable[Path],
              formats: Collection[str]) -> dict[str, tuple[int, int]]:
        """Files an output of ``formats`` wrote for ``source`` last time and not this time.

        Only files the manifest recorded with the output that wrote them are named,
        with the size and time they had then; a file written by an output not built
        this time is not stale.
        """
        entry = self.entries.get(self._id(source))
        if entry is None:
            return {}
        now = {path.relative_to(self.out_dir).as_posix() for path in written}
        return {name: stamp for name, stamp in entry.outputs.items()
                if entry.formats.get(name) in formats and name not in now}

    def record(self, source: Path, key: str, written: Iterable[Path], warnings: list[list],
               name: str = "", made_by: Mapping[Path, str] | None = None,
               built: Collection[str] = ()) -> None:
        """Remember a good build of ``source``, whose outputs are called ``name``.

        ``made_by`` names the output that wrote each file, ``built`` every output
        this build ran. Files that other outputs wrote earlier stay recorded while
        they are untouched, so a later build of their output can tell if they are stale.
        """
        outputs, formats = {}, {}
        for path in written:
            stamp = _stamp(path)
            if stamp is not None:
                relative = path.relative_to(self.out_dir).as_posix()
                outputs[relative] = stamp
                if made_by and path in made_by:
                    formats[relative] = made_by[path]
        old = self.entries.get(self._id(source))
        for relative, stamp in (old.outputs.items() if old else ()):
            made = old.formats.get(relative)
            if (made and made not in built and relative not in outputs
                    and _stamp(self.out_dir / relative) == tuple(stamp)):
                outputs[relative], formats[relative] = stamp, made
        self.entries[self._id(source)] = Entry(key, outputs, warnings, name, formats)
        self.changed = True

    def forget(self, source: Path) -> None:
        """Drop ``source`` (another source took its outputs)."""
        if self.entries.pop(self._id(source), None) is not None:
            self.changed = True

    def invalidate(self, source: Path) -> None:
        """Make ``source``'s last build stale (this one failed), still knowing its files."""
        entry = self.entries.get(self._id(source))
        if entry is not None and (entry.key or entry.name):
            entry.key, entry.name = "", ""
            self.changed = True

    def dumps(self) -> bytes:
        """The manifest as JSON bytes, stable from run to run."""
        return json.dumps({k: asdict(v) for k, v in sorted(self.entries.items())},
                          indent=1, sort_keys=True).encode()
