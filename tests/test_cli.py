"""The command line: commands, exit codes, one line per file, errors without tracebacks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
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


def test_a_one_page_file_says_page(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["build", str(DATA / "handout-en.yaml"), "--out", str(out),
                 "--format", "pdf"]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    assert line.startswith(f"wrote {out / 'handout-en.pdf'} (") and line.endswith(" KB, 1 page)")


def test_a_style_folder_from_the_command_line_is_used(tmp_path: Path, capsys) -> None:
    source = tmp_path / "faq.yaml"
    shutil.copy(DATA / "flat-es.yaml", source)
    style = tmp_path / "house"
    style.mkdir()
    (style / "common.css").write_text("/* house style 7f3a */\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(source), "--out", str(out), "--style", str(style),
                 "--format", "html"]) == 0
    assert "/* house style 7f3a */" in (out / "faq.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", ["file", "missing"])
def test_a_style_that_is_not_a_folder_exits_2(tmp_path: Path, capsys, kind: str) -> None:
    source = tmp_path / "faq.yaml"
    shutil.copy(DATA / "flat-es.yaml", source)
    style = tmp_path / "house.css"
    if kind == "file":
        style.write_text("h1 { color: red; }\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(source), "--out", str(out), "--style", str(style),
                 "--format", "html"]) == 2
    assert capsys.readouterr() == ("", f"error: --style {style}: not a folder\n")
    assert not out.exists()


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
        errors = sum(": error: " in line for line in expected)
        warnings = len(expected) - errors
        assert err.splitlines() == [
            *(line.replace("s.yaml", str(path), 1) for line in expected),
            f"1 source checked, {errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)}"]


def test_import_writes_a_source_and_says_what_it_wrote(tmp_path: Path, capsys) -> None:
    out = tmp_path / "x" / "missouri.yaml"
    assert main(["import", str(DATA / "missouri-ice-cooperation.txt"), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out == (f"wrote {out}: 20 questions, read as text (from the name .txt), "
                            "language en (guessed from the questions)\n")
    assert captured.err == ""
    assert out.read_text(encoding="utf-8").startswith(
        "# Imported from missouri-ice-cooperation.txt (language en, guessed from the questions).\n")
    assert main(["check", "--strict", str(out)]) == 0


def test_import_never_overwrites_without_force(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    Path("faq.txt").write_text("Padrón municipal\n1. ¿Qué es?\nUn registro.\n", encoding="utf-8")
    target = Path("source/padron-municipal.yaml")
    assert main(["import", "faq.txt"]) == 0
    assert capsys.readouterr().out == (
        f"wrote {target}: 1 question, read as text (from the name .txt), "
        "language es (guessed from the questions)\n")
    target.write_text("edited by hand", encoding="utf-8")
    assert main(["import", "faq.txt", "--language", "es-MX"]) == 1
    assert capsys.readouterr().err == (
        f"{target}: error: already exists; use --force to replace it\n")
    assert target.read_text(encoding="utf-8") == "edited by hand"
    assert main(["import", "faq.txt", "--language", "es-MX", "--force"]) == 0
    assert capsys.readouterr().out == (
        f"wrote {target}: 1 question, read as text (from the name .txt), "
        "language es-MX (given with --language)\n")
    assert "language: es-MX\n" in target.read_text(encoding="utf-8")


def test_import_errors_write_nothing(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    Path("f.txt").write_text("Title\n\nNo questions here.\n", encoding="utf-8")
    assert main(["import", "f.txt"]) == 1
    assert capsys.readouterr().err == (
        "f.txt:3: error: no question found; questions are lines of their own ending in '?', "
        "like 'What is ...?' or '1. What is ...?'\n")
    assert main(["import", "missing.txt"]) == 1
    assert "missing.txt: error: cannot read file" in capsys.readouterr().err
    assert main(["import", "f.txt", "--language", "not a tag"]) == 2
    assert "error: --language not a tag: not a language tag" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.txt"]


def test_an_import_that_would_not_load_back_writes_nothing(tmp_path: Path, monkeypatch,
                                                           capsys) -> None:
    from briefing import importer

    monkeypatch.chdir(tmp_path)
    Path("faq.txt").write_text("Padrón municipal\n1. ¿Qué es?\nUn registro.\n", encoding="utf-8")
    real = importer.dump

    def altered(briefing, **kwargs) -> str:
        source = real(briefing, **kwargs)
        assert "Un registro." in source
        return source.replace("Un registro.", "Otro registro.")

    monkeypatch.setattr(importer, "dump", altered)
    assert main(["import", "faq.txt"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ("faq.txt: error: the YAML made from it would not load back the same "
                            f"text; {Path('source/padron-municipal.yaml')} was not written\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["faq.txt"]


def test_import_warns_with_line_numbers(tmp_path: Path, capsys) -> None:
    text = tmp_path / "f.txt"
    text.write_text("T\n1. One?\n\n2. Two?\nB.\n4. Four?\nD.\n3. Three?\n", encoding="utf-8")
    assert main(["import", str(text), "--out", str(tmp_path / "f.yaml")]) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"{text}:2: warning: question 1 has no answer",
        f"{text}:6: warning: '4.' reads as a question but does not continue the numbering "
        "(expected 3.); kept in the answer to question 2",
        f"{text}:8: warning: question 3 has no answer",
    ]


def test_compile_py_imports_standard_input(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    text = "\ufeffCategories Ayuda\r\nGuía\r\n1. ¿Cómo?\r\nAsí: *con cuidado*.\r\n"
    run = subprocess.run([sys.executable, str(ROOT / "compile.py"), "import", "-",
                          "--out", "guia.yaml"], cwd=tmp_path, input=text.encode("utf-8"),
                         capture_output=True, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout == (b"wrote guia.yaml: 1 question, read as text (the default), "
                          b"language es (guessed from the questions)\n")
    source = (tmp_path / "guia.yaml").read_text(encoding="utf-8")
    assert "category: Ayuda\n" in source and "Así: \\*con cuidado\\*.\n" in source


def test_import_into_a_folder_names_the_file_after_the_title(tmp_path: Path, capsys) -> None:
    text = tmp_path / "f.txt"
    text.write_text("Categories X\nPreguntas sobre el Padrón (2026)\n1. ¿Qué?\nAlgo.\n",
                    encoding="utf-8")
    assert main(["import", str(text), "--out", str(tmp_path)]) == 0
    assert (tmp_path / "preguntas-sobre-el-padron-2026.yaml").is_file()


def test_an_import_that_cannot_be_written_is_one_line(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    Path("faq.txt").write_text("Padrón\n1. ¿Qué es?\nUn registro.\n", encoding="utf-8")
    Path("taken").write_text("a file", encoding="utf-8")
    target = Path("taken") / "padron.yaml"
    assert main(["import", "faq.txt", "--out", str(target)]) == 1
    assert capsys.readouterr().err == (
        f"{target}: error: cannot write: taken is a file, not a folder\n")
    assert Path("taken").read_text(encoding="utf-8") == "a file"


def _flat(questions: str) -> str:
    return f"title: T\nquestions:\n{textwrap.indent(textwrap.dedent(questions), '  ')}"


TEN_WORDS = "One two three four five six seven eight nine ten."


@pytest.mark.parametrize(("sources", "strict", "summary", "code"), [
    ({"a.yaml": f"- question: Q?\n  answer: {TEN_WORDS}\n"}, False,
     "1 source checked, 0 errors, 0 warnings", 0),
    ({"a.yaml": f"- question: Q?\n  answer: {TEN_WORDS}\n",
      "b.yaml": f"- question: Q\n  answer: {TEN_WORDS}\n- question: R\n  answer: {TEN_WORDS}\n",
      "c.yaml": "- question: Q?\n  answer: Short.\n"}, False,
     "3 sources checked, 0 errors, 3 warnings", 0),
    ({"a.yaml": f"- id: x\n  question: Q\n  answer: {TEN_WORDS}\n"
                f"- id: x\n  question: R?\n  answer: {TEN_WORDS}\n"}, False,
     "1 source checked, 1 error, 1 warning", 1),
    ({"a.yaml": "- question: Q?\n  anwser: A.\n", "b.yaml": "- question: Q?\n  answer: ''\n"},
     False, "2 sources checked, 3 errors, 0 warnings", 1),
    ({"a.yaml": "- question: Q?\n  answer: Short.\n"}, True,
     "1 source checked, 0 errors, 1 warning (failing: --strict)", 1),
])
def test_check_ends_with_one_summary_line(tmp_path: Path, capsys, sources: dict[str, str],
                                          strict: bool, summary: str, code: int) -> None:
    for name, questions in sources.items():
        (tmp_path / name).write_text(_flat(questions), encoding="utf-8")
    paths = [str(tmp_path / name) for name in sources]
    assert main(["check", *paths, *(["--strict"] if strict else [])]) == code
    captured = capsys.readouterr()
    assert captured.out == ""
    *printed, last = captured.err.splitlines()
    assert last == summary
    errors = sum(": error: " in line for line in printed)
    warnings = sum(": warning: " in line for line in printed)
    assert len(printed) == errors + warnings
    assert f", {errors} error" in summary and f", {warnings} warning" in summary


def test_version_prints_the_package_version(capsys) -> None:
    from briefing import __version__

    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"briefing {__version__}\n"


def test_every_command_has_a_description_and_examples_in_its_help(capsys) -> None:
    from briefing.arguments import COMMANDS
    from briefing.usage import COMMANDS as HELP

    assert set(HELP) == set(COMMANDS)
    for name in COMMANDS:
        with pytest.raises(SystemExit) as exited:
            main([name, "--help"])
        assert exited.value.code == 0
        out = capsys.readouterr().out
        description = textwrap.fill(HELP[name][1], 78)
        assert f"\n\n{description}\n\n" in out, name
        examples = HELP[name][2]
        assert examples.startswith(f"  briefing {name}"), name
        assert out.endswith(f"\n\nexamples:\n{examples}\n"), name
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "Without a command, briefing builds" in out
    assert "\nexamples:\n  briefing new my-briefing" in out


@pytest.mark.parametrize(("typed", "meant"), [
    ("biuld", "build"), ("chek", "check"), ("Build", "build"), ("imprt", "import"),
    ("thme", "theme"), ("watsh", "watch"), ("nwe", "new"),
])
def test_a_mistyped_command_is_a_usage_error_with_a_suggestion(
        tmp_path: Path, monkeypatch, capsys, typed: str, meant: str) -> None:
    monkeypatch.chdir(tmp_path)
    assert main([typed, "--strict"]) == 2
    assert capsys.readouterr() == (
        "", f"error: unknown command '{typed}'; did you mean '{meant}'?\n")
    assert list(tmp_path.iterdir()) == []


def test_a_first_argument_that_is_a_source_means_build(tmp_path: Path, monkeypatch,
                                                       capsys) -> None:
    monkeypatch.chdir(tmp_path)
    Path("chek").mkdir()  # a folder of sources that happens to look like a command
    shutil.copy(DATA / "flat-es.yaml", "chek/faq.yaml")
    assert main(["chek", "--format", "html"]) == 0
    assert capsys.readouterr().out.startswith(f"wrote {Path('out/faq.html')} (")
    for missing in ("biuld.yaml", "biuld.yml", "somewhere-else"):
        assert main([missing]) == 1
        assert capsys.readouterr().err == (
            f"{missing}: error: cannot read file: No such file or directory\n")


def test_a_folder_means_the_sources_in_it(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "drafts"
    folder.mkdir()
    for name in ("b.yml", "a.yaml"):
        shutil.copy(DATA / "flat-es.yaml", folder / name)
    (folder / "notes.txt").write_text("not a source", encoding="utf-8")
    (folder / "nested").mkdir()
    shutil.copy(DATA / "flat-es.yaml", folder / "nested" / "c.yaml")
    assert main(["check", str(folder), str(folder / "a.yaml")]) == 0
    assert capsys.readouterr().err == "2 sources checked, 0 errors, 0 warnings\n"
    out = tmp_path / "out"
    assert main(["build", str(folder), "--out", str(out), "--format", "html", "--jobs", "1"]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == [
        f"wrote {out / name}.html ({_size((out / name).with_suffix('.html'))})"
        for name in ("a", "b")]


def _size(path: Path) -> str:
    return f"{path.stat().st_size / 1024:.1f} KB"


@pytest.mark.parametrize("command", ["build", "check", "watch"])
def test_an_empty_folder_is_an_error_naming_it(tmp_path: Path, monkeypatch, capsys,
                                               command: str) -> None:
    def watching(*args, **kwargs) -> int:
        raise AssertionError("watch started")  # it would not end by itself

    monkeypatch.setattr("briefing.watch.watch", watching)
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a source", encoding="utf-8")
    good = tmp_path / "faq.yaml"
    shutil.copy(DATA / "flat-es.yaml", good)
    assert main([command, str(good), str(folder), "--out" if command != "check" else "--strict",
                 *([str(tmp_path / "out")] if command != "check" else [])]) == 2
    assert capsys.readouterr() == (
        "", f"error: {folder}: no *.yaml or *.yml sources in this folder\n")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("closed", ["stdout", "stderr"])
def test_a_closed_pipe_does_not_stop_the_build(tmp_path: Path, closed: str) -> None:
    """``briefing build | head -1``: every source is still built, nothing prints a traceback."""
    sources = []
    for name in ("a", "b", "c"):  # each with a warning, said as it is built
        sources.append(tmp_path / f"{name}.yaml")
        sources[-1].write_text((DATA / "flat-es.yaml").read_text(encoding="utf-8").replace(
            "language: es", "language: fr"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.Popen(
        [sys.executable, str(ROOT / "compile.py"), "build", *map(str, sources), "--out",
         str(tmp_path / "out"), "--format", "html", "--jobs", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    getattr(run, closed).close()  # the reader goes away before the first line
    other = run.stderr if closed == "stdout" else run.stdout
    said = other.read().decode()
    assert run.wait(60) == 1
    assert sorted(p.name for p in (tmp_path / "out").glob("*.html")) == [
        "a.html", "b.html", "c.html"]
    assert "Traceback" not in said
    if closed == "stdout":
        assert said.splitlines()[-1] == "error: cannot write to standard output: Broken pipe"
    else:
        assert said.splitlines()[0].startswith(f"wrote {tmp_path / 'out' / 'a.html'} (")
        assert [line.split(" (")[0] for line in said.splitlines() if ".html" in line] == [
            f"wrote {tmp_path / 'out' / name}.html" for name in "abc"]


def test_import_reads_standard_input_only_up_to_the_limit(tmp_path: Path) -> None:
    """``briefing import - < /dev/zero`` stops at the limit instead of filling memory."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open("/dev/zero", "rb") as endless:
        run = subprocess.run([sys.executable, str(ROOT / "compile.py"), "import", "-",
                              "--max-source-bytes", "64k"], stdin=endless, cwd=tmp_path,
                             capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 1
    assert run.stderr == ("<stdin>: error: more than 65536 bytes; the limit is 65536 bytes "
                          "(see --max-source-bytes)\n")
    assert list(tmp_path.iterdir()) == []


def test_import_refuses_a_file_over_the_limit(tmp_path: Path, capsys) -> None:
    text = tmp_path / "faq.txt"
    text.write_text("Title\n1. Q?\n" + "A long answer. " * 100 + "\n", encoding="utf-8")
    size = text.stat().st_size
    assert main(["import", str(text), "--max-source-bytes", "1k"]) == 1
    assert capsys.readouterr().err == (f"{text}: error: file is {size} bytes; the limit is 1024 "
                                       "bytes (see --max-source-bytes)\n")
