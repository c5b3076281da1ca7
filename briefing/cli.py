"""The command line: parse arguments, run a stage, print results, turn errors into exit codes."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .build import FORMATS, Outcome, build, check_sources, discover
from .errors import BriefingError, UnexpectedError
from .load import MAX_SOURCE_BYTES
from .render_html import PAPER_SIZES, Options

COMMANDS = ("build", "check")


def _size(n: int) -> str:
    return f"{n / 1024:.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefing",
        description="Compile Q&A sources (YAML) into printable PDF and HTML briefings.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    b = commands.add_parser("build", help="build PDF and HTML (the default command)")
    b.add_argument("sources", nargs="*", type=Path, metavar="SOURCE",
                   help="source files (default: source/*.yaml)")
    b.add_argument("--out", type=Path, default=Path("out"), metavar="DIR",
                   help="output folder (default: out)")
    b.add_argument("--paper", choices=sorted(PAPER_SIZES), default="letter",
                   help="paper size (default: letter)")
    b.add_argument("--format", choices=(*FORMATS, "all"), default="all",
                   help="what to write (default: all)")
    b.add_argument("--style", type=Path, action="append", default=[], metavar="DIR",
                   help="a folder of templates/stylesheets that override styles/ (repeatable)")
    b.add_argument("--allow-remote", action="store_true",
                   help="let the PDF fetch http(s) images and styles (off: nothing leaves "
                        "the machine)")

    c = commands.add_parser("check", help="validate sources without rendering")
    c.add_argument("sources", nargs="*", type=Path, metavar="SOURCE",
                   help="source files (default: source/*.yaml)")
    for sub in (b, c):
        sub.add_argument("--strict", action="store_true", help="treat warnings as errors")
        sub.add_argument("--max-source-bytes", type=_byte_count, default=MAX_SOURCE_BYTES,
                         metavar="N", help="refuse larger sources before parsing "
                         f"(default: {MAX_SOURCE_BYTES}; suffixes k, M allowed)")
    return parser


def _byte_count(text: str) -> int:
    """A positive number of bytes, optionally with a k or M suffix (1024-based)."""
    scale = {"k": 1024, "m": 1024 * 1024}.get(text[-1:].lower(), 1)
    digits = text[:-1] if scale > 1 else text
    if not digits.isdigit() or int(digits) == 0:
        raise argparse.ArgumentTypeError(f"not a positive number of bytes: {text!r}")
    return int(digits) * scale


def _report(outcomes: Sequence[Outcome]) -> int:
    """Print diagnostics and written files; return the exit code."""
    for outcome in outcomes:
        for diagnostic in outcome.diagnostics:
            if outcome.error is None:
                print(diagnostic, file=sys.stderr)
        if outcome.error is not None:
            print(outcome.error, file=sys.stderr)
            if isinstance(outcome.error, UnexpectedError):
                print(outcome.error.traceback, end="", file=sys.stderr)
        for written in outcome.written:
            pages = f", {written.pages} pages" if written.pages else ""
            print(f"wrote {written.path} ({_size(written.size)}{pages})")
    failed = [o for o in outcomes if not o.ok]
    if failed and len(outcomes) > 1:
        names = ", ".join(str(o.source) for o in failed)
        print(f"{len(failed)} of {len(outcomes)} sources failed: {names}", file=sys.stderr)
    return 1 if failed else 0


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that a build stopped by CI cleans up the same way."""


def _terminated(signum: int, frame: object) -> None:
    raise _Terminated


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    try:
        previous = signal.signal(signal.SIGTERM, _terminated)
    except ValueError:  # not the main thread: leave signals alone
        previous = None
    try:
        return _main(argv)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main(argv: Sequence[str] | None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0] not in COMMANDS
                         and args_list[0] not in ("-h", "--help", "--version")):
        args_list.insert(0, "build")
    args = _parser().parse_args(args_list)
    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(levelname)s: %(message)s")

    sources = args.sources or discover()
    if not sources:
        print("error: no sources: give SOURCE files or put *.yaml files in source/",
              file=sys.stderr)
        return 2
    try:
        if args.command == "check":
            return _report(check_sources(sources, strict=args.strict,
                                         max_bytes=args.max_source_bytes))
        for folder in args.style:
            if not folder.is_dir():
                print(f"error: --style {folder}: not a folder", file=sys.stderr)
                return 2
        options = Options(paper=args.paper, style_dirs=tuple(args.style),
                          allow_remote=args.allow_remote)
        formats = FORMATS if args.format == "all" else (args.format,)
        started = time.perf_counter()
        outcomes = build(sources, args.out, options, formats, strict=args.strict,
                         max_bytes=args.max_source_bytes)
        code = _report(outcomes)
        if code == 0:
            print(f"built {len(sources)} source(s) in {time.perf_counter() - started:.1f} s",
                  file=sys.stderr)
        return code
    except BriefingError as exc:
        print(exc, file=sys.stderr)
        return 1
    except _Terminated:
        print("terminated", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
