"""Render the model to HTML with Jinja2: print pages for the PDF, one page for screens.

Templates and stylesheets come from the style folders (see ``theme``): a
user's ``--style`` folders first, the theme's own last; a ``custom.css`` in any
of them is a layer added after the theme's stylesheets, in both the PDF and the
HTML version, and can change any of the theme's custom properties
(``variables.css``).
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import jinja2
import markupsafe

from . import fonts, qr, theme
from .errors import RenderError
from .labels import format_date, has_labels, labels_for
from .markup import render
from .model import Briefing, Markdown
from .options import PAPER_SIZES, SMALL_PAPERS, Options


def _css_string(value: object) -> markupsafe.Markup:
    """Quote a value as a CSS string literal (for labels used in ``content:``).

    Quotes, backslashes and control characters are escaped for CSS, and so are
    ``<``, ``>`` and ``&``: the string sits inside a ``<style>`` element, which a
    ``</style>`` in a title would otherwise close.
    """
    text = str(value)
    escaped = "".join(
        ch if ch.isprintable() and ch not in '"\\<>&' else f"\\{ord(ch):x} " for ch in text
    )
    return markupsafe.Markup(f'"{escaped}"')


@jinja2.pass_context
def _markdown(context: jinja2.runtime.Context, value: Markdown | None,
              owner: str | None = None) -> markupsafe.Markup:
    """Render a Markdown field; ``owner`` names it ("1.2", "Introduction") for its notes."""
    if value is not None and not isinstance(value, Markdown):
        raise jinja2.TemplateRuntimeError(  # reported at the template's line
            f"the markdown filter takes a Markdown field (b.notice, q.answer, ...), "
            f"not {type(value).__name__}")
    # A flat briefing's questions are h2, so the headings in its answers start at h3.
    base = 2 if context["b"].flat else 3
    scopes = context.get("note_scopes")
    # Each text with footnotes numbers its note ids apart from the others': two
    # answers may both use [^1].
    scope = str(next(scopes)) if scopes is not None and value is not None \
        and any(n.kind == "footnote" for n in value.notes) else ""
    labels = context["labels"]
    # Each list of notes is a landmark, which needs a name of its own.
    words = {**labels, "notes": labels["notes_of"].format(owner=owner or scope)}
    return markupsafe.Markup(render(value, context.get("image_prefix", ""),
                                    context.get("xrefs"), labels["see"], base,
                                    link_notes=context.get("media") == "print",
                                    note_scope=scope, words=words,
                                    pages=context.get("pages"),
                                    # The cover's notice is placed absolutely: no foot.
                                    notes_at_end=context.get("pages") is not None,
                                    away=context.get("away", ())))


def _lang(language: str | None, around: str) -> markupsafe.Markup:
    """A ``lang`` attribute when ``language`` differs from the language ``around`` it."""
    if not language or language.lower() == around.lower():
        return markupsafe.Markup("")
    return markupsafe.Markup(' lang="{}"').format(language)


def environment(options: Options) -> jinja2.Environment:
    """A Jinja2 environment over the style folders: autoescaping, strict undefined.

    Environments are kept by the folders' resolved paths: a relative ``--style``
    names another folder once the working folder changes.
    """
    return _environment(tuple(str(p.resolve()) for p in options.search_path))


@lru_cache(maxsize=8)
def _environment(search_path: tuple[str, ...]) -> jinja2.Environment:
    # Cached so templates compile once per process; Jinja2 still reloads a
    # template whose file changed (a watch session editing styles).
    env = jinja2.Environment(
        loader=theme.loader(search_path),
        autoescape=jinja2.select_autoescape(["html", "j2"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["markdown"] = _markdown
    env.filters["css_string"] = _css_string
    env.globals["style_url"] = theme.style_url
    env.globals["lang"] = _lang
    return env


def _render(options: Options, template: str, context: Mapping[str, object]) -> str:
    try:
        return environment(options).get_template(template).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or exc.name}:{exc.lineno}"
        raise RenderError(f"{where}: error: {exc.message}") from None
    except jinja2.TemplateError as exc:
        where = _template_line(exc, options) or template
        raise RenderError(f"{where}: error: {exc}") from None
    except OSError as exc:  # a style file that cannot be read
        raise RenderError(f"{exc.filename or template}: error: cannot read: "
                          f"{exc.strerror or exc}") from None


def _template_line(exc: BaseException, options: Options) -> str | None:
    """``file:line`` of the template code that raised, read from Jinja2's rewritten traceback.

    The innermost frame that runs a file of a style folder is the line to blame,
    also when the template was included by another.
    """
    folders = [folder.resolve() for folder in options.search_path]
    found = None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        with contextlib.suppress(OSError, ValueError):
            if any(folder in Path(filename).resolve().parents for folder in folders):
                found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


def _context(briefing: Briefing, options: Options, media: str, font_css: str) -> dict:
    labels = labels_for(briefing.language)
    return {
        "b": briefing,
        "labels": labels,
        # The language the labels are written in: English when the briefing's has none.
        "labels_lang": briefing.language if has_labels(briefing.language) else "en",
        "as_of": labels["as_of"].format(date=format_date(briefing.date, briefing.language))
        if briefing.date else None,
        "appendix": labels["appendix"].format(label=briefing.appendix)
        if briefing.appendix else None,
        "qr": qr.data_url(briefing.url) if briefing.url else None,
        "paper": PAPER_SIZES[options.paper_for(briefing)],
        "small_paper": options.paper_for(briefing) in SMALL_PAPERS,
        "media": media,
        "font_css": markupsafe.Markup(font_css),
        "xrefs": briefing.numbers(),
        "note_scopes": itertools.count(1),
        # Anchors numbered in the whole briefing but not printed here (a section alone).
        "away": frozenset(briefing.numbers()) - {
            a for s in briefing.sections for a in (s.anchor, *(q.anchor for q in s.questions))},
        "custom_css": theme.custom_layers(options.search_path),
        "style_folders": [str(folder) for folder in options.search_path],
    }


#: A run of this many characters without a space gets break opportunities: WeasyPrint's
#: line breaking takes time quadratic in the length of an unbreakable run.
LONG_RUN = 48
#: How far apart the opportunities are: close enough that a broken line stays full.
RUN_STEP = 16
_SEGMENT = re.compile(r"(<(style|title)\b.*?</\2>|<[^>]*>)|([^<]+)", re.S | re.I)
#: An address written in the text: it may break after these, and never gains a hyphen.
_ADDRESS = re.compile(r"\b(?:https?://|mailto:|www\.)(?:[^\s<&]|&amp;)*[^\s<&.,;:!?)\]}'\"]")
_AFTER = re.compile(r"(?:(?<=[?=.\-])|(?<=&amp;)|(?<=/)(?!/))(?!$)")
_UNIT = r"(?:&#?\w+;|[^\s&<])"
_RUN = re.compile(f"{_UNIT}{{{LONG_RUN},}}")
_UNITS = re.compile(_UNIT)


def breakable(html: str) -> str:
    """``html`` with ``<wbr>`` every few characters of very long unbroken runs of text.

    Each such run is set without hyphenation, so a line ends inside it with no
    character added. An address (``https://…``, ``mailto:…``, ``www.…``) of any
    length is set the same way, with break opportunities after ``/ ? & = . -``.

    Only text between tags is touched (not attributes, styles or the title), and
    entities stay whole, so the printed and the copied text are unchanged.
    """
    def address(found: re.Match) -> str:
        pieces = _AFTER.sub("<wbr>", found[0])
        return f'<span style="hyphens: manual">{pieces}</span>'

    def text(segment: str) -> str:
        out, last = [], 0
        for found in _ADDRESS.finditer(segment):
            out += [_RUN.sub(split, segment[last:found.start()]), address(found)]
            last = found.end()
        return "".join([*out, _RUN.sub(split, segment[last:])])

    def split(run: re.Match) -> str:
        units = _UNITS.findall(run[0])
        pieces = "<wbr>".join("".join(units[i:i + RUN_STEP])
                              for i in range(0, len(units), RUN_STEP))
        # No hyphenation inside: the pieces are not words, and no hyphen may be added.
        return f'<span style="hyphens: manual">{pieces}</span>'


    return _SEGMENT.sub(lambda m: m[1] if m[1] else text(m[3]), html)


def render_front(briefing: Briefing, options: Options, pages: Mapping[str, str]) -> str:
    """HTML of the PDF's front matter (cover, contents) with the body's page numbers."""
    context = _context(briefing, options, "print", fonts.font_face_css(fonts.file_url))
    return breakable(_render(options, "front.html.j2", {**context, "pages": pages}))


def render_body(briefing: Briefing, options: Options) -> str:
    """HTML of the PDF's body: introduction, sections, questions, answers."""
    context = _context(briefing, options, "print", fonts.font_face_css(fonts.file_url))
    return breakable(_render(options, "body.html.j2", context))


def render_screen(briefing: Briefing, options: Options, image_prefix: str = "",
                  font_prefix: str = "fonts/", assets: theme.StyleAssets | None = None) -> str:
    """The stand-alone HTML version for screens (with print rules for browsers).

    Local images are referenced below ``image_prefix``, where the writer copies
    them; fonts below ``font_prefix``; files of the style folders are listed in
    ``assets`` for the writer to copy (without it, they are linked where they are).
    """
    font_css = fonts.font_face_css(lambda face: font_prefix + face.filename)
    context = _context(briefing, options, "screen", font_css)
    context["image_prefix"] = image_prefix
    if assets is not None:
        context["style_assets"] = assets
    return _render(options, "screen.html.j2", context)
