"""Whole-document rules on a loaded briefing: errors that stop a build, warnings that don't.

Errors: two nodes with the same anchor; an image without alternative text
(``![-](file.png)`` marks a decorative one). Warnings (which ``--strict`` turns
into failures): an unsupported language, a ``section-start`` that cannot act,
a footnote never called or a call without its note, and the lint rules below,
each reported where the offending text starts.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from .errors import Diagnostic
from .labels import has_labels
from .markup import DECORATIVE
from .model import Briefing, Location, markdown

#: A question ends with "?" (Spanish "¿...?" too), perhaps followed by closing quotes or brackets.
_QUESTION_END = re.compile(r"[?\uff1f][\s\"'\u201d\u2019\u00bb)\]]*\Z")
#: Ids the theme's templates give their own parts; a section or question may not take one.
RESERVED_IDS = ("contents", "contents-title", "cover", "introduction", "top")
#: Answers with fewer words than this are probably unfinished.
MIN_ANSWER_WORDS = 10
#: Questions longer than this do not fit a heading, a contents line or a bookmark.
MAX_QUESTION_CHARS = 250


def reads_as_question(text: str) -> bool:
    """Whether a text ends like a question: '?' then only closing quotes, brackets or spaces."""
    return bool(_QUESTION_END.search(text))


def _at(where: Location | None, path: str, message: str, severity: str) -> Diagnostic:
    line, column = (where.line, where.column) if where else (0, 0)
    return Diagnostic(path, line, column, message, severity)


def _anchors(briefing: Briefing) -> list[Diagnostic]:
    """Errors for anchors used twice, explicit or derived from numbers, or taken by the theme."""
    found: list[Diagnostic] = []
    seen: dict[str, Location | None] = {}
    nodes = [(s.anchor, s.id, s.where) for s in briefing.sections if s.title is not None]
    nodes += [(q.anchor, q.id, q.where) for q in briefing.questions]
    for section in briefing.sections:
        for node in (section, *section.questions):
            if node.id in RESERVED_IDS:
                found.append(_at(node.at("id"), briefing.path, (
                    f"id '{node.id}' is used by the theme's own pages; choose another "
                    f"(reserved: {', '.join(RESERVED_IDS)})"), "error"))
    for anchor, explicit, where in nodes:
        if anchor in RESERVED_IDS:
            continue
        if anchor in seen:
            first = seen[anchor]
            on_line = f" (first used on line {first.line})" if first else ""
            what = f"duplicate id '{anchor}'" if explicit else f"id '{anchor}' is already used"
            found.append(_at(where, briefing.path, what + on_line, "error"))
        else:
            seen[anchor] = where
    return found


def lint(briefing: Briefing) -> list[Diagnostic]:
    """Warnings about content: repeated, unended or long questions, short answers, http URLs."""
    path = briefing.path
    found: list[Diagnostic] = []
    asked: dict[str, Location | None] = {}
    for q in briefing.questions:
        if not q.question:
            continue  # already an error
        where = q.at("question")
        key = " ".join(q.question.casefold().split())
        if key in asked:
            first = asked[key]
            on_line = f" (first asked on line {first.line})" if first else ""
            found.append(_at(where, path, "duplicate question" + on_line, "warning"))
        else:
            asked[key] = where
        if not reads_as_question(q.question):
            found.append(_at(where, path, "question does not end with '?'", "warning"))
        if len(q.question) > MAX_QUESTION_CHARS:
            found.append(_at(where, path, f"question is {len(q.question)} characters long; "
                             f"keep it under {MAX_QUESTION_CHARS}", "warning"))
        answer = str(q.answer)
        words = len(re.findall(r"\S*\w\S*", answer))
        if answer.strip() and words < MIN_ANSWER_WORDS:
            plural = "" if words == 1 else "s"
            found.append(_at(q.at("answer"), path, f"answer is only {words} word{plural} long; "
                             f"expected at least {MIN_ANSWER_WORDS}", "warning"))
        for source in q.sources:
            if source.url and not source.url.lower().startswith("https://"):
                found.append(_at(source.at("url"), path,
                                 f"source URL '{source.url}' is not https", "warning"))
    return found


def _links(briefing: Briefing) -> list[Diagnostic]:
    """Errors for links to ids that nothing in the briefing has: they would lead nowhere."""
    known = set(briefing.numbers()) | set(RESERVED_IDS)
    found = []
    for _, text in markdown(briefing):
        for link in text.links:
            target = unquote(link.url[1:]) if link.url.startswith("#") else None
            if target is not None and target not in known:
                found.append(_at(link.where, briefing.path, f"link to '#{target}' leads nowhere: "
                                 "no section or question has that id", "error"))
    return found


def _footnotes(briefing: Briefing) -> list[Diagnostic]:
    """Warnings for a footnote nothing calls (it is not printed) and a call with no note
    (it is printed as written): the text still reads, but not as its author meant."""
    found = []
    for _, text in markdown(briefing):
        for note in text.notes:
            if note.allowed:
                continue
            if note.kind == "footnote":
                message = (f"footnote '[^{note.url}]' is never called, so it is not printed: "
                           f"call it with [^{note.url}] in the text or remove it")
            else:
                message = (f"footnote call '[^{note.url}]' has no note, so it is printed as "
                           f"written: add a line '[^{note.url}]: ...' to the same text")
            found.append(_at(note.where, briefing.path, message, "warning"))
    return sorted(found, key=lambda d: (d.line, d.column))


def drafts(briefing: Briefing) -> list[Diagnostic]:
    """Errors for a release build (``--final``): the briefing, or a question, is a draft."""
    found = []
    if briefing.draft:
        found.append(_at(briefing.at("status"), briefing.path, (
            "status is draft, and --final builds only final briefings; set 'status: final' "
            "when it is ready"), "error"))
    found.extend(
        _at(q.at("status"), briefing.path, (
            f"question {q.number} is a draft, and --final builds only final briefings; "
            "remove its 'status: draft' when it is ready"), "error")
        for q in briefing.questions if q.draft)
    return found


def _section_start(briefing: Briefing) -> list[Diagnostic]:
    """A warning for ``section-start: right`` where it cannot act: one-sided, or no sections."""
    if briefing.section_start != "right" or briefing.sections_on_right:
        return []
    why = ("the briefing has no sections" if briefing.flat else
           "pages printed on one side have no left or right; add 'sides: two'")
    return [_at(briefing.at("section-start"), briefing.path,
                f"section-start 'right' has no effect: {why}", "warning")]


def check(briefing: Briefing) -> list[Diagnostic]:
    """Return every diagnostic for the briefing: duplicate anchors, language, and lint warnings."""
    found = _anchors(briefing) + _links(briefing) + _footnotes(briefing)
    for _, text in markdown(briefing):
        found.extend(
            _at(image.where, briefing.path, f"image '{unquote(image.url)}' is shown as text: "
                "images must be http(s) URLs or paths inside the source's folder", "warning")
            for image in text.images if not image.allowed
        )
        found.extend(
            _at(image.where, briefing.path, f"image '{unquote(image.url)}' has no alternative "
                "text: describe it between the brackets, or write "
                f"![{DECORATIVE}](...) if it only decorates", "error")
            for image in text.images if image.allowed and not image.alt
        )
    if not has_labels(briefing.language):
        found.append(Diagnostic(
            briefing.path, 0, 0,
            f"no labels for language '{briefing.language}'; using English labels",
            "warning",
        ))
    return found + _section_start(briefing) + lint(briefing)
