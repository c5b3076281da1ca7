"""Compile structured Q&A (YAML) into printable, paginated PDF and HTML briefings.

The public API is small, like WeasyPrint's: :func:`load` reads a source into
the model, :func:`check_sources` validates, :func:`build` writes the outputs
of the writers in :data:`WRITERS`. Importing the package imports neither
WeasyPrint nor fontTools; a build imports them only when it renders.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .build import Built, Outcome, Written, build, check_sources, discover  # noqa: E402
from .errors import BriefingError, Diagnostic, SourceError  # noqa: E402
from .load import load, parse  # noqa: E402
from .model import Briefing, Markdown, Question, Section, Source  # noqa: E402
from .options import Options  # noqa: E402
from .writers import WRITERS  # noqa: E402

__all__ = [
    "WRITERS", "Briefing", "BriefingError", "Built", "Diagnostic", "Markdown", "Options",
    "Outcome", "Question", "Section", "Source", "SourceError", "Written", "__version__",
    "build", "check_sources", "discover", "load", "parse",
]
