"""Count hyphenation faults in built PDFs: words split across a page turn, stubs after a hyphen.

    .venv/bin/python bench/typography.py [--questions 40]

Builds the example briefing, the Spanish fixture and a synthetic briefing of
``--questions`` questions into a temporary folder and prints, for each, its pages,
the page turns inside a word and the short last lines after a hyphen, with the
lines found (see ``tests/hyphens.py`` for how they are found from the PDF's text).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from hyphens import faults  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from synthetic import synthetic_source  # noqa: E402

from briefing.build import build  # noqa: E402
from briefing.options import Options  # noqa: E402


def measure(source: Path, out: Path) -> tuple[int, list, list, int]:
    """Build ``source`` and return its page count and its hyphenation faults."""
    (outcome,) = build([source], out, Options(), ("pdf",))
    if not outcome.ok:
        raise SystemExit(f"{source}: {outcome.error}")
    pdf = out / f"{source.stem}.pdf"
    found = faults(pdf, source.read_text(encoding="utf-8"))
    return len(PdfReader(pdf).pages), found.page_turns, found.stubs, found.hyphenated


def main() -> None:
    """Build the three sources and print what was found."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=40, help="synthetic briefing size")
    parser.add_argument("--show", action="store_true", help="print each faulty line")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        synthetic = work / f"synthetic-{args.questions}.yaml"
        synthetic.write_text(synthetic_source(args.questions), encoding="utf-8")
        sources = [ROOT / "source" / "missouri-ice-cooperation.yaml",
                   ROOT / "tests" / "data" / "flat-es.yaml", synthetic]
        sys.stdout.write(f"{'source':32} {'pages':>5} {'hyphens':>7} {'turns':>5} {'stubs':>5}\n")
        for source in sources:
            pages, turns, stubs, count = measure(source, work / "out")
            sys.stdout.write(f"{source.name:32} {pages:5} {count:7} {len(turns):5} "
                             f"{len(stubs):5}\n")
            if args.show:
                for page, line in turns + stubs:
                    sys.stdout.write(f"    page {page + 1}: {line}\n")


if __name__ == "__main__":
    main()
