"""Benchmark full builds against the floor: WeasyPrint alone rendering the same body.

Usage: python bench/run.py [--runs N] [--sizes 20,200,1000] [--no-example]

For each synthetic size (and the example), every measurement runs in a fresh
process; the table gives the median wall time, the peak RSS of the full build,
and the ratio to the floor. It also times WeasyPrint alone rendering just the
front matter (cover and contents, with the real page numbers), net of importing
WeasyPrint: what remains of the full build after the floor and the front matter
is this project's own overhead. With the ``typst`` package installed, an
equivalent Typst document (same text, headings and outline) is timed too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pypdf import PdfReader  # noqa: E402
from synthetic import synthetic_source  # noqa: E402

from briefing.load import load  # noqa: E402
from briefing.options import Options  # noqa: E402
from briefing.render_html import render_body  # noqa: E402

FLOOR = """
import sys
from weasyprint import HTML
HTML(filename=sys.argv[1], base_url=sys.argv[2]).write_pdf(sys.argv[3])
"""

FRONT = """
import sys
from pathlib import Path
from briefing.load import load
from briefing.options import Options
from briefing.render_html import render_front
from briefing.render_pdf import render
briefing = load(sys.argv[1])
numbers = {a: str(p) for a, p in render(briefing, Options()).pages.items()}
Path(sys.argv[2]).write_text(render_front(briefing, Options(), numbers), encoding="utf-8")
"""

TYPST = """
import sys, typst
typst.compile(sys.argv[1], output=sys.argv[2])
"""


def timed(command: list[str]) -> tuple[float, int]:
    """Run a command in a fresh process; return (wall seconds, peak RSS in bytes)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    stderr = process.stderr.read().decode() if process.stderr else ""
    if status != 0:
        raise SystemExit(f"command failed: {' '.join(command)}\n{stderr}")
    return wall, usage.ru_maxrss * 1024


def median_of(command: list[str], runs: int) -> tuple[float, int]:
    """Median wall time and the largest peak RSS over ``runs`` fresh processes."""
    results = [timed(command) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def typst_source(source: Path) -> str:
    """An equivalent Typst document: same headings, text and an outline."""
    briefing = load(source)

    def esc(text: str) -> str:
        return "".join("\\" + c if c in "\\#*_`$<>@[]" else c for c in text)

    parts = ['#set page(paper: "us-letter", numbering: "1")', "#set heading(numbering: \"1.1\")",
             f"= {esc(briefing.title)}", "#outline()", "#pagebreak()"]
    for section in briefing.sections:
        parts.append(f"= {esc(section.title or '')}")
        for question in section.questions:
            parts.append(f"== {esc(question.question)}")
            parts.extend(esc(p) for p in question.answer.split("\n\n"))
    return "\n\n".join(parts) + "\n"


def measure(name: str, source: Path, work: Path, runs: int) -> dict:
    """Time the full build, the floor and (if available) Typst for one source."""
    out = work / f"out-{name}"
    body_html = work / f"{name}-body.html"
    briefing = load(source)
    body_html.write_text(render_body(briefing, Options()), encoding="utf-8")
    build = [sys.executable, "compile.py", "build", str(source), "--out", str(out),
             "--format", "pdf", "--force", "--jobs", "1"]
    full, rss = median_of(build, runs)
    pages = len(PdfReader(out / f"{source.stem}.pdf").pages)
    floor_cmd = [sys.executable, "-c", FLOOR, str(body_html),
                 source.resolve().parent.as_uri() + "/", str(work / f"{name}-floor.pdf")]
    floor, _ = median_of(floor_cmd, runs)
    front_html = work / f"{name}-front.html"
    # In a process of its own: a child forked from a big parent would report
    # the parent's peak memory as its own (Linux keeps it across exec).
    subprocess.run([sys.executable, "-c", FRONT, str(source), str(front_html)], cwd=ROOT,
                   check=True)
    front, _ = median_of([sys.executable, "-c", FLOOR, str(front_html),
                          source.resolve().parent.as_uri() + "/",
                          str(work / f"{name}-front.pdf")], runs)
    imported, _ = median_of([sys.executable, "-c", "import weasyprint"], runs)
    row = {"name": name, "questions": len(briefing.questions), "pages": pages, "full": full,
           "rss": rss, "floor": floor, "front": front - imported, "typst": None}
    try:
        import typst  # noqa: F401
    except ImportError:
        return row
    typ = work / f"{name}.typ"
    typ.write_text(typst_source(source), encoding="utf-8")
    row["typst"], _ = median_of(
        [sys.executable, "-c", TYPST, str(typ), str(work / f"{name}-typst.pdf")], runs)
    return row


def table(rows: list[dict]) -> str:
    """The results as a Markdown table."""
    typst = any(r["typst"] is not None for r in rows)
    head = ["source", "questions", "pages", "full build (s)", "peak RSS (MiB)", "floor (s)",
            "full / floor", "front matter alone (s)", "own overhead (s)"]
    if typst:
        head += ["typst (s)", "full / typst"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [r["name"], str(r["questions"]), str(r["pages"]), f"{r['full']:.2f}",
                 f"{r['rss'] / 2**20:.0f}", f"{r['floor']:.2f}", f"{r['full'] / r['floor']:.2f}",
                 f"{r['front']:.2f}", f"{r['full'] - r['floor'] - r['front']:.2f}"]
        if typst:
            cells += ([f"{r['typst']:.2f}", f"{r['full'] / r['typst']:.1f}"]
                      if r["typst"] else ["-", "-"])
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    """Generate the sources, measure them, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--sizes", default="20,200,1000", help="synthetic sizes to measure")
    parser.add_argument("--no-example", action="store_true", help="skip the example briefing")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as tmp:
        work = Path(tmp)
        for size in (int(s) for s in args.sizes.split(",") if s):
            source = work / f"synthetic-{size}.yaml"
            source.write_text(synthetic_source(size), encoding="utf-8")
            runs = args.runs if size < 1000 else max(1, min(args.runs, 3))
            rows.append(measure(f"synthetic-{size}", source, work, runs))
            print(f"measured {size} questions", file=sys.stderr)
        if not args.no_example:
            example = ROOT / "source" / "missouri-ice-cooperation.yaml"
            rows.append(measure("example", example, work, args.runs))
    print(table(rows))


if __name__ == "__main__":
    main()
