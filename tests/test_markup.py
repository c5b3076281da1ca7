"""Markdown and templates: text from a source never becomes script, handlers or unsafe URLs."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import unquote

import pytest

from briefing.load import parse
from briefing.markup import parse as parse_markdown
from briefing.markup import to_html
from briefing.model import Location, Span
from briefing.options import Options
from briefing.render_html import render_body, render_screen

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript&#x3A;alert(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](java\nscript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](file:///etc/passwd)",
    "[x](//evil.example/x)",
    "<javascript:alert(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "[x][r]\n\n[r]: https://ok.example/ 'a\" onmouseover=\"alert(1)'",
    '[x](https://ok.example/ "t\\" onmouseover=\\"alert(1)")',
    '![x" onerror="alert(1)](map.png)',
    "![x](javascript:alert(1))",
    "![x](file:///etc/passwd)",
    "![x](../../etc/passwd)",
    "![x](%2e%2e/%2e%2e/etc/passwd)",
    "![x](/etc/passwd)",
    "![x](data:image/svg+xml,<svg onload=alert(1)>)",
    "![x](\\\\server\\share\\x.png)",
    "![x](..%2F..%2Fetc%2Fpasswd)",
    "![x](%2Fetc%2Fpasswd)",
    "![x](%5c%5cserver%5cshare%5cx.png)",
    "![x](img%5c..%5c..%5cx.png)",
    "![x](javascript%3Aalert(1))",
    "`<script>alert(1)</script>`",
    "```\n</code><script>alert(1)</script>\n```",
    "<!-- --><script>alert(1)</script>",
    "<style>body{background:url(file:///etc/passwd)}</style>",
    '<link rel="attachment" href="file:///etc/passwd">',
]
SAFE_SCHEMES = ("http:", "https:", "mailto:", "#")


class _Audit(HTMLParser):
    """Collect every element and attribute of an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend((name, value or "") for name, value in attrs)


def audit(html: str) -> _Audit:
    """The parsed elements and attributes of ``html``."""
    parser = _Audit()
    parser.feed(html)
    parser.close()
    return parser


def assert_inert(html: str, styles: int = 0) -> None:
    """No script, link or frame, only the template's styles; no handler; safe links and images."""
    found = audit(html)
    assert not {"script", "link", "iframe", "object", "embed"} & set(found.tags), html
    assert found.tags.count("style") == styles, html
    for name, value in found.attrs:
        assert not name.startswith("on"), html
        value = value.strip().lower()
        if name == "href":
            assert value.startswith(SAFE_SCHEMES), html
        if name == "src":
            assert_safe_image(value, html)


def assert_safe_image(src: str, html: str = "") -> None:
    """An http(s) URL, or a relative path that stays below its folder once percent-decoded."""
    if src.startswith(("http:", "https:")):
        return
    # A fetcher decodes %2e%2e to .. and %5c to a backslash: judge the decoded path.
    for path in (src, unquote(src)):
        assert "\\" not in path, html
        assert not path.startswith("/"), html
        assert ":" not in path.split("/")[0], html
        assert ".." not in path.split("?")[0].split("/"), html


@pytest.mark.parametrize("src", [
    "%2e%2e/%2e%2e/etc/passwd", "..%2F..%2Fetc", "%2Fetc%2Fpasswd", "%5Cserver%5Cshare%5Cx.png",
    "javascript%3Aalert(1)", "a/%2E%2E/%2E%2E/x.png",
])
def test_the_audit_sees_through_percent_escapes(src: str) -> None:
    with pytest.raises(AssertionError):
        assert_safe_image(src)
    assert_safe_image("img/map%20v2.png?x=%2e%2e")


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_renders_inert(text: str) -> None:
    assert_inert(to_html(text))


def test_raw_html_is_shown_as_text() -> None:
    assert to_html("<script>alert(1)</script>") == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n")


def test_good_links_and_images_survive() -> None:
    html = to_html("[a](https://ok.example/) [b](mailto:a@b.example) [c](#q-1) ![m](img/map.png)")
    assert ('<a href="https://ok.example/" rel="noopener noreferrer">a</a>' in html
            and '<a href="mailto:a@b.example">b</a>' in html and '<a href="#q-1">c</a>' in html
            and '<img src="img/map.png" alt="m" />' in html)


def test_every_image_is_listed_with_its_verdict_and_position() -> None:
    text = ("![a](map.png) ![b](../x.png)\n\n"
            "  ![c](file:///etc/passwd) ![d](https://ok.example/d.png) ![e][r]\n\n"
            "[r]: <my map.png>\n")
    # The text is a literal block whose lines start at line 10, column 7.
    span = Span(Location("s.yaml", 9, 12), tuple((10 + i, 7) for i in range(5)))
    images = parse_markdown(text, span).images
    assert [(i.url, i.allowed, i.path) for i in images] == [
        ("map.png", True, "map.png"), ("../x.png", False, None),
        ("file:///etc/passwd", False, None), ("https://ok.example/d.png", True, None),
        ("my%20map.png", True, "my map.png")]
    assert [str(i.where) for i in images] == [
        "s.yaml:10:7", "s.yaml:10:21", "s.yaml:12:9", "s.yaml:12:34", "s.yaml:12:65"]


def test_every_field_of_a_hostile_source_is_escaped_in_both_outputs() -> None:
    evil = "</title></style><script>alert(1)</script>\\\" onload=\\\"alert(1)"
    source = (
        f'title: "{evil}"\nsubtitle: "{evil}"\ncategory: "{evil}"\nauthor: "{evil}"\n'
        f'notice: "{evil}"\nintroduction: "{evil}"\nsections:\n'
        f'  - title: "{evil}"\n    introduction: "{evil}"\n    questions:\n'
        f'      - question: "{evil}"\n        answer: "{evil}"\n'
        f'        sources:\n          - "{evil}"\n'
        f'          - {{title: "{evil}", url: "https://ok.example/?q=\\"><script>"}}\n'
    )
    briefing, diagnostics = parse(source, "s.yaml")
    assert diagnostics == []
    for html in (render_screen(briefing, Options()), render_body(briefing, Options())):
        assert_inert(html, styles=1)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_ordered_list_keeps_its_first_number_in_print() -> None:
    # WeasyPrint ignores ``start``; the list-item counter is what numbers the PDF's list.
    assert to_html("3. Third.\n4. Fourth.\n") == (
        '<ol start="3" style="counter-reset: list-item 2">\n'
        "<li>Third.</li>\n<li>Fourth.</li>\n</ol>\n"
    )
    assert to_html("0. Zero.\n").startswith('<ol start="0" style="counter-reset: list-item -1">')


def test_a_list_from_one_is_left_alone() -> None:
    assert to_html("1. One.\n2. Two.\n") == "<ol>\n<li>One.</li>\n<li>Two.</li>\n</ol>\n"


def test_raw_html_and_other_links_are_plain_text() -> None:
    assert to_html("<b>x</b> [y](javascript:alert(1))") == (
        "<p>&lt;b&gt;x&lt;/b&gt; [y](javascript:alert(1))</p>\n")
