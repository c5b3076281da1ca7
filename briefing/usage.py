"""What each command is for, as `--help` shows it: a summary, a description and examples."""

from __future__ import annotations

import argparse
import textwrap

#: The program's own description and the rule for a first argument that is not a command.
DESCRIPTION = "Compile Q&A sources (YAML) into printable PDF and HTML briefings."
RULE = (
    "Without a command, briefing builds: 'briefing' builds every source in source/, "
    "'briefing faq.yaml drafts/' builds those. A first word that is not a command, not an "
    "existing file or folder and not a .yaml/.yml name, but is close to a command (biuld), "
    "is a usage error that names the command (exit 2)."
)

#: name -> (one-line summary for the command list, description, examples).
COMMANDS: dict[str, tuple[str, str, str]] = {
    "build": (
        "build PDF and HTML (the default command)",
        "Build each source into a PDF and an HTML briefing in the output folder. A SOURCE is "
        "a YAML file, or a folder standing for the *.yaml and *.yml files in it; without "
        "SOURCE, every source in source/ is built. Sources unchanged since their last build "
        "are skipped (--force rebuilds them).",
        """\
  briefing build                                 # every source in source/
  briefing build source/faq.yaml --format pdf --paper a4
  briefing build drafts/ --out public --strict   # every source in drafts/
  briefing faq.yaml                              # 'build' may be left out""",
    ),
    "check": (
        "validate sources without rendering",
        "Load and check sources without rendering them, and report every error and warning "
        "with its file, line and column. Warnings point at content that is probably a "
        "mistake; --strict makes them fail. Ends with one line counting the sources, errors "
        "and warnings.",
        """\
  briefing check                                 # every source in source/
  briefing check --strict source/faq.yaml drafts/""",
    ),
    "watch": (
        "rebuild whenever a source or a style changes",
        "Build, then rebuild whenever a source changes (that source) or a stylesheet or "
        "template changes (every source), in one process. Errors are printed and watching "
        "goes on; Ctrl-C ends it.",
        """\
  briefing watch                                 # every source in source/
  briefing watch source/faq.yaml --format html --style house-style""",
    ),
    "import": (
        "turn a FAQ (plain text, Markdown or a saved web page) into a YAML source",
        "Turn a FAQ people already have (plain text, Markdown, or a web page saved from a "
        "browser) into a YAML source, keeping every word of every question and answer. The "
        "reader is chosen from the file's name, then its content, and said; --from names one. "
        "An existing file is replaced only with --force.",
        """\
  briefing import faq.txt                        # writes source/<slug-of-the-title>.yaml
  briefing import faq.md --out source/faq.yaml --language es
  briefing import saved-page.html --flat         # one list of questions, no sections
  cat faq.txt | briefing import - --out drafts""",
    ),
    "new": (
        "write a commented starter source",
        "Write a starter source to source/NAME.yaml: a short example briefing that builds as "
        "written, in which every key a source may use is explained and the optional ones are "
        "commented out. An existing file is replaced only with --force.",
        """\
  briefing new tenant-rights                     # writes source/tenant-rights.yaml
  briefing build source/tenant-rights.yaml""",
    ),
    "theme": (
        "copy the default theme into a folder to edit",
        "Copy the default theme's templates and stylesheets into DIR, to edit them and build "
        "with --style DIR. Files left unchanged may be deleted: the default theme still "
        "supplies them. Existing files are replaced only with --force.",
        """\
  briefing theme house-style
  briefing build --style house-style""",
    ),
}


def _examples(text: str) -> str:
    return f"examples:\n{text}"


def program() -> argparse.ArgumentParser:
    """The top-level parser, with the rule for arguments that are not commands."""
    first = "\n".join(f"  {line}" for line in (
        "briefing new my-briefing                       # a starter source to edit",
        "briefing check                                 # every source in source/",
        "briefing                                       # build them"))
    return argparse.ArgumentParser(
        prog="briefing", description=DESCRIPTION,
        epilog=f"{textwrap.fill(RULE, 78)}\n\n{_examples(first)}",
        formatter_class=argparse.RawDescriptionHelpFormatter)


def add_command(commands: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    """A subcommand's parser with its summary, description and examples."""
    summary, description, examples = COMMANDS[name]
    return commands.add_parser(
        name, help=summary, description=textwrap.fill(description, 78),
        epilog=_examples(examples), formatter_class=argparse.RawDescriptionHelpFormatter)
