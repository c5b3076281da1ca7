"""Importing a Markdown FAQ copies the images it names beside the source, which then builds them."""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from conftest import Built, build_once
from PIL import Image
from pypdf import PdfReader

from briefing.cli import main
from briefing.importer import import_text
from briefing.readers.markdown import read_markdown

#: A Markdown FAQ whose answer shows an image from a subfolder, its name percent-encoded.
CLEAN = """# Flood help

## Where is the shelter?

The shelter is marked on the map below.

![Map of the shelter](img/shelter%20map.png)
"""

#: Every image that cannot be copied, and one without alternative text, in question 2.
MIXED = """# Flood help

## Where is the shelter?

![Map of the shelter](img/map.png)

## What else should I know?

![](img/map.png) and ![Up](../outside/secret.png)
and ![Link](link.png) and ![Gone](img/none.png)
and ![Remote](https://example.org/a.png)
"""


def _png(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 30), colour).save(buffer, "PNG")
    return buffer.getvalue()


MAP = _png((200, 40, 40))
SECRET = _png((10, 10, 10))


def _faq(folder: Path, text: str) -> Path:
    """A Markdown FAQ in ``folder/faq`` with img/map.png and img/shelter map.png beside it,
    and a symlink ``link.png`` to a file in ``folder/outside``."""
    (folder / "faq" / "img").mkdir(parents=True)
    (folder / "outside").mkdir()
    (folder / "faq" / "img" / "map.png").write_bytes(MAP)
    (folder / "faq" / "img" / "shelter map.png").write_bytes(MAP)
    (folder / "outside" / "secret.png").write_bytes(SECRET)
    (folder / "faq" / "link.png").symlink_to(Path("..") / "outside" / "secret.png")
    faq = folder / "faq" / "faq.md"
    faq.write_text(text, encoding="utf-8")
    return faq


@dataclass(frozen=True)
class Imported:
    """A clean FAQ imported into ``source``, what the command said, and its build."""

    source: Path
    out: str
    built: Built


@pytest.fixture(scope="session")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Imported:
    """CLEAN imported with --out into a fresh folder, then built as PDF and HTML."""
    folder = tmp_path_factory.mktemp("import-images")
    faq = _faq(folder, CLEAN)
    source = folder / "source"
    source.mkdir()
    said = io.StringIO()
    with contextlib.redirect_stdout(said):
        assert main(["import", str(faq), "--out", str(source)]) == 0
    built = build_once(source / "flood-help.yaml", folder / "out", formats=("pdf", "html"))
    return Imported(source, said.getvalue(), built)


def test_the_image_is_copied_at_the_same_relative_path(imported: Imported) -> None:
    copy = imported.source / "img" / "shelter map.png"
    assert imported.out == (
        f"wrote {imported.source / 'flood-help.yaml'}: 1 question, read as markdown "
        f"(from the name .md), language en (guessed from the questions)\ncopied {copy}\n")
    assert copy.read_bytes() == MAP
    assert sorted(p.relative_to(imported.source).as_posix()
                  for p in imported.source.rglob("*")) == [
        "flood-help.yaml", "img", "img/shelter map.png"]
    # the answer is word for word: the image line as the Markdown file has it
    assert "      ![Map of the shelter](img/shelter%20map.png)\n" in (
        imported.source / "flood-help.yaml").read_text(encoding="utf-8")


def test_the_built_pdf_and_html_show_the_image(imported: Imported) -> None:
    drawn = []  # (page, width, height) of every image a page's content draws
    with pikepdf.open(imported.built.pdf_path) as pdf:
        for number, page in enumerate(pdf.pages):
            xobjects = page.Resources.get("/XObject") or {}
            for operands, _ in pikepdf.parse_content_stream(page, "Do"):
                image = xobjects[operands[0]]
                if image.get("/Subtype") == "/Image":
                    drawn.append((number, int(image.Width), int(image.Height)))
    (page, *size), = drawn
    assert size == [60, 30]
    text = PdfReader(imported.built.pdf_path).pages[page].extract_text()
    assert "The shelter is marked on the map below." in " ".join(text.split())
    html = imported.built.html_path.read_text(encoding="utf-8")
    (src,) = re.findall(r'<img src="([^"]+)" alt="Map of the shelter"', html)
    assert (imported.built.html_path.parent / src.replace("%20", " ")).read_bytes() == MAP


