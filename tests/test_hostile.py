"""Broken and hostile sources through the command line: exact messages and exit codes,
and proof that nothing was written for a failing source and nothing was fetched.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import PIXEL, base_url
from pypdf import PdfReader

from briefing import read
from briefing.cli import main

PADDING = "and eleven more words of plain text so the answer is long."
LONG = "The answer runs to ten words so lint stays quiet."
QA = f"questions:\n  - question: Q?\n    answer: A. {LONG}\n"
OK = "title: T\n" + QA

# name: (source bytes, expected stderr lines with {p} for the path, exit code)
ERRORS: dict[str, tuple[bytes, list[str]]] = {
    "unclosed flow": (b"title: [unclosed\n", [
        "{p}:2:1: error: YAML syntax error: expected ',' or ']', but got '<stream end>' "
        "(while parsing a flow sequence on line 1, column 8)"]),
    "tab indentation": (b"title: T\nquestions:\n\t- question: Q?\n", [
        "{p}:3:1: error: YAML syntax error: found character '\\t' that cannot start any "
        "token (while scanning for the next token); use spaces, not tabs, to indent and before a "
        "comment"]),
    "bad indentation": (b"title: T\n questions: x\n", [
        "{p}:2:11: error: YAML syntax error: mapping values are not allowed here; a value "
        "holding ': ' must be in quotes or written as a | block"]),
    "two documents": (b"title: T\n---\ntitle: U\n", [
        "{p}:2:1: error: YAML syntax error: but found another document (expected a single "
        "document in the stream on line 1, column 1)"]),
    "undefined alias": (b"title: *nope\n", [
        "{p}:1:8: error: YAML syntax error: found undefined alias 'nope'; a value that starts "
        "with '*' must be in quotes"]),
    "alias bomb": (b"title: T\n" + b"".join(
        f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9) if i else 'lol'}]\n".encode()
        for i in range(10)) + QA.encode(), [
        "{p}:8:10: error: alias '*l5' expands the document to more than 200000 values"]),
    "alias used inside its own anchor": (b"title: T\nloop: &a [*a]\n", [
        "{p}:2:11: error: alias '*a' is used inside its own anchor"]),
    "deep nesting": (b"title: T\nquestions: " + b"[" * 5000 + b"]" * 5000 + b"\n", [
        "{p}:2:75: error: nesting is deeper than 64 levels"]),
    "not UTF-8": (b"title: Caf\xe9\n" + QA.encode(), [
        "{p}:1:11: error: file is not valid UTF-8 (byte 0xe9)"]),
    "invalid UTF-8 on a later line": (OK.encode() + b"subtitle: \xff\xfe\n", [
        "{p}:5:11: error: file is not valid UTF-8 (byte 0xff)"]),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", [
        "{p}:1:1: error: file is binary, not UTF-8 text"]),
    "UTF-16": ("title: T\n".encode("utf-16"), [
        "{p}:1:1: error: file is UTF-16 text; save it as UTF-8"]),
    "control character": (b"title: T\x07\n", [
        "{p}:1:9: error: control character U+0007 is not allowed in a source"]),
    "NUL past the first block": (OK.encode() + b"#" * 9000 + b"\x00\n", [
        "{p}:5:9001: error: control character U+0000 is not allowed in a source"]),
    "empty file": (b"", ["{p}:1:1: error: file is empty; a briefing needs at least a title"]),
    "only comments": (b"# nothing here\n\n", [
        "{p}:1:1: error: file is empty; a briefing needs at least a title"]),
    "a list, not a mapping": (b"- title: T\n", [
        "{p}:1:1: error: the briefing must be a mapping of keys, not a list"]),
    "a string, not a mapping": (b"just some text\n", [
        "{p}:1:1: error: the briefing must be a mapping of keys, not text"]),
    "a mapping as a key": (b"? [a]\n: b\n" + OK.encode(), [
        "{p}:1:3: error: a key in the briefing must be plain text, not a list"]),
    "python tag is never constructed": (
        b"title: !!python/object/apply:os.system ['touch pwned']\n" + QA.encode(), [
            "{p}:1:8: error: 'title' must be text, not a list"]),
    "unknown key": ((OK + "    sorces: []\n").encode(), [
        "{p}:5:5: error: unknown key 'sorces' in a question; did you mean 'sources'? "
        "allowed keys: id, language, question, answer, sources, status"]),
    "duplicate key": (b"title: T\ntitle: U\n" + QA.encode(), [
        "{p}:2:1: error: duplicate key 'title' (first defined on line 1)"]),
    "wrong type": (b"title: T\nquestions: {question: Q}\n", [
        "{p}:2:12: error: 'questions' must be a list, not a mapping"]),
    "missing title": (QA.encode(), [
        "{p}:1:1: error: the briefing is missing required key 'title'"]),
    "empty answer": (b"title: T\nquestions:\n  - question: Q?\n    answer: ''\n", [
        "{p}:4:13: error: answer is empty"]),
    "sections and questions": (
        b"title: T\nsections:\n  - title: S\n" + b"    " + QA.replace("\n  ", "\n      ")
        .encode() + QA.encode(), [
            "{p}:7:1: error: use either 'sections' or 'questions', not both"]),
    "neither sections nor questions": (b"title: T\n", [
        "{p}:1:1: error: the briefing needs 'sections' or 'questions'"]),
    "section without questions": (b"title: T\nsections:\n  - title: S\n", [
        "{p}:3:5: error: a section is missing required key 'questions'"]),
    "duplicate id": (OK.encode().replace(b"- question", b"- id: a\n    question") * 1
                     + f"  - id: a\n    question: R?\n    answer: B. {LONG}\n".encode(), [
        "{p}:6:5: error: duplicate id 'a' (first used on line 3)"]),
    "id with a path in it": (OK.encode().replace(b"- question", b"- id: ../x\n    question"), [
        "{p}:3:9: error: id '../x' must be a slug: lowercase letters, digits and single "
        "hyphens"]),
    "date that is not real": (b"date: 2026-02-30\n" + OK.encode(), [
        "{p}:1:7: error: date '2026-02-30' is not a real date"]),
    "language that is not a tag": (b"language: <script>\n" + OK.encode(), [
        "{p}:1:11: error: language '<script>' must be a language tag such as en, es or pt-BR"]),
    "source URL with a file: scheme": (
        OK.encode() + b"    sources:\n      - {title: x, url: 'file:///etc/passwd'}\n", [
            "{p}:6:25: error: url 'file:///etc/passwd' must be an http://, https:// or mailto: "
            "address"]),
    "source URL with javascript:": (
        OK.encode() + b"    sources:\n      - {title: x, url: 'javascript:alert(1)'}\n", [
            "{p}:6:25: error: url 'javascript:alert(1)' must be an http://, https:// or "
            "mailto: address"]),
}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An output folder holding an earlier build's files."""
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "s.pdf").write_bytes(b"%PDF- an earlier good build")
    (folder / "s.html").write_bytes(b"<!DOCTYPE html> an earlier good build")
    return folder


