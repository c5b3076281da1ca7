"""Page counts and render time of every output, for a few sources in each layout.

Usage: python bench/outputs.py [--runs N] [SOURCE.yaml ...]

Without sources it measures the example (``source/missouri-ice-cooperation.yaml``),
the four-question guide (``tests/data/handout-en.yaml``) and a synthetic
40-question source. Each source is rendered in the ``briefing`` and the
``handout`` layout by every registered writer on its own (nothing shared
between writers), in this process after one warm-up render; the table gives
the pages of each file (for imposed files, the sides of their sheets) and the
median time of the writer's ``write``.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import synthetic_source  # noqa: E402

from briefing import impose  # noqa: E402
from briefing.load import load  # noqa: E402
from briefing.options import Options  # noqa: E402
from briefing.writers import WRITERS  # noqa: E402

LAYOUTS = ("briefing", "handout")


def _sources(given: list[str], folder: Path) -> list[Path]:
    if given:
        return [Path(name) for name in given]
    forty = folder / "forty-questions.yaml"
    forty.write_text(synthetic_source(40), encoding="utf-8")
    return [ROOT / "source" / "missouri-ice-cooperation.yaml",
            ROOT / "tests" / "data" / "handout-en.yaml", forty]


def _measure(path: Path, runs: int) -> None:
    loaded = load(path)
    for layout in LAYOUTS:
        briefing = dataclasses.replace(loaded, layout=layout, cover=None, contents=None)
        cells = []
        for name, writer in WRITERS.items():
            times, output = [], None
            for _ in range(runs + 1):
                impose._last = None  # each writer lays the briefing out itself
                start = time.perf_counter()
                output = writer.write(briefing, Options())
                times.append(time.perf_counter() - start)
            assert output is not None
            pages = sum(output.pages.values())
            cells.append(f"{name} {pages:>3} p {statistics.median(times[1:]):5.2f} s")
        print(f"{path.name[:28]:<28} {layout:<9} " + " | ".join(cells))


def main() -> None:
    """Print one row per source and layout: pages and time of each output."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("sources", nargs="*")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for path in _sources(args.sources, Path(folder)):
            _measure(path, args.runs)


if __name__ == "__main__":
    main()
