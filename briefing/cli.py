"""The command line: parse arguments, run a stage, print results, turn errors into exit codes."""

from __future__ import annotations

import argparse
import difflib
import logging
import os
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .build import Outcome, Written, build, check_sources, discover, expand
from .errors import BriefingError, SourceError, UnexpectedError, UsageError
from .options import PAPER_SIZES, Options
from .read import MAX_SOURCE_BYTES
from .readers import READERS
from .streams import resilient
from .usage import add_command, program
from .writers import DEFAULT, WRITERS, parse_formats

COMMANDS = ("build", "check", "watch", "import", "new", "theme")


def _size(n: int) -> str:
    return f"{n / 1024:.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def _shard(text: str) -> tuple[int, int]:
    try:
        k, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not K/N, e.g. 2/8") from None
    if not 1 <= k <= n:
        raise argparse.ArgumentTypeError(f"'{text}': K must be between 1 and N")
    return k, n


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive number of jobs")
    return int(text)


def _formats(text: str) -> tuple[str, ...]:
    try:
        return parse_formats(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _render_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("sources", nargs="*", type=Path, metavar="SOURCE",
                         help="source files or folders of them (default: source/)")
    command.add_argument("--out", type=Path, default=Path("out"), metavar="DIR",
                         help="output folder (default: out)")
    command.add_argument("--paper", choices=tuple(PAPER_SIZES), default=None,
                         help="paper size (default: the source's 'paper', else letter)")
    formats = "; ".join(f"{w.name}: {w.description}" for w in WRITERS.values())
    command.add_argument("--format", type=_formats, default=DEFAULT, metavar="NAME[,NAME...]",
                         help=f"what to write (default: {','.join(DEFAULT)}; all: every "
                              f"output). {formats}")
    command.add_argument("--style", type=Path, action="append", default=[], metavar="DIR",
                         help="a folder of templates/stylesheets that override styles/ "
                              "(repeatable)")
    command.add_argument("--allow-remote", action="store_true",
                         help="let the PDF fetch http(s) images and styles (off: nothing "
                              "leaves the machine)")
    command.add_argument("--attach-source", action="store_true",
                         help="embed the source YAML in the PDF (off: sources may hold "
                              "comments not meant for publication)")
    _source_options(command)


def _source_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--strict", action="store_true", help="treat warnings as errors")
    command.add_argument("--max-source-bytes", type=_byte_count, default=MAX_SOURCE_BYTES,
                         metavar="N", help="refuse larger sources before parsing "
                         f"(default: {MAX_SOURCE_BYTES}; suffixes k, M allowed)")


def _final_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--final", action="store_true",
                         help="a release: refuse a source whose status is draft or that "
                              "holds a draft question")


def _byte_count(text: str) -> int:
    """A positive number of bytes, optionally with a k or M suffix (1024-based)."""
    scale = {"k": 1024, "m": 1024 * 1024}.get(text[-1:].lower(), 1)
    digits = text[:-1] if scale > 1 else text
    if not digits.isdigit() or int(digits) == 0:
        raise argparse.ArgumentTypeError(f"not a positive number of bytes: {text!r}")
    return int(digits) * scale


def _parser() -> argparse.ArgumentParser:
    parser = program()
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    b = add_command(commands, "build")
    _render_options(b)
    b.add_argument("--force", action="store_true",
                   help="rebuild even when nothing changed since the last build")
    b.add_argument("--jobs", "-j", type=_jobs, default=os.cpu_count() or 1, metavar="N",
                   help="sources built in parallel (default: the number of cores)")
    b.add_argument("--shard", type=_shard, metavar="K/N",
                   help="build only the K-th of N deterministic slices of the sources")
    _final_option(b)

    w = add_command(commands, "watch")
    _render_options(w)

    c = add_command(commands, "check")
    c.add_argument("sources", nargs="*", type=Path, metavar="SOURCE",
                   help="source files or folders of them (default: source/)")
    _source_options(c)
    _final_option(c)

    i = add_command(commands, "import")
    i.add_argument("file", metavar="FILE", help="the text to import ('-' reads standard input)")
    i.add_argument("--out", type=Path, metavar="PATH",
                   help="the YAML source to write, or an existing folder for it "
                        "(default: source/<slug-of-title>.yaml)")
    i.add_argument("--language", metavar="LANG",
                   help="the language tag to record (default: guessed, en or es)")
    i.add_argument("--force", action="store_true", help="replace PATH if it exists")
    i.add_argument("--from", dest="reader", choices=tuple(READERS), metavar="FORMAT",
                   help="read FILE as this format: " + "; ".join(
                       f"{r.name}: {r.description}" for r in READERS.values())
                   + " (default: chosen from the file's name and content)")
    i.add_argument("--flat", action="store_true",
                   help="ignore headings; put every question in one list")
    i.add_argument("--max-source-bytes", type=_byte_count, default=MAX_SOURCE_BYTES,
                   metavar="N", help="refuse a larger text, a file or standard input, before "
                   f"reading it all (default: {MAX_SOURCE_BYTES}; suffixes k, M allowed)")

    n = add_command(commands, "new")
    n.add_argument("name", metavar="NAME", help="the file name, without .yaml (e.g. my-faq)")
    n.add_argument("--out", type=Path, metavar="PATH",
                   help="the file to write, or an existing folder for NAME.yaml "
                        "(default: source/NAME.yaml)")
    n.add_argument("--force", action="store_true", help="replace the file if it exists")

    t = add_command(commands, "theme")
    t.add_argument("folder", type=Path, metavar="DIR", help="where to copy the theme's files")
    t.add_argument("--force", action="store_true", help="replace files that exist in DIR")
    return parser