@pytest.mark.parametrize("case", ERRORS, ids=list(ERRORS))
def test_broken_source_is_refused_with_position_and_nothing_written(
    case: str, tmp_path: Path, out: Path, capsys: pytest.CaptureFixture
) -> None:
    data, expected = ERRORS[case]
    source = tmp_path / "s.yaml"
    source.write_bytes(data)
    before = _snapshot(out)
    started = time.perf_counter()
    code = main(["build", str(source), "--out", str(out)])
    elapsed = time.perf_counter() - started
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.splitlines() == [line.format(p=source) for line in expected]
    assert captured.out == ""
    assert _snapshot(out) == before
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()
    assert elapsed < 1.0, "refused quickly"


def test_oversize_source_is_refused_before_parsing(tmp_path: Path, out: Path, capsys,
                                                   monkeypatch) -> None:
    source = tmp_path / "s.yaml"
    source.write_text(OK + "#" * 2000 + "\n", encoding="utf-8")
    size = source.stat().st_size
    monkeypatch.setattr(read, "compose", lambda *a: pytest.fail("parsed an oversize file"))
    before = _snapshot(out)
    assert main(["build", str(source), "--out", str(out), "--max-source-bytes", "1k"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{source}: error: file is {size} bytes; the limit is 1024 bytes "
        "(see --max-source-bytes)"]
    assert _snapshot(out) == before
    assert main(["check", str(source), "--max-source-bytes", "1M"]) == 0


def test_max_source_bytes_must_be_a_positive_size(capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["check", "--max-source-bytes", "lots", "x.yaml"])
    assert stopped.value.code == 2
    assert "not a positive number of bytes: 'lots'" in capsys.readouterr().err


def test_too_many_values_without_aliases(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(read, "MAX_NODES", 50)
    source = tmp_path / "s.yaml"
    source.write_text("title: T\nlist: [" + ", ".join(["x"] * 60) + "]\n", encoding="utf-8")
    assert main(["check", str(source)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{source}:2:149: error: document has more than 50 values",
        "1 source checked, 1 error, 0 warnings"]


@pytest.mark.parametrize("kind", ["folder", "fifo", "missing"])
def test_only_regular_files_are_read(kind: str, tmp_path: Path, capsys) -> None:
    source = tmp_path / "s.yaml"
    if kind == "folder":
        source.mkdir()
    elif kind == "fifo":
        os.mkfifo(source)  # opening it would wait for a writer forever
    message = "cannot read file: No such file or directory" if kind == "missing" \
        else "not a regular file"
    # A folder given stands for the sources in it; one named like a source is found there.
    assert main(["check", str(tmp_path if kind == "folder" else source)]) == 1
    assert capsys.readouterr().err.splitlines() == [f"{source}: error: {message}",
                                                    "1 source checked, 1 error, 0 warnings"]


def test_one_broken_source_among_good_ones_is_named_in_the_summary(
    tmp_path: Path, capsys
) -> None:
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(OK, encoding="utf-8")
    bad.write_bytes(b"title: [\n")
    out = tmp_path / "out"
    assert main(["build", str(bad), str(good), "--out", str(out), "--format", "html"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == f"1 of 2 sources failed: {bad}"
    assert (out / "good.html").is_file() and not (out / "bad.html").exists()


# -- hostile content that builds, with warnings, and fetches nothing it should not ---------------

def _answer_source(tmp_path: Path, answer: str) -> Path:
    folder = tmp_path / "src"
    folder.mkdir(exist_ok=True)
    (folder / "map.png").write_bytes(PIXEL)
    (folder / "other.yaml").write_text(OK, encoding="utf-8")
    if not (folder / "passwd.png").is_symlink():
        (folder / "passwd.png").symlink_to("/etc/passwd")
    source = folder / "s.yaml"
    source.write_text("title: T\nquestions:\n  - question: Q?\n    answer: |\n"
                      f"      {answer} {PADDING}\n",
                      encoding="utf-8")
    return source


IMAGE_CASES = {
    "file URL": ("![x](file:///etc/passwd)", [
        "{p}:5:7: warning: image 'file:///etc/passwd' is shown as text: images must be "
        "http(s) URLs or paths inside the source's folder"]),
    "dot-dot path": ("![x](../../../../etc/passwd)", [
        "{p}:5:7: warning: image '../../../../etc/passwd' is shown as text: images must be "
        "http(s) URLs or paths inside the source's folder"]),
    "absolute path": ("![x](/etc/passwd)", [
        "{p}:5:7: warning: image '/etc/passwd' is shown as text: images must be "
        "http(s) URLs or paths inside the source's folder"]),
    "symlink out of the folder": ("![x](passwd.png)", [
        "{p}:5:7: warning: refused to fetch file://{d}/passwd.png (outside the source's folder "
        "and the style folders)"]),
    "not an image": ("![x](other.yaml)", [
        "{p}:5:7: warning: refused to fetch file://{d}/other.yaml (only images are read from "
        "the source's folder)"]),
    "http while remote fetching is off": ("![x]({http}/pixel.png)", [
        "{p}:5:7: warning: refused to fetch {http}/pixel.png (remote fetching is off; "
        "see --allow-remote)"]),
}


@pytest.mark.parametrize("case", IMAGE_CASES, ids=list(IMAGE_CASES))
def test_hostile_images_warn_and_are_never_fetched(
    case: str, tmp_path: Path, capsys, fetchers, loopback, requests_seen
) -> None:
    answer, expected = IMAGE_CASES[case]
    http = base_url(loopback)
    source = _answer_source(tmp_path, answer.format(http=http))
    out = tmp_path / "out"
    assert main(["build", str(source), "--out", str(out), "--format", "pdf"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[:-1] == [e.format(p=source, d=source.parent, http=http) for e in expected]
    assert requests_seen == []
    fetched = [url for f in fetchers for url in f.fetched]
    assert fetched and all(url.endswith(".ttf") for url in fetched), fetched
    assert (out / "s.pdf").is_file()


def test_an_image_beside_the_source_is_drawn(tmp_path: Path, capsys, fetchers) -> None:
    source = _answer_source(tmp_path, "![map](map.png)")
    assert main(["build", str(source), "--out", str(tmp_path / "out"), "--format", "pdf"]) == 0
    assert capsys.readouterr().err.startswith("1 built in ")
    assert (source.parent / "map.png").as_uri() in fetchers[0].fetched
    page = PdfReader(tmp_path / "out" / "s.pdf").pages[-1]
    assert any(x.get_object()["/Subtype"] == "/Image"
               for x in page["/Resources"]["/XObject"].values())


def test_the_screen_version_carries_copies_of_its_images(tmp_path: Path, capsys) -> None:
    source = _answer_source(tmp_path, "![map](map.png) ![secret](passwd.png)")
    out = tmp_path / "out"
    assert main(["build", str(source), "--out", str(out), "--format", "html"]) == 0
    html = (out / "s.html").read_text(encoding="utf-8")
    assert '<img src="s-files/map.png" alt="map" />' in html
    assert (out / "s-files" / "map.png").read_bytes() == PIXEL
    # The symlink out of the folder is refused here exactly as the PDF refuses it.
    assert not (out / "s-files" / "passwd.png").exists()
    err = capsys.readouterr().err
    assert f"{source}:5:23: warning: refused to fetch " in err and "passwd.png" in err


def test_allow_remote_fetches_over_http(tmp_path: Path, capsys, loopback, requests_seen) -> None:
    source = _answer_source(tmp_path, f"![x]({base_url(loopback)}/to-pixel)")
    out = tmp_path / "out"
    assert main(["build", str(source), "--out", str(out), "--format", "pdf",
                 "--allow-remote"]) == 0
    assert capsys.readouterr().err.startswith("1 built in ")
    assert requests_seen == ["/to-pixel", "/pixel.png"]


def test_strict_fails_on_a_refused_fetch_and_writes_nothing(
    tmp_path: Path, out: Path, capsys, loopback, requests_seen
) -> None:
    source = _answer_source(tmp_path, f"![x]({base_url(loopback)}/pixel.png)")
    source = source.rename(source.with_name("s.yaml"))
    before = _snapshot(out)
    assert main(["build", str(source), "--out", str(out), "--strict"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{source}:5:7: warning: refused to fetch {base_url(loopback)}/pixel.png (remote fetching "
        "is off; see --allow-remote)"]
    assert _snapshot(out) == before and requests_seen == []


def test_a_broken_image_is_a_warning_not_a_failed_briefing(tmp_path: Path, capsys) -> None:
    source = _answer_source(tmp_path, "![map](broken.png)")
    (source.parent / "broken.png").write_bytes(PIXEL[:33] + bytes.fromhex(  # a bad IDAT chunk
        "0000000d49444154789c6360f8cfc0f01f0005000201a0d6a40d0000000049454e44ae426082"))
    assert main(["build", str(source), "--out", str(tmp_path / "out"), "--format", "pdf"]) == 0
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{source}:5:7: warning: could not fetch {(source.parent / 'broken.png').as_uri()} "
        "(not a readable image: Truncated File Read)")


@pytest.mark.parametrize(("size", "reason"), [
    ((8000, 6000), "8000×6000 pixels is more than the limit of 40000000 pixels"),
    ((12000, 10000), "a decompression bomb: Image size (120000000 pixels) exceeds limit of "
                     "89478485 pixels, could be decompression bomb DOS attack."),
])
def test_an_image_too_large_once_decoded_is_refused_where_it_is_named(
    tmp_path: Path, capsys, size: tuple[int, int], reason: str
) -> None:
    import warnings

    from PIL import Image

    source = _answer_source(tmp_path, "![plan](plan.png)")
    Image.new("1", size).save(source.parent / "plan.png")
    assert (source.parent / "plan.png").stat().st_size < 200_000, "small on disk"
    out = tmp_path / "out"
    with warnings.catch_warnings(record=True) as escaped:
        warnings.simplefilter("always")
        assert main(["build", str(source), "--out", str(out)]) == 0
    assert [str(w.message) for w in escaped
            if issubclass(w.category, Image.DecompressionBombWarning)] == []
    err = capsys.readouterr().err.splitlines()
    assert err[:-1] == [f"{source}:5:7: warning: refused to fetch "
                        f"{(source.parent / 'plan.png').as_uri()} ({reason})"]
    assert (out / "s.pdf").is_file() and not (out / "s-files" / "plan.png").exists()


def test_no_image_name_writes_outside_the_output_folder(tmp_path: Path, capsys) -> None:
    """Encoded separators, dot-dots, a linked folder, absolute and Windows-style paths."""
    names = ["b/x%3F/../../../../hook.png", "b%2F..%2F..%2Fhook.png", "b/%2e%2e/%2e%2e/hook.png",
             "b\\..\\..\\hook.png", "/tmp/hook.png", "C:\\hook.png", "b/pic.png", "ok.png"]
    source = _answer_source(tmp_path, " ".join(f"![x]({name})" for name in names))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "pic.png").write_bytes(PIXEL)
    (elsewhere / "hook.png").write_bytes(PIXEL)
    (source.parent / "b").symlink_to(elsewhere)
    (source.parent / "ok.png").write_bytes(PIXEL)
    before = sorted(p for p in tmp_path.rglob("*") if "out" not in p.parts)
    out = tmp_path / "out"
    assert main(["build", str(source), "--out", str(out), "--format", "html"]) == 0
    assert sorted(p for p in tmp_path.rglob("*") if "out" not in p.parts) == before
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.png")) == ["s-files/ok.png"]
    err = capsys.readouterr().err
    assert f"{source}:5:7: warning: image 'b/x?/../../../../hook.png' is shown as text" in err
    assert "refused to fetch" in err and "b/pic.png (outside the source's folder" in err


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_an_image_that_is_not_a_regular_file_is_never_read(
    tmp_path: Path, capsys, kind: str
) -> None:
    """A FIFO would hang a build forever and /dev/zero would fill memory: neither is opened."""
    source = _answer_source(tmp_path, "![x](special.png)")
    special = source.parent / "special.png"
    if kind == "fifo":
        os.mkfifo(special)
    elif kind == "device":
        special.symlink_to("/dev/zero")
    else:
        special.mkdir()
    out = tmp_path / "out"
    started = time.perf_counter()
    assert main(["build", str(source), "--out", str(out)]) == 0
    assert time.perf_counter() - started < 30
    err = capsys.readouterr().err.splitlines()
    reason = ("outside the source's folder and the style folders" if kind == "device"
              else "not a regular file")
    assert f"{source}:5:7: warning: refused to fetch {special.as_uri()} ({reason})" in err
    assert main(["build", str(source), "--out", str(out)]) == 0  # the cache key reads none
    assert "0 built, 1 up to date" in capsys.readouterr().err
