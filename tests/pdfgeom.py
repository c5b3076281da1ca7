"""Where text is drawn on a PDF page: the visible horizontal extent of every text run.

pypdf decodes text but does not say where a run ends, so this walks the content
stream itself: the graphics state (cm, q/Q), clipping rectangles (re W n), text
matrices (Tm, Td) and fonts (Tf), and adds up glyph widths from each font's /W
array (WeasyPrint writes two-byte glyph ids with Identity-H encoding). Trailing
spaces do not count: CSS lets them hang past the end of a line, invisibly.

``fragments`` and ``lines`` take pypdf's own decoding instead, for the text
itself: where each fragment's baseline starts and how large it is set.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from pypdf import PageObject
from pypdf.generic import ContentStream

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s,
            e * p + f * r + t, e * q + f * s + u)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


@dataclass(frozen=True)
class _State:
    """The part of the graphics state the walks read: the matrix, the clip's x range and the
    fill colour (DeviceRGB)."""

    ctm: Matrix = IDENTITY
    clip: tuple[float, float] = (float("-inf"), float("inf"))
    rgb: tuple[float, ...] = (0.0, 0.0, 0.0)


class _Walk:
    """A page's content-stream operations in order, with the graphics state each runs in:
    ``q``, ``Q`` and ``cm`` are applied here; a walk changes the rest with :meth:`set`."""

    def __init__(self, page: PageObject) -> None:
        self.ops = ContentStream(page.get_contents(), page.pdf, "bytes").operations
        self.state = _State()
        self.saved: list[_State] = []

    def __iter__(self) -> Iterator[tuple[list, bytes]]:
        for args, op in self.ops:
            if op == b"q":
                self.saved.append(self.state)
            elif op == b"Q":
                self.state = self.saved.pop()
            elif op == b"cm":
                self.set(ctm=_mul(tuple(float(a) for a in args), self.state.ctm))
            else:
                yield args, op

    def set(self, **changes: object) -> None:
        """Change the current graphics state (until the next ``Q`` restores a saved one)."""
        self.state = replace(self.state, **changes)


def _spaces(font: dict) -> set[int]:
    """Glyph ids the font's ToUnicode map sends to a space (they may hang past the margin)."""
    if "/ToUnicode" not in font:
        return set()
    cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    return {int(cid, 16) for cid in re.findall(r"<([0-9a-fA-F]{4})>\s*<0020>", cmap)}


def _widths(font: dict) -> tuple[dict[int, float], float, set[int]]:
    descendant = font["/DescendantFonts"][0].get_object()
    widths: dict[int, float] = {}
    w = list(descendant.get("/W", []))
    i = 0
    while i < len(w):
        first = int(w[i])
        if isinstance(w[i + 1], list) or hasattr(w[i + 1], "__iter__"):
            for k, width in enumerate(w[i + 1]):
                widths[first + k] = float(width)
            i += 2
        else:
            for cid in range(first, int(w[i + 1]) + 1):
                widths[cid] = float(w[i + 2])
            i += 3
    return widths, float(descendant.get("/DW", 1000)), _spaces(font)


def text_extents(page: PageObject) -> list[tuple[float, float, float]]:
    """(left x, right x, baseline y) in points of the inked part of every visible text run."""
    fonts = {name: _widths(f.get_object())
             for name, f in page["/Resources"].get("/Font", {}).items()}
    walk = _Walk(page)
    tm, size, font, pending_rect, clip_next = IDENTITY, 0.0, None, None, False
    runs = []
    for args, op in walk:
        ctm, clip = walk.state.ctm, walk.state.clip
        if op == b"re":
            x, y, w, h = (float(a) for a in args)
            xs = [_apply(ctm, px, py)[0] for px in (x, x + w) for py in (y, y + h)]
            pending_rect = (min(xs), max(xs))
        elif op in (b"W", b"W*"):
            clip_next = True
        elif op == b"n" and clip_next and pending_rect:
            walk.set(clip=(max(clip[0], pending_rect[0]), min(clip[1], pending_rect[1])))
            clip_next = False
        elif op == b"BT":
            tm = IDENTITY
        elif op == b"Tm":
            tm = tuple(float(a) for a in args)
        elif op == b"Td":
            tm = _mul((1, 0, 0, 1, float(args[0]), float(args[1])), tm)
        elif op == b"Tf":
            font, size = fonts.get(str(args[0])), float(args[1])
        elif op in (b"TJ", b"Tj") and font:
            widths, default, spaces = font
            items = args[0] if op == b"TJ" else [args[0]]
            advance = inked = 0.0
            for item in items:
                if isinstance(item, bytes | str):
                    data = item if isinstance(item, bytes) else item.encode("latin-1")
                    for k in range(0, len(data) - 1, 2):
                        cid = int.from_bytes(data[k:k + 2], "big")
                        advance += widths.get(cid, default) / 1000 * size
                        if cid not in spaces:
                            inked = advance
                else:
                    advance -= float(item) / 1000 * size
            matrix = _mul(tm, ctm)
            x0, y0 = _apply(matrix, 0, 0)
            x1, _ = _apply(matrix, inked, 0)
            left, right = max(min(x0, x1), clip[0]), min(max(x0, x1), clip[1])
            if right > left:
                runs.append((left, right, y0))
            tm = _mul((1, 0, 0, 1, advance, 0), tm)
    return runs