def _import(args: argparse.Namespace) -> int:
    """Run the import command: warnings to stderr, one line saying what was written."""
    from .importer import import_text
    from .read import decode, read

    limit = args.max_source_bytes
    if args.file == "-":
        data = sys.stdin.buffer.read(limit + 1)  # never more than the limit allows
        if len(data) > limit:
            raise SourceError.at("<stdin>", 0, 0, f"more than {limit} bytes; the limit is "
                                 f"{limit} bytes (see --max-source-bytes)")
        name, text = "<stdin>", decode(data, "<stdin>")
    else:
        name, text = args.file, read(args.file, max_bytes=limit)
    imported = import_text(text, name, args.out, language=args.language, force=args.force,
                           reader=args.reader, flat=args.flat)
    for diagnostic in imported.diagnostics:
        print(diagnostic, file=sys.stderr)
    how = "guessed from the questions" if imported.language_guessed else \
        "given with --language" if args.language else "given in the file"
    count = len(imported.briefing.questions)
    print(f"wrote {imported.path}: {count} question{'s' if count != 1 else ''}, "
          f"read as {imported.reader} ({imported.chosen}), "
          f"language {imported.briefing.language} ({how})")
    return 0


def _start(args: argparse.Namespace) -> int:
    """Run new or theme: write a starter source or a copy of the theme, and say what to do next."""
    from .starter import copy_theme, new_source

    if args.command == "new":
        path = new_source(args.name, args.out, force=args.force)
        print(f"wrote {path} (a starter source; edit it, then: briefing build {path})")
    else:
        files = copy_theme(args.folder, force=args.force)
        print(f"wrote {len(files)} files to {args.folder} (the default theme; edit them, "
              f"then: briefing build --style {args.folder})")
    return 0


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _tally(outcomes: Sequence[Outcome], strict: bool) -> str:
    """One line counting the sources checked and the errors and warnings printed for them."""
    severities: list[str] = []
    for outcome in outcomes:
        if isinstance(outcome.error, SourceError):
            severities += [d.severity for d in outcome.error.diagnostics]
        elif outcome.error is not None:
            severities.append("error")
        else:
            severities += [d.severity for d in outcome.diagnostics]
    warnings = severities.count("warning")
    line = (f"{_plural(len(outcomes), 'source')} checked, "
            f"{_plural(severities.count('error'), 'error')}, {_plural(warnings, 'warning')}")
    return line + (" (failing: --strict)" if strict and warnings else "")


class Printer:
    """Prints each outcome as it arrives; a progress bar on a terminal, plain lines otherwise."""

    def __init__(self, total: int, bar: bool) -> None:
        self.total = total
        self.done = 0
        self.bar = bar and total > 1

    def _clear(self) -> None:
        if self.bar:
            sys.stderr.write("\r\033[K")

    def __call__(self, outcome: Outcome) -> None:
        self.done += 1
        self._clear()
        for diagnostic in outcome.diagnostics if outcome.error is None else ():
            print(diagnostic, file=sys.stderr)
        if outcome.error is not None:
            print(outcome.error, file=sys.stderr)
            if isinstance(outcome.error, UnexpectedError):
                print(outcome.error.traceback, end="", file=sys.stderr)
        self.wrote(outcome.written)
        if self.bar:
            filled = round(30 * self.done / self.total)
            sys.stderr.write(f"[{'#' * filled}{'.' * (30 - filled)}] "
                             f"{self.done}/{self.total} {outcome.source.name}")
            sys.stderr.flush()

    def wrote(self, written: Sequence[Written]) -> None:
        """One line per file written, with its size and, for a PDF, its pages."""
        for file in written:
            pages = f", {file.pages} page{'s' * (file.pages != 1)}" if file.pages else ""
            print(f"wrote {file.path} ({_size(file.size)}{pages})", flush=True)

    def summary(self, outcomes: Sequence[Outcome], seconds: float | None = None) -> int:
        """Print what failed and what was skipped; return the exit code."""
        self._clear()
        failed = [o for o in outcomes if not o.ok]
        fresh = sum(o.up_to_date for o in outcomes)
        if failed and len(outcomes) > 1:
            names = ", ".join(str(o.source) for o in failed)
            print(f"{len(failed)} of {len(outcomes)} sources failed: {names}", file=sys.stderr)
        if not failed and seconds is not None:
            built = len(outcomes) - fresh
            note = f"{built} built, {fresh} up to date" if fresh else f"{built} built"
            print(f"{note} in {seconds:.1f} s", file=sys.stderr)
        return 1 if failed else 0


