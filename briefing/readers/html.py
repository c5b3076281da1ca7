"""The HTML reader: a saved FAQ page, read as data, its answers kept word for word.

Questions are taken from the best evidence the page has, in this order:
schema.org ``FAQPage`` structured data (JSON-LD), then ``<details>`` with a
``<summary>``, then ``h2``-``h4`` headings that end in ``?``. Nothing is fetched
and no script runs: scripts, styles, frames, SVG, forms' controls, hidden
elements, navigation, footers and cookie banners are dropped before reading.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from .. import markup
from ..errors import Diagnostic, SourceError
from ..load import LANGUAGE_TAG
from ..model import Briefing, Location, Question, Section, Span, number
from . import Reading
from .html_faq import Found, by_details, by_headings, by_jsonld, clean, content, text_of
from .jsonld import read_jsonld
from .text import escape, guess_language

_SNIFF = re.compile(r"\A\s*(?:<!--.*?-->\s*|<\?xml[^>]*>\s*)*<(?:!doctype\s+html|html)\b",
                    re.IGNORECASE | re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
#: A site's name after the page's: "Voter FAQ | City of X" (a dash may belong to the title).
_SITE_SUFFIX = re.compile(r"\s+[|·]\s+[^|·]+\Z")
_HOW = {"jsonld": "FAQPage structured data (JSON-LD)", "details": "<details> and <summary>",
        "headings": "headings ending in '?'"}


def _starts(text: str) -> list[int]:
    """Offset of the start of each line (0-based list, 1-based lines)."""
    return [0] + [m.end() for m in re.finditer("\n", text)]


def _script_starts(soup: BeautifulSoup, text: str) -> dict[int, tuple[int, int]]:
    """Where the text of each script starts: (1-based line, 0-based column) by id()."""
    starts = _starts(text)
    found = {}
    for script in soup.find_all("script"):
        if script.sourceline is None or script.sourceline > len(starts):
            continue
        at = text.find(">", starts[script.sourceline - 1] + (script.sourcepos or 0)) + 1
        line = len([s for s in starts if s <= at])
        found[id(script)] = (line, at - starts[line - 1])
    return found


def _language(soup: BeautifulSoup, path: str, diagnostics: list[Diagnostic]) -> str | None:
    """The page's ``<html lang>`` when it is a language tag (else a warning, and None)."""
    html = soup.find("html")
    lang = str(html.get("lang") or html.get("xml:lang") or "").strip() \
        if isinstance(html, Tag) else ""
    if lang and not LANGUAGE_TAG.match(lang):
        diagnostics.append(Diagnostic(path, html.sourceline or 0, (html.sourcepos or 0) + 1,
                                      f"lang '{lang}' is not a language tag; language guessed "
                                      "from the questions", "warning"))
        return None
    return lang or None


def _title(soup: BeautifulSoup, root: Tag) -> str | None:
    """The page's heading: its h1 (in the content first), else ``<title>`` without the
    site's name."""
    for h1 in (root.find("h1"), soup.find("h1")):
        if isinstance(h1, Tag) and text_of(h1):
            return text_of(h1)
    title = soup.find("title")
    if isinstance(title, Tag) and text_of(title):
        return _SITE_SUFFIX.sub("", text_of(title)) or text_of(title)
    return None


def _meta(soup: BeautifulSoup, name: str) -> str:
    for meta in soup.find_all("meta"):
        if str(meta.get("name") or meta.get("property") or "").lower() == name:
            return " ".join(str(meta.get("content") or "").split())
    return ""


def _base(soup: BeautifulSoup) -> str | None:
    """The address relative links are resolved against: ``<base href>``, else the canonical
    URL; only an absolute http(s) one counts."""
    candidates = [soup.find("base")] + [link for link in soup.find_all("link")
                                        if "canonical" in (link.get("rel") or [])]
    for tag in candidates:
        href = str(tag.get("href") or "").strip() if isinstance(tag, Tag) else ""
        if re.match(r"https?://[^/\s]", href, re.IGNORECASE):
            return href
    return None


