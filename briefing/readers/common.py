"""Helpers every reader shares: guessing the language of a text from its questions."""

from __future__ import annotations

import re

#: Common words of questions in each language, for guessing which one a text is in.
_SPANISH = frozenset({
    "qué", "que", "cómo", "como", "cuál", "cuáles", "cuándo", "cuánto", "dónde", "quién",
    "por", "para", "los", "las", "el", "la", "del", "una", "es", "son", "se", "puedo",
    "puede", "hay", "en", "con", "mi", "su", "al", "sobre",
})
_ENGLISH = frozenset({
    "the", "what", "how", "is", "are", "do", "does", "can", "of", "to", "in", "for", "and",
    "who", "when", "where", "which", "why", "my", "on", "with", "will", "should", "there",
})


def guess_language(questions: list[str]) -> str:
    """'es' when the questions read as Spanish, else 'en'."""
    text = " ".join(questions).lower()
    words = re.findall(r"\w+", text)
    spanish = sum(w in _SPANISH for w in words) + 3 * text.count("¿")
    spanish += len(re.findall(r"[áéíóúñü]", text))
    english = sum(w in _ENGLISH for w in words)
    return "es" if spanish > english else "en"