def _sources(args: argparse.Namespace) -> list[Path]:
    for path in args.sources:
        if path.is_dir() and not discover(path):
            raise UsageError(f"{path}: no *.yaml or *.yml sources in this folder")
    sources = expand(args.sources) or discover()
    if not sources:
        raise UsageError("no sources: give SOURCE files or put *.yaml files in source/")
    shard = getattr(args, "shard", None)
    if shard:
        k, n = shard
        sources = [s for index, s in enumerate(sorted(sources)) if index % n == k - 1]
    return sources


def _options(args: argparse.Namespace) -> tuple[Options, tuple[str, ...]]:
    for folder in args.style:
        if not folder.is_dir():
            raise UsageError(f"--style {folder}: not a folder")
    formats = args.format
    options = Options(paper=args.paper, style_dirs=tuple(args.style),
                      allow_remote=args.allow_remote, attach_source=args.attach_source)
    return options, formats


def _run(args: argparse.Namespace) -> int:
    if args.command == "import":
        return _import(args)
    if args.command in ("new", "theme"):
        return _start(args)
    sources = _sources(args)
    if args.command == "check":
        printer = Printer(len(sources), bar=False)
        outcomes = check_sources(sources, strict=args.strict, max_bytes=args.max_source_bytes,
                                 final=args.final)
        for outcome in outcomes:
            printer(outcome)
        print(_tally(outcomes, args.strict), file=sys.stderr)
        return 0 if all(outcome.ok for outcome in outcomes) else 1
    options, formats = _options(args)
    if args.command == "watch":
        from .watch import watch

        return watch(args.sources, args.out, options, formats, strict=args.strict,
                     max_bytes=args.max_source_bytes,
                     report=Printer(0, bar=False),
                     say=lambda message: print(message, file=sys.stderr, flush=True))
    printer = Printer(len(sources), bar=sys.stderr.isatty())
    started = time.perf_counter()
    built = build(sources, args.out, options, formats, strict=args.strict,
                  force=args.force, jobs=args.jobs, max_bytes=args.max_source_bytes,
                  on_done=printer, final=args.final)
    printer.wrote(built.shared)
    for path in (path for outcome in built for path in outcome.removed):
        print(f"removed {path} (its source no longer makes it)")
    return printer.summary(built, time.perf_counter() - started)


def _log_to_stderr() -> None:
    """Show warnings nobody handled; records a build turned into diagnostics are printed
    with their source already (they carry ``record.briefing``)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(name)s: %(levelname)s: %(message)s"))
    handler.addFilter(lambda record: not hasattr(record, "briefing"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])


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
        with resilient() as (out, err):
            code = _main(argv)
            out.flush()
            if out.failed:  # said where it can be read; the build itself went on
                print(f"error: cannot write to standard output: {out.failed}", file=sys.stderr)
            return max(code, 1) if out.failed or err.failed else code
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _with_command(args: list[str]) -> list[str]:
    """The arguments, with ``build`` in front unless they start with a command.

    A first argument that is not a command is a source when it is an existing
    path or ends in .yaml or .yml. Otherwise, when it is close to a command's
    name, it is a mistyped command; anything else is still taken as a source
    (and reported as a file that cannot be read).
    """
    first = args[0] if args else ""
    if first in COMMANDS or first in ("-h", "--help", "--version"):
        return args
    if (first and not first.startswith("-") and not Path(first).exists()
            and Path(first).suffix not in (".yaml", ".yml")):
        close = difflib.get_close_matches(first, COMMANDS, n=1)
        if close:
            raise UsageError(f"unknown command '{first}'; did you mean '{close[0]}'?")
    return ["build", *args]


def _main(argv: Sequence[str] | None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _parser().parse_args(_with_command(args_list))
        _log_to_stderr()
        return _run(args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
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
