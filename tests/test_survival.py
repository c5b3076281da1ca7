"""Text survives, or the user is told: comments, escapes, bidi controls, deep nesting, messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.cli import main
from briefing.markup import MAX_DEPTH
from briefing.model import Briefing, schema

LONG = "The answer runs to ten words so lint stays quiet."


def _run(tmp_path: Path, text: str, capsys, *args: str) -> tuple[int, list[str], Path]:
    source = tmp_path / "s.yaml"
    source.write_text(text, encoding="utf-8")
    code = main(["check", *args, str(source)])
    said = [line for line in capsys.readouterr().err.splitlines() if line.startswith(str(source))]
    return code, said, source


@pytest.mark.parametrize(("text", "line"), [
    (f"title: Hotline #1\nquestions:\n  - question: Q?\n    answer: {LONG}\n", 1),
    (f"title: T\nquestions:\n  - question: Q?\n    answer: {LONG} press #2 for help\n", 4),
    (f"title: T\nauthor:\n  - Ana #x\n  - Luis\nquestions:\n  - question: Q?\n"
     f"    answer: {LONG}\n", 3),
    (f"title: T\nintroduction: Read item #5 first.\nquestions:\n  - question: Q?\n"
     f"    answer: {LONG}\n", 2),
])
def test_a_comment_after_plain_text_is_reported_where_it_starts(
    tmp_path: Path, capsys, text: str, line: int
) -> None:
    column = text.splitlines()[line - 1].index("#") + 1
    code, err, source = _run(tmp_path, text, capsys)
    assert code == 0
    assert err == [f"{source}:{line}:{column}: warning: the text after ' #' is a YAML comment "
                   "and is left out; put the value in quotes or write it as a | block to keep it"]


@pytest.mark.parametrize("text", [
    f'title: "Hotline #1"\nquestions:\n  - question: Q?\n    answer: |\n      {LONG} #2\n',
    f"title: T # 2026 edition\nquestions:\n  - question: Q?\n    answer: '{LONG} #2'\n",
])
def test_quoted_and_block_text_keeps_its_hash(tmp_path: Path, capsys, text: str) -> None:
    code, err, _ = _run(tmp_path, text, capsys)
    expected = [] if text.startswith('title: "') else [err[0]]
    assert code == 0 and err == expected
    if expected:  # a comment after a title is still a comment, and said so
        assert ":1:10: warning: the text after ' #'" in err[0]


@pytest.mark.parametrize(("escape", "code", "kind"), [
    ("\\e", "001B", "control character"), ("\\0", "0000", "control character"),
    ("\\a", "0007", "control character"), ("\\x9b", "009B", "control character"),
    ("\\ud800", "D800", "lone surrogate"),
])
def test_control_characters_written_as_escapes_are_refused(
    tmp_path: Path, capsys, escape: str, code: str, kind: str
) -> None:
    text = f'title: T\nsubtitle: "a{escape}b"\nquestions:\n  - question: Q?\n    answer: {LONG}\n'
    status, err, source = _run(tmp_path, text, capsys)
    assert status == 1
    assert err == [f"{source}:2:11: error: {kind} U+{code} is not allowed in a source "
                   "(here it is written as an escape)"]


def test_tabs_newlines_and_nel_are_still_text(tmp_path: Path, capsys) -> None:
    text = (f'title: T\nsubtitle: "a\\tb\\nc\\Nd"\nquestions:\n  - question: Q?\n'
            f"    answer: {LONG}\n")
    assert _run(tmp_path, text, capsys)[:2] == (0, [])


@pytest.mark.parametrize(("key", "line"), [("title", 1), ("author", 2), ("question", 4)])
def test_bidirectional_controls_are_reported_where_they_are(
    tmp_path: Path, capsys, key: str, line: int
) -> None:
    spoof = "Invoice \u202efdp.exe"
    values = {k: (spoof if k == key else "Plain") for k in ("title", "author", "question")}
    text = (f"title: {values['title']}\nauthor: {values['author']}\nquestions:\n"
            f"  - question: {values['question']}?\n    answer: {LONG}\n")
    column = text.splitlines()[line - 1].index("\u202e") + 1
    code, err, source = _run(tmp_path, text, capsys)
    assert code == 0
    assert err == [f"{source}:{line}:{column}: warning: the {key} holds U+202E (RIGHT-TO-LEFT "
                   "OVERRIDE), which can make it read differently in bookmarks, file lists and "
                   "metadata; remove it"]
    assert main(["check", "--strict", str(source)]) == 1


def test_messages_never_print_control_characters(tmp_path: Path, capsys) -> None:
    text = f'title: T\n"\\e[2J\\u202e": x\nquestions:\n  - question: Q?\n    answer: {LONG}\n'
    code, err, source = _run(tmp_path, text, capsys)
    assert code == 1
    allowed = ", ".join([d.key for d in schema(Briefing)] + ["questions"])
    assert err == [f"{source}:2:1: error: unknown key '\\x1b[2J\\u202e' in the briefing; allowed "
                   f"keys: {allowed}"]


@pytest.mark.parametrize("kind", ["list", "quote"])
def test_markdown_nested_too_deep_is_refused_not_dropped(tmp_path: Path, capsys,
                                                         kind: str) -> None:
    depth = MAX_DEPTH
    lines = ([f"{'  ' * i}- item {i}" for i in range(depth)] if kind == "list"
             else ["> " * depth + "deep"])
    body = "".join(f"      {line}\n" for line in lines)
    text = f"title: T\nquestions:\n  - question: Q?\n    answer: |\n      {LONG}\n\n{body}"
    # A list item is two levels (the list and the item); a quote is one.
    line = 7 + (MAX_DEPTH // 2 - 1 if kind == "list" else 0)
    code, err, source = _run(tmp_path, text, capsys)
    assert code == 1
    assert err == [f"{source}:{line}:7: error: lists and quotes are nested more than "
                   f"{MAX_DEPTH} levels deep here; that much nesting cannot be printed"]


def test_markdown_nested_within_the_limit_prints_every_word(tmp_path: Path) -> None:
    from briefing.markup import parse, render

    text = "".join(f"{'  ' * i}- item{i}\n" for i in range(MAX_DEPTH // 2 - 1))
    html = render(parse(text))
    assert all(f"item{i}" in html for i in range(MAX_DEPTH // 2 - 1))