@dataclass(frozen=True)
class Fragment:
    """A piece of text as pypdf decodes it: where its baseline starts, its size, its text."""

    x: float
    y: float
    size: float
    text: str


def fragments(page: PageObject) -> list[Fragment]:
    """Every non-blank text fragment of a page, with its start point and font size in points.

    Text inside a form XObject is placed where the page draws the form: pypdf
    reports it relative to the form, so the matrix in force at each ``Do`` is
    kept until the ``Q`` that ends it (a form's own q/Q pairs are balanced).
    """
    found: list[Fragment] = []
    depth = 0
    placed: list[tuple[Matrix, int]] = []  # (where a form is drawn, q depth at its Do)

    def operator(op: bytes, operands: list, cm: list, tm: list) -> None:
        nonlocal depth
        if op == b"q":
            depth += 1
        elif op == b"Q":
            depth -= 1
            while placed and depth < placed[-1][1]:
                placed.pop()
        elif op == b"Do":
            outer = placed[-1][0] if placed else IDENTITY
            placed.append((_mul(tuple(float(v) for v in cm), outer), depth))

    def visit(text: str, cm: list, tm: list, font: object, font_size: float) -> None:
        if text.strip():
            m = _mul(tuple(float(v) for v in tm), tuple(float(v) for v in cm))
            if placed:
                m = _mul(m, placed[-1][0])
            a, b, c, d, e, f = m
            found.append(Fragment(e, f, abs(font_size * d), " ".join(text.split())))

    page.extract_text(visitor_text=visit, visitor_operand_before=operator)
    return found


def lines(found: list[Fragment], tolerance: float = 1.0) -> list[tuple[float, str]]:
    """Fragments joined into lines: (baseline y, text left to right), top line first."""
    rows: list[list[Fragment]] = []
    for fragment in sorted(found, key=lambda f: (-f.y, f.x)):
        if rows and abs(rows[-1][0].y - fragment.y) <= tolerance:
            rows[-1].append(fragment)
        else:
            rows.append([fragment])
    return [(row[0].y, " ".join(f.text for f in sorted(row, key=lambda f: f.x))) for row in rows]


@dataclass(frozen=True)
class Paint:
    """Something drawn in a colour: a text run or a filled rectangle, from the page's top left."""

    kind: str
    rgb: tuple[float, float, float]
    x: float
    y: float
    height: float = 0.0


def painted(page: PageObject) -> list[Paint]:
    """Every text run and filled rectangle of a page with its fill colour (DeviceRGB ``rg``)."""
    top = float(page.mediabox.top)
    walk = _Walk(page)
    tm: Matrix = IDENTITY
    rects: list[tuple[float, float, float]] = []
    found: list[Paint] = []
    for operands, op in walk:
        ctm, rgb = walk.state.ctm, walk.state.rgb
        if op == b"rg":
            walk.set(rgb=tuple(round(float(v), 3) for v in operands))
        elif op == b"Tm":
            tm = tuple(float(v) for v in operands)
        elif op in (b"Tj", b"TJ"):
            x, y = _apply(_mul(tm, ctm), 0, 0)
            found.append(Paint("text", rgb, x, top - y))
        elif op == b"re":
            x, y, w, h = (float(v) for v in operands)
            (x0, y0), (x1, y1) = _apply(ctm, x, y), _apply(ctm, x + w, y + h)
            rects.append((min(x0, x1), top - max(y0, y1), abs(y1 - y0)))
        elif op in (b"f", b"f*", b"F"):
            found.extend(Paint("fill", rgb, x, y, h) for x, y, h in rects)
            rects = []
        elif op == b"n":
            rects = []
    return found
