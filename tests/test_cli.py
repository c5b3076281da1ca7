"""The command line: commands, exit codes, one line per file, errors without tracebacks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import DATA, ROOT

from briefing.cli import main


def test_build_prints_one_line_per_file(tmp_path: Path, capsys) -> None:
    source = tmp_path / "faq.yaml"
    shutil.copy(DATA / "flat-es.yaml", source)
    out = tmp_path / "out"
    assert main(["build", str(source), "--out", str(out), "--format", "pdf", "--paper", "a4"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"wrote {out / 'faq.pdf'} (")
    assert lines[0].endswith(" pages)")


def test_check_reports_errors_and_exits_1(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: T\nquestions:\n  - question: Q?\n    anwser: A.\n", encoding="utf-8")
    assert main(["check", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:3:5: error: a question is missing required key 'answer'" in err
    assert "Traceback" not in err


def test_check_of_good_sources_exits_0(capsys) -> None:
    assert main(["check", str(DATA / "flat-es.yaml")]) == 0


def test_usage_error_exits_2(capsys) -> None:
    try:
        main(["build", "--paper", "tabloid"])
    except SystemExit as exc:
        assert exc.code == 2
    else:
        raise AssertionError("argparse should exit")
    assert "invalid choice: 'tabloid'" in capsys.readouterr().err


def test_strict_turns_warnings_into_failure(tmp_path: Path, capsys) -> None:
    source = tmp_path / "fr.yaml"
    source.write_text("language: fr\ntitle: T\nquestions:\n  - question: Q?\n    answer: A.\n",
                      encoding="utf-8")
    assert main(["check", str(source)]) == 0
    assert main(["check", "--strict", str(source)]) == 1
    assert "warning: no labels for language 'fr'" in capsys.readouterr().err


def test_compile_py_builds_source_folder_by_default(tmp_path: Path) -> None:
    (tmp_path / "source").mkdir()
    bad = tmp_path / "source" / "broken.yaml"
    bad.write_text("title: T\nquestions: [\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, str(ROOT / "compile.py")], cwd=tmp_path,
                         capture_output=True, text=True, env=env)
    assert run.returncode == 1
    assert run.stderr.startswith("source/broken.yaml:3:1: error: YAML syntax error:")
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "out").exists()


def test_every_schema_error_exits_1_with_its_message(tmp_path: Path, capsys) -> None:
    from test_load import CASES

    for case, (text, expected) in CASES.items():
        path = tmp_path / "s.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        assert main(["check", str(path)]) == 1, case
        err = capsys.readouterr().err
        assert err.splitlines() == [line.replace("s.yaml", str(path), 1) for line in expected]
