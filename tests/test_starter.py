"""The starting points: `new` writes a starter source that builds, `theme` copies the theme."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import DATA

from briefing import options
from briefing.check import check
from briefing.cli import main
from briefing.load import parse
from briefing.model import Briefing, schema, walk
from briefing.starter import STARTER

EXISTS = "error: already exists; use --force to replace it"


def _keys(cls: type = Briefing) -> set[tuple[str, str]]:
    """(class, key) of every scalar field a source may set, below ``cls``."""
    found = set()
    for d in schema(cls):
        found |= _keys(d.item) if d.item is not None else {(cls.__name__, d.key)}
    return found


def _uncommented(text: str) -> str:
    """The starter with every commented-out key (and the lines that belong to it) restored.

    Below the opening comment, a commented-out line is ``# key: ...``, ``# - ...`` or a
    continuation indented past the ``#``; explanations start with a capital letter.
    """
    body = text[text.index("\ntitle:"):]
    return re.sub(r"(?m)^(\s*)# ((?:- |[a-z-]+:|  ).*)$", r"\1\2", body)


def test_new_writes_a_starter_that_checks_strictly_and_builds_as_written(
        tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    target = Path("source/foia.yaml")
    assert main(["new", "foia"]) == 0
    assert capsys.readouterr() == (
        f"wrote {target} (a starter source; edit it, then: briefing build {target})\n", "")
    assert target.read_text(encoding="utf-8") == STARTER.replace("{path}", str(target))
    assert main(["check", "--strict", str(target)]) == 0
    assert capsys.readouterr().err == "1 source checked, 0 errors, 0 warnings\n"
    assert main(["build", "--strict", "--format", "html"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith(f"wrote {Path('out/foia.html')} (")
    assert re.fullmatch(r"1 built in \d+\.\d s\n", captured.err)


def test_the_starter_shows_every_key_a_source_may_use() -> None:
    shown = set(re.findall(r"(?m)^\s*(?:# )?(?:- )?([a-z-]+):", STARTER))
    assert {key for _, key in _keys()} <= shown


def test_every_commented_out_key_is_valid_once_uncommented() -> None:
    briefing, diagnostics = parse(_uncommented(STARTER), "all.yaml")
    assert diagnostics == []
    assert {(type(owner).__name__, d.key) for owner, d, _ in walk(briefing)} == _keys()
    assert check(briefing) == []


def test_new_writes_where_out_says(tmp_path: Path, capsys) -> None:
    assert main(["new", "faq", "--out", str(tmp_path / "drafts" / "x.yaml")]) == 0
    assert (tmp_path / "drafts" / "x.yaml").is_file()
    assert main(["new", "faq", "--out", str(tmp_path / "drafts")]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith(
        f"wrote {tmp_path / 'drafts' / 'faq.yaml'} (")


def test_new_never_replaces_a_file_without_force(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    target = Path("source/faq.yaml")
    target.parent.mkdir()
    target.write_text("edited by hand", encoding="utf-8")
    assert main(["new", "faq"]) == 1
    assert capsys.readouterr() == ("", f"{target}: {EXISTS}\n")
    assert target.read_text(encoding="utf-8") == "edited by hand"
    assert main(["new", "faq", "--force"]) == 0
    assert target.read_text(encoding="utf-8").startswith("# A briefing source")
    assert sorted(p.name for p in target.parent.iterdir()) == ["faq.yaml"]


@pytest.mark.parametrize(("name", "like"), [
    ("My FAQ", "my-faq"), ("faq.yaml", "faq"), ("../faq", "faq"), ("Preguntas ¿Qué?",
                                                                     "preguntas-que"),
    ("-x", "x"), ("my_faq", "my-faq"),
])
def test_new_wants_a_file_name_without_extension(tmp_path: Path, monkeypatch, capsys,
                                                 name: str, like: str) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "--", name]) == 2
    assert capsys.readouterr() == ("", (
        f"error: new {name!r}: NAME is lowercase letters, digits and hyphens, without .yaml, "
        f"such as {like!r}\n"))
    assert list(tmp_path.iterdir()) == []


def _theme() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in options.STYLES.iterdir() if p.is_file()}


def test_theme_copies_the_default_theme_which_then_builds_the_same(tmp_path: Path,
                                                                     capsys) -> None:
    folder = tmp_path / "house"
    assert main(["theme", str(folder)]) == 0
    assert capsys.readouterr() == (
        f"wrote {len(_theme())} files to {folder} (the default theme; edit them, then: "
        f"briefing build --style {folder})\n", "")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == _theme()
    source = tmp_path / "faq.yaml"
    shutil.copy(DATA / "flat-es.yaml", source)
    for out, style in (("plain", []), ("styled", ["--style", str(folder)])):
        assert main(["build", str(source), "--out", str(tmp_path / out), "--format", "html",
                     *style]) == 0
    assert ((tmp_path / "styled" / "faq.html").read_bytes()
            == (tmp_path / "plain" / "faq.html").read_bytes())


def test_theme_never_replaces_files_without_force(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "house"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["theme", str(folder)]) == 0
    (folder / "common.css").write_text("/* mine */", encoding="utf-8")
    capsys.readouterr()
    assert main(["theme", str(folder)]) == 1
    assert capsys.readouterr() == ("", "".join(
        f"{folder / name}: {EXISTS}\n" for name in sorted(_theme())))
    assert (folder / "common.css").read_text(encoding="utf-8") == "/* mine */"
    assert main(["theme", str(folder), "--force"]) == 0
    assert (folder / "common.css").read_bytes() == _theme()["common.css"]
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_theme_into_a_file_writes_nothing(tmp_path: Path, capsys) -> None:
    target = tmp_path / "house"
    target.write_text("a file", encoding="utf-8")
    assert main(["theme", str(target), "--force"]) == 1
    assert capsys.readouterr() == ("", f"{target}: error: already exists and is not a folder\n")
    assert target.read_text(encoding="utf-8") == "a file"
