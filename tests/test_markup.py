"""Markdown to HTML: source text never becomes markup, and lists keep their numbers in print."""

from __future__ import annotations

from briefing.markup import to_html


def test_an_ordered_list_keeps_its_first_number_in_print() -> None:
    # WeasyPrint ignores ``start``; the list-item counter is what numbers the PDF's list.
    assert to_html("3. Third.\n4. Fourth.\n") == (
        '<ol start="3" style="counter-reset: list-item 2">\n'
        "<li>Third.</li>\n<li>Fourth.</li>\n</ol>\n"
    )
    assert to_html("0. Zero.\n").startswith('<ol start="0" style="counter-reset: list-item -1">')


def test_a_list_from_one_is_left_alone() -> None:
    assert to_html("1. One.\n2. Two.\n") == "<ol>\n<li>One.</li>\n<li>Two.</li>\n</ol>\n"


def test_raw_html_and_other_links_are_text() -> None:
    assert to_html("<b>x</b> [y](javascript:alert(1))") == (
        "<p>&lt;b&gt;x&lt;/b&gt; [y](javascript:alert(1))</p>\n")
