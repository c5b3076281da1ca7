"""The ``sections`` output: one full PDF per section, numbered as in the whole briefing."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pikepdf
import pytest
from conftest import build_once, page_texts
from pypdf import PdfReader
from test_render_pdf import _outline

from briefing.cache import MANIFEST
from briefing.cli import main
from briefing.writers import parse_formats

SOURCE = """\
title: Winter Shelter Questions
subtitle: A short guide for volunteers
category: Community services
date: 2026-01-15
author: Dana Reyes
notice: |
  Sample text for tests; not official guidance.
introduction: |
  This guide collects the questions volunteers ask most.
sections:
  - title: Opening the shelter
    questions:
      - id: opening-time
        question: When does the shelter open?
        answer: At six in the evening, every day from December to March, whatever the weather.
      - question: Who holds the keys?
        answer: The duty coordinator holds them; see [the opening time](#opening-time) for when.
  - title: During the night
    questions:
      - question: What if the shelter is full?
        answer: |
          Call the overflow line, and never turn anyone away without a referral. Doors open
          again at [the opening time](#opening-time); in spring, see [closing](#closing).
        sources:
          - title: Overflow procedure
            url: https://example.org/overflow
      - question: Who stays awake?
        answer: Two volunteers take turns through the night, one of them always at the door.
  - title: Closing in spring
    id: closing
    questions:
      - question: When does the shelter close?
        answer: On the last day of March, after the guests have found a place for April.
"""
NAME = "shelter"
FILES = {1: f"{NAME}/1-opening-the-shelter.pdf", 2: f"{NAME}/2-during-the-night.pdf",
         3: f"{NAME}/3-closing-in-spring.pdf"}
TITLES = {1: "Opening the shelter", 2: "During the night", 3: "Closing in spring"}
QUESTIONS = {1: ["When does the shelter open?", "Who holds the keys?"],
             2: ["What if the shelter is full?", "Who stays awake?"],
             3: ["When does the shelter close?"]}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sections-src")
    source = folder / f"{NAME}.yaml"
    source.write_text(SOURCE, encoding="utf-8")
    out = tmp_path_factory.mktemp("sections")
    build_once(source, out, formats=("pdf", "sections"))
    return out


def _reader(out: Path, number: int) -> PdfReader:
    return PdfReader(out / FILES[number])


def test_each_section_is_a_file_named_by_its_number_and_title(built: Path) -> None:
    assert sorted(p.relative_to(built).as_posix() for p in (built / NAME).iterdir()) \
        == sorted(FILES.values())
    assert (built / f"{NAME}.pdf").is_file()


@pytest.mark.parametrize("number", [1, 2, 3])
def test_a_section_file_has_a_title_block_and_the_whole_briefings_numbers(
        built: Path, number: int) -> None:
    texts = page_texts(_reader(built, number))
    text = "\n".join(texts)
    assert texts[0].startswith(
        "COMMUNITY SERVICES\nWinter Shelter Questions\nA short guide for volunteers\n"
        f"Section {number} of 3 · As of January 15, 2026 · Prepared by Dana Reyes\n"
        "NOTICE\nSample text for tests; not official guidance.\n"
        f"{number} {TITLES[number]}\n{number}.1 {QUESTIONS[number][0]}\n")
    for index, question in enumerate(QUESTIONS[number], start=1):
        assert f"{number}.{index} {question}" in text
    others = [q for n, qs in QUESTIONS.items() if n != number for q in qs]
    assert not any(q in text for q in others)
    assert "Introduction" not in text and "volunteers ask most" not in text
    assert texts[-1].endswith(f"Page {len(texts)} of {len(texts)}")


@pytest.mark.parametrize("number", [1, 2, 3])
def test_a_section_file_has_its_bookmarks_page_labels_and_metadata(
        built: Path, number: int) -> None:
    reader = _reader(built, number)
    (section,) = _outline(reader)
    title, page, questions = section
    assert (title, page) == (f"{number} {TITLES[number]}", 0)
    assert [q[0] for q in questions] == [f"{number}.{i} {q}"
                                         for i, q in enumerate(QUESTIONS[number], start=1)]
    assert reader.page_labels == [str(n) for n in range(1, len(reader.pages) + 1)]
    meta = reader.metadata
    expected = f"{TITLES[number]} \u2014 Winter Shelter Questions"
    assert (meta.title, meta.author, meta.subject, meta.keywords) == (
        expected, "Dana Reyes", "A short guide for volunteers", "Community services")
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    with pikepdf.open(built / FILES[number]) as pdf:
        xmp = pdf.open_metadata()
        assert (xmp["pdfaid:part"], xmp["pdfaid:conformance"], xmp["pdfuaid:part"]) == \
            ("3", "U", "1")
        assert xmp["dc:title"] == expected


def _links(reader: PdfReader) -> list[dict]:
    return [a.get_object() for page in reader.pages for a in page.get("/Annots", [])
            if a.get_object().get("/Subtype") == "/Link"]


def test_references_to_other_sections_print_their_numbers_but_are_no_links(built: Path) -> None:
    text = " ".join(" ".join(page_texts(_reader(built, 2))).split())
    assert "Doors open again at the opening time (see 1.1); in spring, see closing (see 3)." \
        in text
    links = _links(_reader(built, 2))
    assert [link["/A"].get("/URI") for link in links] == ["https://example.org/overflow"]
    # Within its own section a reference is still a link.
    internal = [link for link in _links(_reader(built, 1)) if "/Dest" in link
                or link.get("/A", {}).get("/S") == "/GoTo"]
    assert len(internal) == 1
    # ... and on paper it says the page, numbered within the section's own file.
    assert "see the opening time (see 1.1, page 1) for when" in " ".join(
        " ".join(page_texts(_reader(built, 1))).split())


def test_the_format_list_offers_sections() -> None:
    assert parse_formats("pdf,sections") == ("pdf", "sections")
    assert "sections" in parse_formats("all")


def test_a_flat_briefing_has_no_section_files_and_says_why(tmp_path: Path, capsys) -> None:
    source = tmp_path / "flat.yaml"
    source.write_text("title: T\nquestions:\n  - question: Why?\n"
                      "    answer: Because every answer needs at least ten words to pass.\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(source), "--out", str(out), "--format", "sections"]) == 0
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{source}:3:3: warning: no per-section files: the briefing has no sections "
        "(its questions are all in flat.pdf)")
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST]


def test_files_of_renamed_or_removed_sections_are_removed_and_nothing_else(
        tmp_path: Path, capsys) -> None:
    source = tmp_path / f"{NAME}.yaml"
    source.write_text(SOURCE, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(source), "--out", str(out), "--format", "sections"]) == 0
    mine = out / NAME / "notes.txt"  # the user's own file, never written by a build
    mine.write_text("keep me", encoding="utf-8")
    capsys.readouterr()

    renamed = SOURCE.replace("During the night", "Overnight").replace(
        "in spring, see [closing](#closing)", "in spring, it closes")
    source.write_text(renamed[:renamed.index("  - title: Closing in spring")], encoding="utf-8")
    # A build without the sections output leaves the section files alone ...
    assert main(["build", str(source), "--out", str(out), "--format", "pdf"]) == 0
    assert "removed" not in capsys.readouterr().out
    assert (out / FILES[2]).is_file()
    touched = out / FILES[3]  # a file someone changed since it was built
    touched.write_bytes(touched.read_bytes() + b"\n")
    # A failed build in between forgets nothing of what was written ...
    source.write_text(renamed.replace("title: Winter Shelter Questions", "title: ''"),
                      encoding="utf-8")
    assert main(["build", str(source), "--out", str(out), "--format", "sections"]) == 1
    source.write_text(renamed[:renamed.index("  - title: Closing in spring")], encoding="utf-8")
    # ... and the next build of it removes the files it made and no longer makes.
    assert main(["build", str(source), "--out", str(out), "--format", "sections"]) == 0
    printed = capsys.readouterr().out
    assert f"removed {out / FILES[2]} (its source no longer makes it)" in printed
    assert sorted(p.relative_to(out).as_posix() for p in (out / NAME).iterdir()) == sorted(
        [FILES[1], f"{NAME}/2-overnight.pdf", FILES[3], f"{NAME}/notes.txt"])
    assert mine.read_text(encoding="utf-8") == "keep me"


def test_a_manifest_naming_files_outside_the_output_folder_removes_nothing(
        tmp_path: Path) -> None:
    source = tmp_path / f"{NAME}.yaml"
    source.write_text(SOURCE, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(source), "--out", str(out), "--format", "sections"]) == 0
    victims = [tmp_path / "victim.txt", tmp_path / "elsewhere" / "victim.txt"]
    victims[1].parent.mkdir()
    for victim in victims:
        victim.write_text("precious", encoding="utf-8")
    (out / "link").symlink_to(victims[1].parent)
    (out / NAME / "evil.pdf").symlink_to(victims[0])
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    (entry,) = manifest.values()
    for name in ("../victim.txt", str(victims[0]), "link/victim.txt", f"{NAME}/evil.pdf"):
        stat = os.lstat(out / name)  # as if the build had written them as they are
        entry["outputs"][name] = [stat.st_size, stat.st_mtime_ns]
        entry["formats"][name] = "sections"
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    source.write_text(SOURCE.replace("Sample text", "Other text"), encoding="utf-8")
    assert main(["build", str(source), "--out", str(out), "--format", "sections"]) == 0
    assert [v.read_text(encoding="utf-8") for v in victims] == ["precious", "precious"]
    assert (out / NAME / "evil.pdf").is_symlink()
