"""Compile structured Q&A (YAML) into printable, paginated PDF and HTML briefings.

The public API is small: :func:`load` reads a source, :func:`build` writes its
outputs. Importing the package does not import WeasyPrint.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import BriefingError, Diagnostic, SourceError  # noqa: E402
from .load import load  # noqa: E402

__all__ = ["BriefingError", "Diagnostic", "SourceError", "__version__", "load"]
