"""Batch builds: parallel jobs, shards, watch; the output never depends on the path taken."""

from __future__ import annotations

import os
import pickle
import re
import shutil
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import DATA

from briefing import render_html
from briefing.build import build
from briefing.cli import Printer, main
from briefing.errors import Diagnostic, RenderError, SourceError, UnexpectedError
from briefing.options import STYLES, Options
from briefing.watch import watch


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("batch-src")
    paths = []
    for name, answer in (("a", "Primera."), ("b", "Segunda."), ("c", "Tercera.")):
        path = folder / f"{name}.yaml"
        text = (DATA / "flat-es.yaml").read_text(encoding="utf-8")
        path.write_text(text.replace("Normalmente se resuelve", answer + " Normalmente"),
                        encoding="utf-8")
        paths.append(path)
    return paths


def test_parallel_cached_and_serial_builds_give_identical_files(
    sources: list[Path], tmp_path: Path
) -> None:
    serial = build(sources, tmp_path / "serial", Options(), jobs=1)
    parallel = build(sources, tmp_path / "parallel", Options(), jobs=2)
    cached = build(sources, tmp_path / "parallel", Options(), jobs=2)
    assert all(o.ok for o in [*serial, *parallel, *cached])
    assert all(o.up_to_date for o in cached)
    assert [o.source for o in parallel] == sources
    for source in sources:
        for suffix in (".pdf", ".html"):
            name = source.stem + suffix
            assert (tmp_path / "serial" / name).read_bytes() == \
                (tmp_path / "parallel" / name).read_bytes(), name


def test_one_broken_source_in_a_parallel_batch(sources: list[Path], tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("title: T\nquestions: 3\n", encoding="utf-8")
    outcomes = build([sources[0], broken, sources[1]], tmp_path / "out", Options(), ("html",),
                     jobs=2)
    assert [o.ok for o in outcomes] == [True, False, True]
    assert str(outcomes[1].error) == f"{broken}:2:12: error: 'questions' must be a list, not text"


def test_render_failures_in_worker_processes_come_back_whole(
    tmp_path: Path, monkeypatch
) -> None:
    """Each source's render error crosses the process boundary intact; the others still build."""
    text = (DATA / "flat-es.yaml").read_text(encoding="utf-8")
    paths = {}
    for name, subtitle in (("good", "Guía breve"), ("refused", "Guía breve"),
                           ("bug", "Guía breve"), ("template", "Guía rota")):
        paths[name] = tmp_path / f"{name}.yaml"
        paths[name].write_text(text.replace("Guía breve", subtitle), encoding="utf-8")
    style = tmp_path / "style"
    style.mkdir()
    cover = (STYLES / "_cover.html.j2").read_text(encoding="utf-8")
    (style / "_cover.html.j2").write_text(
        '{% if b.subtitle == "Guía rota" %}{{ b.no_such_field }}{% endif %}\n' + cover,
        encoding="utf-8")
    real = render_html.render_screen

    def render_screen(briefing, options, *args, **kwargs):
        # Runs in a worker: the messages carry its process id.
        if briefing.name == "refused":
            raise SourceError([
                Diagnostic(briefing.path, 7, 3, f"refused in process {os.getpid()}"),
                Diagnostic(briefing.path, 9, 0, "and a second diagnostic", "warning"),
            ])
        if briefing.name == "bug":
            raise ValueError(f"a bug in process {os.getpid()}")
        return real(briefing, options, *args, **kwargs)

    monkeypatch.setattr(render_html, "render_screen", render_screen)
    out = tmp_path / "out"
    outcomes = build(list(paths.values()), out, Options(style_dirs=(style,)), ("html",), jobs=2)
    good, refused, bug, template = outcomes
    assert [o.source for o in outcomes] == list(paths.values())

    assert good.ok and (out / "good.html").is_file()
    assert [w.path for w in good.written][0] == out / "good.html"

    assert type(refused.error) is SourceError
    worker = refused.error.message.removeprefix("refused in process ")
    assert worker.isdigit() and int(worker) != os.getpid()
    assert refused.error.diagnostics == (
        Diagnostic(str(paths["refused"]), 7, 3, f"refused in process {worker}"),
        Diagnostic(str(paths["refused"]), 9, 0, "and a second diagnostic", "warning"),
    )
    assert (refused.error.path, refused.error.line, refused.error.column) == (
        str(paths["refused"]), 7, 3)
    assert str(refused.error) == (f"{paths['refused']}:7:3: error: refused in process {worker}\n"
                                  f"{paths['refused']}:9: warning: and a second diagnostic")

    assert type(bug.error) is UnexpectedError
    assert str(bug.error).startswith(f"{paths['bug']}: error: unexpected ValueError: "
                                     "a bug in process ")
    assert not str(bug.error).endswith(f" {os.getpid()}")
    assert "ValueError" in bug.error.traceback

    assert type(template.error) is RenderError
    assert str(template.error) == (f"{style / '_cover.html.j2'}:1: error: "
                                   "'briefing.model.Briefing object' "
                                   "has no attribute 'no_such_field'")

    assert sorted(p.name for p in out.glob("*.html")) == ["good.html"]


def test_a_source_error_pickles_with_every_diagnostic() -> None:
    error = SourceError([
        Diagnostic("s.yaml", 3, 5, "answer is empty"),
        Diagnostic("s.yaml", 0, 0, "no labels for language 'fr'", "warning"),
        Diagnostic("t.yaml", 12, 0, "duplicate id 'q-1'"),
    ])
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is SourceError
    assert copy.diagnostics == error.diagnostics
    assert (copy.path, copy.line, copy.column, copy.message) == (
        "s.yaml", 3, 5, "answer is empty")
    assert str(copy) == ("s.yaml:3:5: error: answer is empty\n"
                         "s.yaml: warning: no labels for language 'fr'\n"
                         "t.yaml:12: error: duplicate id 'q-1'")


def test_shards_split_the_sources_deterministically(sources: list[Path], tmp_path: Path,
                                                    capsys) -> None:
    seen = []
    for k in (1, 2):
        out = tmp_path / f"shard{k}"
        args = ["build", *map(str, reversed(sources)), "--out", str(out), "--format", "html",
                "--shard", f"{k}/2"]
        assert main(args) == 0
        seen.append(sorted(p.name for p in out.glob("*.html")))
    assert seen == [["a.html", "c.html"], ["b.html"]]


@pytest.mark.parametrize(("bad", "why"), [
    ("0/2", "'0/2': K must be between 1 and N"),
    ("3/2", "'3/2': K must be between 1 and N"),
    ("x", "'x' is not K/N, e.g. 2/8"),
])
def test_a_bad_shard_is_a_usage_error(bad: str, why: str, capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["build", "--shard", bad])
    assert caught.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"briefing build: error: argument --shard: {why}")


