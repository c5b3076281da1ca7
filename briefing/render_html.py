"""Render the model to HTML with Jinja2: print pages for the PDF, one page for screens.

Templates and stylesheets are looked up in an ordered list of folders: a user's
``--style`` folder first, the project's ``styles/`` last, so a user overrides
one file without copying the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import jinja2
import markupsafe

from . import fonts
from .errors import RenderError
from .labels import format_date, has_labels, labels_for
from .markup import render
from .model import Briefing, Markdown
from .options import PAPER_SIZES, Options


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
def _markdown(context: jinja2.runtime.Context, value: Markdown | None) -> markupsafe.Markup:
    if value is not None and not isinstance(value, Markdown):
        raise TypeError(f"the markdown filter takes a Markdown field, not {type(value).__name__}")
    return markupsafe.Markup(render(value, context.get("image_prefix", "")))


def _lang(language: str | None, around: str) -> markupsafe.Markup:
    """A ``lang`` attribute when ``language`` differs from the language ``around`` it."""
    if not language or language.lower() == around.lower():
        return markupsafe.Markup("")
    return markupsafe.Markup(' lang="{}"').format(language)


def environment(options: Options) -> jinja2.Environment:
    """A Jinja2 environment over the style folders: autoescaping, strict undefined."""
    return _environment(tuple(str(p) for p in options.search_path))


@lru_cache(maxsize=8)
def _environment(search_path: tuple[str, ...]) -> jinja2.Environment:
    # Cached so templates compile once per process; Jinja2 still reloads a
    # template whose file changed (a watch session editing styles).
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(list(search_path)),
        autoescape=jinja2.select_autoescape(["html", "j2"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["markdown"] = _markdown
    env.filters["css_string"] = _css_string
    env.globals["lang"] = _lang
    return env


def _render(options: Options, template: str, context: Mapping[str, object]) -> str:
    try:
        return environment(options).get_template(template).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or exc.name}:{exc.lineno}"
        raise RenderError(f"{where}: error: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise RenderError(f"{template}: error: {exc}") from None


def _context(briefing: Briefing, options: Options, media: str, font_css: str) -> dict:
    labels = labels_for(briefing.language)
    return {
        "b": briefing,
        "labels": labels,
        # The language the labels are written in: English when the briefing's has none.
        "labels_lang": briefing.language if has_labels(briefing.language) else "en",
        "as_of": labels["as_of"].format(date=format_date(briefing.date, briefing.language))
        if briefing.date else None,
        "paper": PAPER_SIZES[options.paper],
        "media": media,
        "font_css": markupsafe.Markup(font_css),
    }


def render_front(briefing: Briefing, options: Options, pages: Mapping[str, str]) -> str:
    """HTML of the PDF's front matter (cover, contents) with the body's page numbers."""
    context = _context(briefing, options, "print", fonts.font_face_css(fonts.file_url))
    return _render(options, "front.html.j2", {**context, "pages": pages})


def render_body(briefing: Briefing, options: Options) -> str:
    """HTML of the PDF's body: introduction, sections, questions, answers."""
    context = _context(briefing, options, "print", fonts.font_face_css(fonts.file_url))
    return _render(options, "body.html.j2", context)


def render_screen(briefing: Briefing, options: Options, image_prefix: str = "",
                  font_prefix: str = "fonts/") -> str:
    """The stand-alone HTML version for screens (with print rules for browsers).

    Local images are referenced below ``image_prefix``, where the writer copies
    them; fonts below ``font_prefix``.
    """
    font_css = fonts.font_face_css(lambda face: font_prefix + face.filename)
    context = _context(briefing, options, "screen", font_css)
    context["image_prefix"] = image_prefix
    return _render(options, "screen.html.j2", context)
