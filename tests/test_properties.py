"""Property tests for the YAML reader: any bytes give a model or a BriefingError, nothing else."""

from __future__ import annotations

from pathlib import Path

from conftest import DATA, EXAMPLE
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefing.errors import BriefingError
from briefing.load import parse
from briefing.model import Briefing
from briefing.read import decode

SEEDS = [EXAMPLE.read_bytes(), (DATA / "flat-es.yaml").read_bytes()]
YAML_BITS = [b"&a ", b"*a", b"!!python/object:os.system ", b"[", b"]", b"{", b"}", b": ",
             b"- ", b"? ", b"|", b">", b"'", b'"', b"#", b"\t", b"\n", b"   ", b"---\n",
             b"\x00", b"\xff", b"\xc3", b"\xef\xbb\xbf", b"%YAML 1.1\n", b"!", b"\\U0001F600",
             "😀".encode(), b"sections:", b"questions:", b"title:", b"id: x", b"<<: *a"]
FAST = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def load_bytes(data: bytes) -> None:
    """Decode and parse as the build does; only a model or a BriefingError may come out."""
    try:
        briefing, _ = parse(decode(data, "s.yaml"), "s.yaml")
    except BriefingError:
        return
    assert isinstance(briefing, Briefing)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """An example source with a few byte-level edits: cut, insert, replace or duplicate."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["cut", "insert", "replace", "bit"]))
        if kind == "cut":
            del data[at:at + draw(st.integers(1, 200))]
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(YAML_BITS) | st.binary(max_size=8))
        elif kind == "replace" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 7))
    return bytes(data)


@st.composite
def shuffled_lines(draw: st.DrawFn) -> bytes:
    """An example source with lines dropped, repeated, swapped or re-indented."""
    lines = draw(st.sampled_from(SEEDS)).split(b"\n")
    for _ in range(draw(st.integers(1, 5))):
        i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["drop", "repeat", "swap", "indent", "dedent"]))
        if kind == "drop":
            del lines[i]
        elif kind == "repeat":
            lines.insert(j, lines[i])
        elif kind == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "indent":
            lines[i] = b" " * draw(st.integers(1, 6)) + lines[i]
        else:
            lines[i] = lines[i].lstrip()
        if not lines:
            break
    return b"\n".join(lines)


@FAST
@given(mutated())
def test_mutated_bytes_give_a_model_or_an_error(data: bytes) -> None:
    load_bytes(data)


@FAST
@given(shuffled_lines())
def test_shuffled_lines_give_a_model_or_an_error(data: bytes) -> None:
    load_bytes(data)


@FAST
@given(st.lists(st.sampled_from(YAML_BITS) | st.text(max_size=6).map(str.encode), max_size=40))
@example([b"title: ", b"*a"])
@example([b"title: &a [", b"*a", b"]"])
def test_soup_of_yaml_fragments_gives_a_model_or_an_error(parts: list[bytes]) -> None:
    load_bytes(b"".join(parts))


@FAST
@given(st.binary(max_size=300))
def test_random_bytes_give_a_model_or_an_error(data: bytes) -> None:
    load_bytes(data)


def test_unmodified_examples_load(tmp_path: Path) -> None:
    for seed in SEEDS:
        briefing, _ = parse(decode(seed, "s.yaml"), "s.yaml")
        assert briefing.questions
