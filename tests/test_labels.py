"""The words a briefing prints itself: a complete set in every language, for every template."""

from __future__ import annotations

import re
from pathlib import Path

from briefing import render_html
from briefing.labels import LABELS
from briefing.options import STYLES


def labels_used() -> set[str]:
    """Every label the project's templates and the HTML renderer ask for."""
    used: set[str] = set()
    for path in STYLES.iterdir():
        if path.is_file():
            used |= set(re.findall(r"\blabels\.(\w+)", path.read_text(encoding="utf-8")))
    renderer = Path(render_html.__file__).read_text(encoding="utf-8")
    return used | set(re.findall(r"\blabels\[\"(\w+)\"\]", renderer))


def test_every_language_has_the_same_labels() -> None:
    assert {"en", "es"} <= LABELS.keys()
    for language, labels in LABELS.items():
        assert labels.keys() == LABELS["en"].keys(), language
        assert all(value.strip() for value in labels.values()), language
        assert labels["as_of"].count("{date}") == 1, language


def test_every_label_the_templates_use_exists_in_every_language() -> None:
    used = labels_used()
    # What the templates print today, so that a search finding nothing cannot pass.
    assert {"contents", "introduction", "page", "page_of", "notice", "sources", "by",
            "as_of"} <= used
    for language, labels in LABELS.items():
        assert used - labels.keys() == set(), language
