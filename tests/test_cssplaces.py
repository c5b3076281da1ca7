"""A stylesheet's warnings name the style file, line and column the user wrote, once."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import DATA, ROOT
from pypdf import PdfReader
from pypdf.generic import StreamObject

from briefing.cli import main
from briefing.cssplaces import place

#: A custom.css with three mistakes, each on a line of its own, two of them indented.
CUSTOM = (".question { colr: red; }\n"
          "h2 { font-size: 12px }\n"
          "\n"
          "/* spacing */\n"
          ".answer {\n"
          "  margin: 1em 2em 3em 4em 5em;\n"
          "}\n"
          "p { color: nocolour; }\n")
#: What WeasyPrint says about each mistake, after the place.
SAID = {"colr: red": "unknown property",
        "margin: 1em 2em 3em 4em 5em": "Expected 1 to 4 tokens, got 5",
        "color: nocolour": "invalid value"}


def where(text: str, needle: str) -> tuple[int, int]:
    """The 1-based line and column where ``needle`` first appears in ``text``."""
    (line, found), = [(n, s) for n, s in enumerate(text.split("\n"), 1) if needle in s][:1]
    return line, found.index(needle) + 1


@dataclass
class Run:
    """One command line run: its exit code, its standard error, and the folder it ran in."""

    code: int
    err: list[str]
    folder: Path


def run(folder: Path, *args: str) -> Run:
    """Run the command line in ``folder``, catching what it says on standard error."""
    err = io.StringIO()
    before = Path.cwd()
    os.chdir(folder)
    try:
        with contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(before)
    return Run(code, err.getvalue().splitlines(), folder)


@pytest.fixture(scope="module")
def house(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The sectioned briefing built as a PDF, a booklet and HTML with a faulty custom.css."""
    folder = tmp_path_factory.mktemp("house")
    (folder / "house").mkdir()
    (folder / "house" / "custom.css").write_text(CUSTOM, encoding="utf-8")
    shutil.copy(DATA / "sectioned-en.yaml", folder / "x.yaml")
    return run(folder, "build", "x.yaml", "--out", "out", "--style", "house",
               "--format", "pdf,booklet,html")


def test_each_mistake_is_said_once_at_its_line_and_column_in_custom_css(house: Run) -> None:
    expected = [f"house/custom.css:{line}:{column}: warning: Ignored `{text}`: {why}."
                for text, why in SAID.items() for line, column in [where(CUSTOM, text)]]
    said = [line for line in house.err if "warning" in line]
    assert said == expected, house.err
    assert house.code == 0


def test_no_path_of_the_machine_is_in_any_output(house: Run) -> None:
    machine = [str(house.folder).encode(), str(ROOT).encode(), str(Path.home()).encode()]
    outputs = [p for p in (house.folder / "out").rglob("*") if p.is_file()
               and not p.name.startswith(".briefing")]
    assert {p.suffix for p in outputs} >= {".pdf", ".html"}
    for output in outputs:
        texts = [output.read_bytes()]
        if output.suffix == ".pdf":  # and every stream, uncompressed
            reader = PdfReader(output)
            numbers = set(reader.xref_objStm).union(*map(set, reader.xref.values()))
            texts += [item.get_data() for number in sorted(numbers)
                      if isinstance(item := reader.get_object(number), StreamObject)]
        for text in texts:
            assert not any(path in text for path in machine), output


def test_the_marks_in_the_html_are_small(house: Run) -> None:
    html = (house.folder / "out" / "x.html").read_text(encoding="utf-8")
    marks = html.count("/*@ ")
    # variables, common, screen, custom: a start and an end each.
    assert marks == 8, marks
    assert "/*@ 0 custom.css */.question { colr: red; }" in html


@pytest.mark.expect_log(r"^Ignored `(colr|margin|color):")
def test_strict_fails_on_a_stylesheet_warning_and_writes_nothing(house: Run,
                                                                 tmp_path: Path) -> None:
    # Another folder name: the renderer keeps its templates per style path, per process.
    shutil.copytree(house.folder / "house", tmp_path / "strict")
    shutil.copy(house.folder / "x.yaml", tmp_path / "x.yaml")
    strict = run(tmp_path, "build", "x.yaml", "--out", "out", "--style", "strict",
                 "--format", "pdf", "--strict")
    assert strict.code == 1, strict.err
    line, column = where(CUSTOM, "colr: red")
    assert f"strict/custom.css:{line}:{column}: warning: Ignored `colr: red`: " \
        "unknown property." in strict.err, strict.err
    assert not (tmp_path / "out" / "x.pdf").exists()


@pytest.mark.expect_log(r"^Ignored `colr: blue`")
def test_a_mistake_in_css_a_template_generates_names_the_source(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    body = (ROOT / "styles" / "body.html.j2").read_text(encoding="utf-8")
    (tmp_path / "templates" / "body.html.j2").write_text(
        body.replace("@page { size: {{ paper }}; }",
                     "@page { size: {{ paper }}; }\nh1 { colr: blue; }"), encoding="utf-8")
    shutil.copy(DATA / "sectioned-en.yaml", tmp_path / "x.yaml")
    said = run(tmp_path, "build", "x.yaml", "--out", "out", "--style", "templates",
               "--format", "pdf")
    warnings = [line for line in said.err if "warning" in line]
    assert warnings == ["x.yaml: warning: Ignored `colr: blue`: unknown property."], said.err


def test_a_place_is_read_back_from_the_marks() -> None:
    text = "a {}\n/*@ 2 x.css */b {}\n  c {}/*@ end */\nd {}\n"
    assert place(text, 2, 15) == place(text, 2, 15)
    found = place(text, 2, 15)
    assert (found.folder, found.name, found.line, found.column) == (2, "x.css", 1, 1)
    found = place(text, 3, 3)
    assert (found.line, found.column) == (2, 3)
    assert place(text, 1, 1) is None
    assert place(text, 4, 1) is None
