"""``modlint report``: the gap analysis of :mod:`modlint.gap`, rendered as a
self-contained HTML page, Markdown, JSON or a terminal summary."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from modlint import __version__
from modlint.cli import EXIT_OK, UsageError, use_color
from modlint.commands.check import Session, gather
from modlint.gap import BLOCKED, CLEAR, NOT_TARGETED, WARNING, Cell, GapReport, analyse

FORMATS = ("html", "md", "json", "text")


def build_report(paths: list[str] | None, config: str | None = None) -> GapReport:
    """Lint ``paths`` as ``modlint check`` would (collection rules included) and analyse."""
    session = Session({}, Path(config) if config else None)
    ns = argparse.Namespace(paths=paths or ["."], stdin=False, stdin_filename=None)
    results, notes = gather(ns, session)
    for note in notes:
        print(note, file=sys.stderr)
    first = ns.paths[0]
    cfg0 = session.config_for(Path(first) / "x.md" if Path(first).is_dir() else Path.cwd() / "x.md")
    linter0 = session.linter_for(cfg0)
    extra = linter0.check_collection(results, cfg0) + linter0.load_errors()
    return analyse(results, linter0.toolkit.registry, linter0.catalogue, extra, version=__version__)


def run_report(args: argparse.Namespace) -> int:
    report = build_report(args.paths, args.config)
    fmt = args.format
    out = render(report, fmt, color=fmt == "text" and not args.output and use_color(args, sys.stdout))
    if args.output:
        write_output(Path(args.output), out)
        if fmt != "text":
            t = report.totals
            print(
                f"modlint: wrote the {fmt} report of {t['modules']} modules and {t['personas']} personas to {args.output} "
                f"({t['blocked_cells']} blocked, {t['warning_cells']} with warnings, {t['stranded_personas']} personas with no module they can take)",
                file=sys.stderr,
            )
    else:
        sys.stdout.write(out)
        sys.stdout.flush()
    return EXIT_OK


def write_output(path: Path, text: str) -> None:
    """Write the report as ``check --output`` does: missing folders are made, and a
    file that cannot be written is a usage error (exit 2), never a traceback."""
    from modlint.fileio import write_report

    try:
        write_report(path, text)
    except OSError as exc:
        raise UsageError(f"cannot write the report to {path}: {exc.strerror or exc}") from None


def render(report: GapReport, fmt: str, color: bool = False) -> str:
    if fmt == "json":
        return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "text":
        return render_text(report, color)
    if fmt in ("html", "md"):
        return _environment().get_template(f"report.{fmt}.j2").render(r=report, **_template_globals())
    raise ValueError(f"unknown report format {fmt!r}; choose from {', '.join(FORMATS)}")


# -- templates ----------------------------------------------------------------
_ENV = None

SYMBOLS = {BLOCKED: "✗", WARNING: "!", CLEAR: "✓", NOT_TARGETED: "–"}


def _template_globals() -> dict[str, Any]:
    return {"BLOCKED": BLOCKED, "WARNING": WARNING, "CLEAR": CLEAR, "NOT_TARGETED": NOT_TARGETED, "SYMBOLS": SYMBOLS, "zip": zip}


def _md_cell(value: object) -> str:
    """Text safe inside a Markdown table cell: no line breaks, pipes escaped."""
    return " ".join(str(value).split()).replace("\\", "\\\\").replace("|", "\\|")


def _md_text(value: object) -> str:
    """Inline Markdown text: characters that would start markup escaped."""
    text = " ".join(str(value).split())
    for ch in "\\`*_[]<>|":
        text = text.replace(ch, "\\" + ch)
    return text


def _environment():  # type: ignore[no-untyped-def]
    global _ENV
    if _ENV is None:
        from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

        env = Environment(
            loader=PackageLoader("modlint", "templates"),
            autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False, default=False),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.filters["mdcell"] = _md_cell
        env.filters["mdtext"] = _md_text
        env.filters["plural"] = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"
        _ENV = env
    return _ENV


# -- terminal -----------------------------------------------------------------
_COLORS = {BLOCKED: "\033[1;31m", WARNING: "\033[33m", CLEAR: "\033[32m", NOT_TARGETED: "\033[2m"}
_RESET = "\033[0m"


def cell_code(cell: Cell) -> str:
    """A matrix cell in a few characters: ``2E``, ``2E1W``, ``1W``, ``ok`` or ``-``."""
    if not cell.targeted:
        return "-"
    code = (f"{len(cell.errors)}E" if cell.errors else "") + (f"{len(cell.warnings)}W" if cell.warnings else "")
    return code or "ok"


def render_text(report: GapReport, color: bool = False) -> str:
    lines: list[str] = []
    t = report.totals
    lines.append(f"modlint gap report: {t['modules']} modules x {t['personas']} personas")
    lines.append("")
    if not report.modules:
        lines.append("No modules found.")
    else:
        names = [f"{i}. {m.id or m.path}" for i, m in enumerate(report.modules, 1)]
        width = min(max(len(n) for n in names + ["Module"]), 40)
        colw = [max(len(p.label), 4) for p in report.personas]
        header = "Module".ljust(width) + "  Whole  " + "  ".join(p.label.rjust(w) for p, w in zip(report.personas, colw))
        lines.append(header)
        lines.append("-" * len(header))
        for name, row in zip(names, report.modules):
            if len(name) > width:
                prefix = name.split(" ", 1)[0] + " "
                shown = name[: width - 1] + "…" if row.id else prefix + "…" + name[len(name) - (width - len(prefix) - 1):]
            else:
                shown = name
            cells = []
            for cell, w in zip(row.cells, colw):
                code = cell_code(cell).rjust(w)
                cells.append(f"{_COLORS[cell.status]}{code}{_RESET}" if color else code)
            whole = ((f"{row.general_errors}E" if row.general_errors else "") + (f"{row.general_warnings}W" if row.general_warnings else "")) or "-"
            lines.append(shown.ljust(width) + "  " + whole.rjust(5) + "  " + "  ".join(cells))
        lines.append("")
        lines.append("Key: NE = N error-level findings for the persona (blocking), NW = N warnings, ok = targeted with no findings, - = not targeted; Whole = findings that name no persona.")
        lines.append("Personas: " + "; ".join(f"{p.label} {p.title} (stage {p.stage})" for p in report.personas))
    lines.append("")
    lines.append("Barriers hit most")
    if report.top_barriers:
        for hit in report.top_barriers[:5]:
            lines.append(f"  {hit.id}: {hit.errors} errors, {hit.warnings} warnings in {len(hit.modules)} module{'s' if len(hit.modules) != 1 else ''} ({', '.join(sorted(hit.rules))}): {hit.text}")
    else:
        lines.append("  No finding hits a persona's barrier.")
    lines.append("")
    lines.append("Framework coverage")
    for stage in report.stages:
        label = f"  Stage {stage.stage}" + (f" ({stage.name})" if stage.name else "")
        if not stage.competencies:
            lines.append(f"{label}: the framework names no competencies for this stage; {len(stage.modules)} modules.")
            continue
        lines.append(f"{label}: {len(stage.addressed)} of {len(stage.competencies)} competencies addressed by {len(stage.modules)} modules.")
        if stage.missing:
            lines.append("    Not addressed: " + "; ".join(c.name for c in stage.missing))
    for path, names in report.unknown_competencies.items():
        lines.append(f"  {path} lists competencies the framework does not know: {'; '.join(names)}")
    lines.append("")
    stranded = report.stranded
    if stranded:
        lines.append("Personas with no module they can take without an error-level finding: " + ", ".join(f"{a.persona.label} {a.persona.title}" + ("" if a.targeted_by else " (no module targets them)") for a in stranded))
    else:
        lines.append("Every persona has at least one module they can take without an error-level finding.")
    if report.other_findings:
        lines.append("")
        lines.append("Findings outside the modules:")
        for f in report.other_findings:
            lines.append(f"  {f.path}: {f.rule_id} {f.message}")
    return "\n".join(lines) + "\n"
