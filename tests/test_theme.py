"""Themes are layers: a custom.css changes the theme's custom properties in both outputs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT, Built, build_once
from pdfgeom import painted
from test_render_pdf import assert_contents_numbers_are_right

from briefing.load import load

#: Three lines that give the briefing another accent colour.
CUSTOM = ":root {\n  --accent: #8a1c1c;\n}\n"
NEW = (round(0x8A / 255, 3), round(0x1C / 255, 3), round(0x1C / 255, 3))


def _hex(css: str, name: str) -> tuple[float, float, float]:
    value = re.search(rf"(?m)^\s*{name}:\s*#([0-9a-f]{{6}})", css)[1]
    return tuple(round(int(value[i:i + 2], 16) / 255, 3) for i in (0, 2, 4))


VARIABLES = (ROOT / "styles" / "variables.css").read_text(encoding="utf-8")
OLD = _hex(VARIABLES, "--accent")
#: The page margins of variables.css, in points: the cover's top, and the body's top.
COVER_TOP = float(re.search(r"--cover-margin:\s*([\d.]+)in", VARIABLES)[1]) * 72
BODY_TOP = float(re.search(r"--page-margin:\s*([\d.]+)in", VARIABLES)[1]) * 72


@pytest.fixture(scope="module")
def restyled(tmp_path_factory: pytest.TempPathFactory) -> Built:
    style = tmp_path_factory.mktemp("house-style")
    (style / "custom.css").write_text(CUSTOM, encoding="utf-8")
    return build_once(EXAMPLE, tmp_path_factory.mktemp("restyled"), style_dirs=(style,))


def _accents(built: Built, colour: tuple[float, float, float]) -> dict[str, bool]:
    """Whether the cover rule, the running head and the heading numbers are in ``colour``."""
    cover, body = painted(built.reader.pages[0]), painted(built.reader.pages[2])
    return {
        "cover rule": any(p.kind == "fill" and p.rgb == colour and abs(p.y - COVER_TOP) < 1
                          for p in cover),
        "running head": any(p.kind == "text" and p.rgb == colour and p.y < BODY_TOP
                            for p in body),
        "numbers": any(p.kind == "text" and p.rgb == colour and p.y > BODY_TOP
                       and abs(p.x - 72) < 0.5 for p in body),
    }


def test_a_three_line_custom_css_recolours_the_accent(restyled: Built, example: Built) -> None:
    everywhere = {"cover rule": True, "running head": True, "numbers": True}
    assert _accents(example, OLD) == everywhere, "the default build uses the default accent"
    assert _accents(restyled, NEW) == everywhere
    assert all(OLD not in {p.rgb for p in painted(page)} for page in restyled.reader.pages)
    assert_contents_numbers_are_right(restyled.reader, load(EXAMPLE))


def test_the_html_version_gets_the_layer_after_the_theme(restyled: Built) -> None:
    html = restyled.html
    assert html.index("--accent: #8a1c1c") > html.index(".page { max-width: var(--measure)")


def test_layers_stack_with_the_first_style_folder_last(tmp_path: Path) -> None:
    from briefing.options import Options
    from briefing.render_html import render_screen

    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        folder.mkdir()
        (folder / "custom.css").write_text(f"/* {folder.name} */\n", encoding="utf-8")
    html = render_screen(load(EXAMPLE), Options(style_dirs=(first, second)))
    assert html.index("/* second */") < html.index("/* first */")


def test_a_relative_style_folder_is_the_one_in_the_working_folder(tmp_path: Path,
                                                                  monkeypatch) -> None:
    from briefing.options import Options
    from briefing.render_html import render_screen

    for project in ("one", "two"):
        (tmp_path / project / "house").mkdir(parents=True)
        (tmp_path / project / "house" / "custom.css").write_text(
            f"/* house of {project} */\n", encoding="utf-8")
    for project in ("one", "two"):
        monkeypatch.chdir(tmp_path / project)
        html = render_screen(load(EXAMPLE), Options(style_dirs=(Path("house"),)))
        assert f"/* house of {project} */" in html


def _style_with_files(folder: Path) -> Path:
    """A style folder whose cover template and custom.css use files of their own folder."""
    from conftest import PIXEL

    from briefing.options import STYLES

    folder.mkdir()
    (folder / "logo.png").write_bytes(PIXEL)
    (folder / "img").mkdir()
    (folder / "img" / "band.png").write_bytes(PIXEL)
    cover = (STYLES / "_cover.html.j2").read_text(encoding="utf-8")
    (folder / "_cover.html.j2").write_text(
        cover.replace('<div class="cover-top">',
                      '<div class="cover-top"><img class="logo" src="logo.png" alt="Logo">'),
        encoding="utf-8")
    (folder / "custom.css").write_text(
        ".logo { width: 1in; }\n.notice { background: url('img/band.png'); }\n",
        encoding="utf-8")
    return folder


def test_a_style_folder_owns_the_files_it_names(tmp_path: Path) -> None:
    from conftest import DATA, PIXEL
    from pypdf import PdfReader

    from briefing.build import build
    from briefing.options import Options

    style = _style_with_files(tmp_path / "style")
    source = tmp_path / "sources" / "s.yaml"  # nowhere near the style folder
    source.parent.mkdir()
    source.write_text((DATA / "flat-es.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    (outcome,) = build([source], out, Options(style_dirs=(style,)))
    assert outcome.ok and outcome.diagnostics == [], outcome.error or outcome.diagnostics
    cover = PdfReader(out / "s.pdf").pages[0]
    images = [x.get_object() for x in cover["/Resources"]["/XObject"].values()]
    assert [(i["/Width"], i["/Height"]) for i in images if i["/Subtype"] == "/Image"] == [(2, 2)]
    html = (out / "s.html").read_text(encoding="utf-8")
    assert '<img class="logo" src="s-files/style-0/logo.png" alt="Logo">' in html
    assert "url(\"s-files/style-0/img/band.png\")" in html and "file:" not in html
    assert (out / "s-files" / "style-0" / "logo.png").read_bytes() == PIXEL
    assert (out / "s-files" / "style-0" / "img" / "band.png").read_bytes() == PIXEL


@pytest.mark.parametrize("url", ["../secret.png", "img/../../secret.png"])
def test_a_style_file_cannot_reach_outside_its_folder(tmp_path: Path, url: str) -> None:
    from conftest import DATA

    from briefing.build import build
    from briefing.options import Options

    style = tmp_path / "style"
    style.mkdir()
    (tmp_path / "secret.png").write_bytes(b"not for the output")
    (style / "custom.css").write_text(f"h1 {{ color: red; }}\n.x {{ background: url({url}); }}\n",
                                      encoding="utf-8")
    out = tmp_path / "out"
    (outcome,) = build([DATA / "flat-es.yaml"], out, Options(style_dirs=(style,)), ("html",))
    assert str(outcome.error) == (
        f"{style / 'custom.css'}:2: error: '{url}' is outside the style folder {style}; "
        "a style file may only use files of its own folder")
    assert not out.exists() or not list(out.rglob("*.png"))
