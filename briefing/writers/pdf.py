"""The PDF writer: lay the briefing out, then write the bytes with page labels and metadata.

Output is reproducible: the document identifier comes from the rendered HTML,
dates only from the source's ``date``, and the timestamp fontTools writes into
subset fonts is pinned through ``SOURCE_DATE_EPOCH`` (WeasyPrint subsets with
fontTools where HarfBuzz's subsetter is missing; a test proves the pin is needed).

WeasyPrint's warnings during the render become the source's warnings. Its
logger keeps propagating; records the build has turned into diagnostics are
marked (``record.briefing``) so that a log handler can tell them apart.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime
import logging
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import Diagnostic
from ..model import Briefing
from ..options import Options
from . import Output, refusals

#: Used for SOURCE_DATE_EPOCH when a briefing has no date: 2000-01-01T00:00:00Z.
FIXED_EPOCH = 946684800
#: The value a handled record carries in ``record.briefing``: reported as a
#: diagnostic, replaced by a diagnostic of our own, or about the machine only.
REPORTED, REPLACED, IGNORED = "reported", "replaced", "ignored"


class _Collect(logging.Handler):
    """Turn WeasyPrint's warnings during one render into diagnostics naming the source."""

    def __init__(self, path: str) -> None:
        super().__init__(logging.WARNING)
        self.path = path
        self.found: list[Diagnostic] = []

    def emit(self, record: logging.LogRecord) -> None:
        from ..fetch import FetchRefused
        from ..glyphs import drawable

        args: Any = record.args if isinstance(record.args, tuple) else ()
        if record.msg.startswith("Using fontTools instead of HarfBuzz"):
            record.briefing = IGNORED  # about the machine, not the source; same output
        elif any(_caused_by(arg, FetchRefused) for arg in args):
            record.briefing = REPLACED  # the fetcher's own refusal says why, once
        elif record.msg.startswith(".notdef glyph") and args and not drawable(str(args[0])):
            record.briefing = REPLACED  # the glyph check placed it in the source already
        else:
            record.briefing = REPORTED
            self.found.append(Diagnostic(self.path, 0, 0, record.getMessage(), "warning"))


def _caused_by(value: object, kind: type[BaseException]) -> bool:
    """Whether ``value`` is an exception of ``kind`` or was raised from or during one."""
    seen = 0
    while isinstance(value, BaseException) and seen < 16:
        if isinstance(value, kind):
            return True
        value, seen = value.__cause__ or value.__context__, seen + 1
    return False


@contextlib.contextmanager
def weasyprint_warnings(path: str) -> Iterator[list[Diagnostic]]:
    """Collect WeasyPrint's warnings while the block runs; the logger keeps propagating."""
    logger = logging.getLogger("weasyprint")
    handler = _Collect(path)
    logger.addHandler(handler)
    try:
        yield handler.found
    finally:
        logger.removeHandler(handler)


@contextlib.contextmanager
def _source_date_epoch(date: datetime.date | None) -> Iterator[None]:
    """Pin the timestamp fontTools writes into subset fonts, so builds are byte-identical."""
    epoch = calendar.timegm(date.timetuple()) if date else FIXED_EPOCH
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def page_labels(front_pages: int) -> Any:
    """A /PageLabels tree: front matter i, ii, ...; the body 1, 2, ... as printed."""
    import pydyf

    nums = pydyf.Array()
    if front_pages:
        nums.extend([0, pydyf.Dictionary({"S": "/r"})])
    nums.extend([front_pages, pydyf.Dictionary({"S": "/D", "St": 1})])
    return pydyf.Dictionary({"Nums": nums})


def finisher(briefing: Briefing, front_pages: int):  # noqa: ANN201 - WeasyPrint callback
    """Return a WeasyPrint finisher that adds page labels and metadata to the catalog."""
    import pydyf

    def finish(document: object, pdf: pydyf.PDF) -> None:
        pdf.catalog["PageLabels"] = page_labels(front_pages)
        pdf.catalog["PageMode"] = "/UseOutlines"
        pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
        pdf.info["Title"] = pydyf.String(briefing.title)
        if briefing.authors:
            pdf.info["Author"] = pydyf.String(", ".join(briefing.authors))
        if briefing.subtitle:
            pdf.info["Subject"] = pydyf.String(briefing.subtitle)
        if briefing.category:
            pdf.info["Keywords"] = pydyf.String(briefing.category)
        pdf.info["Creator"] = pydyf.String(f"briefing {__version__}")

    return finish


class PdfWriter:
    """The paginated briefing: cover, contents, numbered body, bookmarks, page labels."""

    name = "pdf"
    description = "the paginated PDF briefing"

    def assets(self) -> Mapping[str, Path]:
        """The PDF embeds its fonts: nothing is shared."""
        return {}

    def write(self, briefing: Briefing, options: Options) -> Output:
        """Lay out and write ``NAME.pdf``."""
        from ..render_pdf import render

        name = f"{briefing.name}.pdf"
        with weasyprint_warnings(briefing.path) as warnings:
            rendering = render(briefing, options)
            identifier = rendering.fingerprint.hex()[:32].encode()
            with _source_date_epoch(briefing.date):
                data = rendering.document.write_pdf(
                    finisher=finisher(briefing, rendering.front_pages),
                    pdf_identifier=identifier)
        warnings.extend(refusals(briefing, rendering.refused))
        return Output({name: data}, {name: rendering.front_pages + rendering.body_pages},
                      list(warnings))


WRITER = PdfWriter()
