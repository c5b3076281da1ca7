"""Typographic care on real outputs: hyphenation at paragraph ends and page turns; quotes."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, Built, build_once
from hyphens import faults

from briefing.labels import LABELS

STYLES = ROOT / "styles"
#: A paragraph ending in a long word, after a varying number of words: some of its
#: line breaks fall in the last word, where hyphenation would leave a stub ("ities.").
WORDS = "the state and local agencies may share records with federal officers when a court"


@pytest.fixture(scope="module")
def stubs(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A handout of paragraphs that each end with "responsibilities."."""
    words = WORDS.split()
    paragraphs = [" ".join(words[i % len(words)] for i in range(k)).capitalize()
                  + " responsibilities." for k in range(12, 52)]
    folder = tmp_path_factory.mktemp("stubs-src")
    source = folder / "stubs.yaml"
    answer = "\n\n".join(paragraphs).replace("\n", "\n      ")
    source.write_text("title: T\nlayout: handout\nquestions:\n  - question: Why?\n"
                      f"    answer: |\n      {answer}\n", encoding="utf-8")
    return build_once(source, tmp_path_factory.mktemp("stubs"), formats=("pdf",))


def _source(built: Built) -> str:
    return Path(built.outcome.source).read_text(encoding="utf-8")


def test_no_paragraph_ends_with_a_stub_after_a_hyphen(stubs: Built) -> None:
    found = faults(stubs.pdf_path, _source(stubs))
    assert found.stubs == []
    assert found.page_turns == []


@pytest.mark.parametrize("name", ["example", "spanish", "stubs"])
def test_no_word_is_split_across_a_page_turn(name: str, request) -> None:
    built: Built = request.getfixturevalue(name)
    assert faults(built.pdf_path, _source(built)).page_turns == []


def _straight(text: str) -> bool:
    return '"' in text or "'" in text


class _Text(HTMLParser):
    """The text a template prints: its text nodes and the attributes readers are told."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.skip = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.skip = tag in ("style", "script")
        self.found += [v for k, v in attrs if k in ("aria-label", "title", "alt") and v]

    def handle_endtag(self, tag: str) -> None:
        self.skip = False

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.found.append(data)


def generated_strings() -> dict[str, str]:
    """Every string the briefing prints of its own: labels, template text, CSS content."""
    found = {f"labels[{lang}][{key}]": value
             for lang, labels in LABELS.items() for key, value in labels.items()}
    for template in sorted(STYLES.glob("*.j2")):
        text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", "", template.read_text("utf-8"),
                      flags=re.S)
        if "<" not in text:  # a stylesheet block
            continue
        parser = _Text()
        parser.feed(text)
        found |= {f"{template.name}: {s.strip()}": s for s in parser.found if s.strip()}
    for sheet in [*STYLES.glob("*.css"), *STYLES.glob("*.j2")]:
        for rule in re.findall(r"(?:content|string-set)\s*:([^;}]*)", sheet.read_text("utf-8")):
            for literal in re.findall(r'"((?:[^"\\]|\\.)*)"', rule):
                found[f"{sheet.name}: {literal}"] = literal.replace("\\22", '"').replace(
                    "\\27", "'")
    return found


def test_generated_text_has_no_straight_quotes() -> None:
    strings = generated_strings()
    assert any(key.startswith("labels[es]") for key in strings)
    assert any(key.startswith("print.css") for key in strings)
    assert [key for key, value in strings.items() if _straight(value)] == []
