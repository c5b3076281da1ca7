"""Two-up sheets: two pages side by side on each landscape sheet, in reading order.

The pages are the booklet's (half-letter on letter, A5 on A4), laid out at that
size by the PDF writer rather than shrunk, so the text keeps its size: half the
paper, the same type. Like the booklet, the file is for the printer: no
bookmarks, page labels or links, and no PDF standard claimed.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..model import Briefing
from ..options import Options
from . import Output


class TwoUpWriter:
    """``NAME-2up.pdf``: pages 1 and 2 on the first sheet, 3 and 4 on the next, ..."""

    name = "2up"
    description = "two half-size pages side by side on each landscape sheet, in reading order"

    def assets(self) -> Mapping[str, Path]:
        """The sheets embed their fonts: nothing is shared."""
        return {}

    def write(self, briefing: Briefing, options: Options) -> Output:
        """Lay the briefing out on half sheets and place them two by two as ``NAME-2up.pdf``."""
        from ..impose import imposed, two_up

        return imposed(briefing, options, "2up", two_up)


WRITER = TwoUpWriter()
