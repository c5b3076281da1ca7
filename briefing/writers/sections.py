"""One PDF per section, to attach a single section to a report: ``NAME/3-section-title.pdf``.

Each file is the section laid out on its own by the PDF writer, as a handout
whose title block names the briefing and says which section of how many this
is, and is a full PDF/UA-1 + PDF/A-3u document with its own bookmarks, page
labels (from 1: the file's own pages) and metadata (title "Section title —
Briefing title"). The section and its questions keep the numbers they have in
the whole briefing, so section 3 prints as 3 and its questions as 3.1, 3.2, ...;
a cross-reference to another section prints its number, "(see 4.2)", but is no
link, since its target is not in the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from ..errors import Diagnostic
from ..model import Briefing, Section
from ..options import Options
from ..slugs import slug
from . import Output


def excerpt(briefing: Briefing, section: Section) -> Briefing:
    """One section of ``briefing`` as a briefing of its own, keeping every number.

    It is laid out as a handout (a title block naming the briefing, no cover or
    contents) without the briefing's introduction, which belongs to the whole.
    """
    return replace(briefing, sections=(section,), introduction=None, layout="handout",
                   cover=None, contents=None, section_start=None, whole=briefing)


def file_name(briefing: Briefing, section: Section) -> str:
    """Where a section's file goes in the output folder: ``NAME/3-slug-of-its-title.pdf``."""
    return f"{briefing.name}/{section.number}-{slug(section.title or '', 'section')}.pdf"


class SectionsWriter:
    """``NAME/N-title.pdf`` for each section: one section alone, with the briefing's numbers."""

    name = "sections"
    description = "one PDF per section, numbered as in the whole briefing, in a folder NAME/"

    def assets(self) -> Mapping[str, Path]:
        """Each file embeds its fonts: nothing is shared."""
        return {}

    def write(self, briefing: Briefing, options: Options) -> Output:
        """Lay out each section alone; a briefing without sections gets a warning instead."""
        from .pdf import WRITER as PDF

        if briefing.flat:
            where = briefing.sections[0].where if briefing.sections else briefing.where
            line, column = (where.line, where.column) if where else (0, 0)
            return Output(warnings=[Diagnostic(
                briefing.path, line, column,
                "no per-section files: the briefing has no sections (its questions are all "
                f"in {briefing.name}.pdf)", "warning")])
        output = Output()
        for section in briefing.sections:
            laid_out = PDF.write(excerpt(briefing, section), options)
            ((_, data),) = laid_out.files.items()
            ((_, pages),) = laid_out.pages.items()
            name = file_name(briefing, section)
            output.files[name] = data
            output.pages[name] = pages
            output.warnings += [w for w in laid_out.warnings if w not in output.warnings]
        return output


WRITER = SectionsWriter()
