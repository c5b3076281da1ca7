"""Impose laid-out pages onto larger sheets with pypdf: saddle-stitched booklets, two-up.

A sheet is landscape and holds two pages side by side, their inner edges
meeting at the middle of the sheet (the fold of a booklet), each page centred
vertically. Pages are placed at their own size, never scaled: the writers lay
the briefing out on half the sheet first. A slot with no page stays empty, so a
booklet's padding is truly blank paper.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from . import __version__
from .errors import RenderError
from .model import Briefing
from .options import PAPER_POINTS, Options
from .writers import Output
from .xmp import described

#: Where a folded sheet's pages come from: the paper a briefing names -> (sheet, page).
#: A briefing on letter or half-letter folds letter sheets; on A4 or A5, A4 sheets.
FOLDS = {"letter": ("letter", "half-letter"), "half-letter": ("letter", "half-letter"),
         "a4": ("a4", "a5"), "a5": ("a4", "a5")}

#: One side of a sheet: the 0-based page on the left and on the right, or None for blank.
Side = tuple[int | None, int | None]


def saddle_stitch(pages: int) -> list[Side]:
    """The sides of a saddle-stitched booklet of ``pages`` pages, front then back of each sheet.

    The page count is padded to a multiple of 4 with blanks at the end. Sheet
    ``s`` carries, front, the last-but-2s and the first-plus-2s pages; back, the
    next ones in. Printed on both sides, flipped on the short edge, then folded
    and nested, the sheets read in order: for 8 pages [8|1] [2|7], [6|3] [4|5].
    """
    total = -(-pages // 4) * 4

    def page(index: int) -> int | None:
        return index if index < pages else None

    sides: list[Side] = []
    for sheet in range(total // 4):
        sides.append((page(total - 1 - 2 * sheet), page(2 * sheet)))
        sides.append((page(2 * sheet + 1), page(total - 2 - 2 * sheet)))
    return sides


def two_up(pages: int) -> list[Side]:
    """Two pages on each side, in reading order: [1|2], [3|4], ...; an odd last page is alone."""
    return [(first, first + 1 if first + 1 < pages else None) for first in range(0, pages, 2)]


def impose(data: bytes, sides: Sequence[Side], sheet: str, info: dict[str, str]) -> bytes:
    """Place the pages of the PDF ``data`` onto landscape ``sheet`` sides; return the new PDF.

    Each page becomes a form XObject drawn where its slot is, so its content is
    copied, not parsed, and the fonts all pages share are written once. Links,
    bookmarks and page labels of the laid-out PDF do not survive: they name pages
    the sheets no longer have. ``info`` becomes the document information
    (``/Title``, ``/Author``, ...).
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    reader = PdfReader(io.BytesIO(data))
    height, width = PAPER_POINTS[sheet]  # portrait (w, h), turned to landscape
    fold = width / 2
    writer = PdfWriter()
    writer.pdf_header = reader.pdf_header  # the laid-out PDF's version, not pypdf's 1.3
    for left, right in sides:
        target = writer.add_blank_page(width=width, height=height)
        drawn, forms = [], DictionaryObject()
        for index, at_left in ((left, True), (right, False)):
            if index is None:
                continue
            page = reader.pages[index]
            box = page.mediabox
            x = fold - float(box.width) if at_left else fold
            y = (height - float(box.height)) / 2
            name = f"/Page{index + 1}"
            # pypdf has no public call that makes an indirect object; its own merging uses this.
            forms[NameObject(name)] = writer._add_object(_form(page).clone(writer))
            drawn.append(f"q 1 0 0 1 {x - float(box.left):.4f} {y - float(box.bottom):.4f} cm "
                         f"{name} Do Q")
        target[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): forms})
        content = DecodedStreamObject()
        content.set_data("\n".join(drawn).encode())
        target[NameObject("/Contents")] = writer._add_object(content)
    writer.add_metadata({f"/{key}": value for key, value in info.items()})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _form(page: Any) -> Any:
    """A page as a compressed form XObject: its content stream, resources and box."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, FloatObject, NameObject

    contents = page.get_contents()
    form = DecodedStreamObject()
    form.set_data(contents.get_data() if contents is not None else b"")
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject(FloatObject(v) for v in page.mediabox)
    form[NameObject("/Resources")] = page["/Resources"]
    return form.flate_encode()


_last: tuple[Briefing, Options, str, Output] | None = None


def half_sheets(briefing: Briefing, options: Options) -> tuple[str, Output]:
    """The sheet a briefing folds into and its PDF laid out on half of it, by the PDF writer.

    The booklet and the two-up sheets use the same layout: the last one is kept
    (with the briefing it was made from), so writing both lays the briefing out once.
    """
    global _last
    from .writers import pdf

    paper = options.paper_for(briefing)
    if paper not in FOLDS:
        raise RenderError(
            f"{briefing.path}: error: paper '{paper}' does not fold into half sheets; "
            f"booklets and two-up sheets take {', '.join(FOLDS)}")
    sheet, page = FOLDS[paper]
    if _last is None or _last[0] is not briefing or _last[1] != options:
        output = pdf.WRITER.write(briefing, replace(options, paper=page))
        _last = (briefing, options, sheet, output)
    return _last[2], _last[3]


def info(briefing: Briefing) -> dict[str, str]:
    """The document information of an imposed PDF: the briefing's title, authors, subject."""
    return {**described(briefing), "Creator": f"briefing {__version__}"}


def imposed(briefing: Briefing, options: Options, suffix: str,
            order: Callable[[int], list[Side]]) -> Output:
    """``NAME-SUFFIX.pdf``: the briefing on half sheets, placed on sheets in ``order``."""
    sheet, laid_out = half_sheets(briefing, options)
    laid_out_name = f"{briefing.name}.pdf"
    pages, data = laid_out.pages[laid_out_name], laid_out.files[laid_out_name]
    name = f"{briefing.name}-{suffix}.pdf"
    sides = order(pages)
    return Output({name: impose(data, sides, sheet, info(briefing))}, {name: len(sides)},
                  list(laid_out.warnings))
