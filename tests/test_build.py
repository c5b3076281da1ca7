"""The orchestrator: reproducible outputs, atomic writes, one bad source among good ones."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import DATA, EXAMPLE, ROOT, Built

from briefing import write as write_module
from briefing.build import build
from briefing.cli import main
from briefing.errors import Diagnostic, OutputError, RenderError, UnexpectedError
from briefing.options import Options
from briefing.write import TEMP_PREFIX, write_atomic, write_inside
from briefing.writers import WRITERS, Output


def test_two_builds_are_byte_identical(example: Built, tmp_path: Path) -> None:
    again = build([EXAMPLE], tmp_path, Options())
    assert again[0].error is None
    for first in (example.pdf_path, example.html_path):
        assert (tmp_path / first.name).read_bytes() == first.read_bytes()


def test_outcome_lists_each_file_with_pages_and_size(example: Built) -> None:
    written = {w.path.name: w for w in example.outcome.written}
    pdf = written["missouri-ice-cooperation.pdf"]
    assert pdf.pages == len(example.reader.pages)
    assert pdf.size == example.pdf_path.stat().st_size
    assert written["missouri-ice-cooperation.html"].pages is None


def test_html_opens_from_the_output_folder_alone(example: Built) -> None:
    html = example.html
    references = re.findall(r'(?:src|href)="([^"]+)"', html) + re.findall(r'url\("([^"]+)"\)', html)
    local = [r for r in references if not urlsplit(r).scheme and not r.startswith("#")]
    assert local, "the fonts are referenced relatively"
    for ref in local:
        target = (example.out_dir / ref).resolve()
        assert example.out_dir.resolve() in target.parents and target.is_file(), ref
    assert not [r for r in references if r.startswith("file:")]


def test_html_contents_links_all_resolve(example: Built) -> None:
    html = example.html
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    fragments = re.findall(r'href="#([^"]+)"', html)
    assert len(fragments) >= 25
    assert set(fragments) <= ids


def test_html_is_for_screens_and_printing(example: Built) -> None:
    html = example.html
    assert '<html lang="en">' in html
    assert "max-width" in html and "@media print" in html
    assert "<script" not in html.lower()
    assert "1.1 </span><span class=\"text\">What is the current policy" in html


def test_a_broken_source_does_not_stop_the_others(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    good = src / "good.yaml"
    shutil.copy(DATA / "flat-es.yaml", good)
    bad = src / "bad.yaml"
    bad.write_text("title: Bad\nquestions: []\n", encoding="utf-8")
    out = tmp_path / "out"
    outcomes = build([bad, good], out, Options(), ("pdf",))
    assert [o.ok for o in outcomes] == [False, True]
    assert str(outcomes[0].error) == f"{bad}:2:12: error: the briefing has no questions"
    assert sorted(p.name for p in out.iterdir()) == [".briefing-manifest.json", "good.pdf"]


def test_a_failed_render_keeps_the_previous_file(tmp_path: Path, monkeypatch) -> None:
    source = tmp_path / "x.yaml"
    shutil.copy(DATA / "flat-es.yaml", source)
    out = tmp_path / "out"
    out.mkdir()
    previous = out / "x.html"
    previous.write_bytes(b"previous good build")

    def explode(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr("briefing.render_html.render_screen", explode)
    (outcome,) = build([source], out, Options(), ("html",))
    assert isinstance(outcome.error, UnexpectedError)
    assert str(outcome.error) == f"{source}: error: unexpected RuntimeError: renderer crashed"
    assert "Traceback" in outcome.error.traceback and "explode" in outcome.error.traceback
    assert previous.read_bytes() == b"previous good build"
    assert sorted(p.name for p in out.iterdir()) == ["x.html"]


def test_write_atomic_leaves_nothing_behind_on_error(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "f.pdf"
    target.write_bytes(b"old")

    def fail(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(write_module.os, "replace", fail)
    with pytest.raises(OutputError) as failed:
        write_atomic(target, b"new")
    assert str(failed.value) == f"{target}: error: cannot write: disk full"
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]


def test_stale_temporaries_are_removed_by_the_next_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{TEMP_PREFIX}abc123").write_bytes(b"half a pdf")
    source = tmp_path / "x.yaml"
    shutil.copy(DATA / "flat-es.yaml", source)
    build([source], out, Options(), ("html",))
    assert not list(out.glob(TEMP_PREFIX + "*"))


def test_pdf_bytes_do_not_depend_on_the_clock(tmp_path: Path, monkeypatch) -> None:
    """Subsetting with fontTools stamps the time into each font unless SOURCE_DATE_EPOCH pins it."""
    import weasyprint.pdf.fonts

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)  # fontTools on any machine
    source = tmp_path / "x.yaml"
    shutil.copy(DATA / "flat-es.yaml", source)
    found = []
    for now in (1_000_000_000.0, 1_700_000_000.0):
        monkeypatch.setattr(time, "time", lambda now=now: now)
        out = tmp_path / str(int(now))
        (outcome,) = build([source], out, Options(), ("pdf",))
        assert outcome.ok, outcome.error
        found.append((out / "x.pdf").read_bytes())
    assert found[0] == found[1]
    assert "SOURCE_DATE_EPOCH" not in os.environ


class _Text:
    """A writer of plain text, registered the way a new output module is."""

    name = "txt"
    description = "the questions as plain text"

    def assets(self) -> dict[str, Path]:
        return {}

    def write(self, briefing, options) -> Output:
        text = "".join(f"{q.number} {q.question}\n" for q in briefing.questions)
        warning = Diagnostic(briefing.path, 1, 1, "plain text drops the answers", "warning")
        return Output({f"{briefing.name}.txt": text.encode()}, {}, [warning])


def test_a_new_output_is_one_writer_in_the_registry(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setitem(WRITERS, "txt", _Text())
    source = tmp_path / "x.yaml"
    shutil.copy(DATA / "flat-es.yaml", source)
    out = tmp_path / "out"
    assert main(["build", str(source), "--out", str(out), "--format", "txt"]) == 0
    assert (out / "x.txt").read_text() == (
        "1 ¿Qué es el padrón municipal?\n2 ¿Qué documentos necesito?\n"
        "3 ¿Cuánto tarda el trámite?\n")
    captured = capsys.readouterr()
    assert captured.out == f"wrote {out / 'x.txt'} (0.1 KB)\n"
    assert captured.err.startswith(f"{source}:1:1: warning: plain text drops the answers\n")
    assert main(["build", str(source), "--out", str(out), "--format", "txt"]) == 0
    assert "0 built, 1 up to date" in capsys.readouterr().err


def test_format_choices_come_from_the_registry(capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["build", "--format", "docx"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert ("argument --format: invalid choice: 'docx' (choose from pdf, html, booklet, 2up, "
            "sections, all; or a comma-separated list)") in err, err
    assert list(WRITERS) == ["pdf", "html", "booklet", "2up", "sections"]


@pytest.mark.parametrize("name", ["../x.pdf", "/tmp/x.pdf", "a/../../x.pdf", "a\\..\\x.pdf",
                                  "link/x.pdf", ""])
def test_nothing_is_written_outside_the_output_folder(tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "link").symlink_to(elsewhere)
    with pytest.raises(RenderError) as refused:
        write_inside(out, name, b"data")
    assert str(refused.value) == (
        f"{out / name}: error: refused to write outside the output folder {out}")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["elsewhere", "link", "out"]


@pytest.mark.expect_log(r"^Ignored `colour: red`")
def test_weasyprint_warnings_propagate_and_become_the_sources_warnings(
    tmp_path: Path, caplog, capsys
) -> None:
    style = tmp_path / "style"
    style.mkdir()
    replaced = (ROOT / "styles" / "print.css").read_text() + "\nh1 { colour: red; }\n"
    (style / "print.css").write_text(replaced)
    line = replaced.split("\n").index("h1 { colour: red; }") + 1
    source = tmp_path / "x.yaml"
    shutil.copy(DATA / "flat-es.yaml", source)
    args = ["build", str(source), "--out", str(tmp_path / "out"), "--format", "pdf",
            "--style", str(style)]
    assert main(args) == 0
    records = [r for r in caplog.records if r.name == "weasyprint"
               and r.getMessage().startswith("Ignored `colour: red`")]
    assert records and all(r.briefing == "reported" for r in records)
    err = capsys.readouterr().err.splitlines()
    said = [line for line in err if "colour: red" in line]
    # Said at its line in the replaced print.css, the position taken out of the message.
    assert said == [f"{style / 'print.css'}:{line}:6: warning: Ignored `colour: red`: "
                    "unknown property."], err


def test_a_full_disk_is_one_line_and_the_other_sources_still_build(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    import errno

    sources = []
    for name in ("a", "b"):
        sources.append(tmp_path / f"{name}.yaml")
        shutil.copy(DATA / "flat-es.yaml", sources[-1])
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.html").write_text("an earlier build", encoding="utf-8")
    real = write_module.os.fsync
    calls = []

    def full(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 1:  # the first file written: a.html
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd)

    monkeypatch.setattr(write_module.os, "fsync", full)
    code = main(["build", *map(str, sources), "--out", str(out), "--format", "html", "--jobs", "1"])
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert f"{out / 'a.html'}: error: cannot write: No space left on device" in err
    assert err[-1] == f"1 of 2 sources failed: {sources[0]}"
    assert (out / "a.html").read_text(encoding="utf-8") == "an earlier build"
    assert (out / "b.html").is_file()
    assert not list(out.glob(TEMP_PREFIX + "*"))


def test_a_name_too_long_for_the_file_system_is_one_line(tmp_path: Path, capsys) -> None:
    from conftest import PIXEL

    source = tmp_path / ("n" * 250 + ".yaml")  # its HTML's image folder needs 256 characters
    source.write_text((DATA / "flat-es.yaml").read_text(encoding="utf-8").replace(
        "Un documento de identidad", "![m](map.png) Un documento de identidad"),
        encoding="utf-8")
    (tmp_path / "map.png").write_bytes(PIXEL)
    out = tmp_path / "out"
    assert main(["build", str(source), "--out", str(out), "--format", "html"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"{out / source.stem}-files/map.png: error: cannot write: File name too long"]


@pytest.mark.parametrize("where", ["file", "below a file"])
def test_an_output_folder_that_is_a_file_is_refused_before_rendering(
    tmp_path: Path, capsys, monkeypatch, where: str
) -> None:
    (tmp_path / "taken").write_text("a file", encoding="utf-8")
    out = tmp_path / "taken" if where == "file" else tmp_path / "taken" / "out"
    monkeypatch.setattr("briefing.render_html.render_screen",
                        lambda *a, **k: pytest.fail("rendered"))
    source = tmp_path / "x.yaml"
    shutil.copy(DATA / "flat-es.yaml", source)
    assert main(["build", str(source), "--out", str(out), "--format", "html"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{out}: error: cannot write: {tmp_path / 'taken'} is a file, not a folder"]
    assert (tmp_path / "taken").read_text(encoding="utf-8") == "a file"


def test_two_builds_into_one_folder_take_turns(tmp_path: Path, monkeypatch) -> None:
    """A second build waits for the first, so the record always matches the files."""
    import threading

    calls: list[str] = []
    release = threading.Event()

    class Paper:
        name, description = "paper", "which paper the build was for"

        def assets(self) -> dict:
            return {}

        def write(self, briefing, options) -> Output:
            calls.append(options.paper)
            if options.paper == "letter":
                release.wait(20)
            return Output({f"{briefing.name}.txt": options.paper.encode()})

    monkeypatch.setitem(WRITERS, "paper", Paper())
    source = tmp_path / "x.yaml"
    shutil.copy(DATA / "flat-es.yaml", source)
    out = tmp_path / "out"

    def run(paper: str) -> threading.Thread:
        thread = threading.Thread(target=build, args=([source], out, Options(paper=paper),
                                                      ("paper",)))
        thread.start()
        return thread

    first = run("letter")
    deadline = time.monotonic() + 20
    while not calls and time.monotonic() < deadline:
        time.sleep(0.01)
    second = run("a4")
    time.sleep(0.5)
    assert calls == ["letter"], "the second build waits while the first writes"
    release.set()
    first.join(20)
    second.join(20)
    assert calls == ["letter", "a4"] and (out / "x.txt").read_text() == "a4"
    (again,) = build([source], out, Options(paper="letter"), ("paper",))
    assert not again.up_to_date and (out / "x.txt").read_text() == "letter"
