"""The HTML writer: one page for screens, with its local images copied beside it.

The page links to the shipped fonts in ``fonts/`` (declared as assets, copied
once per build), to copies of its local images in ``NAME-files/``, and to
copies of the style folders' files its templates and stylesheets use in
``NAME-files/style-N/``. Images
are read through the PDF's URL fetcher, under the same rules, from the list the
model holds: the same images the renderer draws, however the source spells them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .. import fonts
from ..errors import RenderError
from ..model import Briefing, markdown
from ..options import Options
from . import Output, refusals

if TYPE_CHECKING:
    from ..theme import StyleAssets


def images_folder(briefing: Briefing) -> str:
    """The folder beside the screen version that holds copies of its local images."""
    return f"{briefing.name}-files"


def local_images(briefing: Briefing) -> list[str]:
    """The relative paths of every local image the briefing shows, sorted, each once."""
    return sorted({image.path for _, text in markdown(briefing) for image in text.images
                   if image.allowed and image.path is not None})


def _style_files(assets: StyleAssets, options: Options) -> dict[str, bytes]:
    """Copies of the style folders' files the page links to, read through the gate."""
    from ..gate import Refused, read_local

    copies = {}
    for name, path in assets.files.items():
        try:
            _, copies[name] = read_local(path, options.search_path)
        except Refused as exc:
            raise RenderError(f"{path}: error: cannot copy a file of the style folder: "
                              f"{exc.reason}") from None
    return copies


class HtmlWriter:
    """The stand-alone HTML version for screens (with print rules for browsers)."""

    name = "html"
    description = "one HTML page for screens, with its images and fonts beside it"

    def assets(self) -> Mapping[str, Path]:
        """The font files every HTML version links to."""
        return {f"fonts/{face.filename}": face.path for face in fonts.FACES}

    def write(self, briefing: Briefing, options: Options) -> Output:
        """Render ``NAME.html`` and copy its local images into ``NAME-files/``."""
        from ..fetch import FetchRefused, RestrictedFetcher
        from ..render_html import render_screen
        from ..theme import StyleAssets

        assets = StyleAssets(images_folder(briefing) + "/")
        html = render_screen(briefing, options, images_folder(briefing) + "/", assets=assets)
        output = Output({f"{briefing.name}.html": html.encode("utf-8")})
        output.files.update(_style_files(assets, options))
        wanted = local_images(briefing)
        if not wanted:
            return output
        source_dir = Path(briefing.path).resolve().parent
        fetcher = RestrictedFetcher((), (source_dir,))
        for path in wanted:
            with contextlib.suppress(FetchRefused):
                data = fetcher.fetch((source_dir / path).as_uri()).read()
                output.files[f"{images_folder(briefing)}/{path}"] = data
        output.warnings.extend(refusals(briefing, fetcher.refused))
        return output


WRITER = HtmlWriter()
