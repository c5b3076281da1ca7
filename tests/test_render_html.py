"""The HTML writer: golden output, style-folder overrides, template errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DATA

from briefing.errors import RenderError
from briefing.load import load
from briefing.options import Options
from briefing.render_html import render_body, render_screen

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.mark.parametrize("name", ["flat-es"])
def test_screen_html_matches_golden(name: str, update_golden: bool) -> None:
    """The document markup; refresh with `pytest --update-golden` and review the diff."""
    html = render_screen(load(DATA / f"{name}.yaml"), Options())
    html = html[html.index("<body"):]  # the stylesheets change on their own schedule
    golden = GOLDEN / f"{name}.html"
    if update_golden:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(html, encoding="utf-8")
    assert html == golden.read_text(encoding="utf-8")


def test_a_style_folder_overrides_one_file(tmp_path: Path) -> None:
    (tmp_path / "common.css").write_text("/* house style */ h2 { color: red; }\n")
    html = render_body(load(DATA / "flat-es.yaml"), Options(style_dirs=(tmp_path,)))
    assert "/* house style */" in html
    assert "@page body" in html  # print.css still comes from styles/


def test_template_errors_name_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "_cover.html.j2").write_text("<header>\n{% if %}\n</header>\n")
    with pytest.raises(RenderError) as caught:
        render_screen(load(DATA / "flat-es.yaml"), Options(style_dirs=(tmp_path,)))
    assert str(caught.value).startswith(f"{tmp_path / '_cover.html.j2'}:2: error: ")


def test_undefined_variables_are_errors(tmp_path: Path) -> None:
    (tmp_path / "_cover.html.j2").write_text("<header>{{ b.no_such_field }}</header>\n")
    with pytest.raises(RenderError) as caught:
        render_screen(load(DATA / "flat-es.yaml"), Options(style_dirs=(tmp_path,)))
    assert "no_such_field" in str(caught.value)
