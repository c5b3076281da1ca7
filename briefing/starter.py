"""Starting points: a commented starter source (`new`) and a copy of the default theme (`theme`).

Both write atomically and never replace an existing file unless forced. The
theme is read through :data:`briefing.options.STYLES` with only ``iterdir``,
``is_dir``, ``is_file``, ``name`` and ``read_bytes``, so it may be a folder or a
package resource.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import options
from .errors import Diagnostic, SourceError, UsageError
from .importer import SOURCE_DIR, slug
from .write import write_atomic

#: A starter's NAME: what ``slug`` makes of a title (lowercase words joined by hyphens).
NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")

#: The starter source; ``{path}`` becomes the file written. Every key a source may
#: use appears, commented out (``# key: value``) when it is optional and left out.
STARTER = """\
# A briefing source: questions and answers that `briefing` turns into a
# paginated PDF and a web page. Replace the example with your own text, then
# check it and build it (the files appear in out/):
#
#   briefing check {path}
#   briefing build {path}
#
# Keys marked "required" must be there. To use an optional key that is
# commented out, delete the "# " in front of it and of the lines below it that
# belong to it, keeping the indentation: YAML reads structure from it. Values
# marked Markdown may hold paragraphs, lists, **bold**, *italics* and links
# such as [FOIA.gov](https://www.foia.gov/); other values are plain text.

# Required: the title on the cover, in the running head and in the PDF's metadata.
title: Requesting Federal Records Under FOIA
# Optional: a line under the title.
subtitle: Questions and answers
# Optional: a short label above the title on the cover.
# category: Open government
# Optional: the appendix this briefing is, 1 to 3 letters or digits: B prints
# "Appendix B" above the title and numbers the pages B-1, B-2, ...
# appendix: B
# Optional: draft or final (the default). A draft has DRAFT across every page
# and "Draft" by its title; briefing build --final refuses it.
# status: draft
# Optional: the briefing's address online, printed with a QR code by the title.
# url: https://www.example.org/foia
# Optional, default en: the language of the labels ("Contents", "Page 1 of 4")
# and of hyphenation. en and es have every label; other tags use English ones.
language: en
# Optional: the paper, letter (the default), a4, legal, a5 or half-letter;
# the command line's --paper overrides it.
# paper: letter
# Optional: briefing (the default: a cover page and a contents page) or
# handout (a title block at the top of page 1, no cover, no contents).
# layout: handout
# Optional, true or false: a cover page, or a contents page, whatever the layout.
# cover: true
# contents: true
# Optional: one (the default) or two, to print on both sides of the paper: the
# text starts on a right-hand page and the margins are mirrored for binding.
# sides: two
# Optional, with sides: two: right starts each section on a right-hand page.
# section-start: right
# Optional: the "as of" date on the cover, written YYYY-MM-DD.
# date: 2026-01-15
# Optional: one name, or a list such as [Jane Doe, John Roe].
# author: Jane Doe
# Optional Markdown in a box on the cover: a disclaimer, a contact, a review date.
# notice: |
#   General information, not legal advice. Reviewed January 2026.
# Optional Markdown printed before the first section.
# introduction: |
#   What this briefing covers, and who it is for.

# Required: the sections, numbered 1, 2, ... A short briefing may instead have
# a flat list of questions, numbered 1, 2, ...: write its questions under a
# top-level questions key in place of sections.
sections:
  # Required: the section's title.
  - title: Making a request
    # Optional: a stable anchor (lowercase letters, digits, hyphens) for links
    # such as [see section 1](#making-a-request); default s-1, s-2, ...
    # id: making-a-request
    # Optional: the section's language, when it is not the briefing's.
    # language: es
    # Optional Markdown printed before the section's first question.
    # introduction: |
    #   What to know before writing to an agency.
    # Required: the section's questions, numbered 1.1, 1.2, ...
    questions:
      # Optional: a stable anchor for links such as [see 1.2](#what-to-include);
      # default q-1-1, q-1-2, ...
      - id: who-can-ask
        # Optional: the question's language, when it is not its section's.
        # language: es
        # Required: the question, plain text ending with "?".
        question: Who can ask a federal agency for its records?
        # Required Markdown: the answer.
        answer: |
          Any person can, whether or not they are a US citizen, and no reason
          has to be given. The Freedom of Information Act (5 U.S.C. 552) covers
          the records of federal agencies; state and local records fall under
          each state's own public records law.
        # Optional: where the answer comes from, each a title with a URL
        # (https:// is best) or just a title.
        sources:
          - title: FOIA.gov, the federal government's FOIA website
            url: https://www.foia.gov/
          # - 5 U.S.C. 552, the Freedom of Information Act
        # Optional: draft marks an unfinished question in its margin;
        # briefing build --final refuses a source that holds one.
        # status: draft
      - id: what-to-include
        question: What should a request include?
        answer: |
          A request is answered faster when it is specific:

          1. Describe the records as exactly as you can: subject, dates, offices.
          2. Say how much you agree to pay in fees, or ask for a fee waiver.
          3. Send it to the FOIA office of the agency that holds the records.
  - title: After you ask
    questions:
      - question: How long does an agency have to answer?
        answer: |
          The agency has 20 working days to decide, and may take 10 more in
          unusual circumstances, for example when records must be gathered from
          several offices. A request that follows [question 1.2](#what-to-include)
          is easier to answer on time.
"""


def new_source(name: str, out: Path | None = None, *, force: bool = False) -> Path:
    """Write the starter to ``source/NAME.yaml``, or to ``out`` (a file, or a folder for it)."""
    if not NAME.match(name):
        stem = name[: -len(Path(name).suffix)] if Path(name).suffix in (".yaml", ".yml") else name
        raise UsageError(f"new {name!r}: NAME is lowercase letters, digits and hyphens, "
                         f"without .yaml, such as {slug(stem)!r}")
    target = (out or SOURCE_DIR) / f"{name}.yaml" if out is None or out.is_dir() else out
    if target.exists() and not force:
        raise SourceError.at(str(target), 0, 0, "already exists; use --force to replace it")
    shown = str(target) if str(target).isprintable() else "this-file.yaml"
    write_atomic(target, STARTER.replace("{path}", shown).encode("utf-8"))
    return target


def _files(folder: Any, inside: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every file of a theme folder with its relative path, sorted; hidden files and
    Python's own (``__init__.py``, ``__pycache__``) are not part of a theme."""
    for entry in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if entry.name.startswith((".", "__")):
            continue
        if entry.is_dir():
            yield from _files(entry, (*inside, entry.name))
        elif entry.is_file():
            yield (*inside, entry.name), entry


def copy_theme(folder: Path, *, force: bool = False) -> list[Path]:
    """Copy every file of the default theme into ``folder``; return the files written.

    Nothing is written when ``folder`` is a file, or when any of the files exists
    and ``force`` is not given; every such file is named at once.
    """
    if folder.exists() and not folder.is_dir():
        raise SourceError.at(str(folder), 0, 0, "already exists and is not a folder")
    theme = [(folder.joinpath(*parts), entry.read_bytes())
             for parts, entry in _files(options.STYLES)]
    existing = [target for target, _ in theme if target.exists()]
    if existing and not force:
        raise SourceError([Diagnostic(str(target), 0, 0,
                                      "already exists; use --force to replace it")
                           for target in existing])
    for target, data in theme:
        write_atomic(target, data)
    return [target for target, _ in theme]
