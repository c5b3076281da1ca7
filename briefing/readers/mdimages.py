"""The images of a Markdown FAQ: which files go beside the imported source, and why others do not.

An answer names an image by a path relative to the Markdown file; a source
finds its images relative to its own folder. So the files an answer names are
copied beside the written source at the same relative path, and the answer
needs no change. A file is taken only when it could be built from: a relative
path (decoded as the build decodes it) that stays inside the Markdown file's
folder, also after resolving symlinks, naming a regular image file no larger
than the build reads (:func:`briefing.gate.read_local`). Every image that is
not taken is reported at its line, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from .. import markup
from ..errors import Diagnostic
from ..gate import Refused, inside, read_local


@dataclass
class Images:
    """The image files found so far in one Markdown file read from ``folder``.

    ``folder`` is None when the text was not read from a file (standard input).
    ``files`` maps each path as written (decoded) to the file it names.
    """

    path: str
    folder: Path | None
    files: dict[str, Path] = field(default_factory=dict)

    def see(self, src: str, alt: str, line: int, where: str) -> list[Diagnostic]:
        """Take the image ``src`` (on 1-based ``line``, in ``where``) or say why not."""
        shown = unquote(src)
        said = []
        if markup.is_image(src) and not alt:
            said.append(self._warn(line, (
                f"the image '{shown}' in {where} has no alternative text, which the build "
                f"requires: describe it between the brackets, or write ![{markup.DECORATIVE}](...) "
                "if it only decorates")))
        why = self._refusal(src)
        if why:
            said.append(self._warn(line, f"the image '{shown}' in {where} is not copied: {why}"))
        return said

    def _refusal(self, src: str) -> str | None:
        """Why the file ``src`` names is not taken, or None when it is (and recorded)."""
        if not markup.is_image(src):
            return ("it is printed as text, as images must be http(s) addresses or paths "
                    "inside the source's folder")
        if markup.is_remote(src):
            return "an http(s) address is fetched by the build, and only with --allow-remote"
        relative = markup.local_path(src)
        if self.folder is None:
            return (f"the text was not read from a file; put '{relative}' beside the "
                    "written source")
        folder = self.folder.resolve()
        try:
            resolved = (folder / relative).resolve()
        except (OSError, RuntimeError, ValueError):
            return "not a valid file path"
        if not inside(resolved, (folder,)):
            return f"it leads out of the folder of {Path(self.path).name}"
        try:
            read_local(resolved, (), (folder,))
        except Refused as refused:
            if not refused.refused:
                return (f"there is no file '{relative}' beside {Path(self.path).name}; "
                        "the build would show only its alternative text")
            return refused.reason
        self.files.setdefault(relative, resolved)
        return None

    def _warn(self, line: int, message: str) -> Diagnostic:
        return Diagnostic(self.path, line, 0, message, "warning")