def test_progress_bar_on_a_terminal(sources: list[Path], tmp_path: Path, capsys) -> None:
    printer = Printer(len(sources), bar=True)
    build(sources, tmp_path / "out", Options(), ("html",), on_done=printer)
    assert printer.summary([]) == 0
    err = capsys.readouterr().err
    assert "[" + "#" * 10 + "." * 20 + "] 1/3" in err
    assert "[" + "#" * 30 + "] 3/3" in err


@pytest.mark.parametrize("terminal", [True, False])
def test_the_command_line_draws_a_bar_only_on_a_terminal(
    sources: list[Path], tmp_path: Path, monkeypatch, capsys, terminal: bool
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: terminal)
    out = tmp_path / "out"
    a, b = sources[:2]
    assert main(["build", str(a), str(b), "--out", str(out), "--format", "html",
                 "--jobs", "1"]) == 0
    captured = capsys.readouterr()
    wrote = [line.split(" (")[0] for line in captured.out.splitlines()]
    assert [w for w in wrote if "/fonts/" not in w] == [f"wrote {out / 'a.html'}",
                                                         f"wrote {out / 'b.html'}"]
    if terminal:
        clear = "\r\033[K"
        assert captured.err.startswith(f"{clear}[{'#' * 15}{'.' * 15}] 1/2 a.yaml"
                                       f"{clear}[{'#' * 30}] 2/2 b.yaml{clear}")
        assert re.fullmatch(r"2 built in \d+\.\d s\n", captured.err.rsplit(clear, 1)[1])
    else:
        assert re.fullmatch(r"2 built in \d+\.\d s\n", captured.err)


def wait_until(condition, messages: list[str], seconds: float = 20) -> None:
    """Poll ``condition`` until it holds; fail with the watcher's messages at the deadline."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, messages
        time.sleep(0.02)


def said(messages: list[str], prefix: str) -> int:
    """How many of the watcher's messages start with ``prefix``."""
    return sum(m.startswith(prefix) for m in messages)


