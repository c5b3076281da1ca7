"""The PDF writer: lay the briefing out, then write PDF/UA-1 + PDF/A-3u with labels and metadata.

Output is reproducible: the document identifier comes from the rendered HTML,
dates only from the source's ``date``, and the timestamp fontTools writes into
subset fonts is pinned through ``SOURCE_DATE_EPOCH`` (WeasyPrint subsets with
fontTools where HarfBuzz's subsetter is missing; a test proves the pin is needed).

WeasyPrint's warnings during the render become the source's warnings. Its
logger keeps propagating; records the build has turned into diagnostics are
marked (``record.briefing``) so that a log handler can tell them apart. A
warning about a stylesheet names the style file and line it is about (see
``cssplaces``); one about CSS a template generates names the source alone.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime
import logging
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from .. import __version__, tagging, xmp
from ..cssplaces import located
from ..errors import Diagnostic
from ..labels import labels_for
from ..markup import DECORATIVE
from ..model import Briefing, markdown
from ..options import Options
from . import Output, refusals

#: Used for SOURCE_DATE_EPOCH when a briefing has no date: 2000-01-01T00:00:00Z.
FIXED_EPOCH = 946684800
#: The value a handled record carries in ``record.briefing``: reported as a
#: diagnostic, replaced by a diagnostic of our own, or about the machine only.
REPORTED, REPLACED, IGNORED = "reported", "replaced", "ignored"


class _Collect(logging.Handler):
    """Turn WeasyPrint's warnings during one render into diagnostics naming the source."""

    def __init__(self, path: str, decorative: frozenset[str] = frozenset(),
                 folders: Sequence[Path] = ()) -> None:
        super().__init__(logging.WARNING)
        self.path = path
        self.decorative = decorative
        self.folders = folders
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
        elif "no required alt description" in record.msg and args \
                and str(args[0]) in self.decorative:
            record.briefing = IGNORED  # said to be decorative; the finisher makes it an artifact
        else:
            record.briefing = REPORTED
            self.found.append(self._diagnostic(record, args))

    def _diagnostic(self, record: logging.LogRecord, args: tuple) -> Diagnostic:
        """The warning at its place in a style file when it has one, else at the source."""
        found = located(record.msg, args, self.folders)
        if found is None:
            return Diagnostic(self.path, 0, 0, record.getMessage(), "warning")
        message, file, line, column = found
        return Diagnostic(self.path if file is None else str(file), line, column, message,
                          "warning")


def _caused_by(value: object, kind: type[BaseException]) -> bool:
    """Whether ``value`` is an exception of ``kind`` or was raised from or during one."""
    seen = 0
    while isinstance(value, BaseException) and seen < 16:
        if isinstance(value, kind):
            return True
        value, seen = value.__cause__ or value.__context__, seen + 1
    return False


@contextlib.contextmanager
def weasyprint_warnings(path: str, decorative: frozenset[str] = frozenset(),
                        folders: Sequence[Path] = ()) -> Iterator[list[Diagnostic]]:
    """Collect WeasyPrint's warnings while the block runs; the logger keeps propagating.

    ``decorative`` names images marked as such, whose missing description is expected;
    ``folders`` are the style folders, in which a stylesheet's warnings are placed.
    """
    logger = logging.getLogger("weasyprint")
    handler = _Collect(path, decorative, folders)
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


def page_labels(front_pages: int, prefix: str = "") -> Any:
    """A /PageLabels tree as printed: front matter i, ii, ...; the body 1, 2, ...

    Every label starts with ``prefix`` ("B-" in appendix B: B-i, B-ii, B-1, ...).
    """
    import pydyf

    def style(kind: str, **more: Any) -> Any:
        found = pydyf.Dictionary({"S": kind, **more})
        if prefix:
            found["P"] = pydyf.String(prefix)
        return found

    nums = pydyf.Array()
    if front_pages:
        nums.extend([0, style("/r")])
    nums.extend([front_pages, style("/D", St=1)])
    return pydyf.Dictionary({"Nums": nums})


