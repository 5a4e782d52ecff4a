"""``modlint check``: collect files, lint them, report, choose the exit code."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from modlint.cli import EXIT_FINDINGS, EXIT_OK, UsageError, split_list, use_color
from modlint.config import Config, apply_overrides, find_config, load_config_file
from modlint.discovery import collect
from modlint.engine import FileResult, Linter
from modlint.findings import Finding, Severity
from modlint.plugins import Toolkit, build_toolkit
from modlint.reporters import ReportContext
from modlint.reporters.text import format_text, summary


class Session:
    """Configs and toolkits for one run, each loaded once."""

    def __init__(self, overrides: dict[str, object], explicit_config: Path | None) -> None:
        self.overrides = overrides
        self.explicit = load_config_file(explicit_config) if explicit_config else None
        if explicit_config and self.explicit is None:
            raise UsageError(f"{explicit_config} has no [tool.modlint] table")
        self._toolkits: dict[tuple[tuple[Path, ...], tuple[Path, ...]], Toolkit] = {}
        self._linters: dict[int, Linter] = {}
        # One Config object per folder for the whole run (the runner keys its caches by it).
        self._configs: dict[str, Config] = {}

    def config_for(self, path: Path) -> Config:
        folder = os.path.dirname(path) if isinstance(path, str) else str(path.parent)
        cfg = self._configs.get(folder)
        if cfg is None:
            base = self.explicit or find_config(Path(path).resolve().parent)
            cfg = self._configs[folder] = apply_overrides(base, self.overrides)
        return cfg

    def linter_for(self, cfg: Config) -> Linter:
        key = (cfg.extra_rules, cfg.extra_personas)
        toolkit = self._toolkits.get(key)
        if toolkit is None:
            toolkit = build_toolkit(cfg.extra_rules, cfg.extra_personas)
            self._toolkits[key] = toolkit
        linter = self._linters.get(id(toolkit))
        if linter is None:
            linter = Linter(toolkit)
            self._linters[id(toolkit)] = linter
        return linter


def run_check(args: argparse.Namespace) -> int:
    overrides: dict[str, object] = {}
    if args.select:
        overrides["select"] = split_list(args.select)
    if args.ignore:
        overrides["extend_ignore"] = split_list(args.ignore)
    if args.fail_on:
        overrides["fail_on"] = args.fail_on
    session = Session(overrides, Path(args.config) if args.config else None)

    results, notes = gather(args, session)
    cfg0 = session.config_for(Path(args.paths[0]) / "x.md" if args.paths and Path(args.paths[0]).is_dir() else Path.cwd() / "x.md")
    linter0 = session.linter_for(cfg0)
    context = None
    if args.repo_context:
        from modlint.repo_context import other_modules

        context = other_modules(results, cfg0)
    extra = linter0.check_collection(results, cfg0, context) + linter0.load_errors(cfg0)
    findings: list[Finding] = [f for r in results for f in r.findings] + extra
    if args.persona:
        wanted = {p.lower() for p in args.persona}
        unknown = sorted(w for w in wanted if linter0.toolkit.registry.get(w) is None)
        if unknown:
            raise UsageError(f"unknown persona {', '.join(unknown)}; see 'modlint personas'")
        findings = [f for f in findings if any(p.id in wanted for p in f.personas)]
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
    from modlint.fileio import atomic_write_text

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, text)
    except OSError as exc:
        raise UsageError(f"cannot write the report to {path}: {exc.strerror or exc}") from None


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
