"""Characters no font can draw are reported before rendering, where they are written."""

from __future__ import annotations

import pytest

from briefing import glyphs
from briefing.build import check_sources
from briefing.glyphs import drawable, missing_glyphs, own_coverage, system_has
from briefing.load import parse

UNASSIGNED = "\u0378"  # no font maps a code point Unicode has not assigned


def warnings_for(text: str) -> list[str]:
    briefing, _ = parse(text, "s.yaml")
    return [str(d) for d in missing_glyphs(briefing)]


def test_the_shipped_faces_cover_latin_text() -> None:
    assert all(ord(c) in own_coverage() for c in "Aa¿¡ñéü€–—“”‘’")
    assert warnings_for("title: Año 2026 — “ok”\nquestions:\n  - question: ¿Q?\n    answer: A.\n") \
        == []


def test_fontconfig_is_asked_about_the_rest() -> None:
    assert system_has(ord("A")), "fontconfig knows at least one font with A"
    assert not system_has(ord(UNASSIGNED))


def test_invisible_characters_are_never_missing() -> None:
    assert all(drawable(c) for c in "\u200b\u200d\u00ad\ufe0f\u2028\u3000")


def test_each_line_with_undrawable_characters_is_reported_at_the_first() -> None:
    text = (f"title: T{UNASSIGNED}\nquestions:\n  - question: Q?\n    answer: |\n"
            f"      One {UNASSIGNED} two.\n      Fine line.\n")
    assert warnings_for(text) == [
        "s.yaml:1:9: warning: no available font can draw U+0378 '\u0378'; "
        "it would print as an empty box",
        "s.yaml:5:11: warning: no available font can draw U+0378 '\u0378'; "
        "it would print as an empty box",
    ]


def test_several_characters_on_a_line_are_named_together(monkeypatch) -> None:
    monkeypatch.setattr(glyphs, "system_has", lambda code: False)
    text = "title: T\nquestions:\n  - question: 😀 中文 字 x\n    answer: A.\n"
    assert warnings_for(text) == [
        "s.yaml:3:15: warning: no available font can draw U+1F600 '😀' (GRINNING FACE), "
        "U+4E2D '中' (CJK UNIFIED IDEOGRAPH-4E2D), U+6587 '文' (CJK UNIFIED IDEOGRAPH-6587) "
        "and 1 more; they would print as empty boxes",
    ]


def test_a_character_written_as_an_escape_is_placed_at_its_value() -> None:
    text = 'title: "T\\u0378"\nquestions:\n  - question: Q?\n    answer: A.\n'
    assert warnings_for(text) == [
        "s.yaml:1:8: warning: no available font can draw U+0378 '\u0378'; "
        "it would print as an empty box"]


def test_warnings_are_capped(monkeypatch) -> None:
    lines = "".join(f"      {UNASSIGNED}\n\n" for _ in range(30))
    text = f"title: T\nquestions:\n  - question: Q?\n    answer: |\n{lines}"
    found = warnings_for(text)
    assert len(found) == glyphs.MAX_WARNINGS + 1
    assert found[-1] == "s.yaml: warning: 10 more lines have characters no font can draw"


def test_without_fontconfig_only_the_shipped_faces_count(monkeypatch) -> None:
    monkeypatch.setattr(glyphs, "_fontconfig", lambda: None)
    glyphs.system_has.cache_clear()
    try:
        assert not system_has(ord("A")) and drawable("A") and not drawable("中")
    finally:
        glyphs.system_has.cache_clear()


@pytest.mark.parametrize("has_cjk", [True, False])
def test_cjk_text_is_reported_only_when_no_font_has_it(tmp_path, monkeypatch,
                                                       has_cjk: bool) -> None:
    """Both branches of test_render_pdf's CJK test, whatever fonts this machine has."""
    real = glyphs.system_has
    cjk = (range(0x3000, 0x3040), range(0x4E00, 0xA000), range(0xFF00, 0xFFF0))
    monkeypatch.setattr(glyphs, "system_has",
                        lambda code: has_cjk if any(code in r for r in cjk) else real(code))
    line = "    answer: In a Chinese text, 中文：你好。 says hello in the language it names."
    source = tmp_path / "s.yaml"
    source.write_text(f"title: T\nquestions:\n  - question: Q?\n{line}\n", encoding="utf-8")
    (outcome,) = check_sources([source])
    assert outcome.ok
    assert [str(d) for d in outcome.diagnostics] == ([] if has_cjk else [
        f"{source}:4:{line.index('中') + 1}: warning: no available font can draw "
        "U+4E2D '中' (CJK UNIFIED IDEOGRAPH-4E2D), U+6587 '文' (CJK UNIFIED IDEOGRAPH-6587), "
        "U+FF1A '：' (FULLWIDTH COLON) and 3 more; they would print as empty boxes"])
