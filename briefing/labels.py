"""Words the briefing prints itself (contents, page N of M, as of ...), per language."""

from __future__ import annotations

import datetime

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "contents": "Contents",
        "introduction": "Introduction",
        "as_of": "As of {date}",
        "page": "Page",
        "page_of": "of",
        "notice": "Notice",
        "sources": "Sources",
        "section": "Section",
        "question": "Question",
        "see": "see",
        "page_short": "page",
        "notes_of": "Notes: {owner}",
        "back": "Back to the text",
        "by": "Prepared by",
        "skip": "Skip to the questions",
        "appendix": "Appendix {label}",
        "draft": "Draft",
        "watermark": "DRAFT",
        "online": "Current version",
        "qr": "QR code for {url}",
    },
    "es": {
        "contents": "Índice",
        "introduction": "Introducción",
        "as_of": "Actualizado al {date}",
        "page": "Página",
        "page_of": "de",
        "notice": "Aviso",
        "sources": "Fuentes",
        "section": "Sección",
        "question": "Pregunta",
        "see": "ver",
        "page_short": "pág.",
        "notes_of": "Notas: {owner}",
        "back": "Volver al texto",
        "by": "Elaborado por",
        "skip": "Saltar a las preguntas",
        "appendix": "Anexo {label}",
        "draft": "Borrador",
        "watermark": "BORRADOR",
        "online": "Versión actual",
        "qr": "Código QR de {url}",
    },
}

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"),
}


def base_language(language: str) -> str:
    """The primary subtag of a language tag: 'es' for 'es-MX'."""
    return language.split("-")[0].lower()


def has_labels(language: str) -> bool:
    """Whether the language ships a complete label set."""
    return base_language(language) in LABELS


def labels_for(language: str) -> dict[str, str]:
    """The label set of a language, falling back to English."""
    return LABELS.get(base_language(language), LABELS["en"])


def format_date(date: datetime.date, language: str) -> str:
    """A long date as the language writes it: 'November 27, 2026', '27 de noviembre de 2026'."""
    lang = base_language(language)
    if lang == "es":
        return f"{date.day} de {_MONTHS['es'][date.month - 1]} de {date.year}"
    return f"{_MONTHS['en'][date.month - 1]} {date.day}, {date.year}"