def link_texts(briefing: Briefing, pages: Mapping[str, int]) -> dict[str, str]:
    """What a link to each heading says: "1.2 How does ..., page 1" (for the link's /Contents)."""
    labels = labels_for(briefing.language)
    word = labels["page"].lower() + " " + briefing.page_prefix
    texts = {}
    if briefing.introduction and "introduction" in pages:
        texts["introduction"] = f"{labels['introduction']}, {word}{pages['introduction']}"
    for section in briefing.sections:
        if section.title is not None and section.anchor in pages:
            texts[section.anchor] = (f"{section.number} {section.title}, "
                                     f"{word}{pages[section.anchor]}")
        for q in section.questions:
            if q.anchor in pages:
                texts[q.anchor] = f"{q.number} {q.question}, {word}{pages[q.anchor]}"
    return texts


def finisher(briefing: Briefing, front_pages: int, marks: tagging.Marks | None = None,
             links: Mapping[str, str] | None = None):  # noqa: ANN201 - WeasyPrint callback
    """Return a WeasyPrint finisher: page labels, metadata; tags finished when ``marks``."""
    import pydyf
    from weasyprint import __version__ as weasyprint_version

    producer = f"WeasyPrint {weasyprint_version}"
    creator = f"briefing {__version__}"

    def finish(document: object, pdf: pydyf.PDF) -> None:
        pdf.catalog["PageLabels"] = page_labels(front_pages, briefing.page_prefix)
        pdf.catalog["PageMode"] = "/UseOutlines"
        pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
        pdf.catalog["Lang"] = pydyf.String(briefing.language)
        for key in ("Author", "Subject", "Keywords", "CreationDate", "ModDate"):
            pdf.info.pop(key, None)
        for key, value in xmp.info(briefing, producer, creator).items():
            pdf.info[key] = pydyf.String(value)
        for item in pdf.objects:
            extra = getattr(item, "extra", {})
            if extra.get("Subtype") == "/Image":  # PDF/A forbids asking viewers to smooth
                extra["Interpolate"] = "false"
            elif extra.get("Type") == "/EmbeddedFile":  # only the source is attached
                extra["Subtype"] = "/application#2fyaml"
        if "AF" in pdf.catalog:  # WeasyPrint lists each associated file twice
            pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(pdf.catalog["AF"]))
        if "Metadata" in pdf.catalog:
            stream = pdf.objects[int(pdf.catalog["Metadata"].split()[0])]
            packet = b"".join(stream.stream)
            stream.stream = [xmp.rewrite(packet, briefing, producer, creator,
                                         ua_part=None if marks is None else 1)]
        if marks is not None:
            tagging.finish(pdf, marks, briefing.language, links or {})

    return finish


def standard(options: Options) -> dict[str, Any]:
    """WeasyPrint's options for the standards a PDF claims: PDF/A-3u, and PDF/UA-1 when tagged.

    WeasyPrint has no variant for both at once: PDF/A-3u is its variant, the tags
    are asked for, and the finisher adds the PDF/UA claim to the XMP.
    """
    return {"pdf_variant": "pdf/a-3u", "pdf_tags": options.tagged}


def source_attachment(briefing: Briefing) -> list[Any]:
    """The source as an associated file (AFRelationship /Source), dated like the briefing."""
    from weasyprint import Attachment

    moment = xmp.timestamp(briefing) or datetime.datetime.fromtimestamp(
        FIXED_EPOCH, datetime.timezone.utc)
    return [Attachment(string=briefing.text, name=Path(briefing.path).name,
                       description="The source this briefing was built from",
                       created=moment, modified=moment, relationship="Source")]


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
        decorative = frozenset(image.url.strip() for _, text in markdown(briefing)
                               for image in text.images if image.alt == DECORATIVE)
        with weasyprint_warnings(briefing.path, decorative, options.search_path) as warnings:
            rendering = render(briefing, options)
            identifier = rendering.fingerprint.hex()[:32].encode()
            observing = (tagging.observe(rendering.document) if options.tagged
                         else contextlib.nullcontext())
            with _source_date_epoch(briefing.date), observing as marks:
                finish = finisher(briefing, rendering.front_pages, marks,
                                  link_texts(briefing, rendering.pages))
                data = rendering.document.write_pdf(
                    finisher=finish, pdf_identifier=identifier, **standard(options),
                    attachments=source_attachment(briefing) if options.attach_source else None)
        warnings.extend(refusals(briefing, rendering.refused))
        return Output({name: data}, {name: rendering.front_pages + rendering.body_pages},
                      list(warnings))


WRITER = PdfWriter()
