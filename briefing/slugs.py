"""Slugs: file names made from titles, shared by the import command and the per-section PDFs."""

from __future__ import annotations

import re
import unicodedata

#: Slugs are cut at a word boundary near this length.
MAX_SLUG = 60


def slug(text: str, fallback: str = "briefing") -> str:
    """A file name for a title: 'Preguntas sobre el padrón' -> 'preguntas-sobre-el-padron'.

    Accents are dropped, everything but ASCII letters and digits separates words,
    and a title with none of them gives ``fallback``.
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", plain.lower())
    name = ""
    for word in words:
        if name and len(name) + 1 + len(word) > MAX_SLUG:
            break
        name = f"{name}-{word}" if name else word[:MAX_SLUG]
    return name or fallback
