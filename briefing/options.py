"""Build options shared by every stage: paper, style folders, fetching (no heavy imports)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: The project's own style folder, always searched last.
STYLES = Path(__file__).resolve().parent.parent / "styles"

#: CSS page sizes by the name the command line uses.
PAPER_SIZES = {"letter": "letter", "a4": "A4"}


@dataclass(frozen=True)
class Options:
    """What the renderers need beyond the model."""

    paper: str = "letter"
    style_dirs: tuple[Path, ...] = ()
    #: Let the PDF renderer fetch http(s) URLs (images, styles); off by default.
    allow_remote: bool = False
    #: Tag the PDF and claim PDF/UA-1 (with PDF/A-3u); off gives a smaller, untagged PDF/A-3u.
    tagged: bool = True
    #: Embed the source (YAML) in the PDF as a PDF/A-3 associated file; off by default,
    #: since a source may hold comments not meant for publication.
    attach_source: bool = False

    @property
    def search_path(self) -> list[Path]:
        """Template folders in lookup order: user folders first, the project's last."""
        return [*self.style_dirs, STYLES]
