"""No-op builds: skipped when nothing changed, rebuilt when anything did."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, ROOT

from briefing.build import build
from briefing.cache import MANIFEST
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
            "assert 'weasyprint' not in sys.modules and 'jinja2' not in sys.modules; "
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
