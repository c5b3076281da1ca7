"""The HTML writer: golden output, style-folder overrides, template errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import DATA

from briefing.errors import RenderError
from briefing.load import load
from briefing.options import STYLES, Options
from briefing.render_html import render_body, render_screen

GOLDEN = Path(__file__).resolve().parent / "golden"


_STYLE = re.compile(r"<style>\n.*?</style>", re.DOTALL)
#: What stands for the inlined fonts and stylesheets, which change on their own schedule.
STYLE_PLACEHOLDER = "<style>\n/* fonts, common.css, screen.css: not compared */\n</style>"


def comparable(html: str) -> str:
    """The whole document, head included, with the one <style> element's text left out."""
    assert len(_STYLE.findall(html)) == 1, "one <style> element, in the head"
    return _STYLE.sub(STYLE_PLACEHOLDER, html)


@pytest.mark.parametrize("name", ["flat-es", "sectioned-en"])
def test_screen_html_matches_golden(name: str, update_golden: bool) -> None:
    """The document markup; refresh with `pytest --update-golden` and review the diff."""
    html = comparable(render_screen(load(DATA / f"{name}.yaml"), Options()))
    golden = GOLDEN / f"{name}.html"
    if update_golden:
        before = golden.read_text(encoding="utf-8") if golden.exists() else None
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(html, encoding="utf-8")
        # An update run compares nothing: it must never pass as if it had.
        pytest.skip(f"golden {golden.name} {'unchanged' if before == html else 'UPDATED'}: "
                    "review `git diff tests/golden` and run the tests again")
    assert html == golden.read_text(encoding="utf-8")


def test_the_golden_documents_hold_the_head_and_the_sections() -> None:
    """What the golden files must show, read from the sources they are made from."""
    flat = (GOLDEN / "flat-es.html").read_text(encoding="utf-8")
    sectioned = (GOLDEN / "sectioned-en.html").read_text(encoding="utf-8")
    assert flat.startswith('<!DOCTYPE html>\n<html lang="es">\n<head>\n')
    assert "<title>Preguntas frecuentes sobre el padrón municipal</title>" in flat
    assert sectioned.startswith('<!DOCTYPE html>\n<html lang="en">\n<head>\n')
    for expected in (
        "<title>Winter Shelter Questions</title>",
        '<meta name="author" content="Dana Reyes">',
        '<meta name="description" content="A short guide for volunteers">',
        '<meta name="keywords" content="Community services">',
        '<meta name="dcterms.created" content="2026-01-15">',
        STYLE_PLACEHOLDER,
        '<section class="section" id="opening">',
        '<article class="question" id="opening-time">',
        "What happens before the doors open.",
        "This guide collects the questions volunteers ask most.",
        "Sample text for tests; <em>not</em> official guidance.",
        "https://example.org/schedule?year=2026&amp;lang=en",
        "<li>Volunteer handbook, chapter 2</li>",
        "During the night",
        '<a href="#opening-time">the opening time</a>',
    ):
        assert expected in sectioned, expected


def test_a_style_folder_overrides_one_file(tmp_path: Path) -> None:
    (tmp_path / "common.css").write_text("/* house style */ h2 { color: red; }\n")
    html = render_body(load(DATA / "flat-es.yaml"), Options(style_dirs=(tmp_path,)))
    assert "/* house style */" in html
    assert (STYLES / "common.css").read_text(encoding="utf-8").strip() not in html  # replaced
    assert (STYLES / "print.css").read_text(encoding="utf-8").strip() in html  # still there


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


def test_screen_html_starts_with_a_skip_link_to_main_and_uses_landmarks() -> None:
    source = DATA / "flat-es.yaml"
    html = render_screen(load(source), Options())
    language = re.search(r"^language: (\S+)$", source.read_text(encoding="utf-8"), re.M)[1]
    assert f'<html lang="{language}">' in html
    body = html[html.index("<body"):]
    first_link = re.search(r'<a [^>]*href="#([^"]+)"[^>]*>', body)
    assert 'class="skip-link"' in first_link[0]
    assert re.search(rf'<main [^>]*id="{first_link[1]}"', body)
    assert "<header " in body and "<nav " in body
    assert "<aside class=\"notice\"" not in body  # a complementary landmark inside the banner
