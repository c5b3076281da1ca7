"""Appendix numbering and the release guard, on real outputs of one source each."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
import yaml
from conftest import ROOT, Built, build_once, page_texts
from pdfgeom import fragments, lines

from briefing.cli import main
from briefing.load import parse

#: A source with every key of this feature, long enough for three body pages.
SOURCE = """\
title: Cooperation with federal immigration enforcement
subtitle: What the county does and does not do
category: Public briefing
appendix: B
status: draft
url: https://example.org/briefings/ice-cooperation
date: 2026-11-27
author: County Counsel
sections:
  - title: Detainers
    questions:
      - question: Does the jail hold people for immigration agents?
        answer: |
          {long}
      - question: Who decides whether a detainer is honoured?
        status: draft
        answer: |
          {long}
  - title: Information sharing
    questions:
      - question: Does the county share release dates?
        answer: |
          {long}
      - question: Does the county ask people where they were born?
        answer: |
          {long}
"""
LONG = " ".join(["Only with a judicial warrant signed by a judge, the policy says, and the "
                 "sheriff applies it the same way to everyone held in the county jail."] * 14)
TEXT = SOURCE.replace("{long}", LONG)
DATA = yaml.safe_load(TEXT)


def _build(tmp_path_factory: pytest.TempPathFactory, name: str, text: str) -> Built:
    folder = tmp_path_factory.mktemp(name)
    source = folder / f"{name}.yaml"
    source.write_text(text, encoding="utf-8")
    return build_once(source, folder / "out", formats=("pdf", "html", "booklet"))


@pytest.fixture(scope="session")
def covered(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The briefing layout: a cover, contents, and the body."""
    return _build(tmp_path_factory, "covered", TEXT)


@pytest.fixture(scope="session")
def handout(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The handout layout, in Spanish: a title block on page 1."""
    return _build(tmp_path_factory, "handout", "layout: handout\nlanguage: es\n" + TEXT)


def _lines(page: object) -> list[str]:
    """The page's lines of text, top first, without spaces."""
    kept = fragments(page)
    return [text.replace(" ", "") for _, text in lines(kept, tolerance=2)]


def _front(built: Built) -> int:
    return 2 if "layout: handout" not in built.outcome.source.read_text() else 0


@pytest.mark.parametrize("name", ["covered", "handout"])
def test_appendix_labels_the_pages_and_prints_them_in_the_footers(
        name: str, request: pytest.FixtureRequest) -> None:
    built: Built = request.getfixturevalue(name)
    reader = built.reader
    prefix = DATA["appendix"] + "-"
    front = _front(built)
    body = len(reader.pages) - front
    assert body >= 3
    assert reader.page_labels == [prefix + n for n in ("i", "ii")][:front] + [
        f"{prefix}{n}" for n in range(1, body + 1)]
    word, of = ("Página", "de") if name == "handout" else ("Page", "of")
    for index, page in enumerate(reader.pages[front:], start=1):
        assert _lines(page)[-1] == f"{word}{prefix}{index}{of}{prefix}{body}"


def test_the_contents_prints_the_appendix_page_of_every_heading(covered: Built) -> None:
    reader = covered.reader
    texts = page_texts(reader)
    contents = _lines(reader.pages[1])
    headings = [s["title"] for s in DATA["sections"]]
    headings += [q["question"] for s in DATA["sections"] for q in s["questions"]]
    for heading in headings:
        (entry,) = [line for line in contents if heading.replace(" ", "") in line]
        printed = entry.rsplit(".", 1)[1]  # after the leader dots
        page = next(i for i, text in enumerate(texts[2:], start=1) if heading in text)
        assert printed == f"{DATA['appendix']}-{page}", heading
    assert contents[-1] == f"{DATA['appendix']}-ii"
    with pikepdf.open(covered.pdf_path) as pdf:  # what a screen reader says of each entry
        links = [(str(a.Dest), str(a.Contents)) for a in pdf.pages[1].Annots]
    for target, said in links:
        page = reader.get_destination_page_number(reader.named_destinations[target])
        assert said.endswith(f", page {reader.page_labels[page]}")


@pytest.mark.parametrize(("name", "page", "words"), [
    ("covered", 0, ("Appendix",)), ("handout", 0, ("Anexo",))])
def test_appendix_is_said_above_the_title(
        name: str, page: int, words: tuple[str, ...], request: pytest.FixtureRequest) -> None:
    built: Built = request.getfixturevalue(name)
    found = _lines(built.reader.pages[page])
    part = found.index(f"{words[0]}{DATA['appendix']}")
    title = DATA["title"].replace(" ", "")
    title_line = next(i for i, line in enumerate(found) if title.startswith(line))
    assert part < found.index(DATA["category"].upper().replace(" ", "")) < title_line
    assert built.reader.metadata.title == DATA["title"]
    html = built.html
    assert f'<span class="appendix">{words[0]} {DATA["appendix"]}</span>' in html


def test_appendix_must_be_a_short_label() -> None:
    text = "title: T\nappendix: Appendix B\nquestions:\n  - question: Q?\n    answer: A\n"
    _, diagnostics = parse(text, "s.yaml")
    assert [str(d) for d in diagnostics] == [
        "s.yaml:2:11: error: appendix 'Appendix B' must be 1 to 3 letters or digits, "
        "such as B or A2"]


def _readme_example() -> tuple[str, list[str]]:
    """The README's example source for these keys and the errors it shows for --final."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Appendices, drafts and the address online", 1)[1]
    blocks = section.split("```")
    source = blocks[1].removeprefix("yaml\n")
    shown = blocks[3].strip().splitlines()
    assert shown[0] == "$ briefing build --final source/detainers.yaml"
    return source, shown[1:]


@pytest.mark.parametrize("command", ["build", "check"])
def test_final_refuses_a_draft_at_each_status_and_writes_nothing(
        command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    source, expected = _readme_example()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "detainers.yaml").write_text(source, encoding="utf-8")
    statuses = [(n, line.index("status:") + len("status: ") + 1)
                for n, line in enumerate(source.splitlines(), start=1) if "status:" in line]
    assert [tuple(map(int, e.split(":")[1:3])) for e in expected] == statuses
    code = main([command, "--final", "source/detainers.yaml", *(
        ["--out", "out"] if command == "build" else [])])
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert err[:2] == expected
    assert not (tmp_path / "out").exists()


def test_final_passes_a_final_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, _ = _readme_example()
    final = re.sub(r"\n *status: draft", "", source)
    path = tmp_path / "detainers.yaml"
    path.write_text(final, encoding="utf-8")
    assert main(["check", "--final", str(path)]) == 0
    assert "1 source checked, 0 errors" in capsys.readouterr().err
