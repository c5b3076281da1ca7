"""The code base stays ruff clean."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

CHECKED = ["briefing", "tests", "bench", "compile.py"]


def test_ruff_is_clean() -> None:
    run = subprocess.run([sys.executable, "-m", "ruff", "check", *CHECKED],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
