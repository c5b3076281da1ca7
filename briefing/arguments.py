"""The command line's grammar: each command's arguments, and what the parsed ones name."""

from __future__ import annotations

import argparse
import difflib
import os
from pathlib import Path

from . import __version__
from .build import discover, expand
from .errors import UsageError
from .options import PAPER_SIZES, Options
from .read import MAX_SOURCE_BYTES
from .readers import READERS
from .usage import add_command, program
from .writers import DEFAULT, WRITERS, parse_formats

COMMANDS = ("build", "check", "watch", "import", "new", "theme")


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


def parser() -> argparse.ArgumentParser:
    """The parser of every command's arguments, with their help."""
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


def sources_of(args: argparse.Namespace) -> list[Path]:
    """The sources the arguments name (default: source/), only this shard's with --shard."""
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


def options_of(args: argparse.Namespace) -> tuple[Options, tuple[str, ...]]:
    """The rendering options and the formats to write that the arguments ask for."""
    for folder in args.style:
        if not folder.is_dir():
            raise UsageError(f"--style {folder}: not a folder")
    formats = args.format
    options = Options(paper=args.paper, style_dirs=tuple(args.style),
                      allow_remote=args.allow_remote, attach_source=args.attach_source)
    return options, formats


def with_command(args: list[str]) -> list[str]:
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
