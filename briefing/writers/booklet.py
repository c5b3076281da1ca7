"""The booklet: the briefing laid out on half sheets and imposed for saddle stitching.

A letter (or half-letter) briefing becomes half-letter pages on landscape
letter sheets; an A4 (or A5) one, A5 pages on landscape A4. The pages are laid
out at that size by the PDF writer, never shrunk, padded with blank paper to a
multiple of four and placed in saddle-stitch order: print both sides, flipped
on the short edge, fold the stack in the middle and staple on the fold.

The imposed file is for the printer, not for reading on screen: it has no
bookmarks, page labels or links, and claims no PDF standard.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..model import Briefing
from ..options import Options
from . import Output


class BookletWriter:
    """``NAME-booklet.pdf``: folded sheets in saddle-stitch order, for duplex printing."""

    name = "booklet"
    description = ("half-size pages on landscape sheets in booklet order (print both sides, "
                   "flip on the short edge, fold)")

    def assets(self) -> Mapping[str, Path]:
        """The booklet embeds its fonts: nothing is shared."""
        return {}

    def write(self, briefing: Briefing, options: Options) -> Output:
        """Lay the briefing out on half sheets and impose it as ``NAME-booklet.pdf``."""
        from ..impose import imposed, saddle_stitch

        return imposed(briefing, options, "booklet", saddle_stitch)


WRITER = BookletWriter()
