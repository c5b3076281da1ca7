"""Build options shared by every stage: paper, style folders, fetching (no heavy imports)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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

#: CSS page sizes by the name the command line uses.
PAPER_SIZES = {"letter": "letter", "a4": "A4"}


@dataclass(frozen=True)
class Options:
    """What the renderers need beyond the model."""

    paper: str = "letter"
    style_dirs: tuple[Path, ...] = ()
    #: Let the PDF renderer fetch http(s) URLs (images, styles); off by default.
    allow_remote: bool = False

    @property
    def search_path(self) -> list[Path]:
        """Template folders in lookup order: user folders first, the project's last."""
        return [*self.style_dirs, STYLES]
