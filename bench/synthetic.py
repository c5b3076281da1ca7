"""Deterministic synthetic briefings of any size, for benchmarks and scale tests."""

from __future__ import annotations

import random

WORDS = [
    "state", "local", "federal", "agency", "agencies", "law", "enforcement", "policy",
    "policies", "cooperation", "detainer", "request", "requests", "county", "city", "officer",
    "officers", "training", "resources", "community", "communities", "public", "safety",
    "rights", "civil", "immigrant", "immigration", "court", "custody", "record", "records",
    "oversight", "review", "report", "reporting", "budget", "program", "programs", "access",
    "information", "sharing", "statute", "ordinance", "council", "legislature", "governor",
    "attorney", "general", "office", "jail", "release", "notice", "hearing", "counsel",
    "appeal", "procedure", "guidance", "practice", "compliance", "funding", "grant",
    "residents",
]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(9, 24))]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))


def _answer(rng: random.Random) -> str:
    blocks = [_paragraph(rng) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.3:
        items = [f"{n}. {_sentence(rng)}" for n in range(1, rng.randint(3, 5))]
        blocks.insert(1, "\n".join(items))
    return "\n\n".join(blocks)


def _yaml_block(text: str, indent: int) -> str:
    pad = " " * indent
    return "|\n" + "\n".join(pad + line if line else "" for line in text.split("\n")) + "\n"


def synthetic_source(questions: int, per_section: int = 10, seed: int = 0) -> str:
    """YAML text of a briefing with ``questions`` questions in sections of ``per_section``."""
    rng = random.Random(seed * 100_003 + questions)
    lines = [
        f"title: Synthetic briefing of {questions} questions",
        "subtitle: Benchmark document",
        "category: Benchmark",
        "date: 2026-11-27",
        "notice: |",
        "  Generated text for measuring build speed.",
        "sections:",
    ]
    for start in range(0, questions, per_section):
        lines.append(f"  - title: {' '.join(rng.choice(WORDS) for _ in range(3)).capitalize()}")
        lines.append("    questions:")
        for _ in range(min(per_section, questions - start)):
            question = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 18)))
            lines.append(f"      - question: {question.capitalize()}?")
            lines.append("        answer: " + _yaml_block(_answer(rng), 10).rstrip("\n"))
    return "\n".join(lines) + "\n"
