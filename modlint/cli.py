"""The command line: ``modlint check``, ``rules``, ``explain``, ``personas``."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, Sequence

from modlint import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="modlint", description="Lint learning modules for the learners they shut out.")
    parser.add_argument("--version", action="version", version=f"modlint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="check modules and report findings")
    check.add_argument("paths", nargs="*", default=None, help="files or folders (default: .); - reads one module from standard input")
    check.add_argument("--select", action="append", help="rule ids, aliases or families to run, comma-separated or repeated (replaces the configured list)")
    check.add_argument("--ignore", action="append", help="rule ids, aliases or families to skip, comma-separated or repeated (added to the configured list)")
    check.add_argument("--format", default="text", help="text, json, sarif, github, junit or a plugin's format (default: text)")
    check.add_argument("--persona", action="append", help="only findings that affect this persona (repeatable)")
    check.add_argument("--fail-on", choices=("error", "warning", "info"), help="lowest severity that fails the run (default: error)")
    check.add_argument("--stdin", action="store_true", help="read one module from standard input")
    check.add_argument("--stdin-filename", help="the path to report (and find the configuration from) with --stdin")
    check.add_argument("--config", help="use this configuration file instead of searching for one")
    check.add_argument("--output", "-o", help="write the report to this file; the terminal keeps a text summary")
    check.add_argument("--no-color", action="store_true", help="no colour, even on a terminal")
    check.add_argument("--statistics", action="store_true", help="print counts per rule, family and persona")
    check.add_argument("--baseline", help="a baseline file: findings already in it do not fail the run")
    check.add_argument("--update-baseline", action="store_true", help="write the current findings to the --baseline file")
    check.add_argument("--diff-only", metavar="REV", help="only findings on lines changed since this git revision")
    check.add_argument("--fix", action="store_true", help="apply safe fixes to the files")
    check.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff, also apply fixes that change meaning")
    check.add_argument("--diff", action="store_true", help="print the fixes as a unified diff and write nothing")
    check.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    check.add_argument("--jobs", "-j", type=int, help="worker processes (default: the number of cores)")
    check.add_argument("--force-exclude", action="store_true", help="apply the configured excludes to files named on the command line too (as the pre-commit hook does)")
    check.add_argument("--repo-context", action="store_true", help="read the other modules of the repository for checks across modules (duplicate ids) even when only some files are named, as the pre-commit hook does")

    rules = sub.add_parser("rules", help="list the rules")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.add_argument("--family", help="only this family")

    explain = sub.add_parser("explain", help="explain a rule: why it exists, whom it protects, how to fix it")
    explain.add_argument("rule", help="rule id or alias, e.g. TIME003 or honest-timing")

    personas = sub.add_parser("personas", help="list personas, show one, or show barrier coverage")
    personas.add_argument("persona", nargs="?", help="a persona id, e.g. p11")
    personas.add_argument("--coverage", action="store_true", help="every barrier with the rules that address it")
    personas.add_argument("--format", choices=("text", "json"), default="text")
    report = sub.add_parser("report", help="gap analysis: which personas each module shuts out, and why")
    report.add_argument("paths", nargs="*", default=None, help="files or folders (default: .)")
    report.add_argument("--format", choices=("html", "md", "json", "text"), default="text")
    report.add_argument("--output", "-o", help="write the report to this file (default: standard output)")
    report.add_argument("--config", help="use this configuration file instead of searching for one")

    sub.add_parser("lsp", help="start the language server on standard input and output")
    sub.add_parser("clean", help="delete modlint's cache")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    from contextlib import nullcontext

    from modlint import _collector

    # A command that runs and exits makes tens of thousands of objects as it imports, all
    # kept to the end, which the collector would walk again and again; the language
    # server runs for hours and keeps the collector's usual pace.
    with _collector.batch() if args.command != "lsp" else nullcontext():
        return _run(parser, args)


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from modlint import _dataclass_code, _regex

    # Before markdown-it-py and ruamel.yaml are imported and compile their patterns, and
    # before any dataclass is defined; after the arguments, so --help and --version do not
    # read the caches.
    _regex.seed()
    _dataclass_code.install()
    from modlint.yamlio import DataError

    try:
        if args.command == "check":
            from modlint.commands.check import run_check

            return run_check(args)
        if args.command == "rules":
            from modlint.commands.info import run_rules

            return run_rules(args)
        if args.command == "explain":
            from modlint.commands.info import run_explain

            return run_explain(args)
        if args.command == "personas":
            from modlint.commands.info import run_personas

            return run_personas(args)
        if args.command == "report":
            from modlint.commands.report import run_report

            return run_report(args)
        if args.command == "lsp":
            from modlint.lsp.server import run_lsp

            return run_lsp(args)
        if args.command == "clean":
            from modlint.cache import run_clean

            return run_clean(args)
    except DataError as exc:
        print(f"modlint: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except UsageError as exc:
        print(f"modlint: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return EXIT_OK
    finally:
        _regex.save()  # patterns compiled for the first time this run, for the next one
        _dataclass_code.save()
    parser.error(f"unknown command {args.command}")
    return EXIT_USAGE


def split_list(value: str | Sequence[str] | None) -> tuple[str, ...] | None:
    """The items of a comma-separated option, or of a repeated one (``--select time
    --select pause`` is ``--select time,pause``, as in ruff), in order, without repeats."""
    if value is None:
        return None
    given = [value] if isinstance(value, str) else list(value)
    items = (x.strip() for part in given for x in part.split(","))
    return tuple(dict.fromkeys(x for x in items if x))


def use_color(args: Any, stream: Any) -> bool:
    if getattr(args, "no_color", False) or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def resolve_path(p: str) -> Path:
    return Path(p)