def test_watch_rebuilds_what_changed_and_survives_errors(tmp_path: Path) -> None:
    source = tmp_path / "faq.yaml"
    shutil.copy(DATA / "flat-es.yaml", source)
    out = tmp_path / "out"
    outcomes: list = []
    messages: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=([source], out, Options(), ("html",)),
                              kwargs={"report": outcomes.append, "say": messages.append,
                                      "interval": 0.05, "stop": stop})
    thread.start()
    try:
        # Not on the first outcome: the watcher notes what it built only after reporting it,
        # and a change made in between would be taken for the state it built.
        wait_until(lambda: said(messages, "watching ") == 1, messages)
        assert len(outcomes) == 1
        good = source.read_text(encoding="utf-8")
        source.write_text("title: [broken\n", encoding="utf-8")
        wait_until(lambda: len(outcomes) >= 2, messages)
        assert outcomes[1].error is not None
        source.write_text(good.replace("Guía breve", "Guía nueva"), encoding="utf-8")
        wait_until(lambda: len(outcomes) >= 3, messages)
        assert outcomes[2].ok and not outcomes[2].up_to_date
        assert "Guía nueva" in (out / "faq.html").read_text(encoding="utf-8")
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()
    assert any(m.startswith("rebuilt 1 source(s) in ") for m in messages)


def test_watch_rebuilds_a_changed_source_alone_and_every_source_for_a_style(
    tmp_path: Path,
) -> None:
    text = (DATA / "flat-es.yaml").read_text(encoding="utf-8")
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(text.replace("Guía breve", "Guía A"), encoding="utf-8")
    b.write_text(text.replace("Guía breve", "Guía B"), encoding="utf-8")
    style = tmp_path / "style"
    style.mkdir()
    (style / "common.css").write_text("/* house style 1 */\n", encoding="utf-8")
    out = tmp_path / "out"
    outcomes: list = []
    messages: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(
        target=watch, args=([a, b], out, Options(style_dirs=(style,)), ("html",)),
        kwargs={"report": outcomes.append, "say": messages.append, "interval": 0.05,
                "stop": stop})

    thread.start()
    try:
        # Each message is said after its build, and "watching" after noting what was built.
        wait_until(lambda: said(messages, "watching ") == 1, messages)
        assert [o.source for o in outcomes] == [a, b]
        a.write_text(text.replace("Guía breve", "Guía A, segunda"), encoding="utf-8")
        wait_until(lambda: said(messages, "rebuilt ") == 1, messages)
        assert [(o.source, o.ok) for o in outcomes[2:]] == [(a, True)]
        assert "Guía A, segunda" in (out / "a.html").read_text(encoding="utf-8")
        (style / "common.css").write_text("/* house style 2, longer */\n", encoding="utf-8")
        wait_until(lambda: said(messages, "rebuilt ") == 2, messages)
        assert sorted((o.source, o.ok) for o in outcomes[3:]) == [(a, True), (b, True)]
        for name in ("a", "b"):
            assert "/* house style 2" in (out / f"{name}.html").read_text(encoding="utf-8")
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()
    assert [m.split(" in ")[0] for m in messages if m.startswith("rebuilt ")] == [
        "rebuilt 1 source(s)", "rebuilt 2 source(s)"]


def test_watch_of_a_folder_builds_a_source_added_to_it(tmp_path: Path) -> None:
    folder = tmp_path / "drafts"
    folder.mkdir()
    shutil.copy(DATA / "flat-es.yaml", folder / "a.yaml")
    out = tmp_path / "out"
    outcomes: list = []
    messages: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=([folder], out, Options(), ("html",)),
                              kwargs={"report": outcomes.append, "say": messages.append,
                                      "interval": 0.05, "stop": stop})
    thread.start()
    try:
        wait_until(lambda: said(messages, "watching ") == 1, messages)
        assert [(o.source, o.ok) for o in outcomes] == [(folder / "a.yaml", True)]
        shutil.copy(DATA / "flat-es.yaml", folder / "b.yml")
        wait_until(lambda: said(messages, "rebuilt ") == 1, messages)
        assert [(o.source, o.ok) for o in outcomes[1:]] == [(folder / "b.yml", True)]
        assert (out / "b.html").is_file()
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()
