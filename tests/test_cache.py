"""No-op builds: skipped when nothing changed, rebuilt when anything did."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, PIXEL, ROOT

from briefing.build import build
from briefing.cache import MANIFEST, style_files
from briefing.cli import main
from briefing.fonts import FACES
from briefing.options import Options


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path]:
    source = tmp_path / "faq.yaml"
    shutil.copy(DATA / "flat-es.yaml", source)
    return source, tmp_path / "out"


def _build(source: Path, out: Path, **kwargs) -> list:
    options = kwargs.pop("options", Options())
    return build([source], out, options, ("html",), **kwargs)


def test_second_build_is_skipped_and_touches_nothing(project) -> None:
    source, out = project
    (first,) = _build(source, out)
    assert not first.up_to_date and first.written
    stamp = (out / "faq.html").stat().st_mtime_ns
    (second,) = _build(source, out)
    assert second.up_to_date and second.ok and not second.written
    assert (out / "faq.html").stat().st_mtime_ns == stamp


@pytest.mark.parametrize("change", ["source", "style", "paper", "deleted output",
                                    "edited output", "damaged manifest", "force"])
def test_any_change_rebuilds(project, tmp_path: Path, change: str) -> None:
    source, out = project
    style = tmp_path / "style"
    style.mkdir()
    (style / "screen.css").write_text((ROOT / "styles" / "screen.css").read_text())
    options = Options(style_dirs=(style,))
    _build(source, out, options=options)
    kwargs: dict = {"options": options}
    if change == "source":
        source.write_text(source.read_text().replace("Guía breve", "Guía"), encoding="utf-8")
    elif change == "style":
        with (style / "screen.css").open("a") as handle:
            handle.write("\nbody { color: black; }\n")
    elif change == "paper":
        kwargs["options"] = Options(paper="a4", style_dirs=(style,))
    elif change == "deleted output":
        (out / "faq.html").unlink()
    elif change == "edited output":
        (out / "faq.html").write_text("edited by hand")
    elif change == "damaged manifest":
        (out / MANIFEST).write_text("{not json")
    elif change == "force":
        kwargs["force"] = True
    (outcome,) = _build(source, out, **kwargs)
    assert not outcome.up_to_date
    assert [w.path.name for w in outcome.written] == ["faq.html"]


def test_warnings_are_repeated_when_the_build_is_skipped(tmp_path: Path) -> None:
    source = tmp_path / "fr.yaml"
    source.write_text("language: fr\ntitle: T\nquestions:\n  - question: Q?\n    answer: A.\n",
                      encoding="utf-8")
    first = _build(source, tmp_path / "out")[0]
    again = _build(source, tmp_path / "out")[0]
    assert again.up_to_date
    assert [str(d) for d in again.diagnostics] == [str(d) for d in first.diagnostics]
    assert "no labels for language 'fr'" in str(again.diagnostics[0])


def test_a_failed_source_is_not_remembered(project) -> None:
    source, out = project
    _build(source, out)
    good = source.read_text()
    source.write_text("title: [broken\n")
    assert not _build(source, out)[0].ok
    source.write_text(good)
    (outcome,) = _build(source, out)
    assert outcome.ok and not outcome.up_to_date


def test_a_no_op_run_does_not_import_the_renderer(project) -> None:
    source, out = project
    _build(source, out)
    code = ("import sys; from briefing.cli import main; "
            f"code = main(['build', {str(source)!r}, '--out', {str(out)!r}, '--format', 'html']); "
            "heavy = {'weasyprint', 'jinja2', 'fontTools', 'PIL', 'pydyf'} & set(sys.modules); "
            "assert not heavy, heavy; "
            "sys.exit(code)")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""
    assert "0 built, 1 up to date" in run.stderr


def test_a_skipped_build_still_puts_back_the_fonts_its_html_needs(project) -> None:
    source, out = project
    faces = sorted(face.filename for face in FACES)
    first = _build(source, out)
    assert sorted(w.path.name for w in first.shared) == faces
    assert all(w.path.parent == out / "fonts" for w in first.shared)
    assert _build(source, out, force=True).shared == [], "copied only when they changed"
    shutil.rmtree(out / "fonts")
    second = _build(source, out)
    assert second[0].up_to_date and not second[0].written
    assert sorted(p.name for p in (out / "fonts").iterdir()) == faces
    assert sorted(w.path.name for w in second.shared) == faces


def test_strict_fails_an_up_to_date_source_that_has_warnings(tmp_path: Path, capsys) -> None:
    source = tmp_path / "fr.yaml"
    source.write_text("language: fr\ntitle: T\nquestions:\n  - question: Q?\n    answer: A.\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(source), "--out", str(out), "--format", "html"]) == 0
    capsys.readouterr()
    assert main(["build", str(source), "--out", str(out), "--format", "html", "--strict"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"{source}: warning: no labels for language 'fr'; using English labels",
                   f"{source}:5:13: warning: answer is only 1 word long; expected at least 10"]
    (outcome,) = _build(source, out)
    assert outcome.up_to_date and outcome.ok, "the strict failure did not cost the cache"


#: An image named in each way CommonMark allows, with the file name it reads.
SPELLINGS = {
    "inline": ("answer", "![map](map.png)", "map.png"),
    "reference": ("answer", "![map][r]\n\n      [r]: map.png", "map.png"),
    "collapsed reference": ("answer", "![map][]\n\n      [map]: <map.png> 'A map'", "map.png"),
    "percent-encoded": ("answer", "![map](my%20map.png)", "my map.png"),
    "angle brackets": ("answer", "![map](<my map.png>)", "my map.png"),
    "query string": ("answer", "![map](map.png?v=1)", "map.png"),
    "in a folder": ("answer", "![map](img/map.png)", "img/map.png"),
    "in the introduction": ("introduction", "![map](map.png)", "map.png"),
    "in a link": ("answer", "[![map](map.png)](https://example.org/)", "map.png"),
}


@pytest.mark.parametrize("case", SPELLINGS, ids=list(SPELLINGS))
def test_a_changed_image_rebuilds_in_every_spelling(tmp_path: Path, case: str) -> None:
    field, markdown, name = SPELLINGS[case]
    image = tmp_path / name
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(PIXEL)
    answer = markdown if field == "answer" else "Ten words of answer so that no lint rule warns."
    intro = f"introduction: |\n  {markdown.replace('      ', '  ')}\n" if field != "answer" else ""
    source = tmp_path / "s.yaml"
    source.write_text(f"title: T\n{intro}questions:\n  - question: Q?\n    answer: |\n"
                      f"      {answer}\n", encoding="utf-8")
    out = tmp_path / "out"
    (first,) = _build(source, out)
    copy = out / "s-files" / name
    assert first.ok and copy.read_bytes() == PIXEL
    image.write_bytes(PIXEL + b"changed")
    (second,) = _build(source, out)
    assert second.ok and not second.up_to_date
    assert copy.read_bytes() == PIXEL + b"changed"
    (third,) = _build(source, out)
    assert third.up_to_date


def _faq(folder: Path, answer: str = "Primera.") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "faq.yaml"
    text = (DATA / "flat-es.yaml").read_text(encoding="utf-8")
    source.write_text(text.replace("Normalmente se resuelve", f"{answer} Normalmente"),
                      encoding="utf-8")
    return source


@pytest.mark.parametrize("jobs", [1, 2])
def test_two_sources_of_one_name_are_refused_together(tmp_path: Path, jobs: int) -> None:
    a, b = _faq(tmp_path / "en"), _faq(tmp_path / "es")
    c = tmp_path / "en" / "faq.yml"
    shutil.copy(a, c)
    out = tmp_path / "out"
    outcomes = build([a, b, c], out, Options(), ("html",), jobs=jobs)
    assert [str(o.error) for o in outcomes] == [
        f"{a}: error: writes the same files as {b}, {c} ({out / 'faq'}.*); rename one of them, "
        "or build them into different --out folders",
        f"{b}: error: writes the same files as {a}, {c} ({out / 'faq'}.*); rename one of them, "
        "or build them into different --out folders",
        f"{c}: error: writes the same files as {a}, {b} ({out / 'faq'}.*); rename one of them, "
        "or build them into different --out folders",
    ]
    assert not (out / "faq.html").exists()


def test_outputs_built_from_another_source_are_not_replaced(tmp_path: Path, capsys) -> None:
    a, b = _faq(tmp_path / "en", "Primera."), _faq(tmp_path / "es", "Segunda.")
    out = tmp_path / "out"
    html = out / "faq.html"
    assert main(["build", str(a), "--out", str(out), "--format", "html"]) == 0
    assert main(["build", str(b), "--out", str(out), "--format", "html"]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"{b}: error: {out / 'faq'}.* were built from {out / '../en/faq.yaml'}; rename one of "
        "the two sources, or use --force to let this one replace them")
    assert "Primera." in html.read_text(encoding="utf-8")
    assert main(["build", str(b), "--out", str(out), "--format", "html", "--force"]) == 0
    assert "Segunda." in html.read_text(encoding="utf-8")
    assert main(["build", str(a), "--out", str(out), "--format", "html"]) == 1
    b.unlink()  # renamed away: its outputs are free again
    moved = _faq(tmp_path / "moved", "Tercera.")
    assert main(["build", str(moved), "--out", str(out), "--format", "html"]) == 0
    assert "Tercera." in html.read_text(encoding="utf-8")


def test_the_manifest_holds_no_local_paths(project) -> None:
    source, out = project
    _build(source, out)
    text = (out / MANIFEST).read_text(encoding="utf-8")
    assert str(source.parent) not in text and '"/' not in text
    assert list(json.loads(text)) == ["../faq.yaml"]


@pytest.mark.parametrize("damage", [
    "[]", '{"../faq.yaml": 5}', '{"../faq.yaml": {"key": 1, "outputs": {}}}',
    '{"../faq.yaml": {"key": "k", "outputs": {"faq.html": "zz"}, "warnings": []}}',
    '{"../faq.yaml": {"key": "k", "outputs": {"faq.html": [1, 2]}, "warnings": [[1]]}}',
    '{"../faq.yaml": {"key": "k", "outputs": [], "warnings": []}}',
])
def test_a_damaged_manifest_that_is_still_json_counts_as_empty(project, damage: str) -> None:
    source, out = project
    _build(source, out)
    (out / MANIFEST).write_text(damage, encoding="utf-8")
    (outcome,) = _build(source, out)
    assert outcome.ok and not outcome.up_to_date
    assert _build(source, out)[0].up_to_date


def test_only_files_a_style_can_use_are_hashed(project, tmp_path: Path) -> None:
    source, out = project
    style = tmp_path / "style"
    style.mkdir()
    (style / "custom.css").write_text(".notice { background: url('img/band.png'); }\n",
                                      encoding="utf-8")
    (style / "img").mkdir()
    (style / "img" / "band.png").write_bytes(PIXEL)
    (style / "notes.bin").write_bytes(b"unrelated")
    options = Options(style_dirs=(style,))
    assert [p.relative_to(style).as_posix() for p in style_files(options)
            if style in p.parents] == ["custom.css", "img/band.png"]
    _build(source, out, options=options)
    (style / "notes.bin").write_bytes(b"a large unrelated file, changed")
    assert _build(source, out, options=options)[0].up_to_date
    (style / "img" / "band.png").write_bytes(PIXEL + b"changed")
    assert not _build(source, out, options=options)[0].up_to_date


def test_the_key_holds_the_paper_laid_out_not_how_it_was_named(project) -> None:
    source, out = project
    source.write_text("paper: a4\n" + source.read_text(encoding="utf-8"), encoding="utf-8")
    _build(source, out)
    (same,) = _build(source, out, options=Options(paper="a4"))
    assert same.up_to_date
    (other,) = _build(source, out, options=Options(paper="letter"))
    assert not other.up_to_date and other.written
