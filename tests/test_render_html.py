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


@pytest.mark.parametrize(("name", "text", "line", "render"), [
    ("_cover.html.j2", "<header>\n{{ b.title }}\n{{ b.no_such_field }}\n</header>\n", 3,
     render_screen),
    ("_body.html.j2", "<main>\n{{ labels.nope }}</main>\n", 2, render_body),
])
def test_undefined_variables_are_errors_at_their_template_line(
    tmp_path: Path, name: str, text: str, line: int, render
) -> None:
    """The template that is included, not the one that was asked for, and its line."""
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(RenderError) as caught:
        render(load(DATA / "flat-es.yaml"), Options(style_dirs=(tmp_path,)))
    assert str(caught.value).startswith(f"{tmp_path / name}:{line}: error: ")
    assert "has no attribute" in str(caught.value)


def test_very_long_runs_get_break_opportunities_and_nothing_else_changes() -> None:
    from briefing.render_html import LONG_RUN, RUN_STEP, breakable

    long = "x" * (LONG_RUN + 5)
    html = (f'<p title="{long}">{long} short words &amp; {"&amp;" * LONG_RUN}</p>'
            f"<style>{long}</style><title>{long}</title>")
    done = breakable(html)
    unbroken = '<span style="hyphens: manual">'
    assert done.replace("<wbr>", "").replace(unbroken, "").replace("</span>", "") == html
    assert done.count(unbroken) == 2
    assert done.count("<wbr>") == (LONG_RUN + 5 - 1) // RUN_STEP + (LONG_RUN - 1) // RUN_STEP
    assert f'<p title="{long}">' in done and f"<style>{long}</style>" in done
    assert "&am<wbr>" not in done and "&<wbr>" not in done
    assert breakable("<p>" + "y" * (LONG_RUN - 1) + "</p>") == "<p>" + "y" * (LONG_RUN - 1) + "</p>"


def test_a_very_long_word_prints_and_copies_whole(tmp_path: Path) -> None:
    from pypdf import PdfReader

    from briefing.build import build

    word = "".join(chr(ord("a") + i % 26) for i in range(3000))
    source = tmp_path / "w.yaml"
    source.write_text(f"title: T\nquestions:\n  - question: Q?\n    answer: |\n      Start "
                      f"{word} end, in ten words or more here.\n", encoding="utf-8")
    (outcome,) = build([source], tmp_path / "out", Options(), ("pdf",))
    assert outcome.ok, outcome.error
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "out" / "w.pdf").pages)
    assert word in text.replace("\n", "")


def test_a_style_file_that_cannot_be_read_is_one_line(tmp_path: Path, monkeypatch) -> None:
    import errno

    import jinja2.loaders

    (tmp_path / "common.css").write_text("/* house */\n", encoding="utf-8")
    def refuse(filename: str, *args, **kwargs):  # the loader's open(), as a locked file has it
        if str(filename).endswith("common.css") and str(tmp_path) in str(filename):
            raise PermissionError(errno.EACCES, "Permission denied", filename)
        return open(filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.loaders, "open", refuse, raising=False)
    with pytest.raises(RenderError) as caught:
        render_screen(load(DATA / "flat-es.yaml"), Options(style_dirs=(tmp_path,)))
    assert str(caught.value) == f"{tmp_path / 'common.css'}: error: cannot read: Permission denied"


def test_addresses_break_only_after_separators_and_keep_their_entities() -> None:
    from briefing.render_html import breakable

    html = "<p>See &lt;http://x.org&gt; or https://a.org/b-c?d=1&amp;e=2, then stop.</p>"
    done = breakable(html)
    unbroken = '<span style="hyphens: manual">'
    assert done.replace("<wbr>", "").replace(unbroken, "").replace("</span>", "") == html
    assert f"{unbroken}http://<wbr>x.<wbr>org</span>&gt;" in done
    assert (f"{unbroken}https://<wbr>a.<wbr>org/<wbr>b-<wbr>c?<wbr>d=<wbr>1&amp;<wbr>e=<wbr>2"
            "</span>, then") in done


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


def test_the_markdown_filter_on_plain_text_is_an_error_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "_cover.html.j2").write_text("<header>\n{{ b.title | markdown }}\n</header>\n",
                                             encoding="utf-8")
    with pytest.raises(RenderError) as caught:
        render_screen(load(DATA / "flat-es.yaml"), Options(style_dirs=(tmp_path,)))
    assert str(caught.value) == (
        f"{tmp_path / '_cover.html.j2'}:2: error: the markdown filter takes a Markdown field "
        "(b.notice, q.answer, ...), not str")
