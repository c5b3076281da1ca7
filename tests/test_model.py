"""The model is the schema: every declared field loads, writes back and is walked."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from briefing.load import parse
from briefing.model import Briefing, Declared, Location, Node, Span, markdown, schema, walk
from briefing.write_yaml import dump

#: A sample YAML value for each kind of field, and what the model holds for it.
SAMPLES = {
    "text": ("Plain ñ text", "Plain ñ text"),
    "markdown": ("|\n{pad}Some *emphasis* and ![m](map.png).\n",
                 "Some *emphasis* and ![m](map.png).\n"),
    "id": ("an-id", "an-id"),
    "url": ("https://example.org/a", "https://example.org/a"),
    "language": ("es-MX", "es-MX"),
    "flag": ("false", False),
    "date": ("2026-11-27", datetime.date(2026, 11, 27)),
    "names": ("[Ana, Luis]", ("Ana", "Luis")),
    "label": ("B2", "B2"),
}


def _sample(d: Declared) -> tuple[str, Any]:
    """The sample of a field's kind; for a choice, its last choice."""
    return (d.choices[-1], d.choices[-1]) if d.kind == "choice" else SAMPLES[d.kind]


def _yaml(cls: type[Node], indent: int) -> str:
    """A mapping that sets every declared key of ``cls`` (lists hold one full item each)."""
    pad = " " * indent
    lines = []
    for d in schema(cls):
        if d.kind == "list":
            item = _yaml(d.item, indent + 4)
            lines.append(f"{pad}{d.key}:\n{pad}  - {item.lstrip()}")
        else:
            sample = _sample(d)[0].format(pad=pad + "  ")
            lines.append(f"{pad}{d.key}: {sample}".rstrip("\n") + "\n")
    return "".join(lines)


def _declared(cls: type[Node]) -> set[tuple[str, str]]:
    """(class, key) of every scalar field reachable from ``cls``."""
    found = set()
    for d in schema(cls):
        found |= _declared(d.item) if d.kind == "list" else {(cls.__name__, d.key)}
    return found


def test_every_declared_field_loads_writes_back_and_is_walked() -> None:
    text = _yaml(Briefing, 0)
    briefing, diagnostics = parse(text, "all.yaml")
    assert diagnostics == [], text
    walked = {(type(owner).__name__, d.key): value for owner, d, value in walk(briefing)}
    assert set(walked) == _declared(Briefing)
    for (_, key), value in walked.items():
        declared = next(d for c in (Briefing, *_classes()) for d in schema(c) if d.key == key)
        assert str(value) == str(_sample(declared)[1]), key
    again, diagnostics = parse(dump(briefing), "all.yaml")
    assert diagnostics == [] and again == briefing
    images = [i.path for _, value in markdown(briefing) for i in value.images]
    assert images == ["map.png"] * len([k for k in walked if k[1] in ("notice", "introduction",
                                                                      "answer")])


def _classes() -> list[type]:
    found: list[type] = []
    todo = [Briefing]
    while todo:
        for d in schema(todo.pop()):
            if d.item is not None:
                found.append(d.item)
                todo.append(d.item)
    return found


def test_the_keys_a_source_may_use_are_the_declared_ones() -> None:
    assert [d.key for d in schema(Briefing)] == [
        "title", "subtitle", "category", "appendix", "status", "url", "language", "paper",
        "layout", "cover", "contents", "sides", "section-start", "date", "author", "notice",
        "introduction", "sections"]
    assert [d.key for d in schema(_classes()[0])] == [
        "title", "id", "language", "introduction", "questions"]
    required = {(c.__name__, d.key) for c in (Briefing, *_classes()) for d in schema(c)
                if d.required}
    assert required == {("Briefing", "title"), ("Section", "title"), ("Section", "questions"),
                        ("Question", "question"), ("Question", "answer"), ("Source", "title")}
    assert all(isinstance(d, Declared) for d in schema(Briefing))


def test_each_character_of_a_value_has_its_place_in_the_file(tmp_path: Path) -> None:
    text = ('title: "Quoted ñ"\nsubtitle: Plain ñ\ncategory: \'It\'\'s ñ\'\n'
            "notice: >\n  Folded ñ\n  text\nquestions:\n  - question: Q?\n    answer: |\n"
            "      Line one.\n        Indented ñ.\n")
    briefing, _ = parse(text, "s.yaml")
    lines = text.splitlines()

    def char_at(where: Location) -> str:
        return lines[where.line - 1][where.column - 1]

    assert char_at(briefing.spans["title"].at(0, 7)) == "ñ"
    assert char_at(briefing.spans["subtitle"].at(0, 6)) == "ñ"
    answer = briefing.questions[0].spans["answer"]
    assert answer.lines == ((10, 7), (11, 7))
    assert char_at(answer.at(1, 11)) == "ñ"
    # Escaped quotes and folded lines do not keep the text's layout: the value's start.
    assert briefing.spans["category"] == Span(Location("s.yaml", 3, 11))
    assert briefing.spans["notice"] == Span(Location("s.yaml", 4, 9))


def test_every_paper_a_source_may_name_has_a_page_size() -> None:
    from briefing.model import PAPERS
    from briefing.options import PAPER_SIZES

    assert tuple(PAPER_SIZES) == PAPERS
