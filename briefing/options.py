"""Build options shared by every stage: paper, style folders, fetching (no heavy imports)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Briefing


def _theme_folder() -> Path:
    """The default theme: inside the installed package, or at the top of a source checkout.

    A wheel or an sdist installs ``styles/`` as ``briefing/styles/`` (see
    pyproject.toml); an editable install and a checkout read it where it is kept.
    """
    package = Path(__file__).resolve().parent
    installed = package / "styles"
    return installed if installed.is_dir() else package.parent / "styles"


#: The default theme's folder, always searched last.
STYLES = _theme_folder()

#: CSS page sizes by the name a source and the command line use (``model.PAPERS``).
PAPER_SIZES = {"letter": "letter", "a4": "A4", "legal": "legal", "a5": "A5",
               "half-letter": "5.5in 8.5in"}

#: Paper sizes in points, portrait (width, height): inches times 72, millimetres times 72/25.4.
PAPER_POINTS = {"letter": (612.0, 792.0), "a4": (595.276, 841.89), "legal": (612.0, 1008.0),
                "a5": (419.528, 595.276), "half-letter": (396.0, 612.0)}

#: Papers narrow enough that the theme uses its small margins (``--small-page-margin``).
SMALL_PAPERS = ("a5", "half-letter")

#: The paper used when neither the command line nor the source names one.
DEFAULT_PAPER = "letter"


@dataclass(frozen=True)
class Options:
    """What the renderers need beyond the model."""

    #: A name of PAPER_SIZES that overrides the source's ``paper``; None keeps the source's.
    paper: str | None = None
    style_dirs: tuple[Path, ...] = ()
    #: Let the PDF renderer fetch http(s) URLs (images, styles); off by default.
    allow_remote: bool = False
    #: Tag the PDF and claim PDF/UA-1 (with PDF/A-3u); off gives a smaller, untagged PDF/A-3u.
    tagged: bool = True
    #: Embed the source (YAML) in the PDF as a PDF/A-3 associated file; off by default,
    #: since a source may hold comments not meant for publication.
    attach_source: bool = False

    def paper_for(self, briefing: Briefing) -> str:
        """The paper ``briefing`` is laid out on: the command line's, the source's, or letter."""
        return self.paper or briefing.paper or DEFAULT_PAPER

    @property
    def search_path(self) -> list[Path]:
        """Template folders in lookup order: user folders first, the project's last."""
        return [*self.style_dirs, STYLES]
