"""The command line: parse arguments, run a stage, print results, turn errors into exit codes."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from .arguments import options_of, parser, sources_of, with_command
from .build import Outcome, Written, build, check_sources
from .errors import BriefingError, SourceError, UnexpectedError, UsageError
from .streams import resilient


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
    folder = None if args.file == "-" else Path(args.file).parent
    imported = import_text(text, name, args.out, language=args.language, force=args.force,
                           reader=args.reader, flat=args.flat, folder=folder)
    for diagnostic in imported.diagnostics:
        print(diagnostic, file=sys.stderr)
    how = "guessed from the questions" if imported.language_guessed else \
        "given with --language" if args.language else "given in the file"
    count = len(imported.briefing.questions)
    print(f"wrote {imported.path}: {count} question{'s' if count != 1 else ''}, "
          f"read as {imported.reader} ({imported.chosen}), "
          f"language {imported.briefing.language} ({how})")
    for path in imported.copied:
        print(f"copied {path}")
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


def _size(n: int) -> str:
    return f"{n / 1024:.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


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


def _run(args: argparse.Namespace) -> int:
    if args.command == "import":
        return _import(args)
    if args.command in ("new", "theme"):
        return _start(args)
    sources = sources_of(args)
    if args.command == "check":
        printer = Printer(len(sources), bar=False)
        outcomes = check_sources(sources, strict=args.strict, max_bytes=args.max_source_bytes,
                                 final=args.final)
        for outcome in outcomes:
            printer(outcome)
        print(_tally(outcomes, args.strict), file=sys.stderr)
        return 0 if all(outcome.ok for outcome in outcomes) else 1
    options, formats = options_of(args)
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


def _main(argv: Sequence[str] | None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parser().parse_args(with_command(args_list))
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
