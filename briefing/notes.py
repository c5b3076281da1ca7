"""Notes: Markdown footnotes, the addresses of links on paper, the targets of cross-references.

Markdown footnotes are ``[^label]`` calls and ``[^label]: text`` definitions.

Parsing is the ``footnote`` plugin of mdit-py-plugins, which moves every
referenced definition to the end of the tokens and drops the others; a rule of
ours notes first where each definition was written, so that checks can name
one that nothing calls. A call to a label with no definition stays text, as
CommonMark reads it.

Rendering depends on the medium. On paper (``env["notes"]`` is a list) a note is
set where it is called, as a WeasyPrint ``float: footnote`` that the page moves
to its foot; a note called twice is set at each call, so that its text is always
on the page of the call. On screen, and on a page part that has no foot to float
to (the cover's notice, ``env["notes_at_end"]``), the notes close the text they belong to, as a
numbered list (``doc-endnotes``) linked both ways with its calls; ids carry
``env["note_scope"]`` so that two texts using ``[^1]`` do not collide.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.footnote import footnote_plugin

#: A call that the parser left as text: ``[^label]`` with no definition.
UNDEFINED_CALL = re.compile(r"\[\^([^\]\s]+)\](?!:)")


def install(md: MarkdownIt) -> None:
    """Teach a parser footnotes, and how each medium renders them."""
    md.use(footnote_plugin, inline=False)
    md.core.ruler.before("footnote_tail", "footnote_where", _note_definitions)
    for name, rule in (("footnote_ref", _ref), ("footnote_block_open", _block_open),
                       ("footnote_block_close", _block_close), ("footnote_open", _open),
                       ("footnote_close", _close), ("footnote_anchor", _anchor)):
        md.add_render_rule(name, rule)


def _note_definitions(state: StateCore) -> None:
    """Keep each definition's label and first line: the plugin drops those never called."""
    where = state.env.setdefault("definitions", [])
    for token in state.tokens:
        if token.type == "footnote_reference_open":
            where.append((token.meta["label"], token.map[0] if token.map else 0))


def labels_called(env: EnvType) -> set[str]:
    """The labels of definitions at least one call refers to (after parsing with ``env``)."""
    data = env.get("footnotes", {})
    return {label[1:] for label, index in data.get("refs", {}).items() if index >= 0}


def _on_paper(env: EnvType) -> bool:
    """Whether notes float to the foot of the page (not on a page without a footnote area)."""
    return isinstance(env.get("notes"), list) and not env.get("notes_at_end")


def _ids(env: EnvType, token: Token) -> tuple[str, str, str]:
    """The note's number as printed, its id, and the id of this call (or its backlink)."""
    number = str(token.meta["id"] + 1)
    scope = env.get("note_scope", "")
    sub = token.meta.get("subId", 0)
    call = f"fnref-{scope}-{number}" + (f"-{sub + 1}" if sub else "")
    return number, f"fn-{scope}-{number}", call


def _ref(self: Any, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    token = tokens[idx]
    if _on_paper(env):
        return _paper_note(self, token.meta["id"], options, env)
    number, note, call = _ids(env, token)
    return (f'<sup class="footnote-ref"><a href="#{note}" id="{call}" '
            f'role="doc-noteref">{number}</a></sup>')


def _paper_note(self: Any, index: int, options: OptionsDict, env: EnvType) -> str:
    """The note's text where it is called, for the page to float to its foot."""
    blocks: list[Token] = env.get("blocks", [])
    inside, parts = False, []
    note_env = {**env, "in_note": True}
    for token in blocks:
        if token.type == "footnote_open":
            inside = token.meta["id"] == index
        elif token.type == "footnote_close":
            inside = False
        elif inside and token.type == "inline":
            parts.append(self.renderInline(token.children or [], options, note_env))
    body = "".join(f'<span class="footnote-part">{part}</span>' for part in parts)
    return f'<span class="footnote">{body}</span>'


def _block_open(self: Any, tokens: list[Token], idx: int, options: OptionsDict,
                env: EnvType) -> str:
    label = escapeHtml(env.get("words", {}).get("notes", "Notes"))
    return f'<section class="footnotes" role="doc-endnotes" aria-label="{label}">\n<ol>\n'


def _block_close(self: Any, tokens: list[Token], idx: int, options: OptionsDict,
                 env: EnvType) -> str:
    return "</ol>\n</section>\n"


def _open(self: Any, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    if _on_paper(env):
        return ""
    # In a PDF, an item holding a paragraph is tagged LI > P, which PDF/UA forbids (LI may
    # hold only Lbl and LBody): on paper the note's paragraphs are run together.
    env["in_endnote"] = isinstance(env.get("notes"), list)
    _, note, _ = _ids(env, tokens[idx])
    return f'<li id="{note}" class="footnote-item">'


def _close(self: Any, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    env["in_endnote"] = False
    return "" if _on_paper(env) else "</li>\n"


def _anchor(self: Any, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    if _on_paper(env):
        return ""
    number, _, call = _ids(env, tokens[idx])
    back = escapeHtml(env.get("words", {}).get("back", "Back to the text"))
    return (f' <a href="#{call}" class="footnote-back" role="doc-backlink" '
            f'aria-label="{back} ({number})">\u21a9\ufe0e</a>')


def link_note(inside: list[Token], href: str, env: EnvType) -> str:
    """On paper, a link whose text is not its address gets a footnote with the address, at
    the foot of the page of its text; once per address in a paragraph or list item
    (``env["notes"]`` collects them when it is a list)."""
    notes = env.get("notes")
    if notes is None or not href.strip().lower().startswith(("http:", "https:", "mailto:")):
        return ""
    text = "".join(t.content for t in inside if t.type in ("text", "code_inline"))
    shown = (href, href.removeprefix("mailto:"), href.rstrip("/"),
             re.sub(r"\Ahttps?://", "", href, flags=re.IGNORECASE))  # "www.x.org" shows its address
    if text.strip() in shown:
        return ""
    if env.get("in_note") or env.get("notes_at_end"):  # the address follows its text
        return f' <span class="note-url">({escapeHtml(href.removeprefix("mailto:"))})</span>'
    if href in notes:
        return ""
    notes.append(href)
    return f'<span class="link-note">{escapeHtml(href.removeprefix("mailto:"))}</span>'


def xref(number: str, href: str, env: EnvType) -> str:
    """"(see 2.3)" after a cross-reference; on paper the stylesheet adds the target's page."""
    see = escapeHtml(env.get("see", "see"))
    page = ""
    target = unquote(href[1:])
    # Not for a target printed in another document (a section printed alone).
    if env.get("notes") is not None and target not in env.get("away", ()):
        known = env.get("pages", {}).get(target)  # laid out already: the front
        printed = f' data-page="{escapeHtml(known)}"' if known else ""
        page = f'<span class="xref-page" data-href="{escapeHtml(href)}"{printed}></span>'
    return f'<span class="xref"> ({see} {escapeHtml(number)}{page})</span>'
