"""Find characters that no available font can draw, before rendering, and say where they are.

A character no font has prints as an empty box, silently. To warn instead, the
checker asks two questions about every character a briefing prints:

1. Do the project's own faces have it? Source Serif Pro and Source Sans Pro come
   from pip packages (``fonts.py``); their cmaps are read once with fontTools
   (a WeasyPrint dependency). A character counts as ours only if *every*
   shipped face maps it, since any of them may set it.
2. If not, does the machine have a fallback? WeasyPrint lays text out with
   Pango, which falls back to the fonts fontconfig knows. So we ask the same
   fontconfig library, loaded with ctypes just as WeasyPrint loads it (through
   cffi), for any font whose charset holds the character (``FcFontList`` with
   an ``FC_CHARSET`` pattern). ``fc-list`` is not used: it is a separate program
   a fresh machine may not have, while the library is there wherever WeasyPrint
   runs. If the library cannot be loaded anyway, only our own faces count: such
   a machine may get a warning for a character it could draw, never a silent box.

Each warning gives the line and column where the character is written, found
in the source text; a character written only as an escape (``"\\U0001F600"``)
is reported without a position.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from fontTools.ttLib import TTFont

from . import fonts
from .errors import Diagnostic
from .model import Briefing

#: Never drawn, so never missing: controls, format characters, separators, selectors.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zs", "Zl", "Zp"}
_SELECTORS = (range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0))
#: Warnings per source; past this one line says how many more lines have such characters.
MAX_WARNINGS = 20


@lru_cache(maxsize=1)
def own_coverage() -> frozenset[int]:
    """Code points every shipped face maps (read once per process)."""
    maps = []
    for face in fonts.FACES:
        font = TTFont(face.path, lazy=True)
        try:
            maps.append(set(font.getBestCmap() or {}))
        finally:
            font.close()
    return frozenset(set.intersection(*maps))


class _FcFontSet(ctypes.Structure):
    _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int),
                ("fonts", ctypes.c_void_p)]


@lru_cache(maxsize=1)
def _fontconfig() -> ctypes.CDLL | None:
    """The fontconfig library, typed for the few calls used here; None if it is missing."""
    names = [ctypes.util.find_library("fontconfig"), "libfontconfig.so.1",
             "libfontconfig.1.dylib", "libfontconfig-1.dll"]
    for name in filter(None, names):
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        vp = ctypes.c_void_p
        for fn, restype, argtypes in (
            ("FcCharSetCreate", vp, []), ("FcCharSetAddChar", ctypes.c_int, [vp, ctypes.c_uint32]),
            ("FcCharSetDestroy", None, [vp]), ("FcPatternCreate", vp, []),
            ("FcPatternAddCharSet", ctypes.c_int, [vp, ctypes.c_char_p, vp]),
            ("FcPatternDestroy", None, [vp]), ("FcObjectSetCreate", vp, []),
            ("FcObjectSetAdd", ctypes.c_int, [vp, ctypes.c_char_p]),
            ("FcObjectSetDestroy", None, [vp]),
            ("FcFontList", ctypes.POINTER(_FcFontSet), [vp, vp, vp]),
            ("FcFontSetDestroy", None, [ctypes.POINTER(_FcFontSet)]),
        ):
            func = getattr(lib, fn)
            func.restype, func.argtypes = restype, argtypes
        return lib
    return None


@lru_cache(maxsize=4096)
def system_has(code: int) -> bool:
    """Whether fontconfig knows a font with this character (False without fontconfig)."""
    lib = _fontconfig()
    if lib is None:
        return False
    charset, pattern, objects = lib.FcCharSetCreate(), lib.FcPatternCreate(), \
        lib.FcObjectSetCreate()
    try:
        lib.FcCharSetAddChar(charset, code)
        lib.FcPatternAddCharSet(pattern, b"charset", charset)
        lib.FcObjectSetAdd(objects, b"family")
        found = lib.FcFontList(None, pattern, objects)
        if not found:
            return False
        count = found.contents.nfont
        lib.FcFontSetDestroy(found)
        return count > 0
    finally:
        lib.FcObjectSetDestroy(objects)
        lib.FcPatternDestroy(pattern)
        lib.FcCharSetDestroy(charset)


def drawable(char: str) -> bool:
    """Whether a character prints as itself: invisible, in our faces, or on the machine."""
    code = ord(char)
    if unicodedata.category(char) in _INVISIBLE_CATEGORIES or any(code in r for r in _SELECTORS):
        return True
    return code in own_coverage() or system_has(code)


def _printed(briefing: Briefing) -> Iterator[str]:
    """Every piece of text from the source that the outputs print."""
    yield from (briefing.title, briefing.subtitle or "", briefing.category or "",
                briefing.notice or "", briefing.introduction or "", *briefing.authors)
    for section in briefing.sections:
        yield from (section.title or "", section.introduction or "")
        for question in section.questions:
            yield from (question.question, question.answer)
            for source in question.sources:
                yield from (source.title, source.url or "")


def _describe(chars: list[str]) -> str:
    named = [f"U+{ord(c):04X} '{c}'" + (f" ({unicodedata.name(c)})"
                                        if unicodedata.name(c, "") else "") for c in chars[:3]]
    if len(chars) == 1:
        return f"no available font can draw {named[0]}; it would print as an empty box"
    more = f" and {len(chars) - 3} more" if len(chars) > 3 else ""
    return (f"no available font can draw {', '.join(named)}{more}; "
            "they would print as empty boxes")


def missing_glyphs(briefing: Briefing, text: str) -> list[Diagnostic]:
    """Warnings for characters the briefing prints that no font can draw, where they are."""
    chars = {c for piece in _printed(briefing) for c in piece if ord(c) > 0x7E}
    missing = {c for c in chars if not drawable(c)}
    if not missing:
        return []
    found: list[Diagnostic] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        on_line = sorted({c for c in line if c in missing}, key=line.index)
        if on_line:
            seen.update(on_line)
            column = line.index(on_line[0]) + 1
            found.append(Diagnostic(briefing.path, number, column, _describe(on_line),
                                    "warning"))
    unseen = sorted(missing - seen)
    if unseen:  # written as escapes, so without a place in the text
        found.append(Diagnostic(briefing.path, 0, 0, _describe(unseen), "warning"))
    if len(found) > MAX_WARNINGS:
        rest = len(found) - MAX_WARNINGS
        found = found[:MAX_WARNINGS] + [Diagnostic(
            briefing.path, 0, 0, f"{rest} more lines have characters no font can draw",
            "warning")]
    return found