def test_images_that_are_not_copied_say_why(tmp_path: Path,
                                            capsys: pytest.CaptureFixture) -> None:
    faq = _faq(tmp_path, MIXED)
    source = tmp_path / "source"
    source.mkdir()
    assert main(["import", str(faq), "--out", str(source)]) == 0
    where = "in the answer to question 2"
    assert capsys.readouterr().err.splitlines() == [
        f"{faq}:9: warning: the image 'img/map.png' {where} has no alternative text, which "
        "the build requires: describe it between the brackets, or write ![-](...) if it "
        "only decorates",
        f"{faq}:9: warning: the image '../outside/secret.png' {where} is not copied: it is "
        "printed as text, as images must be http(s) addresses or paths inside the source's "
        "folder",
        f"{faq}:10: warning: the image 'link.png' {where} is not copied: it leads out of the "
        "folder of faq.md",
        f"{faq}:10: warning: the image 'img/none.png' {where} is not copied: there is no file "
        "'img/none.png' beside faq.md; the build would show only its alternative text",
        f"{faq}:11: warning: the image 'https://example.org/a.png' {where} is not copied: an "
        "http(s) address is fetched by the build, and only with --allow-remote",
    ]
    assert sorted(p.relative_to(source).as_posix() for p in source.rglob("*")) == [
        "flood-help.yaml", "img", "img/map.png"]
    assert (source / "img" / "map.png").read_bytes() == MAP
    assert SECRET not in [p.read_bytes() for p in tmp_path.rglob("*.png")
                          if "outside" not in p.parts and not p.is_symlink()]


def test_text_from_standard_input_copies_nothing(tmp_path: Path) -> None:
    imported = import_text(CLEAN, "<stdin>", tmp_path)
    assert [str(d) for d in imported.diagnostics] == [
        "<stdin>:7: warning: the image 'img/shelter map.png' in the answer to question 1 is "
        "not copied: the text was not read from a file; put 'img/shelter map.png' beside the "
        "written source"]
    assert imported.copied == ()
    assert [p.name for p in tmp_path.iterdir()] == ["flood-help.yaml"]


def test_the_reader_lists_the_files_it_found(tmp_path: Path) -> None:
    faq = _faq(tmp_path, MIXED)
    reading = read_markdown(MIXED, str(faq), folder=faq.parent)
    assert reading.files == (("img/map.png", (faq.parent / "img" / "map.png").resolve()),)


def test_a_different_file_where_the_image_goes_is_refused_first(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    faq = _faq(tmp_path, CLEAN)
    source = tmp_path / "source"
    (source / "img").mkdir(parents=True)
    there = source / "img" / "shelter map.png"
    there.write_bytes(SECRET)
    assert main(["import", str(faq), "--out", str(source)]) == 1
    assert capsys.readouterr() == (
        "", f"{there}: error: already exists; use --force to replace it\n")
    assert sorted(p.name for p in source.rglob("*")) == ["img", "shelter map.png"]
    assert there.read_bytes() == SECRET
    assert main(["import", str(faq), "--out", str(source), "--force"]) == 0
    assert there.read_bytes() == MAP
    assert capsys.readouterr().out.endswith(f"\ncopied {there}\n")


def test_the_same_file_where_the_image_goes_is_kept(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    faq = _faq(tmp_path, CLEAN)
    source = tmp_path / "source"
    (source / "img").mkdir(parents=True)
    there = source / "img" / "shelter map.png"
    there.write_bytes(MAP)
    before = there.stat().st_mtime_ns
    assert main(["import", str(faq), "--out", str(source)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"wrote {source / 'flood-help.yaml'}: ") and "copied" not in out
    assert there.stat().st_mtime_ns == before
