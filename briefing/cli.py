"""The command line: parse arguments, run a stage, print results, turn errors into exit codes."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .build import FORMATS, Outcome, build, check_sources, discover
from .convert import import_text
from .errors import BriefingError, UsageError
from .load import decode, read
from .render_html import PAPER_SIZES, Options

COMMANDS = ("build", "check", "import")


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
    b.add_argument("--strict", action="store_true", help="treat warnings as errors")

    c = commands.add_parser("check", help="validate sources without rendering")
    c.add_argument("sources", nargs="*", type=Path, metavar="SOURCE",
                   help="source files (default: source/*.yaml)")
    c.add_argument("--strict", action="store_true", help="treat warnings as errors")

    i = commands.add_parser("import", help="turn a plain-text FAQ into a YAML source")
    i.add_argument("file", metavar="FILE", help="the text to import ('-' reads standard input)")
    i.add_argument("--out", type=Path, metavar="PATH",
                   help="the YAML source to write, or an existing folder for it "
                        "(default: source/<slug-of-title>.yaml)")
    i.add_argument("--language", metavar="LANG",
                   help="the language tag to record (default: guessed, en or es)")
    i.add_argument("--force", action="store_true", help="replace PATH if it exists")
    return parser


def _import(args: argparse.Namespace) -> int:
    """Run the import command: warnings to stderr, one line saying what was written."""
    if args.file == "-":
        name, text = "<stdin>", decode(sys.stdin.buffer.read(), "<stdin>")
    else:
        name, text = args.file, read(args.file)
    imported = import_text(text, name, args.out, language=args.language, force=args.force)
    for diagnostic in imported.diagnostics:
        print(diagnostic, file=sys.stderr)
    how = "guessed from the questions" if imported.language_guessed else "given with --language"
    count = len(imported.briefing.questions)
    print(f"wrote {imported.path} ({count} question{'s' if count != 1 else ''}; "
          f"language {imported.briefing.language}, {how})")
    return 0


def _report(outcomes: Sequence[Outcome]) -> int:
    """Print diagnostics and written files; return the exit code."""
    for outcome in outcomes:
        for diagnostic in outcome.diagnostics:
            if outcome.error is None:
                print(diagnostic, file=sys.stderr)
        if outcome.error is not None:
            print(outcome.error, file=sys.stderr)
        for written in outcome.written:
            pages = f", {written.pages} pages" if written.pages else ""
            print(f"wrote {written.path} ({_size(written.size)}{pages})")
    failed = [o for o in outcomes if not o.ok]
    if failed and len(outcomes) > 1:
        names = ", ".join(str(o.source) for o in failed)
        print(f"{len(failed)} of {len(outcomes)} sources failed: {names}", file=sys.stderr)
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0] not in COMMANDS
                         and args_list[0] not in ("-h", "--help", "--version")):
        args_list.insert(0, "build")
    args = _parser().parse_args(args_list)
    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(levelname)s: %(message)s")
    if args.command == "import":
        try:
            return _import(args)
        except UsageError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        except BriefingError as exc:
            print(exc, file=sys.stderr)
            return 1

    sources = args.sources or discover()
    if not sources:
        print("error: no sources: give SOURCE files or put *.yaml files in source/",
              file=sys.stderr)
        return 2
    try:
        if args.command == "check":
            return _report(check_sources(sources, strict=args.strict))
        for folder in args.style:
            if not folder.is_dir():
                print(f"error: --style {folder}: not a folder", file=sys.stderr)
                return 2
        options = Options(paper=args.paper, style_dirs=tuple(args.style))
        formats = FORMATS if args.format == "all" else (args.format,)
        started = time.perf_counter()
        code = _report(build(sources, args.out, options, formats, strict=args.strict))
        if code == 0:
            print(f"built {len(sources)} source(s) in {time.perf_counter() - started:.1f} s",
                  file=sys.stderr)
        return code
    except BriefingError as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
