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

The printed values are the model's declared fields (``model.walk``), and each
value knows where its lines sit in the file, so a warning gives the line and
column where the character is written; a character the YAML spells otherwise
(an escape such as ``"\\U0001F600"``, a folded block) is reported where its
value starts.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import unicodedata
from functools import lru_cache

from . import fonts
from .errors import Diagnostic
from .model import Briefing, Location, walk

#: Never drawn, so never missing: controls, format characters, separators, selectors.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zs", "Zl", "Zp"}
_SELECTORS = (range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0))
#: Warnings per source; past this one line says how many more lines have such characters.
MAX_WARNINGS = 20


@lru_cache(maxsize=1)
def own_coverage() -> frozenset[int]:
    """Code points every shipped face maps (read once per process)."""
    from fontTools.ttLib import TTFont  # only when a source is checked, never on a no-op build

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


def _placed(briefing: Briefing) -> dict[str, list[Location]]:
    """Every character the outputs print beyond ASCII, with where each use of it is written."""
    found: dict[str, list[Location]] = {}
    for owner, declared, value in walk(briefing):
        if not declared.printed:
            continue
        span = owner.spans.get(declared.key)
        texts = value if isinstance(value, tuple) else (str(value),)
        for text in texts:
            for line_index, line in enumerate(str(text).splitlines()):
                for column, char in enumerate(line):
                    if ord(char) > 0x7E:
                        where = span.at(line_index, column) if span else owner.where
                        found.setdefault(char, []).append(
                            where or Location(briefing.path, 0, 0))
    return found


def _describe(chars: list[str]) -> str:
    named = [f"U+{ord(c):04X} '{c}'" + (f" ({unicodedata.name(c)})"
                                        if unicodedata.name(c, "") else "") for c in chars[:3]]
    if len(chars) == 1:
        return f"no available font can draw {named[0]}; it would print as an empty box"
    more = f" and {len(chars) - 3} more" if len(chars) > 3 else ""
    return (f"no available font can draw {', '.join(named)}{more}; "
            "they would print as empty boxes")


def missing_glyphs(briefing: Briefing) -> list[Diagnostic]:
    """Warnings for characters the briefing prints that no font can draw, where they are.

    One warning per source line, at the first such character, naming each one.
    """
    lines: dict[int, dict[str, Location]] = {}
    for char, places in _placed(briefing).items():
        if drawable(char):
            continue
        for where in places:
            first = lines.setdefault(where.line, {}).get(char)
            if first is None or (where.column < first.column):
                lines[where.line][char] = where
    found: list[Diagnostic] = []
    for line in sorted(lines):
        chars = sorted(lines[line], key=lambda c: (lines[line][c].column, c))
        first = lines[line][chars[0]]
        found.append(Diagnostic(briefing.path, first.line, first.column, _describe(chars),
                                "warning"))
    if len(found) > MAX_WARNINGS:
        rest = len(found) - MAX_WARNINGS
        found = found[:MAX_WARNINGS] + [Diagnostic(
            briefing.path, 0, 0, f"{rest} more lines have characters no font can draw",
            "warning")]
    return found
