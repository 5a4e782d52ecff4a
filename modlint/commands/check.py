"""``modlint check``: collect files, lint them, report, choose the exit code."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from modlint.cli import EXIT_FINDINGS, EXIT_OK, UsageError, split_list, use_color
from modlint.config import Config, apply_overrides, check_rule_names, find_config, load_config_file
from modlint.discovery import collect
from modlint.engine import FileResult, Linter
from modlint.findings import Finding, Severity
from modlint.plugins import Toolkit, build_toolkit
from modlint.reporters import ReportContext
from modlint.reporters.text import format_text, summary


# Findings that say a file could not be read or is not a module at all (no front
# matter, broken YAML, front matter that is not a mapping, unreadable bytes), and
# internal errors. They name no persona, because they shut out everyone; --persona must
# never hide them, or a broken file would pass a persona-filtered run.
ALWAYS_SHOWN = frozenset({"MOD001", "MOD002", "MOD003", "MOD011", "MOD012"})


class Session:
    """Configs and toolkits for one run, each loaded once."""

    def __init__(self, overrides: dict[str, object], explicit_config: Path | None, need_fix_edits: bool = False) -> None:
        self.overrides = overrides
        # Whether the output prints fixes' edits (JSON): then lazy fixes are worked out
        # where each file is linted, and cached results without edits do not count.
        self.need_fix_edits = need_fix_edits
        self.explicit = load_config_file(explicit_config) if explicit_config else None
        if explicit_config and self.explicit is None:
            raise UsageError(f"{explicit_config} has no [tool.modlint] table")
        self._toolkits: dict[tuple[tuple[Path, ...], tuple[Path, ...]], Toolkit] = {}
        self._linters: dict[int, Linter] = {}
        # One Config object per folder for the whole run (the runner keys its caches by it).
        self._configs: dict[str, Config] = {}
        # Each config file checked against its catalogue once, whatever folder found it.
        self._checked: dict[Path, Config] = {}

    def config_for(self, path: Path) -> Config:
        folder = os.path.dirname(path) if isinstance(path, str) else str(path.parent)
        cfg = self._configs.get(folder)
        if cfg is None:
            base = self.explicit or find_config(Path(path).resolve().parent)
            cfg = self._configs[folder] = apply_overrides(self._checked_config(base), self.overrides)
        return cfg

    def _checked_config(self, base: Config) -> Config:
        """The config file's rule names and parameters checked against the rules its own
        plugins and extra-rules folders give (a :class:`DataError` if one is unknown)."""
        if base.path is None:
            return base
        checked = self._checked.get(base.path)
        if checked is None:
            toolkit = self.toolkit_for(base)
            checked = self._checked[base.path] = check_rule_names(base, toolkit.catalogue, _load_note(toolkit))
        return checked

    def toolkit_for(self, cfg: Config) -> Toolkit:
        key = (cfg.extra_rules, cfg.extra_personas)
        toolkit = self._toolkits.get(key)
        if toolkit is None:
            toolkit = self._toolkits[key] = build_toolkit(cfg.extra_rules, cfg.extra_personas)
        return toolkit

    def linter_for(self, cfg: Config) -> Linter:
        toolkit = self.toolkit_for(cfg)
        linter = self._linters.get(id(toolkit))
        if linter is None:
            linter = Linter(toolkit, resolve_fixes=self.need_fix_edits)
            self._linters[id(toolkit)] = linter
        return linter


def _load_note(toolkit: Toolkit) -> str:
    """Why a rule may be unknown: its plugin did not load."""
    if not toolkit.load_errors:
        return ""
    names = ", ".join(sorted({e.plugin for e in toolkit.load_errors}))
    return f"(The plugin {names} did not load properly, which may be why; run 'modlint check' without the setting to see its error.)"


def _take_stdin_dash(args: argparse.Namespace) -> None:
    """``modlint check -`` reads standard input, as ruff and black do; standard input
    and paths, or --stdin-filename without standard input, are usage errors rather
    than guesses about which was meant."""
    paths = list(args.paths or [])
    if "-" in paths:
        args.stdin = True
        paths = [p for p in paths if p != "-"]
        args.paths = paths
    if args.stdin and paths:
        raise UsageError(
            f"standard input (--stdin or -) is one module, so no paths can be checked with it (got {', '.join(paths)}). "
            "Give the path it should be reported as with --stdin-filename."
        )
    if args.stdin_filename and not args.stdin:
        raise UsageError("--stdin-filename names the module read from standard input; add --stdin (or give - as the path)")


def _cli_rule_lists(args: argparse.Namespace) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for flag, value in (("--select", args.select), ("--ignore", args.ignore)):
        items = split_list(value)
        if items is None:
            continue
        if not items:
            raise UsageError(f"{flag} needs at least one rule id, alias or family (see 'modlint rules')")
        out[flag] = items
    return out


def _check_cli_selectors(lists: dict[str, tuple[str, ...]], toolkits: list[Toolkit]) -> None:
    """A selector on the command line must name a rule of at least one of the run's
    catalogues (built in, plugins, or the extra-rules folders of the paths checked)."""
    for flag, items in lists.items():
        for selector in items:
            if any(tk.catalogue.knows(selector) for tk in toolkits):
                continue
            close = toolkits[0].catalogue.suggestion(selector) if toolkits else None
            hint = f" Did you mean '{close}'?" if close else ""
            note = next((n for n in map(_load_note, toolkits) if n), "")
            raise UsageError(f"{flag} names '{selector}', which is not a rule id, alias or family.{hint} See 'modlint rules' for the rules.{' ' + note if note else ''}")


def _first_config(args: argparse.Namespace, session: Session) -> Config:
    """The config whose fail-on, collection checks and formats the run uses: standard
    input's (found from --stdin-filename), else the first path's."""
    if getattr(args, "stdin", False):
        return session.config_for(Path(args.stdin_filename) if args.stdin_filename else Path.cwd() / "stdin.md")
    first = (args.paths or ["."])[0]
    return session.config_for(Path(first) / "x.md" if Path(first).is_dir() else Path(first))


def _root_configs(args: argparse.Namespace, session: Session) -> list[Config]:
    if args.stdin:
        return [_first_config(args, session)]
    return [session.config_for(Path(raw) / "x.md" if Path(raw).is_dir() else Path(raw)) for raw in args.paths or ["."]]


def _keep_for_personas(findings: list[Finding], wanted: set[str]) -> list[Finding]:
    return [f for f in findings if f.rule_id in ALWAYS_SHOWN or any(p.id in wanted for p in f.personas)]


def run_check(args: argparse.Namespace) -> int:
    _take_stdin_dash(args)
    lists = _cli_rule_lists(args)
    overrides: dict[str, object] = {}
    if "--select" in lists:
        overrides["select"] = lists["--select"]
    if "--ignore" in lists:
        overrides["extend_ignore"] = lists["--ignore"]
    if args.fail_on:
        overrides["fail_on"] = args.fail_on
    session = Session(overrides, Path(args.config) if args.config else None, need_fix_edits=args.format == "json")
    if not args.stdin:
        check_paths_exist(args.paths or ["."])
    roots = _root_configs(args, session)
    _check_cli_selectors(lists, [session.toolkit_for(cfg) for cfg in roots])
    cfg0 = _first_config(args, session)
    linter0 = session.linter_for(cfg0)
    wanted: set[str] = set()
    if args.persona:
        wanted = {p.lower() for p in args.persona}
        unknown = sorted(w for w in wanted if linter0.toolkit.registry.get(w) is None)
        if unknown:
            raise UsageError(f"unknown persona {', '.join(unknown)}; see 'modlint personas'")

    results, notes = gather(args, session)
    context = None
    if args.repo_context:
        from modlint.repo_context import other_modules

        context = other_modules(results, cfg0)
    extra = linter0.check_collection(results, cfg0, context) + linter0.load_errors(cfg0)
    findings: list[Finding] = [f for r in results for f in r.findings] + extra
    if wanted:
        findings = _keep_for_personas(findings, wanted)
    if args.fix or args.diff:
        from modlint.fixing import run_fixes

        return run_fixes(args, session, results, findings, notes)
    if args.diff_only:
        from modlint.gitdiff import keep_changed

        findings = keep_changed(findings, args.diff_only)
    if args.baseline:
        from modlint import baseline

        narrowed = bool(args.diff_only or args.persona)  # findings filtered after the rules ran
        if args.update_baseline:
            if narrowed:
                raise UsageError("--update-baseline records every finding, so it cannot be combined with --diff-only or --persona")
            baseline.write(Path(args.baseline), findings, results)
            print(f"modlint: wrote {sum(1 for f in findings if f.suppressed is None)} findings to {args.baseline}", file=sys.stderr)
            return EXIT_OK
        findings, fixed = baseline.apply(Path(args.baseline), findings, results, report_fixed=not narrowed)
        notes.extend(fixed)
    elif args.update_baseline:
        raise UsageError("--update-baseline needs --baseline FILE")
    findings.sort(key=Finding.sort_key)

    fmt = args.format
    formatters = linter0.toolkit.formatters
    if fmt not in formatters:
        raise UsageError(f"unknown format '{fmt}'; choose from {', '.join(sorted(formatters))}")
    for note in notes:
        print(note, file=sys.stderr)
    ctx = ReportContext(linter0.toolkit, results, color=use_color(args, sys.stdout), fail_on=cfg0.fail_on)
    report = formatters[fmt](findings, ctx)
    if args.output:
        _write_report(Path(args.output), report)
        ctx.color = use_color(args, sys.stdout)
        sys.stdout.write(format_text(findings, ctx) if fmt != "text" else summary([f for f in findings if f.suppressed is None], len(results)) + "\n")
    else:
        sys.stdout.write(report)
    if args.statistics:
        from modlint.reporters.statistics import format_statistics

        # Keep a machine-readable report on standard output parseable.
        stats_stream = sys.stdout if fmt == "text" or args.output else sys.stderr
        stats_stream.write(format_statistics(findings, ctx))
    sys.stdout.flush()
    threshold = Severity.parse(cfg0.fail_on)
    failing = any(f.suppressed is None and f.severity >= threshold for f in findings)
    return EXIT_FINDINGS if failing else EXIT_OK


def _write_report(path: Path, text: str) -> None:
    from modlint.fileio import write_report

    try:
        write_report(path, text)
    except OSError as exc:
        raise UsageError(f"cannot write the report to {path}: {exc.strerror or exc}") from None


def check_paths_exist(paths: list[str]) -> None:
    """A path that does not exist is a usage error (exit 2), as in black: a typo in a
    CI job's path must fail the job, not check nothing and pass. A broken symbolic
    link does exist, and is reported as a file that cannot be read (MOD011)."""
    missing = [raw for raw in paths if not os.path.lexists(raw)]
    if missing:
        names = ", ".join(missing)
        raise UsageError(f"{names} {'does' if len(missing) == 1 else 'do'} not exist, so nothing was checked. Check the path{'s' if len(missing) > 1 else ''}.")


def gather(args: argparse.Namespace, session: Session) -> tuple[list[FileResult], list[str]]:
    """Check every file named on the command line (or standard input)."""
    results: list[FileResult] = []
    notes: list[str] = []
    if args.stdin:
        display = args.stdin_filename or "<stdin>"
        cfg = session.config_for(Path(display) if args.stdin_filename else Path.cwd() / "stdin.md")
        linter = session.linter_for(cfg)
        data = sys.stdin.buffer.read()
        results.append(linter.check_bytes(data, display, cfg))
        # --fix with --stdin needs the exact input back; surrogateescape round-trips any bytes.
        results[-1].text = data.decode("utf-8", "surrogateescape")
        return results, notes
    check_paths_exist(args.paths or ["."])
    files: list[Path] = []
    for raw in args.paths or ["."]:
        root_cfg = session.config_for(Path(raw) / "x.md" if Path(raw).is_dir() else Path(raw))
        found, skipped = collect([raw], root_cfg.exclude, root_cfg.root, force_exclude=getattr(args, "force_exclude", False))
        for item in skipped:
            notes.append(f"modlint: skipped {item.path}: {item.reason}")
        files.extend(found)
    from modlint.runner import run_files

    jobs = getattr(args, "jobs", None)
    if jobs is not None and jobs < 1:
        raise UsageError("--jobs must be at least 1")
    results = run_files(files, session, jobs, use_cache=not getattr(args, "no_cache", False))
    return results, notes
