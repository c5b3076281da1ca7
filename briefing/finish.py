"""Write the laid-out briefing as PDF bytes: page labels, metadata, reproducible output."""

from __future__ import annotations

import calendar
import contextlib
import datetime
import os
from collections.abc import Iterator

import pydyf

from . import __version__
from .model import Briefing
from .render_pdf import Rendering

#: Used for SOURCE_DATE_EPOCH when a briefing has no date: 2000-01-01T00:00:00Z.
FIXED_EPOCH = 946684800


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


def page_labels(front_pages: int) -> pydyf.Dictionary:
    """A /PageLabels tree: front matter i, ii, ...; the body 1, 2, ... as printed."""
    nums = pydyf.Array()
    if front_pages:
        nums.extend([0, pydyf.Dictionary({"S": "/r"})])
    nums.extend([front_pages, pydyf.Dictionary({"S": "/D", "St": 1})])
    return pydyf.Dictionary({"Nums": nums})


def finisher(briefing: Briefing, rendering: Rendering):  # noqa: ANN201 - WeasyPrint callback
    """Return a WeasyPrint finisher that adds page labels and metadata to the catalog."""

    def finish(document: object, pdf: pydyf.PDF) -> None:
        pdf.catalog["PageLabels"] = page_labels(rendering.front_pages)
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


def to_pdf(briefing: Briefing, rendering: Rendering) -> bytes:
    """The finished PDF as bytes, its identifier derived from the rendered HTML."""
    identifier = rendering.fingerprint.hex()[:32].encode()
    with _source_date_epoch(briefing.date):
        return rendering.document.write_pdf(
            finisher=finisher(briefing, rendering), pdf_identifier=identifier
        )