def read_html(text: str, path: str, language: str | None = None, *,
              flat: bool = False) -> Reading:
    """Read a saved FAQ page; raise SourceError when it holds no question."""
    diagnostics: list[Diagnostic] = []
    text = re.sub(r"\r\n?", "\n", text.removeprefix("\ufeff"))
    if _CONTROL.search(text):
        line = text.count("\n", 0, _CONTROL.search(text).start()) + 1
        diagnostics.append(Diagnostic(path, line, 0, "control characters removed", "warning"))
        text = _CONTROL.sub("", text)
    soup = BeautifulSoup(text, "html.parser")
    entries = read_jsonld(soup, path, _script_starts(soup, text), diagnostics)
    base = _base(soup)
    clean(soup)
    root = content(soup)
    found: tuple[str, list[Found]] | None = None
    if entries:
        found = ("jsonld", by_jsonld(entries, path, base, diagnostics))
    for how, finder in (("details", by_details), ("headings", by_headings)):
        if not found or not found[1]:
            found = (how, finder(root, path, base, diagnostics, flat=flat))
    assert found is not None
    how, questions = found
    if not questions:
        raise SourceError.at(path, root.sourceline or 1, (root.sourcepos or 0) + 1
                             if root.sourceline else 0,
                             "no question found; expected "
                             "FAQPage structured data, <details> with a <summary>, or h2-h4 "
                             "headings ending in '?'")
    for index, item in enumerate(questions, start=1):
        if not item.answer:
            diagnostics.append(Diagnostic(path, item.line, item.column,
                                          f"question {index} has no answer", "warning"))
    first = questions[0]
    diagnostics.append(Diagnostic(path, first.line, first.column,
                                  f"questions read from {_HOW[how]}", "note"))
    title = _title(soup, root) or questions[0].question
    description = _meta(soup, "description")
    model = _model(questions, path, flat=flat)
    lang = language or _language(soup, path, diagnostics)
    briefing = Briefing(
        title=title,
        sections=model,
        language=lang or guess_language([f.question for f in questions]),
        introduction=markup.parse(escape(description) + "\n") if description else None,
        path=path,
    )
    diagnostics.sort(key=lambda d: (d.line, d.column))
    return Reading(number(briefing), tuple(diagnostics), lang is None)


def _model(found: list[Found], path: str, *, flat: bool) -> tuple[Section, ...]:
    """Sections of questions: one untitled section, or one per section heading."""
    groups: list[tuple[str | None, list[Question]]] = []
    for index, item in enumerate(found, start=1):
        where = Location(path, item.line, item.column)
        answer_at = Location(path, item.answer_line, item.answer_column)
        question = Question(question=item.question,
                            answer=markup.parse(item.answer, Span(answer_at)), where=where,
                            spans={"question": Span(where), "answer": Span(answer_at)})
        section = None if flat else item.section
        if not groups or (section is not None and section != groups[-1][0]) or \
                (section is None and index == 1):
            groups.append((section, []))
        groups[-1][1].append(question)
    if len(groups) > 1 or groups[0][0] is not None:
        groups = [(title or "General", questions) for title, questions in groups]
    return tuple(Section(title=title, questions=tuple(questions),
                         where=questions[0].where) for title, questions in groups)


class _Html:
    """The HTML reader: a saved web page of questions and answers."""

    name = "html"
    description = ("a saved web page: FAQPage structured data, <details>, or headings "
                   "ending in '?'")
    extensions = (".html", ".htm", ".xhtml")

    def recognises(self, text: str) -> bool:
        """Whether the text starts like an HTML page (``<!doctype html`` or ``<html``)."""
        return bool(_SNIFF.match(text[:4096].removeprefix("\ufeff")))

    def read(self, text: str, name: str, language: str | None = None, *,
             flat: bool = False, folder: Path | None = None) -> Reading:
        """Read a saved page (see :func:`read_html`)."""
        return read_html(text, name, language, flat=flat)


#: The HTML reader, as registered.
READER = _Html()
