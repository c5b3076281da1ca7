"""The typefaces every briefing uses, shipped as pip packages so no build depends on the machine."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import font_source_sans_pro
import font_source_serif_pro

SERIF = "Source Serif Pro"
SANS = "Source Sans Pro"


@dataclass(frozen=True)
class Face:
    """One font file and the CSS family, weight and style it provides."""

    family: str
    weight: int
    style: str
    filename: str

    @property
    def path(self) -> Path:
        """Where the file is installed."""
        package = font_source_serif_pro if self.family == SERIF else font_source_sans_pro
        return Path(package.font_directory) / self.filename


FACES = (
    Face(SERIF, 400, "normal", "SourceSerifPro-Regular.ttf"),
    Face(SERIF, 400, "italic", "SourceSerifPro-It.ttf"),
    Face(SERIF, 600, "normal", "SourceSerifPro-Semibold.ttf"),
    Face(SERIF, 600, "italic", "SourceSerifPro-SemiboldIt.ttf"),
    Face(SERIF, 700, "normal", "SourceSerifPro-Bold.ttf"),
    Face(SERIF, 700, "italic", "SourceSerifPro-BoldIt.ttf"),
    Face(SANS, 400, "normal", "SourceSansPro-Regular.ttf"),
    Face(SANS, 400, "italic", "SourceSansPro-It.ttf"),
    Face(SANS, 600, "normal", "SourceSansPro-Semibold.ttf"),
    Face(SANS, 700, "normal", "SourceSansPro-Bold.ttf"),
)


def font_dirs() -> tuple[Path, ...]:
    """Folders holding the font files (the URL fetcher may read them)."""
    return tuple(sorted({face.path.parent for face in FACES}))


def file_url(face: Face) -> str:
    """A file: URL to the installed font file."""
    return face.path.as_uri()


def font_face_css(url_for: Callable[[Face], str]) -> str:
    """``@font-face`` rules for every face, with URLs made by ``url_for``."""
    rules = [
        "@font-face {\n"
        f'  font-family: "{face.family}";\n'
        f"  font-weight: {face.weight};\n"
        f"  font-style: {face.style};\n"
        f'  src: url("{url_for(face)}");\n'
        "}"
        for face in FACES
    ]
    return "\n".join(rules) + "\n"
