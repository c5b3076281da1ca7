"""A build killed mid-render or mid-write keeps the earlier files and leaves no temporary behind.

The build runs in a subprocess with one function replaced by a stand-in that
touches a marker file and then waits: the test waits for the marker, so it
knows exactly where the build is, and then kills it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import DATA, ROOT, Built

from briefing.build import build
from briefing.options import Options
from briefing.write import TEMP_PREFIX, remove_stale_temporaries

DRIVER = """
import os, sys, time
from pathlib import Path
import briefing.fetch, briefing.write
from briefing.cli import main

marker, where, *argv = sys.argv[1:]

def wait(*args, **kwargs):
    Path(marker).touch()
    time.sleep(60)

if where == "render":
    briefing.fetch.RestrictedFetcher.fetch = wait
else:
    briefing.write.os.replace = wait
sys.exit(main(argv))
"""


def _run_until(where: str, source: Path, out: Path, tmp_path: Path) -> subprocess.Popen:
    marker = tmp_path / f"reached-{where}"
    process = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(marker), where,
         "build", str(source), "--out", str(out), "--format", "pdf"],
        env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not marker.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the build never reached {where}: {process.communicate()}")
        time.sleep(0.02)
    return process


@pytest.mark.parametrize(("where", "how"), [
    ("render", signal.SIGKILL), ("write", signal.SIGKILL), ("write", signal.SIGTERM),
])
def test_an_interrupted_build_keeps_the_earlier_pdf(
    where: str, how: signal.Signals, spanish: Built, tmp_path: Path
) -> None:
    source = tmp_path / "flat-es.yaml"
    source.write_bytes((DATA / "flat-es.yaml").read_bytes())
    out = tmp_path / "out"
    out.mkdir()
    earlier = spanish.pdf_path.read_bytes()
    (out / "flat-es.pdf").write_bytes(earlier)

    process = _run_until(where, source, out, tmp_path)
    temporaries = list(out.glob(TEMP_PREFIX + "*"))
    assert len(temporaries) == (1 if where == "write" else 0)
    process.send_signal(how)
    _, err = process.communicate(timeout=30)

    assert (out / "flat-es.pdf").read_bytes() == earlier
    if how == signal.SIGTERM:
        assert process.returncode == 143 and err.endswith("terminated\n")
        assert not list(out.glob(TEMP_PREFIX + "*")), "cleaned up on the way out"
    else:
        assert process.returncode == -signal.SIGKILL
        assert list(out.glob(TEMP_PREFIX + "*")) == temporaries

    (outcome,) = build([source], out, Options(), ("pdf",))
    assert outcome.ok
    assert sorted(p.name for p in out.iterdir()) == [".briefing-manifest.json", "flat-es.pdf"]
    assert (out / "flat-es.pdf").read_bytes() != earlier  # letter now, A4 before
    assert (out / "flat-es.pdf").read_bytes().startswith(b"%PDF-")


def test_a_temporary_of_a_live_build_is_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        live = out / f"{TEMP_PREFIX}{sleeper.pid}-abc"
        live.write_bytes(b"being written")
        dead = out / f"{TEMP_PREFIX}999999999-abc"
        dead.write_bytes(b"left by a killed build")
        old = out / f"{TEMP_PREFIX}{sleeper.pid}-old"
        old.write_bytes(b"too old to be in progress")
        os.utime(old, (0, 0))
        remove_stale_temporaries(out)
        assert sorted(p.name for p in out.iterdir()) == [live.name]
    finally:
        sleeper.kill()
        sleeper.wait()


PARALLEL = """
import sys, time
from pathlib import Path
import briefing.render_pdf
from briefing.cli import main

marker, *argv = sys.argv[1:]
real = briefing.render_pdf.render

def slow(*args, **kwargs):
    Path(marker).touch()  # a worker is rendering
    time.sleep(6)
    return real(*args, **kwargs)

briefing.render_pdf.render = slow
sys.exit(main(argv))
"""


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT])
def test_a_parallel_build_stops_at_once_and_its_workers_write_nothing_after(
    tmp_path: Path, how: signal.Signals
) -> None:
    sources = []
    for name in "abcd":
        sources.append(tmp_path / f"{name}.yaml")
        sources[-1].write_bytes((DATA / "flat-es.yaml").read_bytes())
    out, marker = tmp_path / "out", tmp_path / "rendering"
    process = subprocess.Popen(
        [sys.executable, "-c", PARALLEL, str(marker), "build", *map(str, sources),
         "--out", str(out), "--format", "pdf", "--jobs", "2"],
        env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    assert marker.exists(), process.communicate()
    sent = time.monotonic()
    process.send_signal(how)
    _, err = process.communicate(timeout=60)
    stopped = time.monotonic() - sent
    assert process.returncode == (143 if how == signal.SIGTERM else 130)
    assert stopped < 3, f"took {stopped:.1f} s"
    assert err.splitlines() == ["terminated" if how == signal.SIGTERM else "interrupted"]
    time.sleep(7)  # longer than a worker would have gone on rendering
    assert not list(out.glob("*.pdf")), "no worker wrote after the signal"
