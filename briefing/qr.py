"""The QR code that leads a printed briefing back to its address online (``url:``).

The code is an SVG image in a ``data:`` URL, so that WeasyPrint draws it as
vectors (sharp at any size) and fetches nothing: the restricted fetcher lets
``data:`` URLs through since they reach nothing. segno chooses the smallest
symbol for the address; error correction M survives a smudge or a fold, and
the quiet zone of four modules that scanners need is part of the image.
"""

from __future__ import annotations

#: Modules of blank margin around the symbol: the quiet zone the QR standard asks for.
QUIET_ZONE = 4


def data_url(url: str) -> str:
    """The QR code of ``url`` as a ``data:`` URL of its SVG, for an ``<img src>``."""
    import segno

    code = segno.make(url, error="m", micro=False)
    return code.svg_data_uri(border=QUIET_ZONE, omitsize=True, dark="#000", light="#fff")
