"""Plain lines as Markdown: addresses become links printed as written; '1)' lists stay lists."""

from __future__ import annotations

import re

import pytest
from faqwords import html_text

from briefing.markup import to_html
from briefing.readers.plain import escape, to_markdown


def _links(html: str) -> list[tuple[str, str]]:
    return [(text, href) for href, text in re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', html)]


@pytest.mark.parametrize(("line", "links"), [
    ("See https://x.org/a_b*c.", [("https://x.org/a_b*c", "https://x.org/a_b*c")]),
    ("(at https://x.org/wiki/A_(b)) and more", [
        ("https://x.org/wiki/A_(b)", "https://x.org/wiki/A_(b)")]),
    ("Visit www.example.org, or write to help@example.org.", [
        ("www.example.org", "http://www.example.org"),
        ("help@example.org", "mailto:help@example.org")]),
    ("https://x.org/a%20b?q=1&r=2#top", [
        ("https://x.org/a%20b?q=1&amp;r=2#top", "https://x.org/a%20b?q=1&amp;r=2#top")]),
    ("- http://x.org/~me starts a line", [("http://x.org/~me", "http://x.org/~me")]),
    ("Node.js and example.org and ftp://x.org stay text", []),
])
def test_addresses_become_links_printed_exactly(line: str, links: list) -> None:
    html = to_html(escape(line))
    assert _links(html) == links
    assert html_text(html)[0].split() == line.split()


def test_lists_keep_their_delimiter_and_start() -> None:
    lines = ["Steps:", "3) Third.", "4) Fourth.", "Then:", "1. One.", "2) Not the same list."]
    markdown = to_markdown(lines)
    assert markdown == ("Steps:\n\n3) Third.\n4) Fourth.\n\nThen:\n\n1. One.\n\n"
                        "2) Not the same list.\n")
    html = to_html(markdown)
    assert html.count("<ol") == 3 and html.count('class="paren"') == 2
    assert html_text(html)[0].split() == " ".join(lines).split()
